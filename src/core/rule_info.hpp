#pragma once
// Metadata of a rule, kept beside the code that emits it. Each module exposes an explicit list
// (no registration by static initialisers); the CLI joins them for SARIF and `--list-rules`.
#include <string>
#include <vector>

#include "core/severity.hpp"

namespace mg::core {

struct RuleInfo {
  std::string id;           // MG-IMG-001
  std::string name;         // PascalCase, for SARIF: MinerBinaryInImage
  std::string title;        // one line
  std::string description;  // a paragraph: what it means and why it matters
  Severity severity = Severity::medium;  // the usual severity; a finding may differ
  Category category = Category::policy;
  std::vector<std::string> techniques;
  std::string remediation;
};

}  // namespace mg::core
