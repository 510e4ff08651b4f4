#include "audit/log_reader.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <thread>

#include "audit/byte_source.hpp"

namespace mg::audit {

void LogStats::problem(std::string text, std::size_t max) {
  if (problems.size() < max) problems.push_back(std::move(text));
  else ++problems_dropped;
}

namespace {

// Read this much at a time: small enough that the bytes read are still in the core's cache when
// the newline search and then the parser read them again (8 MiB chunks left every pass reading
// from memory), large enough that the calls cost nothing. A longer line grows the buffer.
constexpr std::size_t kChunk = 256u << 10;

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

std::string_view skip_bom(std::string_view s) { return s.starts_with("\xEF\xBB\xBF") ? s.substr(3) : s; }

// One decode, its problems and its failure counted.
class Decoding {
 public:
  Decoding(EventDecoder& decoder, const EventSink& sink, LogStats& stats, const LogReadOptions& options)
      : decoder_(decoder), sink_(sink), stats_(stats), options_(options) {}

  // `text` is followed by kJsonPadding readable bytes. Returns false when it was not decodable.
  bool document(std::string_view text, std::string_view name, std::uint64_t line, std::string* error = nullptr) {
    ++stats_.lines;
    problems_.clear();
    auto events = decoder_.decode(text, name, line, sink_, problems_);
    for (auto& p : problems_) {
      ++stats_.malformed;
      stats_.problem(std::move(p), options_.max_problems);
    }
    if (events) {
      stats_.events += *events;
      return true;
    }
    if (error != nullptr) {
      *error = events.error().message;
      return false;
    }
    ++stats_.malformed;
    stats_.problem(events.error().message, options_.max_problems);
    return false;
  }

  void malformed(std::string text) {
    ++stats_.malformed;
    stats_.problem(std::move(text), options_.max_problems);
  }

 private:
  EventDecoder& decoder_;
  const EventSink& sink_;
  LogStats& stats_;
  const LogReadOptions& options_;
  std::vector<std::string> problems_;
};

// The end of the JSON object or array that starts at `from` (one past its closing bracket), or
// npos when the text ends first. Brackets inside strings do not count. (simdjson's document
// stream finds boundaries too, but reading its source() after an error is not safe in 3.0.)
std::size_t document_end(std::string_view text, std::size_t from) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = from; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') ++depth;
    else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) return i + 1;
  }
  return std::string_view::npos;
}

// A whole input that is not JSON lines: one or more JSON documents, one after another, each
// decoded in place (what follows a document is readable: the rest of the buffer and its padding).
void read_documents(std::string_view text, std::string_view name, std::uint64_t first_line, Decoding& decoding) {
  std::uint64_t line = first_line;
  std::size_t counted = 0;
  auto line_of = [&](std::size_t offset) {
    line += static_cast<std::uint64_t>(std::count(text.begin() + static_cast<std::ptrdiff_t>(counted),
                                                  text.begin() + static_cast<std::ptrdiff_t>(offset), '\n'));
    counted = offset;
    return line;
  };
  std::size_t at = 0;
  for (;;) {
    at = text.find_first_not_of(" \t\r\n", at);
    if (at == std::string_view::npos) return;
    const std::uint64_t where = line_of(at);
    if (text[at] != '{' && text[at] != '[') {
      decoding.malformed(std::string(name) + ":" + std::to_string(where) +
                         ": not JSON: expected an object or an array of audit events");
      return;  // nothing tells where the next document would start
    }
    const std::size_t end = document_end(text, at);
    if (end == std::string_view::npos) {
      decoding.malformed(std::string(name) + ":" + std::to_string(where) + ": truncated JSON (the document never ends)");
      return;
    }
    decoding.document(text.substr(at, end - at), name, where);
    at = end;
  }
}

