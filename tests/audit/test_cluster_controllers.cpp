// controller_identities: the service accounts of the cluster's Deployments, StatefulSets and
// DaemonSets, read from its manifests (`audit-log --cluster-objects`).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/cluster_controllers.hpp"
#include "kube/reader.hpp"

namespace mg::audit {
namespace {

std::vector<kube::Object> objects_of(const std::string& yaml) {
  auto read = kube::read_objects(yaml, "cluster.yaml");
  EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().message);
  return read ? read->objects : std::vector<kube::Object>{};
}

// One workload document of `kind` whose pod template runs as `account`.
std::string workload(const std::string& kind, const std::string& ns, const std::string& name, const std::string& account) {
  return "apiVersion: apps/v1\nkind: " + kind + "\nmetadata: {name: " + name + ", namespace: " + ns +
         "}\nspec:\n  template:\n    spec:\n      serviceAccountName: " + account +
         "\n      containers: [{name: main, image: example/app:1}]\n";
}

// Two Deployments share an account; a DaemonSet runs as `default`; a user's app runs as the
// notebook account; a bare Pod is no controller.
const std::string kCluster =
    workload("Deployment", "kubeflow", "notebook-controller-deployment", "notebook-controller-service-account") + "---\n" +
    workload("StatefulSet", "kubeflow", "metacontroller", "meta-controller-service") + "---\n" +
    workload("DaemonSet", "kube-system", "node-agent", "default") + "---\n" +
    workload("Deployment", "kubeflow", "second-replica-set", "notebook-controller-service-account") + "---\n" +
    workload("Deployment", "alice", "a-users-app", "default-editor") + "---\n" +
    "apiVersion: v1\nkind: Pod\nmetadata: {name: a-pod, namespace: kubeflow}\n"
    "spec:\n  serviceAccountName: pod-account\n  containers: [{name: c, image: c:1}]\n";

TEST(ClusterControllers, AccountsOfDeploymentsStatefulSetsAndDaemonSetsOnceEach) {
  const auto identities = controller_identities(objects_of(kCluster), {"system:serviceaccount:*:default-editor"});
  EXPECT_EQ(identities, (std::vector<std::string>{
                            "system:serviceaccount:kubeflow:notebook-controller-service-account",
                            "system:serviceaccount:kubeflow:meta-controller-service",
                        }));
}

TEST(ClusterControllers, WithoutExclusionsAUsersDeploymentAccountCounts) {
  const auto identities = controller_identities(objects_of(kCluster), {});
  EXPECT_EQ(identities.size(), 3u);
  EXPECT_EQ(identities.back(), "system:serviceaccount:alice:default-editor");
}

}  // namespace
}  // namespace mg::audit
