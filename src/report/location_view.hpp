#pragma once
// Everything a formatter needs to know about a core::Location, computed in one place.
// core::Location is a std::variant; each alternative has exactly one describe() overload in
// location_view.cpp, and a new alternative without one does not compile.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/finding.hpp"

namespace mg::report::detail {

using Json = nlohmann::ordered_json;

struct LogicalLocation {
  std::string name;
  std::string fully_qualified_name;
  std::string kind;  // SARIF logicalLocation.kind ("module", "object", …)
};

struct LocationView {
  std::string type;        // "image", "object" or "event"; the JSON location's "type"
  std::string target;      // the TargetResult::target this location belongs to (core::target_of)
  std::string text;        // one line for people (raw: the table makes it terminal-safe)
  Json json;               // the JSON contract's location object, "type" first
  std::string artifact_uri;                // SARIF: relative, percent-encoded
  int line = 0;                            // SARIF region.startLine; 0 = no region
  std::vector<LogicalLocation> logical;    // SARIF logicalLocations
  std::string identity;    // stable, machine-independent key of the place (for fingerprints)
  // Order of findings inside one target: by rank, then by sort_path.
  std::int64_t rank = 0;
  std::string sort_path;
};

LocationView view_of(const core::Location& location);

}  // namespace mg::report::detail
