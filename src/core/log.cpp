#include "core/log.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace mg::core {
namespace {
std::atomic<Verbosity> g_verbosity{Verbosity::normal};
std::atomic<bool> g_progress_visible{false};
}  // namespace

void set_verbosity(Verbosity v) { g_verbosity = v; }
Verbosity verbosity() { return g_verbosity; }

void log_warning(std::string_view message) {
  if (g_verbosity == Verbosity::quiet) return;
  clear_progress();
  std::fprintf(stderr, "minerguard: warning: %.*s\n", static_cast<int>(message.size()), message.data());
}

void log_info(std::string_view message) {
  if (g_verbosity != Verbosity::verbose) return;
  clear_progress();
  std::fprintf(stderr, "minerguard: %.*s\n", static_cast<int>(message.size()), message.data());
}

bool progress_enabled() {
  if (g_verbosity == Verbosity::quiet) return false;
  const char* ci = std::getenv("CI");
  if (ci != nullptr && *ci != '\0') return false;
  return isatty(STDERR_FILENO) == 1;
}

void show_progress(std::string_view line) {
  std::fprintf(stderr, "\r\033[K%.*s", static_cast<int>(line.size()), line.data());
  std::fflush(stderr);
  g_progress_visible = true;
}

void clear_progress() {
  if (!g_progress_visible.exchange(false)) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace mg::core
