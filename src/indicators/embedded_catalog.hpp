#pragma once
// Internal: the catalog files embedded into the library at build time (cmake/embed_catalog.cmake).
#include <span>
#include <string_view>

namespace mg::indicators::detail {

struct EmbeddedFile {
  std::string_view name;   // file name, e.g. "miners.yaml"
  std::string_view text;   // its bytes
};

// In name order.
std::span<const EmbeddedFile> embedded_catalog_files();

}  // namespace mg::indicators::detail
