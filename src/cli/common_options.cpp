#include "cli/common_options.hpp"

#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "cli/app.hpp"
#include "core/log.hpp"
#include "indicators/catalog.hpp"
#include "report/report.hpp"

namespace mg::cli {

void add_common_options(CLI::App& command, CommonOptions& options) {
  command.add_option("-f,--format", options.format, "Output format")
      ->check(CLI::IsMember({"table", "json", "sarif"}))
      ->capture_default_str();
  command.add_option("-o,--output", options.output, "Write the report to FILE instead of stdout");
  command.add_option("--fail-on", options.fail_on, "Exit 1 when a finding is at or above this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}))
      ->capture_default_str();
  command.add_option("--catalog", options.catalog_dir, "Add the indicator catalog entries in DIR/*.yaml")
      ->check(CLI::ExistingDirectory);
  command.add_option("--color", options.color, "Colour the table")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  command.add_flag("-q,--quiet", options.quiet, "No progress, no warnings");
  command.add_flag("-v,--verbose", options.verbose, "Say what is being read and decided");
}

core::Result<std::shared_ptr<const indicators::CompiledCatalog>> prepare(const CommonOptions& options) {
  core::set_verbosity(options.quiet     ? core::Verbosity::quiet
                      : options.verbose ? core::Verbosity::verbose
                                        : core::Verbosity::normal);
  if (options.catalog_dir.empty()) return indicators::compiled_builtin_catalog();
  // The user's entries join the built-in ones; the union is compiled here (a few seconds).
  auto entries = indicators::builtin_catalog();
  if (!entries) return std::unexpected(entries.error());
  auto extra = indicators::load_catalog_dir(options.catalog_dir);
  if (!extra) return std::unexpected(extra.error());
  entries->insert(entries->end(), extra->begin(), extra->end());
  core::log_info("indicator catalog: " + std::to_string(entries->size()) + " entries");
  return indicators::compile(std::move(*entries));
}

namespace {

// Writes next to the destination and renames, so a failed run never leaves half a report
// where a previous good one was.
core::Result<void> write_atomically(const std::string& path, const std::string& text) {
  // A device or pipe (/dev/null, /dev/stdout, a FIFO) is written in place: renaming a file over it
  // would replace the device itself, and there is no earlier report in it to protect.
  std::error_code status_error;
  const auto status = std::filesystem::status(path, status_error);
  if (!status_error && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)) {
    if (std::filesystem::is_directory(status)) {
      return core::fail(core::ErrorCode::io, "--output " + path + ": is a directory");
    }
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.flush();
    if (!out) return core::fail(core::ErrorCode::io, "--output " + path + ": write failed");
    return {};
  }
  const std::string temp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return core::fail(core::ErrorCode::io, "--output " + path + ": cannot write " + temp);
    out << text;
    out.flush();
    if (!out) {
      std::filesystem::remove(temp);
      return core::fail(core::ErrorCode::io, "--output " + path + ": write failed");
    }
  }
  std::error_code ec;
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    std::filesystem::remove(temp);
    return core::fail(core::ErrorCode::io, "--output " + path + ": " + ec.message());
  }
  return {};
}

}  // namespace

int finish(const CommonOptions& options, core::Report& report) {
  core::clear_progress();
  const auto format = report::parse_format(options.format).value_or(report::Format::table);
  report::RenderOptions render_options;
  const bool to_terminal = options.output.empty() && isatty(STDOUT_FILENO) == 1;
  render_options.color = options.color == "always" || (options.color == "auto" && to_terminal);
  render_options.verbose = options.verbose;
  const std::string text = report::render(report, format, render_options);
  if (options.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
  } else if (auto written = write_atomically(options.output, text); !written) {
    std::fprintf(stderr, "minerguard: error: %s\n", written.error().message.c_str());
    return kExitBadInput;
  }
  for (const auto& target : report.targets) {
    if (!target.error.empty()) return kExitBadInput;
  }
  return report::exit_code(report, core::parse_severity(options.fail_on).value_or(core::Severity::high));
}

}  // namespace mg::cli
