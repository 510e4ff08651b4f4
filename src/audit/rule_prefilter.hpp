#pragma once
// Which rules can hold for an event, from one of its fields alone. Most rules are about a few
// verbs and resources (`verb in [create, update, patch]`, `objectRef.resource equals services`),
// and most events (lease updates, watches, gets) are about others: a rule whose condition requires
// the field to be one of its values is skipped without evaluating it when the event's value is
// none of them. Each value some rule names gets one bit, each rule the mask of its values.
// Internal to src/audit.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/rule.hpp"

namespace mg::audit {

class RulePrefilter {
 public:
  explicit RulePrefilter(FieldId field) : field_(field) {}

  // The values `condition` requires the field to have: an equals or in test of the field in an
  // `and` (at any depth of `and`s, as macros expand); nullopt when it may hold for any value.
  std::optional<std::vector<std::string>> required_values(const Condition& condition) const;

  // Adds the next rule (rules are added in order, once each).
  void add_rule(const Condition& condition);

  // The bit of an event's value; 0 for a value no rule is limited to. Most values (lease, node
  // and configmap events) are of a length no listed value has, told by one mask test.
  std::uint64_t bit(std::string_view value) const {
    if ((lengths_ & length_bit(value.size())) == 0) return 0;
    for (std::size_t i = 0; i < table_.size(); ++i)
      if (table_[i] == value) return std::uint64_t{1} << i;
    return 0;
  }

  // False when rule `index` cannot hold for an event whose value has `bit`.
  bool may_hold(std::size_t index, std::uint64_t bit) const {
    const std::uint64_t mask = masks_[index];
    return mask == 0 || (mask & bit) != 0;
  }

 private:
  static std::uint64_t length_bit(std::size_t length) { return std::uint64_t{1} << (length < 63 ? length : 63); }

  FieldId field_;
  std::vector<std::string> table_;     // the values rules are limited to; index = bit
  std::uint64_t lengths_ = 0;          // length_bit of each of them
  std::vector<std::uint64_t> masks_;   // per rule; 0 = not limited (or more values than bits)
};

}  // namespace mg::audit
