// `minerguard audit-log` and `minerguard rules` as users run them: real logs, generated attack
// traffic, every output format, exit codes 0/1/2, bad input and bad rules.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <fstream>

#include <nlohmann/json.hpp>

#include "cli_runner.hpp"
#include "spawned_process.hpp"

namespace {

using mg::testing::Cli;
using nlohmann::json;

const std::string kData = std::string(MG_SOURCE_DIR) + "/tests/data/k8s-audit/";
const std::string kFalco = kData + "falco-trace-files/";

TEST_F(Cli, AuditLogFindsAnonymousAccessAndExitsOne) {
  auto r = run("audit-log " + kFalco + "anonymous_creates_namespace_foo.json");
  EXPECT_EQ(r.code, 1) << r.err;
  EXPECT_NE(r.out.find("MG-AUD-009"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("create namespaces foo by system:anonymous"), std::string::npos) << r.out;
  EXPECT_EQ(r.err, "");
}

TEST_F(Cli, AuditLogOfABenignLogExitsZero) {
  auto r = run("audit-log --format json " + kData + "audit2rbac/demo.log");
  EXPECT_EQ(r.code, 0) << r.err;
  auto report = json::parse(r.out);
  EXPECT_EQ(report["schema"], "minerguard.report/v1");
  EXPECT_EQ(report["command"], "audit-log");
  EXPECT_EQ(report["stats"]["events"], 37);
  EXPECT_EQ(report["stats"]["malformed"], 0);
  EXPECT_EQ(report["targets"][0]["kind"], "audit-log");
}

TEST_F(Cli, MalformedLinesAreReportedWithTheirLineAndExitTwo) {
  auto r = run("audit-log " + kFalco + "fal_01_003.json " + kFalco + "exec_pod.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("fal_01_003.json:1: kind: expected a string"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("MG-AUD-006"), std::string::npos) << "the other file is still read";
  auto skipped = run("audit-log --skip-malformed " + kFalco + "fal_01_003.json");
  EXPECT_EQ(skipped.code, 0) << skipped.err;
  EXPECT_NE(skipped.err.find("fal_01_003.json:1: kind: expected a string"), std::string::npos);
}

TEST_F(Cli, MissingFilesAndBadRulesAreErrors) {
  auto missing = run("audit-log " + (dir_ / "nope.log").string());
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("nope.log: cannot open"), std::string::npos) << missing.err;

  std::ofstream(dir_ / "bad.yaml") << "- rule: X-1\n  name: X\n  title: x\n  severity: high\n  category: miner\n"
                                      "  stage: execution\n  condition: {field: verbb, equals: get}\n";
  auto bad = run("audit-log --rules " + (dir_ / "bad.yaml").string() + " " + kFalco + "exec_pod.json");
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("bad.yaml:7: unknown field \"verbb\""), std::string::npos) << bad.err;
  auto validate = run("rules validate --rules " + (dir_ / "bad.yaml").string());
  EXPECT_EQ(validate.code, 2);
  EXPECT_NE(validate.err.find("bad.yaml:7:"), std::string::npos);
}

TEST_F(Cli, RulesValidateAndList) {
  auto ok = run("rules validate");
  EXPECT_EQ(ok.code, 0) << ok.err;
  EXPECT_NE(ok.out.find("ok: 15 rules"), std::string::npos) << ok.out;
  std::ofstream(dir_ / "mine.yaml") << "- rule: MG-AUD-014\n  enabled: false\n"
                                       "- list: trusted_registries\n  append: true\n  items: [docker.io/library]\n";
  auto list = run("rules list --rules " + dir_.string());
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find("MG-AUD-001"), std::string::npos);
  EXPECT_NE(list.out.find("MG-AUD-100"), std::string::npos);
  EXPECT_NE(list.out.find("MG-AUD-014  disabled"), std::string::npos) << list.out;
  auto fields = run("rules list --fields");
  EXPECT_NE(fields.out.find("workload.images"), std::string::npos);
  EXPECT_NE(fields.out.find("requestObject.…"), std::string::npos);
}

