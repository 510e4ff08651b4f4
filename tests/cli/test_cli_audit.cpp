// `minerguard audit` as users run it: the bundled exposed Kubeflow example, stdin, formats, the
// stand-in kubectl, and bad input (exit 2, one line naming file and line).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli_runner.hpp"

namespace {

namespace fs = std::filesystem;
using mg::testing::Cli;
using nlohmann::json;

const std::string kExample = std::string(MG_SOURCE_DIR) + "/examples/kubeflow-exposed";
const std::string kInstall = std::string(MG_SOURCE_DIR) + "/tests/data/kubeflow/kubeflow-install.yaml";

std::set<std::string> rule_ids(const json& report) {
  std::set<std::string> ids;
  for (const auto& finding : report["findings"]) ids.insert(finding["rule_id"].get<std::string>());
  return ids;
}

TEST_F(Cli, AuditOfTheExposedExampleNamesEveryDoor) {
  auto result = run("audit --format json " + kExample);
  ASSERT_EQ(result.code, 1) << result.err;
  const auto report = json::parse(result.out);
  EXPECT_EQ(report["command"], "audit");
  const auto ids = rule_ids(report);
  for (const char* id : {"MG-KUBE-001", "MG-KUBE-005", "MG-KUBE-010", "MG-KUBE-020", "MG-KUBE-021"}) {
    EXPECT_TRUE(ids.contains(id)) << id << " missing from " << result.out.substr(0, 2000);
  }
  // One target per manifest file, each with its own verdict.
  EXPECT_EQ(report["targets"].size(), 3u);
  for (const auto& finding : report["findings"]) {
    EXPECT_EQ(finding["source"], "manifest");
    EXPECT_EQ(finding["location"]["type"], "object");
  }
}

TEST_F(Cli, StockKubeflowIsNotReportedExposed) {
  auto result = run("audit --format json " + kInstall);
  ASSERT_NE(result.code, 2) << result.err;
  const auto ids = rule_ids(json::parse(result.out));
  for (const char* id : {"MG-KUBE-001", "MG-KUBE-002", "MG-KUBE-003"}) EXPECT_FALSE(ids.contains(id)) << id;
}

TEST_F(Cli, TableAndSarifAndOutputFile) {
  auto table = run("audit --color never " + kExample);
  EXPECT_EQ(table.code, 1);
  EXPECT_NE(table.out.find("Service istio-system/istio-ingressgateway spec.type"), std::string::npos) << table.out;
  const auto sarif_path = dir_ / "audit.sarif";
  auto sarif = run("audit --format sarif --output " + sarif_path.string() + " " + kExample);
  EXPECT_EQ(sarif.code, 1);
  EXPECT_EQ(sarif.out, "");
  const auto log = json::parse(mg::testing::slurp(sarif_path));
  bool has_region = false;
  for (const auto& result : log["runs"][0]["results"]) {
    has_region |= result["locations"][0]["physicalLocation"].contains("region");
  }
  EXPECT_TRUE(has_region);
}

TEST_F(Cli, ReadsStdin) {
  auto result = run("audit --format json - < " + kExample + "/01-gateway-exposed.yaml");
  ASSERT_EQ(result.code, 1) << result.err;
  const auto report = json::parse(result.out);
  EXPECT_EQ(report["targets"][0]["target"], "-");
}

TEST_F(Cli, InvalidYamlExitsTwoNamingFileAndLine) {
  std::ofstream(dir_ / "bad.yaml") << "apiVersion: v1\nkind: Service\nmetadata:\n  name: [unclosed\n";
  auto result = run("audit " + (dir_ / "bad.yaml").string());
  EXPECT_EQ(result.code, 2);
  EXPECT_EQ(result.err.find('\n'), result.err.size() - 1) << result.err;  // one line
  EXPECT_NE(result.err.find("bad.yaml:"), std::string::npos) << result.err;
}

TEST_F(Cli, MissingInputAndNoInputAreUsageErrors) {
  EXPECT_EQ(run("audit " + (dir_ / "nope.yaml").string()).code, 2);
  auto none = run("audit");
  EXPECT_EQ(none.code, 2);
  EXPECT_NE(none.err.find("audit needs"), std::string::npos);
  EXPECT_EQ(run("audit --context x " + kExample).code, 2);  // --context needs --kubectl
}

TEST_F(Cli, FailedRunLeavesAnEarlierReportAlone) {
  const auto report = dir_ / "report.json";
  std::ofstream(report) << "earlier";
  std::ofstream(dir_ / "bad.json") << "{\"kind\": ";
  EXPECT_EQ(run("audit --format json --output " + report.string() + " " + (dir_ / "bad.json").string()).code, 2);
  // The failed input is reported as the target's error; the earlier file is replaced whole or not at all.
  const auto text = mg::testing::slurp(report);
  EXPECT_TRUE(text == "earlier" || json::parse(text)["targets"][0]["error"] != "") << text;
}

TEST_F(Cli, OutputToAPipeOrDeviceWritesIntoItAndLeavesItThere) {
  // --output /dev/null must never replace /dev/null with a file; a FIFO stands in for it here.
  const auto fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto got = dir_ / "got.json";
  auto result = run("audit --format json --output " + fifo.string() + " " + kExample,
                    "cat " + fifo.string() + " > " + got.string() + " & ");
  EXPECT_EQ(result.code, 1) << result.err;
  struct stat st{};
  ASSERT_EQ(::stat(fifo.c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  std::string text = mg::testing::slurp(got);
  for (int i = 0; i < 250 && !json::accept(text); ++i) {  // cat may still be copying
    ::usleep(20000);
    text = mg::testing::slurp(got);
  }
  EXPECT_EQ(json::parse(text)["command"], "audit");
  EXPECT_EQ(run("audit --output " + dir_.string() + " " + kExample).code, 2);  // a directory is refused
}

TEST_F(Cli, KubectlIsReadOnlyAndItsObjectsAreAudited) {
  // A stand-in kubectl on PATH: api-resources lists two kinds, get prints the exposed gateway.
  const auto bin = dir_ / "bin";
  fs::create_directories(bin);
  std::ofstream(dir_ / "list.json")
      << R"({"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Service","metadata":{"name":"ml-pipeline-ui","namespace":"kubeflow","uid":"u1"},"spec":{"type":"LoadBalancer","selector":{"app":"ml-pipeline-ui"},"ports":[{"port":80}]}}]})";
  std::ofstream script(bin / "kubectl");
  script << "#!/bin/sh\necho \"$*\" >> '" << (dir_ / "calls.log").string() << "'\n"
         << "case \"$*\" in *api-resources*) printf 'services\\ndeployments.apps\\n' ;;\n"
         << "*'secret dex-passwords'*) ;;\n"
         << "*) cat '" << (dir_ / "list.json").string() << "' ;; esac\n";
  script.close();
  ::chmod((bin / "kubectl").c_str(), 0755);
  auto result = run("audit --kubectl --context prod --format json", "PATH=" + bin.string() + ":$PATH");
  ASSERT_NE(result.code, 2) << result.err;
  const auto report = json::parse(result.out);
  EXPECT_EQ(report["targets"][0]["target"], "cluster");
  EXPECT_EQ(report["targets"][0]["kind"], "kubectl");
  EXPECT_TRUE(rule_ids(report).contains("MG-KUBE-003")) << result.out;
  const auto calls = mg::testing::slurp(dir_ / "calls.log");
  EXPECT_NE(calls.find("--context=prod get services,deployments.apps --all-namespaces -o json"), std::string::npos)
      << calls;
}

}  // namespace
