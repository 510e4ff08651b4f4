#include "image/path_rules.hpp"

#include <algorithm>

namespace mg::image {

core::Result<std::string> normalize_entry_path(std::string_view raw) {
  // Only a leading "/" makes a tar path absolute; "./" prefixes are what tar -C dir . writes.
  if (!raw.empty() && raw.front() == '/')
    return core::fail(core::ErrorCode::invalid_input,
                      "entry '" + printable(raw) + "': absolute path");
  std::string out;
  out.reserve(raw.size());
  std::size_t pos = 0;
  while (pos <= raw.size()) {
    std::size_t slash = raw.find('/', pos);
    if (slash == std::string_view::npos) slash = raw.size();
    const std::string_view part = raw.substr(pos, slash - pos);
    pos = slash + 1;
    if (part.empty() || part == ".") continue;
    if (part == "..")
      return core::fail(core::ErrorCode::invalid_input,
                        "entry '" + printable(raw) + "': path escapes the layer root");
    if (!out.empty()) out.push_back('/');
    out.append(part);
  }
  return out;
}

bool is_sha256_hex(std::string_view hex) {
  return hex.size() == 64 &&
         std::all_of(hex.begin(), hex.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

core::Result<ParsedDigest> parse_digest(std::string_view digest) {
  const auto colon = digest.find(':');
  if (colon == std::string_view::npos || colon == 0)
    return core::fail(core::ErrorCode::invalid_input, "digest '" + printable(digest, 80) + "' is not <algorithm>:<hex>");
  ParsedDigest parsed{std::string(digest.substr(0, colon)), std::string(digest.substr(colon + 1))};
  if (parsed.algorithm != "sha256")
    return core::fail(core::ErrorCode::unsupported,
                      "digest '" + printable(digest, 80) + "': algorithm '" + printable(parsed.algorithm, 20) +
                          "' is not supported (only sha256)");
  if (!is_sha256_hex(parsed.hex))
    return core::fail(core::ErrorCode::invalid_input,
                      "digest '" + printable(digest, 80) + "': hex part is not 64 lowercase hex digits");
  return parsed;
}

std::string blob_path_of(const ParsedDigest& digest) { return "blobs/" + digest.algorithm + "/" + digest.hex; }

std::string digest_from_blob_path(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  constexpr std::string_view kBlobs = "blobs/sha256/";
  if (path.starts_with(kBlobs) && is_sha256_hex(path.substr(kBlobs.size()))) {
    return "sha256:" + std::string(path.substr(kBlobs.size()));
  }
  if (path.ends_with(".json") && is_sha256_hex(path.substr(0, path.size() - 5))) {
    return "sha256:" + std::string(path.substr(0, path.size() - 5));
  }
  return {};
}

std::string short_digest(std::string_view digest) {
  const auto colon = digest.find(':');
  if (colon == std::string_view::npos) return std::string(digest);
  return std::string(digest.substr(0, std::min(digest.size(), colon + 13)));
}

std::string printable(std::string_view text, std::size_t max) {
  std::string out;
  const std::size_t n = std::min(text.size(), max);
  out.reserve(n + 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    out.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  if (text.size() > max) out += "...";
  return out;
}

}  // namespace mg::image
