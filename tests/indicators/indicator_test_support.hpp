#pragma once
// Shared helpers of the indicator tests: the compiled built-in catalog, generated Monero addresses.
#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "indicators/catalog.hpp"
#include "indicators/matcher.hpp"
#include "indicators/wallet.hpp"

namespace mg::indicators::testing {

// Compiled once per test process: compile once, scan many.
inline std::shared_ptr<const CompiledCatalog> builtin() {
  static const std::shared_ptr<const CompiledCatalog> catalog = [] {
    auto entries = builtin_catalog();
    EXPECT_TRUE(entries.has_value()) << (entries ? "" : entries.error().message);
    auto compiled = compile(std::move(*entries));
    EXPECT_TRUE(compiled.has_value()) << (compiled ? "" : compiled.error().message);
    return *compiled;
  }();
  return catalog;
}

inline std::shared_ptr<const CompiledCatalog> compile_yaml(const std::string& yaml) {
  auto entries = parse_catalog(yaml, "test.yaml");
  EXPECT_TRUE(entries.has_value()) << (entries ? "" : entries.error().message);
  auto compiled = compile(std::move(*entries));
  EXPECT_TRUE(compiled.has_value()) << (compiled ? "" : compiled.error().message);
  return compiled ? *compiled : nullptr;
}

inline Scanner make_scanner(std::shared_ptr<const CompiledCatalog> catalog) {
  auto scanner = Scanner::create(std::move(catalog));
  EXPECT_TRUE(scanner.has_value());
  return std::move(*scanner);
}

// A Monero address with random keys and a correct checksum: [prefix][64 key bytes][(8)][keccak 4].
inline std::string make_monero_address(std::mt19937_64& rng, std::uint8_t prefix, bool integrated) {
  std::vector<std::uint8_t> bytes{prefix};
  const std::size_t body = integrated ? 72 : 64;
  for (std::size_t i = 0; i < body; ++i) bytes.push_back(static_cast<std::uint8_t>(rng()));
  const auto digest = keccak256(bytes.data(), bytes.size());
  bytes.insert(bytes.end(), digest.begin(), digest.begin() + 4);
  return monero_base58_encode(bytes);
}

inline std::string ids_of(const CompiledCatalog& catalog, const std::vector<Hit>& hits) {
  std::string out;
  for (const auto& hit : hits) out += catalog.at(hit.indicator).id + " ";
  return out;
}

inline bool has_hit(const CompiledCatalog& catalog, const std::vector<Hit>& hits, const std::string& id) {
  for (const auto& hit : hits)
    if (catalog.at(hit.indicator).id == id) return true;
  return false;
}

}  // namespace mg::indicators::testing
