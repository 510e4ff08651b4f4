// Reading a cluster through kubectl, against a stand-in kubectl the test writes (no cluster can
// run on this machine): it checks the exact arguments minerguard passes, logs every call, and
// answers as kubectl does. The log proves nothing but `api-resources` and `get` is ever run.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <sys/stat.h>

#include "kube/kubectl_source.hpp"
#include "kube/subprocess.hpp"
#include "temp_dir.hpp"

namespace mg::kube {
namespace {

namespace fs = std::filesystem;

constexpr const char* kList = R"({"apiVersion":"v1","kind":"List","items":[
 {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"team","uid":"d1"},
  "spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1"}]}}}},
 {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"web-5d","namespace":"team","uid":"r1",
  "ownerReferences":[{"kind":"Deployment","name":"web","uid":"d1","controller":true}]},
  "spec":{"template":{"spec":{"containers":[{"name":"c","image":"nginx:1"}]}}}},
 {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-5d-x","namespace":"team","uid":"p1",
  "ownerReferences":[{"kind":"ReplicaSet","name":"web-5d","uid":"r1","controller":true}]},
  "spec":{"containers":[{"name":"c","image":"nginx:1"}]}},
 {"apiVersion":"v1","kind":"Pod","metadata":{"name":"orphan","namespace":"team","uid":"p2",
  "ownerReferences":[{"kind":"Node","name":"n","uid":"elsewhere","controller":true}]},
  "spec":{"containers":[{"name":"c","image":"nginx:1"}]}},
 {"apiVersion":"v1","kind":"Service","metadata":{"name":"istio-ingressgateway","namespace":"istio-system"},
  "spec":{"type":"LoadBalancer"}}]})";

constexpr const char* kSecret = R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"dex-passwords",
"namespace":"auth"},"type":"Opaque","data":{"DEX_USER_PASSWORD":"eA=="}})";

class Kubectl : public ::testing::Test {
 protected:
  // mode: "ok", "unauthorized" (every call fails), "forbidden" (the combined get and the
  // configmaps get fail, the rest succeed).
  std::string write_kubectl(const std::string& mode) {
    std::ofstream(dir_ / "list.json") << kList;
    std::ofstream(dir_ / "secret.json") << kSecret;
    const auto script = dir_ / "kubectl";
    std::ofstream out(script);
    out << "#!/bin/sh\n"
        << "echo \"$*\" >> '" << (dir_ / "calls.log").string() << "'\n"
        << "mode='" << mode << "'\n"
        << "if [ \"$mode\" = unauthorized ]; then echo 'error: You must be logged in to the server (Unauthorized)' >&2; exit 1; fi\n"
        << "case \"$*\" in\n"
        << "  *api-resources*) printf 'pods\\nservices\\nconfigmaps\\ndeployments.apps\\nreplicasets.apps\\n"
           "notebooks.kubeflow.org\\nwidgets.example.com\\n' ;;\n"
        << "  *'get secret dex-passwords'*) cat '" << (dir_ / "secret.json").string() << "' ;;\n"
        << "  *'get configmaps '*) echo 'Error from server (Forbidden): configmaps is forbidden' >&2; exit 1 ;;\n"
        << "  *'get '*,*) if [ \"$mode\" = forbidden ]; then echo 'Error from server (Forbidden): configmaps is forbidden' >&2; exit 1; fi\n"
        << "     cat '" << (dir_ / "list.json").string() << "' ;;\n"
        << "  *'get '*) printf '{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[]}' ;;\n"
        << "  *) echo \"unexpected: $*\" >&2; exit 3 ;;\n"
        << "esac\n";
    out.close();
    ::chmod(script.c_str(), 0755);
    return script.string();
  }
  std::string calls() {
    std::ifstream in(dir_ / "calls.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  mg::testing::TempDir temp_{"mg-kubectl"};
  const fs::path dir_ = temp_.path();
};

TEST_F(Kubectl, ReadsTheServedKindsOnceAndDropsControlledCopies) {
  KubectlOptions options;
  options.program = write_kubectl("ok");
  options.context = "prod";
  options.kubeconfig = "/tmp/kc";
  auto read = read_cluster(options);
  ASSERT_TRUE(read) << read.error().message;
  std::vector<std::string> refs;
  for (const auto& object : read->objects) refs.push_back(object.ref());
  // The ReplicaSet and its Pod belong to the Deployment; the orphan's owner was not read.
  EXPECT_EQ(refs, (std::vector<std::string>{"Deployment team/web", "Pod team/orphan",
                                            "Service istio-system/istio-ingressgateway", "Secret auth/dex-passwords"}));
  EXPECT_EQ(read->objects.front().file, "cluster");
  const auto log = calls();
  EXPECT_NE(log.find("--context=prod --kubeconfig=/tmp/kc api-resources --verbs=list -o name"), std::string::npos);
  // Only what the cluster serves, in the audit's order; unknown CRDs are not asked for.
  EXPECT_NE(log.find("get services,configmaps,pods,replicasets.apps,deployments.apps,notebooks.kubeflow.org "
                     "--all-namespaces -o json"),
            std::string::npos)
      << log;
  EXPECT_EQ(log.find("widgets"), std::string::npos);
  // Read-only: every call is api-resources or get.
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(line.find(" api-resources ") != std::string::npos || line.find(" get ") != std::string::npos) << line;
  }
}

TEST_F(Kubectl, ForbiddenKindsAreLeftOutWithAWarning) {
  KubectlOptions options;
  options.program = write_kubectl("forbidden");
  auto read = read_cluster(options);
  ASSERT_TRUE(read) << read.error().message;
  ASSERT_EQ(read->warnings.size(), 1u);
  EXPECT_NE(read->warnings[0].find("cannot list configmaps: Error from server (Forbidden)"), std::string::npos);
}

TEST_F(Kubectl, KubectlErrorsAreOneLineNamingTheContext) {
  KubectlOptions options;
  options.program = write_kubectl("unauthorized");
  options.context = "prod";
  auto read = read_cluster(options);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().message,
            "kubectl api-resources failed for context prod: error: You must be logged in to the server (Unauthorized)");
}

TEST_F(Kubectl, MissingKubectlIsAnIoError) {
  KubectlOptions options;
  options.program = (dir_ / "no-such-kubectl").string();
  auto read = read_cluster(options);
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error().code, core::ErrorCode::io);
  EXPECT_NE(read.error().message.find("cannot run"), std::string::npos);
}

TEST(ServedResources, KeepsWantedOrderAndExactNames) {
  const auto served = served_resources("pods\r\ngateways.gateway.networking.k8s.io\nservices\n",
                                       {"services", "gateways.networking.istio.io", "pods"});
  EXPECT_EQ(served, (std::vector<std::string>{"services", "pods"}));
}

TEST(Subprocess, BoundsOutputAndTime) {
  auto big = run_process({"sh", "-c", "head -c 3000000 /dev/zero"}, 1 << 20, std::chrono::seconds(10));
  ASSERT_FALSE(big);
  EXPECT_EQ(big.error().code, core::ErrorCode::limit_exceeded);
  auto slow = run_process({"sleep", "5"}, 1 << 20, std::chrono::milliseconds(300));
  ASSERT_FALSE(slow);
  EXPECT_NE(slow.error().message.find("did not finish"), std::string::npos);
  auto ok = run_process({"sh", "-c", "echo out; echo err >&2; exit 4"}, 1 << 20, std::chrono::seconds(10));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->out, "out\n");
  EXPECT_EQ(ok->err, "err\n");
  EXPECT_EQ(ok->exit_code, 4);
}

}  // namespace
}  // namespace mg::kube
