#pragma once
// Internal text helpers shared by the formatters. Paths and evidence come from images an
// attacker built, so anything printed to a terminal goes through terminal_safe().
#include <cstddef>
#include <string>
#include <string_view>

namespace mg::report::detail {

// Keeps printable ASCII and well-formed UTF-8; writes control characters (C0, DEL, C1), bidi
// overrides and bytes that are not UTF-8 as \xNN, so no byte of an image can move the cursor,
// change colours or reorder what a person reads.
std::string terminal_safe(std::string_view text);

// Cuts to at most max_bytes without splitting a UTF-8 sequence, appending "…" when cut.
std::string truncate_utf8(std::string_view text, std::size_t max_bytes);

// "sha256:0123456789abcdef…" → "sha256:0123456789ab…" (12 hex digits, as container tools show).
std::string short_digest(std::string_view digest);

// Percent-encodes one URI path segment: RFC 3986 unreserved characters and '!' stay, the rest
// become %XX; "." and ".." are encoded so that they are never resolved as dot segments.
std::string percent_encode_segment(std::string_view segment);

// A slash-separated path as a relative URI path: empty segments dropped, each segment encoded.
std::string uri_path(std::string_view path);

// The file or directory name the user gave for a target ("dir/img.tar" → "img.tar").
std::string target_file_name(std::string_view target);

}  // namespace mg::report::detail
