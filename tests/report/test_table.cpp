#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "report/report.hpp"
#include "sample_report.hpp"

namespace mg::report {
namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::size_t line_with(const std::vector<std::string>& lines, std::string_view needle) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find(needle) != std::string::npos) return i;
  }
  return lines.size();
}

TEST(Table, TargetHeadersInOrderWithVerdictAndErrors) {
  const auto lines = lines_of(render(testing::sample_report(), Format::table));
  const auto bad = line_with(lines, "ddsfdfsaadfs-dfsdf-99.tar  docker-archive  MALICIOUS  7 findings");
  const auto clean = line_with(lines, "images/clean.tar  oci-archive  CLEAN  0 findings");
  const auto broken = line_with(lines, "images/broken.tar  docker-archive  ERROR");
  ASSERT_LT(bad, lines.size());
  ASSERT_LT(clean, lines.size());
  ASSERT_LT(broken, lines.size());
  EXPECT_LT(bad, clean);
  EXPECT_LT(clean, broken);
  EXPECT_NE(lines[clean + 1].find("no findings"), std::string::npos);
  EXPECT_EQ(lines[broken + 1], "  error: layer 2 (sha256:ab..): truncated gzip stream");
}

TEST(Table, FindingsSortedBySeverityThenLayerThenPath) {
  const auto lines = lines_of(render(testing::sample_report(), Format::table));
  const auto critical_deleted = line_with(lines, "/tmp/.x/kworker");
  const auto critical = line_with(lines, "/usr/bin/xmrig");
  const auto high_config = line_with(lines, "config.Entrypoint");
  const auto high_nested = line_with(lines, "/opt/bundle.tar.gz!/bin/config.json");
  const auto medium = line_with(lines, "/usr/lib/libhelper.so");
  const auto low = line_with(lines, "/opt/tools.tar.gz");
  const auto info = line_with(lines, "/etc/motd");
  const std::vector<std::size_t> order{critical_deleted, critical, high_config, high_nested, medium, low, info};
  for (std::size_t i = 0; i < order.size(); ++i) ASSERT_LT(order[i], lines.size()) << i;
  for (std::size_t i = 1; i < order.size(); ++i) EXPECT_LT(order[i - 1], order[i]) << i;
}

TEST(Table, FindingLineLocationAndEvidence) {
  const auto lines = lines_of(render(testing::sample_report(), Format::table));
  const auto at = line_with(lines, "/usr/bin/xmrig");
  ASSERT_LT(at, lines.size());
  ASSERT_GE(at, 1u);
  EXPECT_EQ(lines[at - 1], "  CRITICAL  MG-IMG-001  Title of MG-IMG-001");
  EXPECT_EQ(lines[at], "            layer 3 sha256:333333333333… /usr/bin/xmrig");
  EXPECT_EQ(lines[at + 1], "              xmrig.agent (program, weight 40): XMRig/6.21.0 @0x1f40");
  EXPECT_EQ(lines[at + 3], "              pool.url (pool, weight 30): stratum+tcp://pool.minexmr.com:4444 @0x3000");
  // Four evidence lines: three shown, the rest announced.
  EXPECT_NE(lines[at + 4].find("1 more"), std::string::npos);
  EXPECT_NE(line_with(lines, "/tmp/.x/kworker (deleted)"), lines.size());
  EXPECT_NE(line_with(lines, "config sha256:cccccccccccc… config.Entrypoint"), lines.size());
  EXPECT_NE(line_with(lines, "  INFO      MG-IMG-009  Title of MG-IMG-009"), lines.size());
}

TEST(Table, VerboseShowsEverything) {
  const auto text = render(testing::sample_report(), Format::table, {.color = false, .verbose = true});
  EXPECT_NE(text.find("score: 100 from 3 evidence groups"), std::string::npos);
  EXPECT_EQ(text.find("more (--verbose"), std::string::npos);
  EXPECT_NE(text.find("techniques: T1496"), std::string::npos);
  EXPECT_NE(text.find("remediation: Remove the image."), std::string::npos);
  EXPECT_NE(text.find("stats: files=120 layers=4"), std::string::npos);
}

TEST(Table, SummaryCountsEverySeverity) {
  const auto lines = lines_of(render(testing::sample_report(), Format::table));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(),
            "Summary: 7 findings (2 critical, 2 high, 1 medium, 1 low, 1 info) in 3 targets, 1 failed; "
            "verdict: MALICIOUS");
}

TEST(Table, EmptyReport) {
  const auto text = render(testing::empty_report(), Format::table);
  EXPECT_NE(text.find("images/clean.tar  oci  CLEAN  0 findings\n  no findings\n"), std::string::npos);
  EXPECT_NE(text.find("Summary: 0 findings (0 critical, 0 high, 0 medium, 0 low, 0 info) in 1 target; verdict: CLEAN"),
            std::string::npos);

  const auto nothing = render(core::Report{}, Format::table);
  EXPECT_NE(nothing.find("no targets"), std::string::npos);
  EXPECT_NE(nothing.find("in 0 targets"), std::string::npos);
}

TEST(Table, NoEscapeSequencesWithoutColour) {
  EXPECT_EQ(render(testing::sample_report(), Format::table).find('\033'), std::string::npos);
}

TEST(Table, ColourWhenAsked) {
  const auto text = render(testing::sample_report(), Format::table, {.color = true, .verbose = false});
  EXPECT_NE(text.find("\033[1;31mMALICIOUS\033[0m"), std::string::npos);
  EXPECT_NE(text.find("\033[1;31mCRITICAL\033[0m"), std::string::npos);
  EXPECT_NE(text.find("\033[33mMEDIUM  \033[0m"), std::string::npos);
  EXPECT_NE(text.find("\033[1;32mCLEAN\033[0m"), std::string::npos);
}

TEST(Table, HostileBytesFromTheImageNeverReachTheTerminalRaw) {
  auto report = testing::empty_report();
  auto finding = testing::image_finding("MG-IMG-001", core::Severity::critical, 1, "usr/bin/\x1b[2Jevil\n",
                                        testing::kCleanImage);
  finding.evidence.push_back({"binary", std::string("\x00\xff\xfe\x1b]0;pwned\x07\xc2\x9b", 15), 7});
  report.findings.push_back(finding);
  report.targets[0].error = "bad\rtar";
  const auto text = render(report, Format::table, {.color = false, .verbose = true});
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    EXPECT_TRUE(byte == '\n' || (byte >= 0x20 && byte != 0x7f) || byte >= 0x80) << int(byte);
  }
  EXPECT_NE(text.find("/usr/bin/\\x1b[2Jevil\\x0a"), std::string::npos);
  EXPECT_NE(text.find("binary: \\x00\\xff\\xfe\\x1b]0;pwned\\x07\\xc2\\x9b @0x7"), std::string::npos);
  EXPECT_NE(text.find("error: bad\\x0dtar"), std::string::npos);
}

TEST(Table, FindingsOfNoListedTargetAreStillShown) {
  auto report = testing::empty_report();
  report.findings.push_back(testing::image_finding("MG-IMG-001", core::Severity::high, 0, "x", "elsewhere.tar"));
  const auto text = render(report, Format::table);
  const auto section = text.find("findings not tied to a listed target");
  ASSERT_NE(section, std::string::npos);
  EXPECT_GT(text.find("layer 0 sha256:333333333333… /x"), section);
}

}  // namespace
}  // namespace mg::report
