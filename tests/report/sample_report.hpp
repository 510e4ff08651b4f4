#pragma once
// Reports built in code for the formatter tests: every severity, several targets, a target
// that failed, evidence cut from binaries.
#include <string>

#include "core/report.hpp"

namespace mg::report::testing {

inline constexpr const char* kImage = "images/ddsfdfsaadfs-dfsdf-99.tar";
inline constexpr const char* kCleanImage = "images/clean.tar";
inline constexpr const char* kBrokenImage = "images/broken.tar";
inline constexpr const char* kLayer3 = "sha256:3333333333333333333333333333333333333333333333333333333333333333";
inline constexpr const char* kConfig = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

inline core::Finding image_finding(std::string rule_id, core::Severity severity, int layer, std::string path,
                                   std::string image = kImage) {
  core::Finding finding;
  finding.rule_id = std::move(rule_id);
  finding.title = "Title of " + finding.rule_id;
  finding.severity = severity;
  finding.category = severity >= core::Severity::high ? core::Category::miner : core::Category::policy;
  finding.source = core::Source::image;
  finding.location = core::ImageLocation{std::move(image), layer, layer < 0 ? kConfig : kLayer3, std::move(path), "",
                                         false};
  finding.techniques = {"T1496"};
  finding.remediation = "Remove the image.";
  return finding;
}

inline core::RuleInfo rule(std::string id, std::string name, core::Severity severity, core::Category category) {
  core::RuleInfo info;
  info.id = std::move(id);
  info.name = std::move(name);
  info.title = "Title of " + info.id;
  info.description = "Description of " + info.id + ".";
  info.severity = severity;
  info.category = category;
  info.techniques = {"T1496", "MS-TA9028"};
  info.remediation = "Remove the image.";
  return info;
}

// Three targets (malicious, clean, failed) and one finding of each severity in the first.
inline core::Report sample_report() {
  core::Report report;
  report.tool_version = "0.1.0";
  report.command = "scan";
  report.rules = {
      rule("MG-IMG-001", "MinerProgramInImage", core::Severity::critical, core::Category::miner),
      rule("MG-IMG-004", "ImageConfigStartsMiner", core::Severity::high, core::Category::miner),
      rule("MG-IMG-005", "MiningIndicatorsInImage", core::Severity::medium, core::Category::miner),
      rule("MG-IMG-007", "NestedArchiveNotInspected", core::Severity::low, core::Category::evasion),
  };

  core::TargetResult bad{kImage, "docker-archive", "", core::Verdict::malicious, {{"layers", 4}, {"files", 120}}};
  core::TargetResult clean{kCleanImage, "oci-archive", "", core::Verdict::clean, {{"layers", 2}, {"files", 10}}};
  core::TargetResult broken{kBrokenImage, "docker-archive", "layer 2 (sha256:ab..): truncated gzip stream",
                            core::Verdict::clean, {}};
  report.targets = {bad, clean, broken};

  // Deliberately out of order: the formatters sort.
  auto info = image_finding("MG-IMG-009", core::Severity::info, 1, "etc/motd");  // no RuleInfo for it
  auto low = image_finding("MG-IMG-007", core::Severity::low, 2, "opt/tools.tar.gz");
  low.evidence.push_back({"nested archive", "corrupt at entry 3", std::nullopt});
  auto medium = image_finding("MG-IMG-005", core::Severity::medium, 3, "usr/lib/libhelper.so");
  medium.evidence.push_back({"pool.hostname", "pool.supportxmr.com", 4096});
  auto high = image_finding("MG-IMG-004", core::Severity::high, -1, "config.Entrypoint");
  high.evidence.push_back({"entrypoint", "/usr/bin/xmrig --donate-level 1", std::nullopt});
  auto critical = image_finding("MG-IMG-001", core::Severity::critical, 3, "usr/bin/xmrig");
  critical.evidence = {
      {"xmrig.agent (program, weight 40)", "XMRig/6.21.0", 0x1f40},
      {"randomx.constant (algorithm, weight 30)", "RandomX\\x00\\x01", 0x2000},
      {"pool.url (pool, weight 30)", "stratum+tcp://pool.minexmr.com:4444", 0x3000},
      {"score", "100 from 3 evidence groups", std::nullopt},
  };
  auto deleted = image_finding("MG-IMG-001", core::Severity::critical, 1, "tmp/.x/kworker");
  std::get<core::ImageLocation>(deleted.location).deleted = true;
  deleted.evidence.push_back({"xmrig.agent (program, weight 40)", "XMRig/6.21.0", 64});
  auto nested = image_finding("MG-IMG-002", core::Severity::high, 2, "opt/bundle.tar.gz");
  std::get<core::ImageLocation>(nested.location).inner_path = "bin/config.json";
  nested.evidence.push_back({"wallet (Monero, checksum valid)", "4AdUndXHHZ6cfufTMvppY6JwXNouMBzSkbLYfpAV5Usx…", 12});

  report.findings = {info, low, medium, high, critical, deleted, nested};
  for (const auto& target : report.targets) {
    for (const auto& [key, value] : target.stats) report.stats[key] += value;
  }
  report.stats["elapsed_ms"] = 42;
  return report;
}

// A report of one target with nothing found.
inline core::Report empty_report() {
  core::Report report;
  report.tool_version = "0.1.0";
  report.command = "scan";
  report.targets = {{kCleanImage, "oci", "", core::Verdict::clean, {{"layers", 1}}}};
  return report;
}

}  // namespace mg::report::testing
