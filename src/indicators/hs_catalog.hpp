#pragma once
// Internal: the Hyperscan-backed CompiledCatalog that compile() returns and Scanner reads.
#include <hs/hs.h>

#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "indicators/matcher.hpp"

namespace mg::indicators::detail {

// How a content match's start and text are recovered.
enum class MatchMode : std::uint8_t {
  literal,  // string/hostname: start = end - length
  tail,     // regex/command (no start tracking): text is the line or printable run ending at the match
  wallet,   // address shape: candidates of each address length end at the match, then validated
};

struct ContentPattern {
  std::uint32_t indicator = 0;
  MatchMode mode = MatchMode::literal;
  std::uint32_t length = 0;  // literal length (literal mode)
};

struct DatabaseDeleter {
  void operator()(hs_database_t* db) const { hs_free_database(db); }
};
using Database = std::unique_ptr<hs_database_t, DatabaseDeleter>;

class HsCatalog final : public CompiledCatalog {
 public:
  std::span<const Indicator> indicators() const override { return indicators_; }
  std::vector<std::uint32_t> match_image(std::string_view reference) const override;
  std::vector<std::uint32_t> match_hostname(std::string_view host) const override;

  // Content database (streaming mode); null when the catalog has no content entries.
  const hs_database_t* content_db() const { return content_db_.get(); }
  // Hyperscan expression id -> pattern (ids are indexes into this vector).
  const std::vector<ContentPattern>& content_patterns() const { return content_; }

  std::vector<Indicator> indicators_;
  Database content_db_;
  std::vector<ContentPattern> content_;
  Database image_db_;                                   // block mode; ids are indicator indexes
  std::unordered_multimap<std::string, std::uint32_t> hostnames_;  // lower-case name -> indicator
};

}  // namespace mg::indicators::detail
