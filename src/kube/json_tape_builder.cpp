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

// The text a number prints as (32 characters hold any int64, uint64 or shortest double).
template <typename Number>
std::string_view number_text(Number n, std::array<char, 32>& buffer) {
  const auto [end, ec] = std::to_chars(buffer.data(), buffer.data() + buffer.size(), n);
  (void)ec;
  return std::string_view(buffer.data(), static_cast<std::size_t>(end - buffer.data()));
}

}  // namespace

// Builds over whatever `out` held before: strings and vectors keep their capacity, so a caller
// that parses one similar object after another (an audit log's request objects) allocates only
// where a value is larger than the one it replaces, and frees nothing in between.
class TapeBuilder {
 public:
  explicit TapeBuilder(int max_depth) : max_depth_(max_depth) {}

  error_code build(dom::element element, int depth, Value& out) const {
    out.line_ = 1;
    switch (element.type()) {
      case dom::element_type::OBJECT: {
        if (depth > max_depth_) return simdjson::DEPTH_ERROR;
        const dom::object object = element.get_object().value_unsafe();
        become(out, Value::Type::object);
        out.members_.resize(object.size());
        std::size_t i = 0;
        for (const dom::key_value_pair field : object) {
          Value::Member& member = out.members_[i++];
          member.first.assign(field.key);
          if (auto error = build(field.value, depth + 1, member.second)) return error;
        }
        out.keep_last_of_each_key();
        return simdjson::SUCCESS;
      }
      case dom::element_type::ARRAY: {
        if (depth > max_depth_) return simdjson::DEPTH_ERROR;
        const dom::array array = element.get_array().value_unsafe();
        become(out, Value::Type::array);
        out.items_.resize(array.size());
        std::size_t i = 0;
        for (const dom::element item : array)
          if (auto error = build(item, depth + 1, out.items_[i++])) return error;
        return simdjson::SUCCESS;
      }
      case dom::element_type::STRING: scalar(out, Value::Type::string, element.get_string().value_unsafe()); break;
      case dom::element_type::INT64: number(out, element.get_int64().value_unsafe()); break;
      case dom::element_type::UINT64: number(out, element.get_uint64().value_unsafe()); break;
      case dom::element_type::DOUBLE: number(out, element.get_double().value_unsafe()); break;
      case dom::element_type::BOOL:
        scalar(out, Value::Type::boolean, element.get_bool().value_unsafe() ? "true" : "false");
        break;
      case dom::element_type::NULL_VALUE: scalar(out, Value::Type::null, {}); break;
      default: return simdjson::TAPE_ERROR;
    }
    return simdjson::SUCCESS;
  }

 private:
  int max_depth_;

  // A collection of `type`: the other kind of collection and any text are emptied (their
  // capacity stays for the next value built here).
  static void become(Value& out, Value::Type type) {
    out.type_ = type;
    out.text_.clear();
    if (type == Value::Type::object) out.items_.clear();
    else out.members_.clear();
  }
  static void scalar(Value& out, Value::Type type, std::string_view text) {
    out.type_ = type;
    out.text_.assign(text);
    out.items_.clear();
    out.members_.clear();
  }
  template <typename Number>
  static void number(Value& out, Number n) {
    std::array<char, 32> buffer{};
    scalar(out, Value::Type::number, number_text(n, buffer));
  }
};

simdjson::error_code build_json_tape_value(std::string_view text, int max_depth, Value& into) {
  // One parser per thread: its buffers grow to the largest value once, not per call.
  thread_local dom::parser parser;
  dom::element root;
  // realloc_if_needed = false: the caller's padding is there, the text is parsed where it is.
  if (const error_code error = parser.parse(text.data(), text.size(), false).get(root)) {
    into = Value();
    return error;
  }
  return build_json_tape_value(root, max_depth, into);
}

simdjson::error_code build_json_tape_value(const simdjson::dom::element& root, int max_depth, Value& into) {
  const error_code error = TapeBuilder(max_depth).build(root, 1, into);
  if (error != simdjson::SUCCESS) into = Value();
  return error;
}

}  // namespace mg::kube::detail
