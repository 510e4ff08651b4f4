// mg-parse-floor: the cost of merely parsing a manifest snapshot with the libraries `minerguard
// audit` reads it with, and nothing else — the floor bench/run_audit_bench.sh compares it with.
//
//   mg-parse-floor json FILE         simdjson On-Demand, every value visited (see below)
//   mg-parse-floor json-dom FILE     simdjson DOM: validates and builds the tape of the whole input
//   mg-parse-floor yaml FILE         yaml-cpp YAML::LoadAll: a YAML::Node graph per document
//   mg-parse-floor yaml-events FILE  yaml-cpp's event parser with a handler that does nothing (what
//                                    minerguard's reader drives; LoadAll builds Nodes on top of it)
//
// Each prints what it counted (top-level items of a `List`, or documents; values; string bytes),
// so no work can be optimised away. Exit 0 on success, 2 on a parse or I/O error.
//
// On-Demand parses lazily: a value that is never visited costs only stage 1 (structural indexing
// and UTF-8 validation of the whole input). So `json` walks everything, as a reader building a
// tree does (bench/ondemand_walk.hpp, shared with mg-audit-log-floor): every object field (key
// unescaped), every array element, every string unescaped, every number's raw token, every
// true/false/null checked. The input is read the cheapest way
// simdjson offers (padded_string::load: one read into a padded buffer) and iterated as
// minerguard's reader does (iterate_many, one batch spanning the input). Stage 1 and string
// unescaping run the kernel simdjson picks for the CPU at run time (both APIs); On-Demand's inline
// iteration is compiled for what the compiler flags allow (simdjson's "builtin" implementation,
// `fallback` for plain x86-64 without -march). Each mode prints the kernels it used.
#include <simdjson.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <istream>
#include <iterator>
#include <streambuf>
#include <string>
#include <string_view>

#include "ondemand_walk.hpp"

namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

struct Counts {
  std::uint64_t items = 0;  // elements of the top-level "items" array, or documents
  mg_bench::WalkCounts walk;  // values visited; bytes of keys, strings and number tokens
};

// ---- JSON, On-Demand: visit everything ------------------------------------------------------

