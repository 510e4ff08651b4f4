#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <nlohmann/json.hpp>

#include "report/report.hpp"
#include "sample_report.hpp"

namespace mg::report {
namespace {

using nlohmann::json;

json parse(const core::Report& report) { return json::parse(render(report, Format::sarif)); }

const json& rule_of(const json& run, const json& result) {
  return run["tool"]["driver"]["rules"][result["ruleIndex"].get<std::size_t>()];
}

TEST(Sarif, LogAndDriver) {
  const auto doc = parse(testing::sample_report());
  EXPECT_EQ(doc["version"], "2.1.0");
  EXPECT_NE(doc["$schema"].get<std::string>().find("sarif-schema-2.1.0.json"), std::string::npos);
  ASSERT_EQ(doc["runs"].size(), 1u);
  const auto& driver = doc["runs"][0]["tool"]["driver"];
  EXPECT_EQ(driver["name"], "minerguard");
  EXPECT_EQ(driver["version"], "0.1.0");
  EXPECT_EQ(driver["semanticVersion"], "0.1.0");
}

TEST(Sarif, RulesCarryGithubMetadata) {
  const auto doc = parse(testing::sample_report());
  const auto& rules = doc["runs"][0]["tool"]["driver"]["rules"];
  // The four of Report::rules in their order, then the two findings' rules it lacked.
  ASSERT_EQ(rules.size(), 6u);
  const auto& r = rules[0];
  EXPECT_EQ(r["id"], "MG-IMG-001");
  EXPECT_EQ(r["name"], "MinerProgramInImage");
  EXPECT_EQ(r["shortDescription"]["text"], "Title of MG-IMG-001");
  EXPECT_EQ(r["fullDescription"]["text"], "Description of MG-IMG-001.");
  EXPECT_NE(r["help"]["text"].get<std::string>().find("Remediation: Remove the image."), std::string::npos);
  EXPECT_EQ(r["defaultConfiguration"]["level"], "error");
  EXPECT_EQ(r["properties"]["tags"], (json{"security", "miner", "T1496", "MS-TA9028"}));
  EXPECT_EQ(r["properties"]["security-severity"], "9.5");
  EXPECT_EQ(r["properties"]["precision"], "very-high");

  std::map<std::string, std::pair<std::string, std::string>> by_id;
  for (const auto& rule : rules) {
    by_id[rule["id"]] = {rule["defaultConfiguration"]["level"], rule["properties"]["security-severity"]};
  }
  EXPECT_EQ(by_id["MG-IMG-004"], (std::pair<std::string, std::string>{"error", "8.0"}));
  EXPECT_EQ(by_id["MG-IMG-005"], (std::pair<std::string, std::string>{"warning", "5.5"}));
  EXPECT_EQ(by_id["MG-IMG-007"], (std::pair<std::string, std::string>{"note", "3.0"}));
  EXPECT_EQ(by_id["MG-IMG-009"], (std::pair<std::string, std::string>{"note", "0.0"}));  // synthesised
  EXPECT_EQ(by_id["MG-IMG-002"], (std::pair<std::string, std::string>{"error", "8.0"}));  // synthesised
}

TEST(Sarif, ResultsPointAtTheirRules) {
  const auto doc = parse(testing::sample_report());
  const auto& run = doc["runs"][0];
  ASSERT_EQ(run["results"].size(), 7u);
  for (const auto& result : run["results"]) EXPECT_EQ(rule_of(run, result)["id"], result["ruleId"]);
  std::vector<std::string> levels;
  for (const auto& result : run["results"]) levels.push_back(result["level"]);
  EXPECT_EQ(levels, (std::vector<std::string>{"error", "error", "error", "error", "warning", "note", "note"}));
}

TEST(Sarif, ResultLocationMessageAndProperties) {
  const auto doc = parse(testing::sample_report());
  const auto& result = doc["runs"][0]["results"][1];
  EXPECT_EQ(result["ruleId"], "MG-IMG-001");
  EXPECT_EQ(result["message"]["text"],
            "Title of MG-IMG-001 at layer 3 sha256:333333333333… /usr/bin/xmrig. "
            "xmrig.agent (program, weight 40): XMRig/6.21.0");
  const auto& location = result["locations"][0];
  EXPECT_EQ(location["physicalLocation"]["artifactLocation"]["uri"], "ddsfdfsaadfs-dfsdf-99.tar/layer-3/usr/bin/xmrig");
  EXPECT_EQ(location["logicalLocations"][0]["name"], testing::kLayer3);
  EXPECT_EQ(location["logicalLocations"][0]["fullyQualifiedName"], "ddsfdfsaadfs-dfsdf-99.tar/layer-3");
  EXPECT_EQ(result["properties"]["severity"], "critical");
  EXPECT_EQ(result["properties"]["category"], "miner");
  EXPECT_EQ(result["properties"]["location"]["deleted"], false);
  EXPECT_EQ(result["properties"]["evidence"].size(), 4u);
  EXPECT_EQ(result["properties"]["evidence"][0]["offset"], 8000);

  const auto& deleted = doc["runs"][0]["results"][0];
  EXPECT_EQ(deleted["properties"]["location"]["deleted"], true);
  EXPECT_NE(deleted["message"]["text"].get<std::string>().find("(deleted)"), std::string::npos);
}

TEST(Sarif, FingerprintsAreStableAndDistinct) {
  const auto a = parse(testing::sample_report());
  const auto b = parse(testing::sample_report());
  std::set<std::string> seen;
  for (std::size_t i = 0; i < a["runs"][0]["results"].size(); ++i) {
    const auto fp = a["runs"][0]["results"][i]["partialFingerprints"]["minerguardFingerprint/v1"].get<std::string>();
    EXPECT_EQ(fp.size(), 64u);
    EXPECT_EQ(fp, b["runs"][0]["results"][i]["partialFingerprints"]["minerguardFingerprint/v1"]);
    seen.insert(fp);
  }
  EXPECT_EQ(seen.size(), a["runs"][0]["results"].size());

  // Scanning the same image from another directory keeps the fingerprint.
  auto moved = testing::sample_report();
  for (auto& target : moved.targets) target.target = "/elsewhere/" + target.target;
  for (auto& finding : moved.findings) {
    auto& at = std::get<core::ImageLocation>(finding.location);
    at.image = "/elsewhere/" + at.image;
  }
  EXPECT_EQ(parse(moved)["runs"][0]["results"][0]["partialFingerprints"],
            a["runs"][0]["results"][0]["partialFingerprints"]);
}

TEST(Sarif, TargetErrorsBecomeNotifications) {
  const auto doc = parse(testing::sample_report());
  const auto& invocation = doc["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  ASSERT_EQ(invocation["toolExecutionNotifications"].size(), 1u);
  EXPECT_EQ(invocation["toolExecutionNotifications"][0]["level"], "error");
  EXPECT_EQ(invocation["toolExecutionNotifications"][0]["message"]["text"],
            "images/broken.tar: layer 2 (sha256:ab..): truncated gzip stream");
  EXPECT_EQ(doc["runs"][0]["properties"]["verdict"], "malicious");
}

TEST(Sarif, EmptyReport) {
  const auto doc = parse(testing::empty_report());
  const auto& run = doc["runs"][0];
  EXPECT_EQ(run["results"], json::array());
  EXPECT_EQ(run["tool"]["driver"]["rules"], json::array());
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], true);
  EXPECT_FALSE(run["invocations"][0].contains("toolExecutionNotifications"));
}

// --- validation against the OASIS schema (.tools/sarif, from scripts/setup) --------------------------

class SchemaValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mg-report-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& text) {
    const auto path = dir_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }

  // Exit status of validate_sarif.py: 0 valid, 1 invalid, 2 could not run.
  int validate(const std::string& path) {
    const std::string command = std::string("'") + MG_PYTHON + "' '" + MG_VALIDATE_SARIF + "' '" + MG_SARIF_SCHEMA +
                                "' '" + path + "'";
    const int status = std::system(command.c_str());
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  std::filesystem::path dir_;
};

