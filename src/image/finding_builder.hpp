#pragma once
// Turns evidence (indicator hits with their weights) into findings: which rule, what severity,
// and the evidence lines a person reads.
#include <optional>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "image/file_evidence.hpp"
#include "indicators/matcher.hpp"
#include "indicators/scoring.hpp"

namespace mg::image {

struct LayerRef {
  std::string image;
  int index = -1;
  std::string digest;
};

// The finding a file's evidence supports, if any (below kSuspiciousScore it supports none).
std::optional<core::Finding> judge_file(const indicators::CompiledCatalog& catalog, const LayerRef& layer,
                                        const FileEvidence& file);

// Evidence lines for the strongest hit of each group, plus the score line.
std::vector<core::Evidence> describe(const indicators::CompiledCatalog& catalog,
                                     const indicators::Assessment& assessment);

core::Finding make_finding(std::string_view rule_id, core::ImageLocation location);

}  // namespace mg::image
