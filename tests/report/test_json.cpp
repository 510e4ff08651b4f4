#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report/report.hpp"
#include "sample_report.hpp"

namespace mg::report {
namespace {

using nlohmann::json;

json parse(const core::Report& report) {
  const auto text = render(report, Format::json);
  EXPECT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  return json::parse(text);  // throws (failing the test) if it is not JSON
}

TEST(Json, TopLevelContract) {
  const auto doc = parse(testing::sample_report());
  EXPECT_EQ(doc["schema"], "minerguard.report/v1");
  EXPECT_EQ(doc["tool"], (json{{"name", "minerguard"}, {"version", "0.1.0"}}));
  EXPECT_EQ(doc["command"], "scan");
  EXPECT_EQ(doc["target"], "3 targets");
  EXPECT_EQ(doc["verdict"], "malicious");
  EXPECT_EQ(doc["stats"]["layers"], 6);
  EXPECT_EQ(doc["stats"]["elapsed_ms"], 42);
  ASSERT_TRUE(doc["findings"].is_array());
  EXPECT_EQ(doc["findings"].size(), 7u);
}

TEST(Json, FieldOrderIsStable) {
  const auto text = render(testing::sample_report(), Format::json);
  const std::vector<std::string> order{"\"schema\"", "\"tool\"",     "\"command\"", "\"target\"",
                                       "\"verdict\"", "\"targets\"", "\"findings\"", "\"stats\""};
  std::size_t at = 0;
  for (const auto& key : order) {
    const auto found = text.find(key, at);
    ASSERT_NE(found, std::string::npos) << key;
    at = found;
  }
}

TEST(Json, Targets) {
  const auto doc = parse(testing::sample_report());
  ASSERT_EQ(doc["targets"].size(), 3u);
  const auto& bad = doc["targets"][0];
  EXPECT_EQ(bad["target"], testing::kImage);
  EXPECT_EQ(bad["kind"], "docker-archive");
  EXPECT_EQ(bad["verdict"], "malicious");
  EXPECT_FALSE(bad.contains("error"));
  EXPECT_EQ(bad["stats"], (json{{"files", 120}, {"layers", 4}}));
  const auto& broken = doc["targets"][2];
  EXPECT_EQ(broken["error"], "layer 2 (sha256:ab..): truncated gzip stream");
  EXPECT_TRUE(broken["stats"].is_object());
}

TEST(Json, FindingFields) {
  const auto doc = parse(testing::sample_report());
  // Most severe first; among equals, by layer then path: layer 1 before layer 3.
  const auto& deleted = doc["findings"][0];
  EXPECT_EQ(deleted["location"]["path"], "tmp/.x/kworker");
  EXPECT_EQ(deleted["location"]["deleted"], true);
  const auto& first = doc["findings"][1];
  EXPECT_EQ(first["rule_id"], "MG-IMG-001");
  EXPECT_EQ(first["title"], "Title of MG-IMG-001");
  EXPECT_EQ(first["severity"], "critical");
  EXPECT_EQ(first["category"], "miner");
  EXPECT_EQ(first["source"], "image");
  EXPECT_EQ(first["location"], (json{{"type", "image"},
                                     {"image", testing::kImage},
                                     {"layer_index", 3},
                                     {"layer_digest", testing::kLayer3},
                                     {"path", "usr/bin/xmrig"},
                                     {"deleted", false}}));
  EXPECT_EQ(first["evidence"][0], (json{{"what", "xmrig.agent (program, weight 40)"}, {"value", "XMRig/6.21.0"}, {"offset", 8000}}));
  EXPECT_FALSE(first["evidence"][3].contains("offset"));
  EXPECT_EQ(first["techniques"], (json{"T1496"}));
  EXPECT_EQ(first["remediation"], "Remove the image.");

  std::vector<std::string> severities;
  for (const auto& f : doc["findings"]) severities.push_back(f["severity"]);
  EXPECT_EQ(severities, (std::vector<std::string>{"critical", "critical", "high", "high", "medium", "low", "info"}));
}

TEST(Json, NestedInnerPathAndConfigLocation) {
  const auto doc = parse(testing::sample_report());
  bool saw_nested = false, saw_config = false;
  for (const auto& f : doc["findings"]) {
    if (f["location"].contains("inner_path")) {
      saw_nested = true;
      EXPECT_EQ(f["location"]["inner_path"], "bin/config.json");
    }
    if (f["location"]["layer_index"] == -1) {
      saw_config = true;
      EXPECT_EQ(f["location"]["path"], "config.Entrypoint");
    }
  }
  EXPECT_TRUE(saw_nested);
  EXPECT_TRUE(saw_config);
}

TEST(Json, EmptyReport) {
  const auto doc = parse(testing::empty_report());
  EXPECT_EQ(doc["target"], "images/clean.tar");
  EXPECT_EQ(doc["verdict"], "clean");
  EXPECT_EQ(doc["findings"], json::array());
  EXPECT_EQ(doc["stats"], json::object());

  const auto none = parse(core::Report{});
  EXPECT_EQ(none["targets"], json::array());
  EXPECT_EQ(none["target"], "0 targets");
}

TEST(Json, BinaryEvidenceIsReplacedNotThrown) {
  auto report = testing::empty_report();
  auto finding = testing::image_finding("MG-IMG-001", core::Severity::high, 0, "bin/\xff\xfeq", testing::kCleanImage);
  finding.evidence.push_back({"bytes", std::string("\x00\x01\xc3(\xff", 5), 0});
  report.findings.push_back(finding);
  const auto doc = parse(report);  // valid UTF-8 JSON despite the bytes
  EXPECT_EQ(doc["findings"][0]["location"]["path"], "bin/\xef\xbf\xbd\xef\xbf\xbdq");
  EXPECT_EQ(doc["findings"][0]["evidence"][0]["value"], std::string("\x00\x01\xef\xbf\xbd(\xef\xbf\xbd", 9));
  EXPECT_EQ(doc["findings"][0]["evidence"][0]["offset"], 0);
}

}  // namespace
}  // namespace mg::report
