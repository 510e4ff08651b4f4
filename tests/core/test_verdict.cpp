#include <gtest/gtest.h>

#include "core/report.hpp"

namespace mg::core {
namespace {

Finding finding(Severity severity, Category category) {
  Finding f;
  f.rule_id = "MG-TEST";
  f.severity = severity;
  f.category = category;
  return f;
}

TEST(VerdictOf, NoFindingsIsClean) { EXPECT_EQ(verdict_of(std::vector<Finding>{}), Verdict::clean); }

TEST(VerdictOf, LowAndInfoStayClean) {
  EXPECT_EQ(verdict_of({finding(Severity::info, Category::miner), finding(Severity::low, Category::miner)}),
            Verdict::clean);
}

TEST(VerdictOf, MediumIsSuspicious) {
  EXPECT_EQ(verdict_of({finding(Severity::medium, Category::miner)}), Verdict::suspicious);
  EXPECT_EQ(verdict_of({finding(Severity::low, Category::policy), finding(Severity::medium, Category::exposure)}),
            Verdict::suspicious);
}

TEST(VerdictOf, HighOrCriticalMinerIsMalicious) {
  EXPECT_EQ(verdict_of({finding(Severity::high, Category::miner)}), Verdict::malicious);
  EXPECT_EQ(verdict_of({finding(Severity::medium, Category::policy), finding(Severity::critical, Category::miner)}),
            Verdict::malicious);
}

TEST(VerdictOf, SevereButNotAMinerIsOnlySuspicious) {
  EXPECT_EQ(verdict_of({finding(Severity::critical, Category::privilege)}), Verdict::suspicious);
  EXPECT_EQ(verdict_of({finding(Severity::high, Category::dropper)}), Verdict::suspicious);
}

TEST(VerdictOf, OneFindingAlone) {
  EXPECT_EQ(verdict_of(finding(Severity::critical, Category::miner)), Verdict::malicious);
  EXPECT_EQ(verdict_of(finding(Severity::medium, Category::miner)), Verdict::suspicious);
  EXPECT_EQ(verdict_of(finding(Severity::critical, Category::exposure)), Verdict::suspicious);
  EXPECT_EQ(verdict_of(finding(Severity::low, Category::miner)), Verdict::clean);
}

TEST(MaxSeverity, WorstOrInfo) {
  EXPECT_EQ(max_severity({}), Severity::info);
  EXPECT_EQ(max_severity({finding(Severity::low, Category::policy), finding(Severity::high, Category::policy),
                          finding(Severity::medium, Category::policy)}),
            Severity::high);
}

TEST(Report, VerdictIsTheWorstTarget) {
  Report report;
  EXPECT_EQ(report.verdict(), Verdict::clean);
  report.targets.push_back({"a", "oci", "", Verdict::suspicious, {}});
  report.targets.push_back({"b", "oci", "", Verdict::clean, {}});
  EXPECT_EQ(report.verdict(), Verdict::suspicious);
  report.targets.push_back({"c", "oci", "", Verdict::malicious, {}});
  EXPECT_EQ(report.verdict(), Verdict::malicious);
}

TEST(Report, TargetLabel) {
  Report report;
  EXPECT_EQ(report.target_label(), "0 targets");
  report.targets.push_back({"img.tar", "docker-archive", "", Verdict::clean, {}});
  EXPECT_EQ(report.target_label(), "img.tar");
  report.targets.push_back({"other.tar", "docker-archive", "", Verdict::clean, {}});
  EXPECT_EQ(report.target_label(), "2 targets");
}

Location in_image(std::string image) {
  ImageLocation at;
  at.image = std::move(image);
  return at;
}

Location in_manifest(std::string file) {
  ObjectLocation at;
  at.kind = "Service";
  at.file = std::move(file);
  return at;
}

Location in_log(std::string file) {
  EventLocation at;
  at.file = std::move(file);
  return at;
}

TEST(Report, TargetOfEachKindOfLocation) {
  EXPECT_EQ(target_of(in_image("img.tar")), "img.tar");
  EXPECT_EQ(target_of(in_manifest("install.yaml")), "install.yaml");
  EXPECT_EQ(target_of(in_log("audit.log")), "audit.log");
}

TEST(Report, RaiseTargetVerdictsFromTheFindingsLocatedInEach) {
  Report report;
  report.targets.push_back({"a.log", "audit-log", "", Verdict::clean, {}});
  report.targets.push_back({"b.log", "audit-log", "", Verdict::suspicious, {}});
  report.targets.push_back({"c.yaml", "manifest", "", Verdict::clean, {}});
  Finding miner = finding(Severity::critical, Category::miner);
  miner.location = in_log("a.log");
  Finding low = finding(Severity::low, Category::exposure);
  low.location = in_log("b.log");  // never lowers what a target already has
  Finding medium = finding(Severity::medium, Category::exposure);
  medium.location = in_manifest("c.yaml");
  Finding elsewhere = finding(Severity::critical, Category::miner);
  elsewhere.location = in_log("not-a-target.log");
  report.findings = {miner, low, medium, elsewhere};
  report.raise_target_verdicts();
  EXPECT_EQ(report.targets[0].verdict, Verdict::malicious);
  EXPECT_EQ(report.targets[1].verdict, Verdict::suspicious);
  EXPECT_EQ(report.targets[2].verdict, Verdict::suspicious);
}

}  // namespace
}  // namespace mg::core
