#pragma once
// What a file is, from its first bytes and its name. The kind decides which rule a file's
// evidence feeds (a miner program, a miner configuration, a launcher script) and whether to
// open it as a nested archive.
#include <string_view>

namespace mg::image {

enum class FileKind { elf, script, config, archive, text, other };

std::string_view to_string(FileKind kind);

// `head` is the first bytes of the file (any length, 0 included).
FileKind classify(std::string_view path, std::string_view head);

// Archive formats we open to look inside (tar, gzip, zip, zstd, xz, bzip2).
bool looks_like_archive(std::string_view head);

}  // namespace mg::image
