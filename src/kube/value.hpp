#pragma once
// A parsed YAML or JSON value, the one tree every check reads. Scalars keep their source text
// (numbers are not converted, so "0777" and 1e3 stay as written); every node remembers the
// 1-based line it started on, so a finding can name the exact line of the field to change.
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mg::kube {

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

 private:
  Type type_ = Type::null;
  int line_ = 0;
  std::string text_;
  std::vector<Value> items_;
  std::vector<Member> members_;
};

// Compact JSON text of a value (for evidence and tests); strings escaped, at most max_len bytes.
std::string to_json(const Value& value, std::size_t max_len = 4096);

}  // namespace mg::kube
