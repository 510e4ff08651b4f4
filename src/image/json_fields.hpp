#pragma once
// Reading typed fields of untrusted JSON (simdjson DOM) into values or errors naming the field.
#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mg::image {

// The string at `key`, or "" when absent or not a string.
inline std::string optional_string(simdjson::dom::element parent, std::string_view key) {
  std::string_view text;
  if (parent[key].get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

// An array of strings; absent or null is an empty list, any other type an error naming
// `where` and the field (what a runtime would reject, we do not guess at).
inline core::Result<std::vector<std::string>> string_list(simdjson::dom::element parent, std::string_view key,
                                                          std::string_view where) {
  std::vector<std::string> out;
  simdjson::dom::element value;
  if (parent[key].get(value) != simdjson::SUCCESS || value.is_null()) return out;
  simdjson::dom::array items;
  if (value.get_array().get(items) != simdjson::SUCCESS)
    return core::fail(core::ErrorCode::invalid_input, std::string(where) + "." + std::string(key) + " is not an array");
  for (simdjson::dom::element item : items) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS)
      return core::fail(core::ErrorCode::invalid_input,
                        std::string(where) + "." + std::string(key) + " holds a value that is not a string");
    out.emplace_back(text);
  }
  return out;
}

}  // namespace mg::image
