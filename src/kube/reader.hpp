#pragma once
// Reading Kubernetes objects from YAML (multi-document) and JSON (one object, a `List` as
// `kubectl get -o json` prints it, or several values one after another), from text, files,
// directories or stdin. The input is untrusted: every limit below is enforced, malformed input is
// an Error naming file and line, and an object that cannot be used is skipped with a warning.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "kube/object.hpp"

namespace simdjson::dom {
class element;
}

namespace mg::kube {

struct ReadLimits {
  std::uint64_t max_input_bytes = 1ull << 30;        // one file or stdin
  std::uint64_t max_document_bytes = 64ull << 20;    // one YAML document (JSON: max_input_bytes)
  std::uint64_t max_nodes_per_document = 2'000'000;  // copied by YAML aliases (anchor bombs)
  int max_depth = 256;                               // nesting of mappings/sequences
};

struct ReadResult {
  std::vector<Object> objects;
  // One line each: "file:line: skipped document 3: not a mapping". Never fatal.
  std::vector<std::string> warnings;
  std::uint64_t bytes = 0;       // input bytes read
  std::uint64_t documents = 0;   // YAML documents / JSON values seen (before List expansion)
};

// Moves `from`'s objects and warnings to the end of `into` and adds up its counters.
void append(ReadResult& into, ReadResult&& from);

// Chooses JSON when the first non-space byte is '{' or '[', YAML otherwise. `file` names the input
// in objects and messages. Items of a `*List` (kind ending in "List" with `items`) become objects
// of their own, each with the line it starts on.
core::Result<ReadResult> read_objects(std::string_view text, std::string_view file, const ReadLimits& limits = {});
core::Result<ReadResult> read_yaml_objects(std::string_view text, std::string_view file,
                                           const ReadLimits& limits = {});
core::Result<ReadResult> read_json_objects(std::string_view text, std::string_view file,
                                           const ReadLimits& limits = {});

// One YAML document kept inside a string (a ConfigMap's config.yaml, Istio's mesh config), parsed
// with the same limits and line numbers as a manifest: `first_line` is the line its text starts
// on in the manifest. Errors read "name:line: …". Empty or comment-only text is null.
core::Result<Value> read_yaml_value(std::string_view text, std::string_view name, int first_line,
                                    const ReadLimits& limits = {});

// One JSON value (the object inside an API request) as a Value tree, with lines counted from its
// first byte. Errors read "name:line: …".
struct JsonValueOptions {
  bool padded = false;       // text is followed by 64 readable bytes (simdjson's padding): parsed in place
  bool count_lines = true;   // false: every node is on line 1 (one-line JSON; saves a pass over the bytes)
};
core::Result<Value> read_json_value(std::string_view text, std::string_view name, const ReadLimits& limits = {},
                                    JsonValueOptions options = {});
// A tree from JSON simdjson's DOM parser has already parsed (a caller that reads other fields of
// the document first parses it once), built over what `into` held: its strings and vectors are
// reused, so reading one similar object after another (an audit log's request objects) allocates
// little. Every node is on line 1; fails only past limits.max_depth, and `into` is then null.
core::Result<void> read_json_value_into(Value& into, const simdjson::dom::element& parsed, std::string_view name,
                                        const ReadLimits& limits = {});

// Files, directories (recursively: *.yaml, *.yml, *.json, in name order) and "-" for stdin.
// Objects are appended in argument order. Nothing is modified.
core::Result<ReadResult> read_paths(const std::vector<std::string>& paths, const ReadLimits& limits = {});

}  // namespace mg::kube
