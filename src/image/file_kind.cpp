#include "image/file_kind.hpp"

#include <algorithm>
#include <array>

namespace mg::image {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool ends_with_any(std::string_view path, std::initializer_list<std::string_view> suffixes) {
  for (auto suffix : suffixes) {
    if (path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix) return true;
  }
  return false;
}

bool is_tar_header(std::string_view head) {
  // ustar magic at offset 257 ("ustar\0" POSIX, "ustar " GNU).
  return head.size() >= 263 && head.substr(257, 5) == "ustar";
}

// Mostly printable bytes in the head: a text file. Binary formats fail this fast.
bool mostly_text(std::string_view head) {
  if (head.empty()) return false;
  const std::size_t n = std::min<std::size_t>(head.size(), 512);
  std::size_t printable = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(head[i]);
    if (c == 0) return false;
    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') ++printable;
  }
  return printable * 100 >= n * 95;
}

}  // namespace

std::string_view to_string(FileKind kind) {
  switch (kind) {
    case FileKind::elf: return "elf";
    case FileKind::script: return "script";
    case FileKind::config: return "config";
    case FileKind::archive: return "archive";
    case FileKind::text: return "text";
    case FileKind::other: return "other";
  }
  return "other";
}

bool looks_like_archive(std::string_view head) {
  return starts_with(head, "\x1f\x8b") ||                 // gzip
         starts_with(head, "PK\x03\x04") ||               // zip
         starts_with(head, "\x28\xb5\x2f\xfd") ||         // zstd
         starts_with(head, "\xfd" "7zXZ\x00") ||          // xz
         starts_with(head, "BZh") ||                      // bzip2
         is_tar_header(head);
}

FileKind classify(std::string_view path, std::string_view head) {
  if (starts_with(head, "\x7f" "ELF")) return FileKind::elf;
  if (looks_like_archive(head)) return FileKind::archive;
  if (starts_with(head, "#!")) return FileKind::script;
  if (ends_with_any(path, {".sh", ".bash", ".py", ".pl", ".rb", ".ps1"})) return FileKind::script;
  if (ends_with_any(path, {".json", ".yaml", ".yml", ".toml", ".conf", ".cfg", ".ini", ".txt"}) && mostly_text(head))
    return FileKind::config;
  if (mostly_text(head)) {
    // A JSON object with a top-level key is the usual miner config shape (config.json renamed).
    const auto first = head.find_first_not_of(" \t\r\n");
    if (first != std::string_view::npos && head[first] == '{') return FileKind::config;
    return FileKind::text;
  }
  return FileKind::other;
}

}  // namespace mg::image
