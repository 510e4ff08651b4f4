#pragma once
// A Value tree from simdjson's DOM tape, for one-line JSON whose nodes need no line numbers (the
// objects inside an audit event). The DOM parser builds its tape in one tight pass, and each
// collection is then built at its final size: cheaper than iterating On-Demand and collecting
// members on a stack, which the line-numbered reader (json_reader.cpp) needs for positions.
// Private to src/kube.
#include <simdjson.h>

#include <string_view>

#include "kube/value.hpp"

namespace mg::kube::detail {

// `text` must be followed by SIMDJSON_PADDING readable bytes. Every node is on line 1. Numbers
// keep the text their value prints as, which for the integers Kubernetes objects hold is the text
// the API server wrote ("0.50" would read "0.5"). A failure is simdjson's code (DEPTH_ERROR past
// `max_depth` levels); read_json_value words it as it does its own, and `into` is then null.
// `into` is built over in place, reusing the storage of what it held (see TapeBuilder).
simdjson::error_code build_json_tape_value(std::string_view text, int max_depth, Value& into);
// The same from a value simdjson's DOM parser has already parsed.
simdjson::error_code build_json_tape_value(const simdjson::dom::element& root, int max_depth, Value& into);

}  // namespace mg::kube::detail
