#pragma once
// Stable identity of a finding across runs, for SARIF partialFingerprints: code-scanning tools
// use it to recognise the same alert in the next scan.
#include <string>

#include "core/finding.hpp"
#include "report/location_view.hpp"

namespace mg::report::detail {

// Lower-case hex SHA-256 of the rule id and the location's identity.
std::string fingerprint(const core::Finding& finding, const LocationView& view);

}  // namespace mg::report::detail