// A line that does not stand alone as JSON but opens one ("{", "[", a pretty-printed export).
bool opens_multiline_document(std::string_view line) {
  line = trim(line);
  return (line.starts_with('{') || line.starts_with('[')) && !(line.ends_with('}') || line.ends_with(']'));
}

class LineReader {
 public:
  LineReader(detail::ByteSource& source, const LogReadOptions& options, Decoding& decoding, LogStats& stats)
      : source_(source), options_(options), decoding_(decoding), stats_(stats) {
    buffer_.resize(kChunk + simdjson::SIMDJSON_PADDING);
  }

  core::Result<void> run() {
    for (;;) {
      auto n = fill();
      if (!n) return std::unexpected(n.error());
      const bool eof = *n == 0;
      if (auto done = lines(eof); !done) return done;
      if (whole_document_) return {};
      if (!eof) continue;
      if (!options_.follow || source_.is_stdin() || source_.compressed()) {
        flush_last_line();
        return {};
      }
      if (options_.stop != nullptr && options_.stop->load()) {
        flush_last_line();
        return {};
      }
      if (source_.replaced_or_truncated()) {
        flush_last_line();
        if (auto ok = source_.reopen(); !ok) return ok;
        continue;
      }
      std::this_thread::sleep_for(options_.poll);
    }
  }

 private:
  core::Result<std::size_t> fill() {
    // Keep the unfinished line at the front, then read behind it.
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      scan_ -= begin_;
      end_ -= begin_;
      begin_ = 0;
    }
    std::size_t room = buffer_.size() - simdjson::SIMDJSON_PADDING - end_;
    if (room == 0) {
      // A line longer than the buffer: grow to the line limit, then skip it.
      const std::size_t limit = static_cast<std::size_t>(options_.max_line_bytes) + simdjson::SIMDJSON_PADDING + 1;
      if (buffer_.size() < limit) {
        buffer_.resize(std::min(limit, buffer_.size() * 2));
        room = buffer_.size() - simdjson::SIMDJSON_PADDING - end_;
      } else {
        skip_long_line();
        room = buffer_.size() - simdjson::SIMDJSON_PADDING - end_;
      }
    }
    auto n = source_.read(buffer_.data() + end_, room);
    if (!n) return n;
    stats_.bytes += *n;
    end_ += *n;
    return n;
  }

  void too_long(std::uint64_t line) {
    decoding_.malformed(std::string(source_.path()) + ":" + std::to_string(line) + ": line longer than " +
                        std::to_string(options_.max_line_bytes) + " bytes (--max-line-bytes): skipped");
  }

  // The unfinished line at the end of the buffer is over the limit: report it, drop its bytes, and
  // drop the rest of it as it arrives.
  void skip_long_line() {
    too_long(line_ + 1);
    skipping_ = true;
    begin_ = scan_ = end_ = 0;
  }

  core::Result<void> lines(bool eof) {
    (void)eof;
    for (;;) {
      const char* base = buffer_.data();
      const void* nl = std::memchr(base + scan_, '\n', end_ - scan_);
      if (nl == nullptr) {
        scan_ = end_;
        // An unfinished line already over the limit (or the rest of one): drop what is buffered.
        if (skipping_) {
          begin_ = scan_ = end_ = 0;
        } else if (end_ - begin_ > options_.max_line_bytes) {
          skip_long_line();
        }
        return {};
      }
      const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(nl) - base);
      ++line_;
      if (skipping_) {
        skipping_ = false;  // the end of a line reported when it outgrew the limit
      } else if (at - begin_ > options_.max_line_bytes) {
        too_long(line_);
      } else {
        std::string_view text(base + begin_, at - begin_);
        if (first_) {
          text = skip_bom(text);
          if (!trim(text).empty() && opens_multiline_document(text)) {
            first_ = false;
            return whole_document(static_cast<std::size_t>(text.data() - base));
          }
        }
        if (!trim(text).empty()) {
          first_ = false;
          decoding_.document(text, source_.path(), line_);
        }
      }
      begin_ = scan_ = at + 1;
    }
  }

  void flush_last_line() {
    if (skipping_ || begin_ >= end_) return;
    std::string_view text(buffer_.data() + begin_, end_ - begin_);
    if (first_) text = skip_bom(text);
    ++line_;
    if (!trim(text).empty()) {
      if (first_ && opens_multiline_document(text)) {
        (void)whole_document(static_cast<std::size_t>(text.data() - buffer_.data()));
        return;
      }
      std::memset(buffer_.data() + end_, 0, simdjson::SIMDJSON_PADDING);
      decoding_.document(text, source_.path(), line_);
    }
    begin_ = scan_ = end_;
  }

  // The rest of the input, read whole and decoded as JSON documents.
  core::Result<void> whole_document(std::size_t from) {
    whole_document_ = true;
    std::string text(buffer_.data() + from, end_ - from);
    const std::uint64_t first_line = line_;
    std::vector<char>().swap(buffer_);
    for (;;) {
      if (text.size() > options_.max_document_bytes)
        return core::fail(core::ErrorCode::limit_exceeded, source_.path() + ": a multi-line JSON document larger than " +
                                                               std::to_string(options_.max_document_bytes) + " bytes");
      const std::size_t old = text.size();
      text.resize(old + kChunk);
      auto n = source_.read(text.data() + old, kChunk);
      if (!n) return std::unexpected(n.error());
      text.resize(old + *n);
      stats_.bytes += *n;
      if (*n == 0) break;
    }
    const std::size_t size = text.size();
    text.append(simdjson::SIMDJSON_PADDING, '\0');
    read_documents(std::string_view(text.data(), size), source_.path(), first_line, decoding_);
    return {};
  }

  detail::ByteSource& source_;
  const LogReadOptions& options_;
  Decoding& decoding_;
  LogStats& stats_;
  std::vector<char> buffer_;
  std::size_t begin_ = 0, scan_ = 0, end_ = 0;
  std::uint64_t line_ = 0;
  bool first_ = true;
  bool skipping_ = false;
  bool whole_document_ = false;
};

}  // namespace

