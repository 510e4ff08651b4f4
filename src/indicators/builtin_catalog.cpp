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

}  // namespace mg::indicators
