#include "audit/regex_set.hpp"

#include <hs.h>

namespace mg::audit {

core::Result<std::shared_ptr<const RegexSet>> RegexSet::compile(const std::vector<std::string>& patterns) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags, ids;
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    expressions.push_back(patterns[i].c_str());
    flags.push_back(HS_FLAG_SINGLEMATCH | HS_FLAG_DOTALL | HS_FLAG_ALLOWEMPTY);
    ids.push_back(static_cast<unsigned>(i));
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(), static_cast<unsigned>(expressions.size()),
                       HS_MODE_BLOCK, nullptr, &db, &error) != HS_SUCCESS) {
    std::string message = "regex";
    if (error != nullptr) {
      if (error->expression >= 0 && static_cast<std::size_t>(error->expression) < patterns.size())
        message += " \"" + patterns[static_cast<std::size_t>(error->expression)] + "\"";
      message += ": " + std::string(error->message != nullptr ? error->message : "invalid");
      hs_free_compile_error(error);
    }
    return core::fail(core::ErrorCode::invalid_input, message);
  }
  std::shared_ptr<RegexSet> set(new RegexSet());
  set->db_ = db;
  return std::shared_ptr<const RegexSet>(std::move(set));
}

RegexSet::~RegexSet() {
  if (db_ != nullptr) hs_free_database(db_);
}

bool RegexSet::matches(std::string_view text, hs_scratch* scratch) const {
  bool matched = false;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned, void* context) -> int {
    *static_cast<bool*>(context) = true;
    return 1;  // stop: one match is the answer
  };
  hs_scan(db_, text.data(), static_cast<unsigned>(std::min<std::size_t>(text.size(), 0xffffffffu)), 0, scratch,
          on_match, &matched);
  return matched;
}

RegexScratch::~RegexScratch() {
  if (scratch_ != nullptr) hs_free_scratch(scratch_);
}

core::Result<void> RegexScratch::prepare(const RegexSet& set) {
  if (hs_alloc_scratch(set.database(), &scratch_) != HS_SUCCESS)
    return core::fail(core::ErrorCode::internal, "cannot allocate Hyperscan scratch for rule regexes");
  return {};
}

}  // namespace mg::audit
