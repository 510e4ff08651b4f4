// The floors' On-Demand walk (bench/parse_floor.cpp, bench/audit_log_floor.cpp): visits every
// value of a document, so that the whole of it really is parsed.
//
// On-Demand parses lazily: a value that is never visited costs only stage 1 (structural indexing
// and UTF-8 validation of the whole input). A floor that skipped values would be no floor, so this
// walks everything, as a reader building a tree does: every object field (key unescaped), every
// array element, every string unescaped, every number's raw token, every true/false/null checked.
// What it counts is printed by the callers, so no work can be optimised away.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <string_view>
#include <utility>

namespace mg_bench {

struct WalkCounts {
  std::uint64_t values = 0;        // every value visited (scalars and containers)
  std::uint64_t string_bytes = 0;  // bytes of keys and strings after unescaping, number tokens
};

inline simdjson::error_code walk(simdjson::ondemand::value value, WalkCounts& counts);

// The fields of an object, each key unescaped and each value walked.
inline simdjson::error_code walk_object(simdjson::ondemand::object object, WalkCounts& counts) {
  for (auto result : object) {
    simdjson::ondemand::field field;
    if (auto error = std::move(result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    counts.string_bytes += key.size();
    if (auto error = walk(field.value(), counts)) return error;
  }
  return simdjson::SUCCESS;
}

inline simdjson::error_code walk(simdjson::ondemand::value value, WalkCounts& counts) {
  namespace ondemand = simdjson::ondemand;
  ++counts.values;
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      return walk_object(object, counts);
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        ondemand::value item;
        if (auto error = std::move(element).get(item)) return error;
        if (auto error = walk(item, counts)) return error;
      }
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::string: {
      std::string_view text;
      if (auto error = value.get_string().get(text)) return error;
      counts.string_bytes += text.size();
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::number: {
      counts.string_bytes += value.raw_json_token().size();
      return simdjson::SUCCESS;
    }
    case ondemand::json_type::boolean: {
      bool b = false;
      return value.get_bool().get(b);
    }
    case ondemand::json_type::null: {
      bool null = false;
      if (auto error = value.is_null().get(null)) return error;
      return null ? simdjson::SUCCESS : simdjson::N_ATOM_ERROR;
    }
  }
  return simdjson::TAPE_ERROR;
}

}  // namespace mg_bench
