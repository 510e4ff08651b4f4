// Weighted evidence: per group only the strongest hit counts, and port hits never count.
#include "indicators/scoring.hpp"

#include <algorithm>
#include <map>

namespace mg::indicators {

Assessment assess(const CompiledCatalog& catalog, std::span<const Hit> hits) {
  const auto indicators = catalog.indicators();
  std::map<std::string_view, const Hit*> strongest;  // group -> its strongest hit (first on ties)
  for (const Hit& hit : hits) {
    if (hit.indicator >= indicators.size()) continue;
    const Indicator& indicator = indicators[hit.indicator];
    if (indicator.kind == Kind::port || indicator.weight <= 0) continue;
    auto [it, inserted] = strongest.try_emplace(indicator.group, &hit);
    if (!inserted && indicator.weight > indicators[it->second->indicator].weight) it->second = &hit;
  }
  Assessment out;
  for (const auto& [group, hit] : strongest) {
    out.score += indicators[hit->indicator].weight;
    out.strongest.push_back(*hit);
  }
  out.groups = static_cast<int>(strongest.size());
  std::stable_sort(out.strongest.begin(), out.strongest.end(), [&](const Hit& a, const Hit& b) {
    return indicators[a.indicator].weight > indicators[b.indicator].weight;
  });
  return out;
}

}  // namespace mg::indicators
