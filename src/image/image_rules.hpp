#pragma once
// The rules `scan` can emit, kept as one explicit list (no registration by static initialisers).
#include <string_view>
#include <vector>

#include "core/rule_info.hpp"
#include "indicators/scoring.hpp"

namespace mg::image {

inline constexpr std::string_view kRuleMinerProgram = "MG-IMG-001";
inline constexpr std::string_view kRuleMinerConfig = "MG-IMG-002";
inline constexpr std::string_view kRuleMinerLauncher = "MG-IMG-003";
inline constexpr std::string_view kRuleConfigStartsMiner = "MG-IMG-004";
inline constexpr std::string_view kRuleMiningIndicators = "MG-IMG-005";
inline constexpr std::string_view kRuleKnownMinerImage = "MG-IMG-006";
inline constexpr std::string_view kRuleIncompleteInspection = "MG-IMG-007";

const std::vector<core::RuleInfo>& rules();
const core::RuleInfo& rule(std::string_view id);

// Score thresholds of the weighted-evidence model, shared by every engine.
using indicators::kMinerGroups;
using indicators::kMinerScore;
using indicators::kSuspiciousScore;

}  // namespace mg::image
