#pragma once
// Reading audit logs: files (plain or gzip), stdin ("-"), and files that are still being written
// (--follow). JSON lines are read in bounded chunks and decoded in place; a file whose first
// line is not a JSON value on its own (a pretty-printed export, an Azure storage blob holding one
// {"records":[…]} document) is read whole and decoded as one or more JSON documents. A line that
// cannot be decoded is counted and described with its line number, and reading goes on.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "audit/event_decoder.hpp"
#include "core/error.hpp"

namespace mg::audit {

struct LogReadOptions {
  std::uint64_t max_line_bytes = 8ull << 20;       // one JSON line; longer lines are malformed
  std::uint64_t max_document_bytes = 1ull << 30;   // a file read whole (multi-line JSON)
  std::size_t max_problems = 100;                  // described problems kept; the rest are counted
  bool follow = false;                             // keep reading as the file grows (like tail -F)
  std::chrono::milliseconds poll{200};             // how often --follow looks for new data
  const std::atomic<bool>* stop = nullptr;         // set (by a signal) to end --follow
};

struct LogStats {
  std::uint64_t bytes = 0;
  std::uint64_t lines = 0;        // JSON lines (or documents) read
  std::uint64_t events = 0;
  std::uint64_t malformed = 0;    // lines, documents or records that held no usable event
  std::vector<std::string> problems;   // "audit.log:12: not JSON: …", at most max_problems
  std::uint64_t problems_dropped = 0;

  void problem(std::string text, std::size_t max);
};

// Reads one log ("-" = stdin) and passes every event to `sink`. Errors only for what ends the
// whole input: it cannot be opened or read, or a whole-file document is over its limit.
core::Result<void> read_audit_log(const std::string& path, const LogReadOptions& options, EventDecoder& decoder,
                                  const EventSink& sink, LogStats& stats);

// The same over bytes already in memory (tests, the audit webhook's request bodies).
void read_audit_text(std::string_view text, std::string_view name, const LogReadOptions& options,
                     EventDecoder& decoder, const EventSink& sink, LogStats& stats);

}  // namespace mg::audit
