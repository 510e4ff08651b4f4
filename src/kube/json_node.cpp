#include "kube/json_node.hpp"

#include <array>
#include <charconv>

namespace mg::kube {

namespace dom = simdjson::dom;

std::string_view JsonNode::str(std::string_view fallback) const {
  if (!present_) return fallback;
  switch (element_.type()) {
    case dom::element_type::STRING: return element_.get_string().value_unsafe();
    case dom::element_type::BOOL: return element_.get_bool().value_unsafe() ? "true" : "false";
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
    case dom::element_type::DOUBLE: {
      // The text a tree read from this JSON keeps (json_tape_builder.cpp prints numbers the same way).
      thread_local std::array<std::array<char, 32>, kNumberTexts> ring{};
      thread_local std::size_t next = 0;
      auto& buffer = ring[next++ % kNumberTexts];
      std::to_chars_result written{};
      if (element_.type() == dom::element_type::INT64)
        written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), element_.get_int64().value_unsafe());
      else if (element_.type() == dom::element_type::UINT64)
        written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), element_.get_uint64().value_unsafe());
      else
        written = std::to_chars(buffer.data(), buffer.data() + buffer.size(), element_.get_double().value_unsafe());
      return std::string_view(buffer.data(), static_cast<std::size_t>(written.ptr - buffer.data()));
    }
    default: return fallback;
  }
}

std::optional<bool> JsonNode::as_bool() const {
  if (!present_) return std::nullopt;
  if (element_.type() == dom::element_type::BOOL) return element_.get_bool().value_unsafe();
  if (element_.type() == dom::element_type::STRING) {
    const std::string_view text = element_.get_string().value_unsafe();
    if (text == "true") return true;
    if (text == "false") return false;
  }
  return std::nullopt;
}

JsonNode JsonNode::find(std::string_view key) const {
  if (!is_object()) return {};
  JsonNode found;
  const dom::object object = element_.get_object().value_unsafe();
  // key_equals compares lengths before it reads a key's bytes.
  for (auto member = object.begin(), end = object.end(); member != end; ++member)
    if (member.key_equals(key)) found = JsonNode(member.value());   // the last one, as a tree keeps it
  return found;
}

JsonNode JsonNode::find(std::initializer_list<std::string_view> path) const {
  JsonNode at = *this;
  for (auto key : path) {
    at = at.find(key);
    if (!at) return {};
  }
  return at;
}

std::size_t JsonNode::size() const {
  if (is_array()) return element_.get_array().value_unsafe().size();
  if (is_object()) return element_.get_object().value_unsafe().size();
  return 0;
}

JsonNode::Items JsonNode::items() const {
  return is_array() ? Items(element_.get_array().value_unsafe()) : Items();
}

JsonNode::Members JsonNode::members() const {
  return is_object() ? Members(element_.get_object().value_unsafe()) : Members();
}

}  // namespace mg::kube
