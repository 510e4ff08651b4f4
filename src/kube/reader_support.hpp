#pragma once
// What the YAML and the JSON reader share (private to src/kube): locating a byte offset as a line,
// the checks every input goes through before parsing, and turning one parsed document into
// objects (List expansion, skip-with-warning). Implemented in reader.cpp.
#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "kube/reader.hpp"
#include "kube/value.hpp"

namespace mg::kube::detail {

// The deepest nesting a reader builds, whatever max_depth says: trees are built, copied and freed
// recursively (and yaml-cpp's parser recurses, refusing at 2000 levels), so the stack bounds it.
// A thousand levels fit with room to spare, also under AddressSanitizer.
inline constexpr int kDeepestNesting = 1000;
inline int depth_limit(const ReadLimits& limits) { return std::clamp(limits.max_depth, 1, kDeepestNesting); }

// "file:line", the prefix of every message about a place in the input.
std::string where(std::string_view file, int line);

// The 1-based line of a byte offset (offsets past the end are on the last line).
int line_at(std::string_view text, std::size_t offset);

// A UTF-8 byte order mark is not part of the document.
std::string_view skip_bom(std::string_view text);

// The input as a whole: not over max_input_bytes, UTF-8 (an error names the line of the first bad
// byte). `text` starts after any BOM.
core::Result<void> check_input(std::string_view text, std::string_view file, const ReadLimits& limits);

// One parsed document (or JSON value) into out.objects: a mapping with a string `kind` is an
// object; a `*List` with `items` becomes its items; anything else is skipped with a warning.
// `document` is 0-based; warnings count from 1, as people do.
void add_document(Value root, int document, std::string_view file, ReadResult& out);

// read_json_objects for text already followed by kJsonPadding readable bytes (zeroed), as
// read_paths' buffers are: simdjson parses it in place instead of copying it into padding.
inline constexpr std::size_t kJsonPadding = 64;  // == simdjson::SIMDJSON_PADDING (checked in json_reader.cpp)
core::Result<ReadResult> read_padded_json_objects(std::string_view text, std::string_view file,
                                                  const ReadLimits& limits);

}  // namespace mg::kube::detail
