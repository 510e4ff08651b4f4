#pragma once
// Internal to src/audit: the regular expressions of one `regex:` test, compiled by Hyperscan into
// one block-mode database. Matching needs scratch space, one per thread (RegexScratch).
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

struct hs_database;
struct hs_scratch;

namespace mg::audit {

class RegexSet {
 public:
  static core::Result<std::shared_ptr<const RegexSet>> compile(const std::vector<std::string>& patterns);
  ~RegexSet();
  RegexSet(const RegexSet&) = delete;
  RegexSet& operator=(const RegexSet&) = delete;

  // True when any pattern matches anywhere in `text`. `scratch` must have been prepared for this set.
  bool matches(std::string_view text, hs_scratch* scratch) const;
  hs_database* database() const { return db_; }

 private:
  RegexSet() = default;
  hs_database* db_ = nullptr;
};

// Scratch space that fits every set it was prepared for.
class RegexScratch {
 public:
  RegexScratch() = default;
  ~RegexScratch();
  RegexScratch(const RegexScratch&) = delete;
  RegexScratch& operator=(const RegexScratch&) = delete;
  core::Result<void> prepare(const RegexSet& set);
  hs_scratch* get() const { return scratch_; }

 private:
  hs_scratch* scratch_ = nullptr;
};

}  // namespace mg::audit
