#include "report/text.hpp"

#include <cstdio>

namespace mg::report::detail {
namespace {

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629 table), 0 if it is not one.
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  auto in = [&](std::size_t k, unsigned lo, unsigned hi) { return k < text.size() && byte(k) >= lo && byte(k) <= hi; };
  const unsigned c = byte(i);
  if (c < 0x80) return 1;
  if (c >= 0xc2 && c <= 0xdf) return in(i + 1, 0x80, 0xbf) ? 2 : 0;
  if (c == 0xe0) return in(i + 1, 0xa0, 0xbf) && in(i + 2, 0x80, 0xbf) ? 3 : 0;
  if ((c >= 0xe1 && c <= 0xec) || c == 0xee || c == 0xef) return in(i + 1, 0x80, 0xbf) && in(i + 2, 0x80, 0xbf) ? 3 : 0;
  if (c == 0xed) return in(i + 1, 0x80, 0x9f) && in(i + 2, 0x80, 0xbf) ? 3 : 0;
  if (c == 0xf0) return in(i + 1, 0x90, 0xbf) && in(i + 2, 0x80, 0xbf) && in(i + 3, 0x80, 0xbf) ? 4 : 0;
  if (c >= 0xf1 && c <= 0xf3) return in(i + 1, 0x80, 0xbf) && in(i + 2, 0x80, 0xbf) && in(i + 3, 0x80, 0xbf) ? 4 : 0;
  if (c == 0xf4) return in(i + 1, 0x80, 0x8f) && in(i + 2, 0x80, 0xbf) && in(i + 3, 0x80, 0xbf) ? 4 : 0;
  return 0;
}

// C1 controls (U+0080–U+009F) and the bidi embedding/override/isolate characters
// (U+202A–U+202E, U+2066–U+2069): valid UTF-8 that must still not reach a terminal raw.
bool dangerous_sequence(std::string_view seq) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(seq[k]); };
  if (seq.size() == 2) return b(0) == 0xc2 && b(1) <= 0x9f;
  if (seq.size() == 3 && b(0) == 0xe2 && b(1) == 0x80) return b(2) >= 0xaa && b(2) <= 0xae;
  if (seq.size() == 3 && b(0) == 0xe2 && b(1) == 0x81) return b(2) >= 0xa6 && b(2) <= 0xa9;
  return false;
}

void append_hex(std::string& out, unsigned char c, const char* format) {
  char hex[8];
  std::snprintf(hex, sizeof hex, format, c);
  out += hex;
}

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '!';
}

}  // namespace

std::string terminal_safe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 1 && c >= 0x20 && c != 0x7f) {
      out += static_cast<char>(c);
    } else if (n > 1 && !dangerous_sequence(text.substr(i, n))) {
      out.append(text.substr(i, n));
    } else {
      // One escaped byte at a time: an invalid or dangerous sequence is shown byte by byte.
      const std::size_t count = n == 0 ? 1 : n;
      for (std::size_t k = 0; k < count; ++k) append_hex(out, static_cast<unsigned char>(text[i + k]), "\\x%02x");
      i += count;
      continue;
    }
    i += n;
  }
  return out;
}

std::string truncate_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t cut = max_bytes;
  // Back up over continuation bytes so that a multi-byte character is never split.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string short_digest(std::string_view digest) {
  constexpr std::size_t kHexShown = 12;
  const auto colon = digest.find(':');
  const std::size_t start = colon == std::string_view::npos ? 0 : colon + 1;
  if (digest.size() - start <= kHexShown) return std::string(digest);
  return std::string(digest.substr(0, start + kHexShown)) + "…";
}

std::string percent_encode_segment(std::string_view segment) {
  if (segment == ".") return "%2E";
  if (segment == "..") return "%2E%2E";
  std::string out;
  out.reserve(segment.size());
  for (unsigned char c : segment) {
    if (unreserved(c)) {
      out += static_cast<char>(c);
    } else {
      append_hex(out, c, "%%%02X");
    }
  }
  return out;
}

std::string uri_path(std::string_view path) {
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    const auto segment = path.substr(start, slash - start);
    if (!segment.empty()) {
      if (!out.empty()) out += '/';
      out += percent_encode_segment(segment);
    }
    start = slash + 1;
  }
  return out;
}

std::string target_file_name(std::string_view target) {
  while (target.size() > 1 && target.back() == '/') target.remove_suffix(1);
  const auto slash = target.rfind('/');
  if (slash != std::string_view::npos && slash + 1 < target.size()) target = target.substr(slash + 1);
  if (target.empty() || target == "/") return "image";
  return std::string(target);
}

}  // namespace mg::report::detail
