#pragma once
// Internal: the default rule files (rules/audit/*.yaml) embedded at build time
// (cmake/embed_catalog.cmake).
#include <span>
#include <string_view>

namespace mg::audit::detail {

struct EmbeddedFile {
  std::string_view name;   // file name, e.g. "workloads.yaml"
  std::string_view text;
};

// In name order.
std::span<const EmbeddedFile> embedded_rule_files();

}  // namespace mg::audit::detail