// A document's root: a List's items are counted one by one, each walked; everything else is
// walked by mg_bench::walk (bench/ondemand_walk.hpp).
error_code walk_root(ondemand::value root, Counts& counts) {
  ondemand::json_type type;
  if (auto error = root.type().get(type)) return error;
  if (type != ondemand::json_type::object) return mg_bench::walk(root, counts.walk);
  ++counts.walk.values;
  ondemand::object object;
  if (auto error = root.get_object().get(object)) return error;
  for (auto result : object) {
    ondemand::field field;
    if (auto error = std::move(result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    counts.walk.string_bytes += key.size();
    if (key != "items") {
      if (auto error = mg_bench::walk(field.value(), counts.walk)) return error;
      continue;
    }
    ondemand::array array;
    if (auto error = field.value().get_array().get(array)) return error;
    ++counts.walk.values;
    for (auto element : array) {
      ondemand::value item;
      if (auto error = std::move(element).get(item)) return error;
      ++counts.items;
      if (auto error = mg_bench::walk(item, counts.walk)) return error;
    }
  }
  return simdjson::SUCCESS;
}

int json_ondemand(const char* path) {
  simdjson::padded_string text;
  if (auto error = simdjson::padded_string::load(path).get(text)) {
    std::fprintf(stderr, "mg-parse-floor: %s: %s\n", path, simdjson::error_message(error));
    return 2;
  }
  ondemand::parser parser;
  const std::size_t batch = std::max<std::size_t>(text.size(), simdjson::dom::MINIMAL_BATCH_SIZE);
  ondemand::document_stream stream;
  if (auto error = parser.iterate_many(text.data(), text.size(), batch).get(stream)) {
    std::fprintf(stderr, "mg-parse-floor: %s: %s\n", path, simdjson::error_message(error));
    return 2;
  }
  Counts counts;
  std::uint64_t documents = 0;
  for (auto result : stream) {
    ondemand::document_reference doc;
    error_code error = std::move(result).get(doc);
    ondemand::json_type type{};
    if (!error) error = doc.type().get(type);
    if (!error && (type == ondemand::json_type::object || type == ondemand::json_type::array)) {
      ondemand::value root;
      error = doc.get_value().get(root);
      if (!error) error = walk_root(root, counts);
    } else if (!error) {
      std::string_view token;  // a scalar document: its token is all there is
      error = doc.raw_json_token().get(token);
      ++counts.walk.values;
    }
    if (error) {
      std::fprintf(stderr, "mg-parse-floor: %s: document %llu: %s\n", path,
                   static_cast<unsigned long long>(documents + 1), simdjson::error_message(error));
      return 2;
    }
    ++documents;
  }
  if (stream.truncated_bytes() > 0) {
    std::fprintf(stderr, "mg-parse-floor: %s: incomplete JSON at the end\n", path);
    return 2;
  }
  if (counts.items == 0) counts.items = documents;
  std::printf("json (On-Demand, every value; stage 1 %s, iteration %s): %llu items, %llu documents, %llu values, "
              "%llu string bytes\n",
              simdjson::get_active_implementation()->name().c_str(), simdjson::builtin_implementation()->name().c_str(),
              static_cast<unsigned long long>(counts.items),
              static_cast<unsigned long long>(documents), static_cast<unsigned long long>(counts.walk.values),
              static_cast<unsigned long long>(counts.walk.string_bytes));
  return 0;
}

// ---- JSON, DOM ------------------------------------------------------------------------------

int json_dom(const char* path) {
  simdjson::padded_string text;
  if (auto error = simdjson::padded_string::load(path).get(text)) {
    std::fprintf(stderr, "mg-parse-floor: %s: %s\n", path, simdjson::error_message(error));
    return 2;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (auto error = parser.parse(text).get(root)) {
    std::fprintf(stderr, "mg-parse-floor: %s: %s\n", path, simdjson::error_message(error));
    return 2;
  }
  std::uint64_t items = 1;
  simdjson::dom::array array;
  if (root.is_object() && root["items"].get_array().get(array) == simdjson::SUCCESS) items = array.size();
  std::printf("json-dom (DOM tape; %s): %llu items\n", simdjson::get_active_implementation()->name().c_str(),
              static_cast<unsigned long long>(items));
  return 0;
}

// ---- YAML -----------------------------------------------------------------------------------

bool read_text(const char* path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

// Reads the text in place, as minerguard's reader does.
class MemoryBuffer final : public std::streambuf {
 public:
  explicit MemoryBuffer(std::string& text) { setg(text.data(), text.data(), text.data() + text.size()); }
};

int yaml_load_all(const char* path) {
  std::string text;
  if (!read_text(path, text)) {
    std::fprintf(stderr, "mg-parse-floor: %s: cannot read\n", path);
    return 2;
  }
  MemoryBuffer buffer(text);
  std::istream stream(&buffer);
  std::size_t documents = 0;
  try {
    documents = YAML::LoadAll(stream).size();
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "mg-parse-floor: %s: %s\n", path, e.what());
    return 2;
  }
  std::printf("yaml (YAML::LoadAll): %zu documents\n", documents);
  return 0;
}

class CountingHandler final : public YAML::EventHandler {
 public:
  std::uint64_t events = 0;
  std::uint64_t scalar_bytes = 0;

  void OnDocumentStart(const YAML::Mark&) override { ++events; }
  void OnDocumentEnd() override { ++events; }
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { ++events; }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string& value) override {
    ++events;
    scalar_bytes += value.size();
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnSequenceEnd() override { ++events; }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    ++events;
  }
  void OnMapEnd() override { ++events; }
};

int yaml_events(const char* path) {
  std::string text;
  if (!read_text(path, text)) {
    std::fprintf(stderr, "mg-parse-floor: %s: cannot read\n", path);
    return 2;
  }
  MemoryBuffer buffer(text);
  std::istream stream(&buffer);
  CountingHandler handler;
  std::uint64_t documents = 0;
  try {
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(handler)) ++documents;
  } catch (const YAML::Exception& e) {
    std::fprintf(stderr, "mg-parse-floor: %s: %s\n", path, e.what());
    return 2;
  }
  std::printf("yaml-events (YAML::Parser, no-op handler): %llu documents, %llu events, %llu scalar bytes\n",
              static_cast<unsigned long long>(documents), static_cast<unsigned long long>(handler.events),
              static_cast<unsigned long long>(handler.scalar_bytes));
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: mg-parse-floor json|json-dom|yaml|yaml-events FILE\n");
    return 2;
  }
  const std::string_view mode = argv[1];
  if (mode == "json") return json_ondemand(argv[2]);
  if (mode == "json-dom") return json_dom(argv[2]);
  if (mode == "yaml") return yaml_load_all(argv[2]);
  if (mode == "yaml-events") return yaml_events(argv[2]);
  std::fprintf(stderr, "mg-parse-floor: unknown mode '%s' (json, json-dom, yaml, yaml-events)\n", argv[1]);
  return 2;
}
