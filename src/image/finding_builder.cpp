#include "image/finding_builder.hpp"

#include "image/image_rules.hpp"

namespace mg::image {

core::Finding make_finding(std::string_view rule_id, core::ImageLocation location) {
  const auto& info = rule(rule_id);
  core::Finding finding;
  finding.rule_id = info.id;
  finding.title = info.title;
  finding.severity = info.severity;
  finding.category = info.category;
  finding.source = core::Source::image;
  finding.location = std::move(location);
  finding.techniques = info.techniques;
  finding.remediation = info.remediation;
  return finding;
}

std::vector<core::Evidence> describe(const indicators::CompiledCatalog& catalog,
                                     const indicators::Assessment& assessment) {
  std::vector<core::Evidence> lines;
  for (const auto& hit : assessment.strongest) {
    const auto& indicator = catalog.at(hit.indicator);
    lines.push_back({indicator.id + " (" + indicator.group + ", weight " + std::to_string(indicator.weight) + ")",
                     core::printable(hit.text), hit.offset});
  }
  lines.push_back({"score", std::to_string(assessment.score) + " from " + std::to_string(assessment.groups) +
                                " evidence groups (miner at " + std::to_string(kMinerScore) + " from " +
                                std::to_string(kMinerGroups) + ", suspicious at " +
                                std::to_string(kSuspiciousScore) + ")",
                   std::nullopt});
  return lines;
}

std::optional<core::Finding> judge_file(const indicators::CompiledCatalog& catalog, const LayerRef& layer,
                                        const FileEvidence& file) {
  core::ImageLocation location{layer.image, layer.index, layer.digest, file.path, file.inner_path, false};
  const auto assessment = indicators::assess(catalog, file.hits);
  const bool miner = assessment.score >= kMinerScore && assessment.groups >= kMinerGroups;

  std::optional<core::Finding> finding;
  if (miner) {
    switch (file.kind) {
      case FileKind::elf: finding = make_finding(kRuleMinerProgram, location); break;
      case FileKind::script: finding = make_finding(kRuleMinerLauncher, location); break;
      case FileKind::config:
      case FileKind::text: finding = make_finding(kRuleMinerConfig, location); break;
      case FileKind::archive:
      case FileKind::other:
        // Not an ELF for this platform (a PE, a Mach-O, a blob) but a miner all the same.
        finding = make_finding(kRuleMinerProgram, location);
        finding->severity = core::Severity::high;
        break;
    }
  } else if (assessment.score >= kSuspiciousScore) {
    finding = make_finding(kRuleMiningIndicators, location);
  }

  if (!file.incomplete.empty()) {
    if (!finding) {
      finding = make_finding(kRuleIncompleteInspection, location);
      if (file.incomplete.find("corrupt") == std::string::npos) finding->severity = core::Severity::medium;
    }
    finding->evidence.push_back({"nested archive", file.incomplete, std::nullopt});
  }
  if (!finding) return std::nullopt;
  if (assessment.score > 0) {
    auto lines = describe(catalog, assessment);
    finding->evidence.insert(finding->evidence.begin(), lines.begin(), lines.end());
  }
  finding->evidence.push_back({"file", std::string(to_string(file.kind)) + ", " + std::to_string(file.size) + " bytes",
                               std::nullopt});
  return finding;
}

}  // namespace mg::image
