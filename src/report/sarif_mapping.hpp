#pragma once
// How minerguard severities map onto SARIF and GitHub code scanning (docs/output.md).
#include <string_view>

#include "core/severity.hpp"

namespace mg::report::detail {

// result.level / defaultConfiguration.level: critical, high → error; medium → warning;
// low, info → note.
std::string_view sarif_level(core::Severity severity);

// GitHub's "security-severity" (0.0–10.0, as a string): critical 9.5, high 8.0, medium 5.5,
// low 3.0, info 0.0 — each inside GitHub's band of the same name.
std::string_view security_severity(core::Severity severity);

// GitHub's "precision": rules carry no precision yet, so it follows severity (a rule we rate
// critical fires only on strong, corroborated evidence).
std::string_view precision(core::Severity severity);

}  // namespace mg::report::detail
