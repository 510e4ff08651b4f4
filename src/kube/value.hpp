#pragma once
// A parsed YAML or JSON value, the one tree every check reads. Scalars keep their source text
// (numbers are not converted, so "0777" and 1e3 stay as written); every node remembers the
// 1-based line it started on, so a finding can name the exact line of the field to change.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mg::kube {

namespace detail {
class TapeBuilder;   // json_tape_builder.cpp: rebuilds a Value in place, reusing its storage
}

class Value {
 public:
  enum class Type : std::uint8_t { null, boolean, number, string, array, object };
  using Member = std::pair<std::string, Value>;

  Value() = default;
  static Value null_value(int line = 0);
  static Value boolean(bool value, int line = 0);
  static Value number(std::string text, int line = 0);
  static Value string(std::string text, int line = 0);
  static Value array(int line = 0);
  static Value object(int line = 0);

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::null; }
  bool is_bool() const { return type_ == Type::boolean; }
  bool is_number() const { return type_ == Type::number; }
  bool is_string() const { return type_ == Type::string; }
  bool is_array() const { return type_ == Type::array; }
  bool is_object() const { return type_ == Type::object; }
  bool is_scalar() const { return type_ != Type::array && type_ != Type::object; }
  int line() const { return line_; }
  void set_line(int line) { line_ = line; }

  // The text of a scalar ("true", "80", "LoadBalancer"); empty for null, arrays and objects.
  std::string_view text() const { return is_scalar() ? std::string_view(text_) : std::string_view(); }
  // The text if this is a string (or a number/bool written where a string belongs), else fallback.
  std::string_view str(std::string_view fallback = {}) const;
  // true/false for booleans (and the strings "true"/"false", as Kubernetes accepts in places).
  std::optional<bool> as_bool() const;
  // An integer from a number or numeric string ("8080"); nullopt otherwise or on overflow.
  std::optional<std::int64_t> as_int() const;

  // Object member by key, or nullptr (also for non-objects).
  const Value* find(std::string_view key) const;
  // Nested members, one key per level: find({"spec", "template", "spec"}). Keys may contain dots
  // (labels such as "app.kubernetes.io/name"), so paths are never split on '.'.
  const Value* find(std::initializer_list<std::string_view> path) const;
  // Member by key, or a shared null Value: chains like v["spec"]["type"].str() never fail.
  const Value& operator[](std::string_view key) const;
  // Array element, or the shared null Value when out of range or not an array.
  const Value& operator[](std::size_t index) const;

  std::span<const Value> items() const { return items_; }          // empty unless array
  std::span<const Member> members() const { return members_; }     // empty unless object
  std::size_t size() const { return is_array() ? items_.size() : members_.size(); }

  // Building (readers and tests). push_back/set turn a null Value into an array/object.
  Value& push_back(Value item);
  Value& set(std::string key, Value value);   // replaces an existing member of that key
  bool erase(std::string_view key);
  Value* find_mutable(std::string_view key);

  // The shared null Value returned by the lookups above.
  static const Value& null_ref();

  // Readers build a whole collection at once: set() looks for the key on every call, which
  // makes a mapping of n keys cost n²/2 comparisons, and a reader must stay linear on hostile
  // input. from_members keeps one member per key as set() would (the last value, at the first
  // key's position), found with one sort when the mapping is large.
  static Value from_items(std::vector<Value> items, int line = 0);
  static Value from_members(std::vector<Member> members, int line = 0);
  // Moves the elements out of an array (a `List` becomes its items without copying them).
  std::vector<Value> take_items();

 private:
  friend class detail::TapeBuilder;

  Type type_ = Type::null;
  int line_ = 0;
  std::string text_;
  std::vector<Value> items_;
  std::vector<Member> members_;

  void keep_last_of_each_key();
};

inline Value Value::from_items(std::vector<Value> items, int line) {
  Value v = array(line);
  v.items_ = std::move(items);
  return v;
}

inline Value Value::from_members(std::vector<Member> members, int line) {
  Value v = object(line);
  v.members_ = std::move(members);
  v.keep_last_of_each_key();
  return v;
}

inline std::vector<Value> Value::take_items() {
  std::vector<Value> out = std::move(items_);
  items_.clear();
  return out;
}

inline void Value::keep_last_of_each_key() {
  const std::size_t n = members_.size();
  if (n < 2) return;
  constexpr std::size_t kLinear = 16;  // up to this, pairwise comparison beats sorting (and allocates nothing)
  std::vector<std::uint32_t> order;   // member indexes, equal keys adjacent and in input order
  bool duplicates = false;
  if (n <= kLinear) {
    for (std::size_t i = 1; i < n && !duplicates; ++i)
      for (std::size_t j = 0; j < i && !duplicates; ++j) duplicates = members_[i].first == members_[j].first;
    if (!duplicates) return;
  }
  order.resize(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  std::stable_sort(order.begin(), order.end(),
                   [this](std::uint32_t a, std::uint32_t b) { return members_[a].first < members_[b].first; });
  std::vector<bool> dropped(n, false);
  for (std::size_t run = 0; run < n;) {
    std::size_t end = run + 1;
    while (end < n && members_[order[end]].first == members_[order[run]].first) ++end;
    if (end - run > 1) {
      members_[order[run]].second = std::move(members_[order[end - 1]].second);
      for (std::size_t k = run + 1; k < end; ++k) dropped[order[k]] = true;
      duplicates = true;
    }
    run = end;
  }
  if (!duplicates) return;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < n; ++i)
    if (!dropped[i]) {
      if (kept != i) members_[kept] = std::move(members_[i]);
      ++kept;
    }
  members_.resize(kept);
}

// Compact JSON text of a value (for evidence and tests); strings escaped, at most max_len bytes.
std::string to_json(const Value& value, std::size_t max_len = 4096);

}  // namespace mg::kube
