#include <gtest/gtest.h>

#include "report/report.hpp"
#include "sample_report.hpp"

namespace mg::report {
namespace {

TEST(ParseFormat, KnownNames) {
  EXPECT_EQ(parse_format("table"), Format::table);
  EXPECT_EQ(parse_format("json"), Format::json);
  EXPECT_EQ(parse_format("sarif"), Format::sarif);
  EXPECT_EQ(parse_format("SARIF"), Format::sarif);
  for (auto format : {Format::table, Format::json, Format::sarif}) EXPECT_EQ(parse_format(to_string(format)), format);
}

TEST(ParseFormat, UnknownNames) {
  EXPECT_FALSE(parse_format(""));
  EXPECT_FALSE(parse_format("yaml"));
  EXPECT_FALSE(parse_format("json "));
  EXPECT_FALSE(parse_format("sarif2"));
}

core::Report with_severities(std::initializer_list<core::Severity> severities) {
  core::Report report = testing::empty_report();
  for (auto s : severities) report.findings.push_back(testing::image_finding("MG-IMG-001", s, 1, "x"));
  return report;
}

TEST(ExitCode, EmptyReportPassesEveryLevel) {
  const auto report = testing::empty_report();
  for (int s = 0; s <= 4; ++s) EXPECT_EQ(exit_code(report, static_cast<core::Severity>(s)), 0);
}

TEST(ExitCode, EachFailOnLevel) {
  using S = core::Severity;
  // One finding of each severity in turn, against every --fail-on level.
  for (int found = 0; found <= 4; ++found) {
    const auto report = with_severities({static_cast<S>(found)});
    for (int fail_on = 0; fail_on <= 4; ++fail_on) {
      EXPECT_EQ(exit_code(report, static_cast<S>(fail_on)), found >= fail_on ? 1 : 0)
          << "found " << found << " fail_on " << fail_on;
    }
  }
}

TEST(ExitCode, DefaultHighWithMixedFindings) {
  using S = core::Severity;
  EXPECT_EQ(exit_code(with_severities({S::info, S::low, S::medium}), S::high), 0);
  EXPECT_EQ(exit_code(with_severities({S::info, S::low, S::medium, S::high}), S::high), 1);
  EXPECT_EQ(exit_code(testing::sample_report(), S::critical), 1);
}

TEST(ExitCode, TargetErrorsAloneDoNotMakeItOne) {
  // Exit 2 for a failed target is the caller's decision; findings decide 0 or 1.
  auto report = testing::empty_report();
  report.targets[0].error = "cannot open";
  EXPECT_EQ(exit_code(report, core::Severity::info), 0);
}

}  // namespace
}  // namespace mg::report
