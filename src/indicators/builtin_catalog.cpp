// The built-in catalog: the embedded data/indicators/*.yaml, parsed in name order.
#include "indicators/catalog.hpp"
#include "indicators/embedded_catalog.hpp"

namespace mg::indicators {

core::Result<std::vector<Indicator>> builtin_catalog() {
  std::vector<Indicator> all;
  for (const auto& file : detail::embedded_catalog_files()) {
    auto entries = parse_catalog(file.text, file.name);
    if (!entries) return std::unexpected(entries.error());
    for (auto& entry : *entries) all.push_back(std::move(entry));
  }
  return all;
}

core::Result<std::shared_ptr<const CompiledCatalog>> compiled_builtin_catalog() {
  auto entries = builtin_catalog();
  if (!entries) return std::unexpected(entries.error());
  if (const auto blob = detail::precompiled_builtin_database(); !blob.empty()) {
    if (auto loaded = load_precompiled(*entries, blob)) return loaded;
  }
  return compile(std::move(*entries));
}

}  // namespace mg::indicators
