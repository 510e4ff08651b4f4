#pragma once
// The report module's door: renders a core::Report as a table for people, as JSON (the
// minerguard.report/v1 contract in docs/output.md) or as SARIF 2.1.0 for code-scanning tools,
// and decides the exit code of one-shot subcommands.
#include <optional>
#include <string>
#include <string_view>

#include "core/report.hpp"
#include "core/severity.hpp"

namespace mg::report {

enum class Format { table, json, sarif };

// "table", "json" or "sarif" (ASCII case-insensitive); nullopt for anything else.
std::optional<Format> parse_format(std::string_view text);
std::string_view to_string(Format format);

struct RenderOptions {
  bool color = false;    // ANSI colours in the table; ignored by json and sarif
  bool verbose = false;  // table: every evidence line, techniques, remediation and stats
};

// Never throws. Text taken from images (paths, evidence) is made safe for a terminal in the
// table; in json and sarif, bytes that are not UTF-8 become U+FFFD.
std::string render(const core::Report& report, Format format, const RenderOptions& options = {});

// One finding on one line, for output while a command runs: json gives the finding object of the
// report's "findings" array (JSON lines); table gives "severity rule title — place". sarif has no
// line form: callers refuse it first.
std::string render_line(const core::Finding& finding, Format format);

// 0: no finding at or above fail_on; 1: at least one. (2, bad input, is decided by the caller.)
int exit_code(const core::Report& report, core::Severity fail_on);

}  // namespace mg::report
