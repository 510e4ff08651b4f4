#include "kube/json_tape_builder.hpp"

#include <array>
#include <charconv>
#include <string>
#include <utility>
#include <vector>

namespace mg::kube::detail {
namespace {

namespace dom = simdjson::dom;
using simdjson::error_code;

template <typename Number>
Value number_value(Number n) {
  std::array<char, 32> buffer{};
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n);
  (void)ec;  // 32 characters hold any int64, uint64 or shortest double
  return Value::number(std::string(buffer.data(), end), 1);
}

class TapeBuilder {
 public:
  explicit TapeBuilder(int max_depth) : max_depth_(max_depth) {}

  error_code build(dom::element element, int depth, Value& out) const {
    switch (element.type()) {
      case dom::element_type::OBJECT: {
        if (depth > max_depth_) return simdjson::DEPTH_ERROR;
        const dom::object object = element.get_object().value_unsafe();
        std::vector<Value::Member> members;
        members.reserve(object.size());
        // Children are built in place: the vector was sized first and never moves.
        for (const dom::key_value_pair field : object) {
          members.emplace_back(std::string(field.key), Value());
          if (auto error = build(field.value, depth + 1, members.back().second)) return error;
        }
        out = Value::from_members(std::move(members), 1);
        return simdjson::SUCCESS;
      }
      case dom::element_type::ARRAY: {
        if (depth > max_depth_) return simdjson::DEPTH_ERROR;
        const dom::array array = element.get_array().value_unsafe();
        std::vector<Value> items(array.size());
        std::size_t i = 0;
        for (const dom::element item : array)
          if (auto error = build(item, depth + 1, items[i++])) return error;
        out = Value::from_items(std::move(items), 1);
        return simdjson::SUCCESS;
      }
      case dom::element_type::STRING:
        out = Value::string(std::string(element.get_string().value_unsafe()), 1);
        return simdjson::SUCCESS;
      case dom::element_type::INT64: out = number_value(element.get_int64().value_unsafe()); return simdjson::SUCCESS;
      case dom::element_type::UINT64: out = number_value(element.get_uint64().value_unsafe()); return simdjson::SUCCESS;
      case dom::element_type::DOUBLE: out = number_value(element.get_double().value_unsafe()); return simdjson::SUCCESS;
      case dom::element_type::BOOL: out = Value::boolean(element.get_bool().value_unsafe(), 1); return simdjson::SUCCESS;
      case dom::element_type::NULL_VALUE: out = Value::null_value(1); return simdjson::SUCCESS;
    }
    return simdjson::TAPE_ERROR;
  }

 private:
  int max_depth_;
};

}  // namespace

std::expected<Value, error_code> build_json_tape_value(std::string_view text, int max_depth) {
  // One parser per thread: its buffers grow to the largest value once, not per call.
  thread_local dom::parser parser;
  dom::element root;
  // realloc_if_needed = false: the caller's padding is there, the text is parsed where it is.
  error_code error = parser.parse(text.data(), text.size(), false).get(root);
  Value out;
  if (error == simdjson::SUCCESS) error = TapeBuilder(max_depth).build(root, 1, out);
  if (error != simdjson::SUCCESS) return std::unexpected(error);
  return out;
}

}  // namespace mg::kube::detail