TEST_F(SchemaValidation, AuditEventFindingsAreValid) {
  core::Report report;
  report.tool_version = "0.1.0";
  report.command = "audit-log";
  report.targets.push_back({"kube-audit.log", "audit-log", "", core::Verdict::malicious, {{"events", 3}}});
  core::RuleInfo rule;
  rule.id = "MG-AUD-005";
  rule.name = "WorkloadCreatedByNotebookOrPipelineAccount";
  rule.title = "Workload created with a notebook's token";
  rule.severity = core::Severity::critical;
  report.rules = {rule};
  core::Finding finding;
  finding.rule_id = rule.id;
  finding.title = rule.title;
  finding.severity = core::Severity::critical;
  finding.source = core::Source::audit;
  core::EventLocation at;
  at.file = "kube-audit.log";
  at.line = 3;
  at.audit_id = "abc";
  at.user = "system:serviceaccount:team:default-editor";
  at.verb = "create";
  at.resource = "deployments";
  at.namespace_ = "team";
  at.name = "x";
  finding.location = at;
  finding.evidence = {{"user.username", "system:serviceaccount:team:default-editor", std::nullopt}};
  report.findings.push_back(finding);
  at.file = "-";   // stdin: no artifact file, a pseudo-path
  finding.location = at;
  report.findings.push_back(finding);
  EXPECT_EQ(validate(write("audit.sarif", render(report, Format::sarif))), 0);
}

