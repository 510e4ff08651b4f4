#pragma once
// What the content inspector learned about one file (or one file inside a nested archive).
#include <cstdint>
#include <string>
#include <vector>

#include "image/file_kind.hpp"
#include "indicators/matcher.hpp"

namespace mg::image {

struct FileEvidence {
  std::string path;          // path in the layer
  std::string inner_path;    // "a.tar.gz!/x/y" chain inside nested archives; empty for the file itself
  FileKind kind = FileKind::other;
  std::uint64_t size = 0;
  std::uint32_t mode = 0;
  std::vector<indicators::Hit> hits;
  std::string incomplete;    // non-empty: why the nested archive was not inspected to its end
};

}  // namespace mg::image
