#pragma once
// The indicator catalog: loaded from YAML once, compiled once into one Hyperscan database,
// then shared read-only by every scanner (compile once, scan many).
#include <filesystem>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "indicators/indicator.hpp"

namespace mg::indicators {

class CompiledCatalog;

// Parses one catalog document. `name` is used in error messages ("miners.yaml:12: …").
core::Result<std::vector<Indicator>> parse_catalog(std::string_view yaml_text, std::string_view name);

// The catalog built into the binary (data/indicators/*.yaml embedded at build time).
core::Result<std::vector<Indicator>> builtin_catalog();

// Every *.yaml file in a directory, in name order (for --catalog DIR).
core::Result<std::vector<Indicator>> load_catalog_dir(const std::filesystem::path& dir);

// Checks ids are unique and compiles the content-matching kinds (string, regex, hostname, wallet,
// command) into one streaming Hyperscan database. Errors name the entry's file:line.
core::Result<std::shared_ptr<const CompiledCatalog>> compile(std::vector<Indicator> indicators);

// The built-in catalog, compiled. Compiling takes seconds, so the build compiles it once
// (mg-catalog-db) and embeds the serialized databases; this loads them, and compiles only when
// they do not fit this machine's CPU or the catalog.
core::Result<std::shared_ptr<const CompiledCatalog>> compiled_builtin_catalog();

// The serialized form of a compiled catalog, and loading it back for the same indicators. Loading
// fails (unsupported) when the indicators differ or the CPU lacks what the databases were built for.
core::Result<std::string> serialize(const CompiledCatalog& compiled);
core::Result<std::shared_ptr<const CompiledCatalog>> load_precompiled(std::vector<Indicator> indicators,
                                                                      std::string_view blob);

}  // namespace mg::indicators
