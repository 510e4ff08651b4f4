#pragma once
// Internal: the JSON shapes of the minerguard.report/v1 contract (docs/output.md), shared by
// the json formatter and the SARIF property bags.
#include <cstdint>
#include <map>
#include <string>

#include "core/report.hpp"
#include "report/location_view.hpp"

namespace mg::report::detail {

inline constexpr const char* kReportSchema = "minerguard.report/v1";

Json evidence_json(const core::Evidence& evidence);
Json finding_json(const core::Finding& finding, const LocationView& view);
Json target_json(const core::TargetResult& target);
Json stats_json(const std::map<std::string, std::uint64_t>& stats);

// Two-space indent, one trailing newline; bytes that are not UTF-8 become U+FFFD instead of
// throwing (evidence is cut from binaries).
std::string dump(const Json& json);

}  // namespace mg::report::detail
