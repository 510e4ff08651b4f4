#include "audit/rule_prefilter.hpp"

#include <algorithm>

namespace mg::audit {

std::optional<std::vector<std::string>> RulePrefilter::required_values(const Condition& c) const {
  if (c.kind == Condition::Kind::test) {
    if (c.field.id == field_ && (c.op == Op::equals || c.op == Op::in)) return c.values;
    return std::nullopt;
  }
  if (c.kind != Condition::Kind::all) return std::nullopt;
  for (const auto& child : c.children)
    if (auto values = required_values(child)) return values;
  return std::nullopt;
}

void RulePrefilter::add_rule(const Condition& condition) {
  std::uint64_t mask = 0;
  for (const auto& value : required_values(condition).value_or(std::vector<std::string>{})) {
    auto at = std::find(table_.begin(), table_.end(), value);
    if (at == table_.end()) {
      if (table_.size() == 64) {  // out of bits: this rule is not prefiltered
        mask = 0;
        break;
      }
      at = table_.insert(table_.end(), value);
      lengths_ |= length_bit(value.size());
    }
    mask |= std::uint64_t{1} << (at - table_.begin());
  }
  masks_.push_back(mask);
}

}  // namespace mg::audit
