#pragma once
// Verdicts from weighted evidence, not from one string: a file's score is the sum over evidence
// groups of the strongest hit's weight in that group, so ten synonyms of one fact count once.
#include <span>
#include <string>
#include <vector>

#include "indicators/matcher.hpp"

namespace mg::indicators {

struct Assessment {
  int score = 0;
  int groups = 0;                    // distinct evidence groups that contributed
  std::vector<Hit> strongest;        // the strongest hit of each group, strongest first
};

Assessment assess(const CompiledCatalog& catalog, std::span<const Hit> hits);

// The thresholds every engine judges an assessment by (docs/indicators.md): a miner needs
// kMinerScore from at least kMinerGroups independent evidence groups; kSuspiciousScore and more
// is worth a person's look; below it, a file or command says nothing.
inline constexpr int kMinerScore = 10;
inline constexpr int kMinerGroups = 2;
inline constexpr int kSuspiciousScore = 5;

}  // namespace mg::indicators