TEST_F(Cli, GeneratedAttackChainsFromStdinGzipped) {
  const auto log = dir_ / "traffic.log.gz";
  ASSERT_EQ(std::system((std::string(MG_AUDIT_TRAFFIC) + " --seed 2 --benign 2000 --chains 2 --hours 12 | gzip -c > " +
                         log.string()).c_str()), 0);
  auto r = run("audit-log --format json - < " + log.string());
  EXPECT_EQ(r.code, 1) << r.err;
  auto report = json::parse(r.out);
  EXPECT_EQ(report["stats"]["incidents"], 2);
  int chains = 0;
  for (const auto& f : report["findings"]) {
    EXPECT_EQ(f["location"]["type"], "event");
    if (f["rule_id"] == "MG-AUD-100") ++chains;
  }
  EXPECT_EQ(chains, 2);
  auto sarif = run("audit-log --format sarif --output " + (dir_ / "out.sarif").string() + " - < " + log.string());
  EXPECT_EQ(sarif.code, 1) << sarif.err;
  const auto doc = json::parse(mg::testing::slurp(dir_ / "out.sarif"));
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_FALSE(doc["runs"][0]["results"].empty());
}

TEST_F(Cli, ControllersFromTheClustersObjects) {
  // A custom operator's account creates a Deployment: a token used from a pod, unless the
  // cluster's own objects show that account running a controller.
  const std::string event =
      R"({"verb":"create","auditID":"1","user":{"username":"system:serviceaccount:ops:deployer"},)"
      R"("objectRef":{"resource":"deployments","namespace":"apps","name":"web"},"responseStatus":{"code":201},)"
      R"("requestObject":{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},)"
      R"("spec":{"template":{"spec":{"containers":[{"name":"c","image":"registry.k8s.io/pause:3.9"}]}}}}})";
  std::ofstream(dir_ / "audit.log") << event << "\n";
  std::ofstream(dir_ / "cluster.yaml") << "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: deployer, namespace: ops}\n"
                                          "spec:\n  template:\n    spec:\n      serviceAccountName: deployer\n"
                                          "      containers: [{name: d, image: registry.k8s.io/pause:3.9}]\n";
  auto without = run("audit-log --format json " + (dir_ / "audit.log").string());
  EXPECT_NE(without.out.find("MG-AUD-004"), std::string::npos) << without.out;
  auto with = run("audit-log --format json --cluster-objects " + (dir_ / "cluster.yaml").string() + " " +
                  (dir_ / "audit.log").string());
  EXPECT_EQ(with.code, 0) << with.err;
  EXPECT_EQ(with.out.find("MG-AUD-004"), std::string::npos) << with.out;
  auto named = run("audit-log --format json --controller 'system:serviceaccount:ops:*' " + (dir_ / "audit.log").string());
  EXPECT_EQ(named.out.find("MG-AUD-004"), std::string::npos);
  auto bad_duration = run("audit-log --window soon " + (dir_ / "audit.log").string());
  EXPECT_EQ(bad_duration.code, 2);
  EXPECT_NE(bad_duration.err.find("\"soon\" is not a duration"), std::string::npos) << bad_duration.err;
}

TEST_F(Cli, FollowRefusesSarif) {
  auto r = run("audit-log --follow --format sarif " + kFalco + "exec_pod.json");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--follow"), std::string::npos);
}

TEST_F(Cli, FollowPrintsFindingsAsTheLogGrowsAndTheChainsWhenInterrupted) {
  // The log holds one event; a second is appended while minerguard follows it. Each step waits
  // for the line it expects (or a generous deadline), so the test does not depend on timing.
  const auto log = dir_ / "audit.log";
  std::filesystem::copy_file(kFalco + "anonymous_creates_namespace_foo.json", log);
  mg::testing::SpawnedProcess follow({MG_BINARY, "audit-log", "--follow", "--format", "json", log.string()},
                                     (dir_ / "stderr").string());
  ASSERT_TRUE(follow.started());
  constexpr auto kDeadline = std::chrono::seconds(30);
  auto rule_of_next_line = [&]() -> std::string {
    auto line = follow.next_line(kDeadline);
    if (!line) return "(no line)";
    return json::parse(*line)["rule_id"];
  };
  // As they happen: MG-AUD-009 and MG-AUD-012 of the first event.
  EXPECT_EQ(rule_of_next_line(), "MG-AUD-009");
  EXPECT_EQ(rule_of_next_line(), "MG-AUD-012");
  {
    std::ofstream append(log, std::ios::app | std::ios::binary);
    append << mg::testing::slurp(kFalco + "exec_pod.json");
  }
  EXPECT_EQ(rule_of_next_line(), "MG-AUD-006");  // pods/exec, read from the grown file
  // Interrupted: the attack chain the first event's findings make, then the end.
  follow.send_signal(SIGINT);
  EXPECT_EQ(rule_of_next_line(), "MG-AUD-100");
  EXPECT_FALSE(follow.next_line(kDeadline).has_value());
  EXPECT_EQ(follow.wait(kDeadline), 1) << mg::testing::slurp(dir_ / "stderr");
}

}  // namespace