TEST_F(SchemaValidation, SampleReportIsValid) {
  EXPECT_EQ(validate(write("sample.sarif", render(testing::sample_report(), Format::sarif))), 0);
}

TEST_F(SchemaValidation, EmptyReportsAreValid) {
  EXPECT_EQ(validate(write("empty.sarif", render(testing::empty_report(), Format::sarif))), 0);
  EXPECT_EQ(validate(write("nothing.sarif", render(core::Report{}, Format::sarif))), 0);
}

TEST_F(SchemaValidation, BinaryEvidenceIsValid) {
  auto report = testing::empty_report();
  report.tool_version.clear();
  auto finding = testing::image_finding("MG-X", core::Severity::low, 0, "a b/\xff?#", testing::kCleanImage);
  finding.title.clear();
  finding.evidence.push_back({"bytes", std::string("\x00\x1b\xc3(\xff", 5), 1});
  report.findings.push_back(finding);
  report.targets[0].error = "oops \xff";
  EXPECT_EQ(validate(write("binary.sarif", render(report, Format::sarif))), 0);
}

TEST_F(SchemaValidation, ObjectFindingsWithALineAreValid) {
  auto report = testing::empty_report();
  auto finding = testing::image_finding("MG-KUBE-001", core::Severity::critical, 0, "x", testing::kCleanImage);
  finding.location = core::ObjectLocation{"Service", "v1", "istio-system", "istio-ingressgateway", "spec.type",
                                          "manifests/install.yaml", 42};
  report.findings.push_back(finding);
  auto named = finding;
  named.location = core::ObjectLocation{"ServiceAccount", "v1", "ns", "default-editor", "", "", 0};
  report.findings.push_back(named);
  const auto text = render(report, Format::sarif);
  const auto doc = json::parse(text);
  std::map<std::string, json> by_uri;
  for (const auto& result : doc["runs"][0]["results"]) {
    const auto& physical = result["locations"][0]["physicalLocation"];
    by_uri[physical["artifactLocation"]["uri"].get<std::string>()] = physical;
  }
  ASSERT_EQ(by_uri.size(), 2u);
  EXPECT_EQ(by_uri["manifests/install.yaml"]["region"]["startLine"], 42);
  EXPECT_FALSE(by_uri["kubernetes/ServiceAccount/ns/default-editor"].contains("region"));
  EXPECT_EQ(validate(write("objects.sarif", text)), 0);
}

TEST_F(SchemaValidation, TheValidatorRejectsInvalidSarif) {
  // Proves the check above can fail: a wrong level, and a result without its rule.
  auto doc = parse(testing::sample_report());
  doc["runs"][0]["results"][0]["level"] = "fatal";
  EXPECT_EQ(validate(write("bad-level.sarif", doc.dump())), 1);
  auto orphan = parse(testing::sample_report());
  orphan["runs"][0]["results"][0]["ruleIndex"] = 99;
  EXPECT_EQ(validate(write("bad-index.sarif", orphan.dump())), 1);
}

}  // namespace
}  // namespace mg::report
