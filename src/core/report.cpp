#include "core/report.hpp"

#include <algorithm>
#include <string_view>

namespace mg::core {

Verdict Report::verdict() const {
  Verdict worst = Verdict::clean;
  for (const auto& target : targets) worst = std::max(worst, target.verdict);
  return worst;
}

void Report::raise_target_verdicts() {
  std::map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < targets.size(); ++i) index.emplace(targets[i].target, i);
  for (const auto& finding : findings) {
    auto it = index.find(target_of(finding.location));
    if (it == index.end()) continue;
    Verdict& verdict = targets[it->second].verdict;
    verdict = std::max(verdict, verdict_of(finding));
  }
}

std::string Report::target_label() const {
  if (targets.size() == 1) return targets.front().target;
  return std::to_string(targets.size()) + " targets";
}

Verdict verdict_of(const Finding& finding) {
  if (finding.category == Category::miner && finding.severity >= Severity::high) return Verdict::malicious;
  return finding.severity >= Severity::medium ? Verdict::suspicious : Verdict::clean;
}

Verdict verdict_of(const std::vector<Finding>& findings) {
  Verdict verdict = Verdict::clean;
  for (const auto& finding : findings) verdict = std::max(verdict, verdict_of(finding));
  return verdict;
}

Severity max_severity(const std::vector<Finding>& findings) {
  Severity worst = Severity::info;
  for (const auto& finding : findings) worst = std::max(worst, finding.severity);
  return worst;
}

}  // namespace mg::core
