#pragma once
#include <CLI/CLI.hpp>

namespace mg::cli {

// Registers `minerguard scan` on the app; the callback stores its exit code in `exit_code`.
void add_scan_command(CLI::App& app, int& exit_code);

}  // namespace mg::cli
