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
// tree does: every object field (key unescaped), every array element, every string unescaped,
// every number's raw token, every true/false/null checked. The input is read the cheapest way
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

namespace {

namespace ondemand = simdjson::ondemand;
using simdjson::error_code;

struct Counts {
  std::uint64_t items = 0;         // elements of the top-level "items" array, or documents
  std::uint64_t values = 0;        // every value visited (scalars and containers)
  std::uint64_t string_bytes = 0;  // bytes of keys and strings after unescaping, number tokens
};

// ---- JSON, On-Demand: visit everything ------------------------------------------------------

error_code walk(ondemand::value value, Counts& counts, int depth);

error_code walk_object(ondemand::object object, Counts& counts, int depth) {
  for (auto result : object) {
    ondemand::field field;
    if (auto error = std::move(result).get(field)) return error;
    std::string_view key;
    if (auto error = field.unescaped_key().get(key)) return error;
    counts.string_bytes += key.size();
    const bool items = depth == 0 && key == "items";
    if (items) {
      // The List's items: counted one by one, each walked.
      ondemand::array array;
      if (auto error = field.value().get_array().get(array)) return error;
      ++counts.values;
      for (auto element : array) {
        ondemand::value item;
        if (auto error = std::move(element).get(item)) return error;
        ++counts.items;
        if (auto error = walk(item, counts, depth + 2)) return error;
      }
      continue;
    }
    if (auto error = walk(field.value(), counts, depth + 1)) return error;
  }
  return simdjson::SUCCESS;
}

error_code walk(ondemand::value value, Counts& counts, int depth) {
  ++counts.values;
  ondemand::json_type type;
  if (auto error = value.type().get(type)) return error;
  switch (type) {
    case ondemand::json_type::object: {
      ondemand::object object;
      if (auto error = value.get_object().get(object)) return error;
      return walk_object(object, counts, depth);
    }
    case ondemand::json_type::array: {
      ondemand::array array;
      if (auto error = value.get_array().get(array)) return error;
      for (auto element : array) {
        ondemand::value item;
        if (auto error = std::move(element).get(item)) return error;
        if (auto error = walk(item, counts, depth + 1)) return error;
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
      if (!error) error = walk(root, counts, 0);
    } else if (!error) {
      std::string_view token;  // a scalar document: its token is all there is
      error = doc.raw_json_token().get(token);
      ++counts.values;
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
              static_cast<unsigned long long>(documents), static_cast<unsigned long long>(counts.values),
              static_cast<unsigned long long>(counts.string_bytes));
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
