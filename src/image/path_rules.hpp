#pragma once
// Rules for names that come from untrusted archives and manifests: tar entry paths inside a
// layer, member names of an outer image tar, and content digests that become file names.
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace mg::image {

// Normalises a tar entry path: drops leading "./", empty and "." components and a trailing "/".
// Fails (invalid_input) on an absolute path or any ".." component: such a path escapes the
// layer root. The root itself normalises to "".
core::Result<std::string> normalize_entry_path(std::string_view raw);

// Splits "sha256:<hex>" after checking it strictly: the algorithm must be sha256 (else
// unsupported) and hex exactly 64 lowercase hex digits (else invalid_input), so a digest can
// safely become a path component ("blobs/sha256/<hex>").
struct ParsedDigest {
  std::string algorithm;
  std::string hex;
};
core::Result<ParsedDigest> parse_digest(std::string_view digest);

// True when `hex` is 64 lowercase hex digits.
bool is_sha256_hex(std::string_view hex);

// "blobs/sha256/<hex>" for a digest that passed parse_digest.
std::string blob_path_of(const ParsedDigest& digest);

// If `path` is "blobs/sha256/<hex>" (optionally with a leading "./"), the "sha256:<hex>"
// digest it names; else empty. Also recognises docker-archive config names "<hex>.json".
std::string digest_from_blob_path(std::string_view path);

// "sha256:" plus the first 12 hex digits, as messages show digests.
std::string short_digest(std::string_view digest);

// Makes a value safe to quote in a one-line message: control characters become '?', long
// values are cut.
std::string printable(std::string_view text, std::size_t max = 200);

}  // namespace mg::image
