#pragma once
// Options every one-shot subcommand shares: output format and file, failure threshold,
// verbosity, extra indicator catalog.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "core/error.hpp"
#include "core/report.hpp"
#include "indicators/matcher.hpp"

namespace mg::cli {

struct CommonOptions {
  std::string format = "table";
  std::string output;          // empty: stdout
  std::string fail_on = "high";
  std::string catalog_dir;     // extra indicator catalog entries
  std::string color = "auto";  // auto|always|never
  bool quiet = false;
  bool verbose = false;
};

void add_common_options(CLI::App& command, CommonOptions& options);

// Applies verbosity; loads and compiles the built-in catalog plus --catalog.
core::Result<std::shared_ptr<const indicators::CompiledCatalog>> prepare(const CommonOptions& options);

// Renders the report, writes it (to --output atomically, or stdout) and returns the exit code:
// 2 if any target failed, else 1 if a finding is at or above --fail-on, else 0.
int finish(const CommonOptions& options, core::Report& report);

}  // namespace mg::cli
