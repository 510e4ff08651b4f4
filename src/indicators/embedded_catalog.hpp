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

// The built-in catalog compiled at build time by mg-catalog-db (serialize()); empty inside that tool.
std::string_view precompiled_builtin_database();

}  // namespace mg::indicators::detail
