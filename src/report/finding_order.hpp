#pragma once
// The one order in which every format lists findings: by target (in the order the targets were
// given), most severe first, then by place (layer, path), then by rule id.
#include <cstddef>
#include <vector>

#include "core/report.hpp"
#include "report/location_view.hpp"

namespace mg::report::detail {

struct OrderedFinding {
  const core::Finding* finding = nullptr;
  LocationView view;
  // Index into Report::targets; targets.size() when the location names no listed target.
  std::size_t target_index = 0;
};

std::vector<OrderedFinding> ordered_findings(const core::Report& report);

}  // namespace mg::report::detail
