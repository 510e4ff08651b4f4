#pragma once
// Diagnostics on stderr. Never writes to stdout: stdout belongs to the report.
#include <string_view>

namespace mg::core {

enum class Verbosity { quiet = 0, normal = 1, verbose = 2 };

void set_verbosity(Verbosity verbosity);
Verbosity verbosity();

void log_warning(std::string_view message);  // shown unless quiet
void log_info(std::string_view message);     // shown when verbose

// True when stderr is a terminal a person watches: not piped, not CI, not quiet.
bool progress_enabled();

// Rewrites the progress line on stderr in place (\r); clear_progress() erases it.
void show_progress(std::string_view line);
void clear_progress();

}  // namespace mg::core
