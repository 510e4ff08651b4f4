#include "report/finding_order.hpp"

#include <algorithm>
#include <tuple>

namespace mg::report::detail {

std::vector<OrderedFinding> ordered_findings(const core::Report& report) {
  std::vector<OrderedFinding> ordered;
  ordered.reserve(report.findings.size());
  for (const auto& finding : report.findings) {
    OrderedFinding entry{&finding, view_of(finding.location), report.targets.size()};
    for (std::size_t i = 0; i < report.targets.size(); ++i) {
      if (report.targets[i].target == entry.view.target) {
        entry.target_index = i;
        break;
      }
    }
    ordered.push_back(std::move(entry));
  }
  std::stable_sort(ordered.begin(), ordered.end(), [](const OrderedFinding& a, const OrderedFinding& b) {
    // Severity descending: compare b's before a's.
    return std::tie(a.target_index, b.finding->severity, a.view.rank, a.view.sort_path, a.finding->rule_id) <
           std::tie(b.target_index, a.finding->severity, b.view.rank, b.view.sort_path, b.finding->rule_id);
  });
  return ordered;
}

}  // namespace mg::report::detail
