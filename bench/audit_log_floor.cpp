// mg-audit-log-floor: the cost of merely parsing a Kubernetes audit log (JSON lines, one
// audit.k8s.io Event per line, as the API server's log backend writes it) with simdjson, and
// nothing else: the floor bench/run_audit_log_bench.sh compares `minerguard audit-log` with.
//
//   mg-audit-log-floor dom FILE       simdjson DOM parser on each line: validates the whole
//                                     event and builds its tape ("merely parsing"; the floor)
//   mg-audit-log-floor ondemand FILE  simdjson On-Demand on each line, every value visited
//                                     (bench/ondemand_walk.hpp), so the whole event really is
//                                     parsed; On-Demand skips what nobody visits, a reader that
//                                     decodes only some fields can be cheaper than this
//
// Prints `events=<count> bytes=<n>` and then what else it counted, so the script can check that
// minerguard and the floors saw the same events, and no work can be optimised away. Exit 0 on
// success, 2 on a parse or I/O error (naming the line).
//
// The file is read the cheapest way simdjson offers (padded_string::load: one read into one
// buffer with SIMDJSON_PADDING bytes allocated after the end). Lines are split with memchr; blank
// lines (empty, or spaces, tabs and a CR only) are skipped, as a log reader does. Each line is
// parsed IN PLACE, without a copy, and that is legal: simdjson asks of a document of `len` bytes
// at `p` only that `p + len + SIMDJSON_PADDING` bytes be allocated and readable, whatever they
// hold ("It does not matter what those bytes are initialized to, as long as they are allocated",
// parser::iterate; the same for dom::parser::parse with realloc_if_needed = false). A line is
// followed by the rest of the file (its '\n' and the next lines) and then by the padding of the
// one buffer, so `capacity = buffer end + SIMDJSON_PADDING - p >= len + SIMDJSON_PADDING` always
// holds. simdjson never writes into its input (strings are unescaped into the parser's own
// buffer), and it parses exactly `len` bytes: what follows a line is read at most as padding,
// never as part of the document. One parser of each kind is reused for every line, as a reader
// does (its buffers grow to the longest line once).
//
// Stage 1 and string unescaping run the kernel simdjson picks for the CPU at run time (both
// APIs); On-Demand's inline iteration is compiled for what the compiler flags allow (simdjson's
// "builtin" implementation, `fallback` for plain x86-64 without -march). Each mode prints the
// kernels it used.
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>

#include "ondemand_walk.hpp"

namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

bool blank(const char* p, std::size_t len) {
  for (std::size_t i = 0; i < len; ++i) {
    if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r') return false;
  }
  return true;
}

// Calls parse_line(p, len, capacity) for every non-blank line of the file's one padded buffer;
// stops at the first error and names its line. Returns the exit code.
template <typename ParseLine>
int for_each_line(const char* path, const simdjson::padded_string& text, std::uint64_t& events, ParseLine parse_line) {
  const char* p = text.data();
  const char* const end = p + text.size();
  const char* const allocated_end = end + simdjson::SIMDJSON_PADDING;  // padded_string's guarantee
  std::uint64_t line = 0;
  while (p < end) {
    ++line;
    const char* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* stop = nl ? nl : end;
    const auto len = static_cast<std::size_t>(stop - p);
    if (!blank(p, len)) {
      if (auto error = parse_line(p, len, static_cast<std::size_t>(allocated_end - p))) {
        std::fprintf(stderr, "mg-audit-log-floor: %s:%llu: %s\n", path, static_cast<unsigned long long>(line),
                     simdjson::error_message(error));
        return 2;
      }
      ++events;
    }
    p = nl ? nl + 1 : end;
  }
  return 0;
}

bool load(const char* path, simdjson::padded_string& text) {
  if (auto error = simdjson::padded_string::load(path).get(text)) {
    std::fprintf(stderr, "mg-audit-log-floor: %s: %s\n", path, simdjson::error_message(error));
    return false;
  }
  return true;
}

// ---- DOM: validate + tape, each line ----------------------------------------------------------

int dom(const char* path) {
  simdjson::padded_string text;
  if (!load(path, text)) return 2;
  simdjson::dom::parser parser;
  std::uint64_t events = 0, fields = 0;
  const int rc = for_each_line(path, text, events, [&](const char* p, std::size_t len, std::size_t) {
    simdjson::dom::element root;
    // realloc_if_needed = false: parse in place, the padding being there (see the header).
    if (auto error = parser.parse(p, len, false).get(root)) return error;
    simdjson::dom::object object;  // the event's top-level keys, counted: the tape is read
    if (root.get_object().get(object) == simdjson::SUCCESS) fields += object.size();
    return simdjson::SUCCESS;
  });
  if (rc != 0) return rc;
  std::printf("events=%llu bytes=%zu mode=dom top_level_fields=%llu kernel=%s\n",
              static_cast<unsigned long long>(events), text.size(), static_cast<unsigned long long>(fields),
              simdjson::get_active_implementation()->name().c_str());
  return 0;
}

// ---- On-Demand: every value visited, each line ------------------------------------------------

int on_demand(const char* path) {
  simdjson::padded_string text;
  if (!load(path, text)) return 2;
  ondemand::parser parser;
  mg_bench::WalkCounts counts;
  std::uint64_t events = 0;
  const int rc = for_each_line(path, text, events, [&](const char* p, std::size_t len, std::size_t capacity) {
    ondemand::document doc;
    // capacity >= len + SIMDJSON_PADDING: the rest of the buffer (see the header).
    if (auto error = parser.iterate(p, len, capacity).get(doc)) return error;
    ondemand::value root;
    if (auto error = doc.get_value().get(root)) return error;
    if (auto error = mg_bench::walk(root, counts)) return error;
    // Nothing may follow the event on its line (On-Demand checks only what it visits): past the
    // end, current_location() is OUT_OF_BOUNDS; a location there is a token left over.
    const char* rest = nullptr;
    return doc.current_location().get(rest) == simdjson::SUCCESS ? simdjson::TRAILING_CONTENT : simdjson::SUCCESS;
  });
  if (rc != 0) return rc;
  std::printf("events=%llu bytes=%zu mode=ondemand values=%llu string_bytes=%llu stage1=%s iteration=%s\n",
              static_cast<unsigned long long>(events), text.size(), static_cast<unsigned long long>(counts.values),
              static_cast<unsigned long long>(counts.string_bytes),
              simdjson::get_active_implementation()->name().c_str(),
              simdjson::builtin_implementation()->name().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: mg-audit-log-floor dom|ondemand FILE\n");
    return 2;
  }
  const std::string_view mode = argv[1];
  if (mode == "dom") return dom(argv[2]);
  if (mode == "ondemand") return on_demand(argv[2]);
  std::fprintf(stderr, "mg-audit-log-floor: unknown mode '%s' (dom, ondemand)\n", argv[1]);
  return 2;
}