core::Result<void> read_audit_log(const std::string& path, const LogReadOptions& options, EventDecoder& decoder,
                                  const EventSink& sink, LogStats& stats) {
  auto source = detail::ByteSource::open(path);
  if (!source) return std::unexpected(source.error());
  Decoding decoding(decoder, sink, stats, options);
  try {
    LineReader reader(**source, options, decoding, stats);
    return reader.run();
  } catch (const std::bad_alloc&) {
    return core::fail(core::ErrorCode::limit_exceeded, path + ": out of memory reading the audit log");
  }
}

void read_audit_text(std::string_view text, std::string_view name, const LogReadOptions& options, EventDecoder& decoder,
                     const EventSink& sink, LogStats& stats) {
  Decoding decoding(decoder, sink, stats, options);
  std::string padded(text);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');
  stats.bytes += text.size();
  std::string_view all = skip_bom(std::string_view(padded.data(), text.size()));
  std::uint64_t line = 0;
  std::size_t pos = static_cast<std::size_t>(all.data() - padded.data());
  bool first = true;
  while (pos < text.size()) {
    std::size_t nl = std::string_view(padded.data(), text.size()).find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    ++line;
    std::string_view one(padded.data() + pos, nl - pos);
    if (!trim(one).empty()) {
      if (first && opens_multiline_document(one)) {
        read_documents(std::string_view(padded.data() + pos, text.size() - pos), name, line, decoding);
        return;
      }
      first = false;
      if (one.size() > options.max_line_bytes)
        decoding.malformed(std::string(name) + ":" + std::to_string(line) + ": line longer than " +
                           std::to_string(options.max_line_bytes) + " bytes (--max-line-bytes): skipped");
      else
        decoding.document(one, name, line);
    }
    pos = nl + 1;
  }
}

}  // namespace mg::audit
