// read_json_value: one JSON value as a tree, with line numbers (the On-Demand reader) or without
// them (the DOM tape reader, for one-line JSON such as the objects inside audit events). Both
// must build the same tree from the same text. read_json_value_into builds it from a parsed DOM
// over an earlier tree.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "kube/reader.hpp"
#include "traffic_generator.hpp"

namespace mg::kube {
namespace {

// The same tree, lines aside: types, scalar texts, keys in order, items in order.
::testing::AssertionResult same_tree(const Value& a, const Value& b, const std::string& at = "$") {
  if (a.type() != b.type()) return ::testing::AssertionFailure() << at << ": types differ";
  if (a.text() != b.text())
    return ::testing::AssertionFailure() << at << ": \"" << a.text() << "\" vs \"" << b.text() << "\"";
  if (a.size() != b.size()) return ::testing::AssertionFailure() << at << ": sizes differ";
  for (std::size_t i = 0; i < a.members().size(); ++i) {
    if (a.members()[i].first != b.members()[i].first)
      return ::testing::AssertionFailure() << at << ": key " << a.members()[i].first << " vs " << b.members()[i].first;
    if (auto r = same_tree(a.members()[i].second, b.members()[i].second, at + "." + a.members()[i].first); !r) return r;
  }
  for (std::size_t i = 0; i < a.items().size(); ++i)
    if (auto r = same_tree(a.items()[i], b.items()[i], at + "[" + std::to_string(i) + "]"); !r) return r;
  return ::testing::AssertionSuccess();
}

core::Result<Value> without_lines(const std::string& text, const ReadLimits& limits = {}) {
  return read_json_value(text, "requestObject", limits, {.padded = false, .count_lines = false});
}

TEST(JsonValue, WithoutLinesEveryNodeIsOnLineOneAndTheTreeIsTheSame) {
  const std::string text =
      R"({"kind":"Pod","metadata":{"name":"p","labels":{"a":"1"}},"spec":{"containers":[{"name":"c","image":"i",)"
      R"("args":["--x","y"],"ports":[{"containerPort":8080}],"stdin":true,"tty":false,"env":null}]},"status":{}})";
  auto lines = read_json_value(text, "requestObject");
  auto flat = without_lines(text);
  ASSERT_TRUE(lines.has_value()) << lines.error().message;
  ASSERT_TRUE(flat.has_value()) << flat.error().message;
  EXPECT_TRUE(same_tree(*lines, *flat));
  EXPECT_EQ((*flat)["spec"]["containers"][0]["ports"][0]["containerPort"].as_int(), 8080);
  EXPECT_EQ((*flat)["spec"]["containers"][0]["args"][1].line(), 1);
}

TEST(JsonValue, WithoutLinesNumbersReadAsTheirValuesPrint) {
  auto flat = without_lines(R"([0, -5, 420, 18446744073709551615, 0.5, 0.50, 1e3, -2.5e-3])");
  ASSERT_TRUE(flat.has_value()) << flat.error().message;
  std::vector<std::string> texts;
  for (const auto& item : flat->items()) texts.emplace_back(item.text());
  EXPECT_EQ(texts, (std::vector<std::string>{"0", "-5", "420", "18446744073709551615", "0.5", "0.5", "1000", "-0.0025"}));
}

TEST(JsonValue, WithoutLinesDuplicateKeysKeepTheLastValue) {
  auto flat = without_lines(R"({"image":"good:1","image":"ddsfdfsaadfs/dfsdf:99"})");
  ASSERT_TRUE(flat.has_value());
  EXPECT_EQ(flat->size(), 1u);
  EXPECT_EQ((*flat)["image"].str(), "ddsfdfsaadfs/dfsdf:99");
}

TEST(JsonValue, WithoutLinesBadInputIsAnErrorNamingTheValue) {
  for (const std::string bad : {R"({"a":)", R"({"a":1} x)", R"({"a":tru})", "", R"({"a":"\u00"})"}) {
    auto flat = without_lines(bad);
    ASSERT_FALSE(flat.has_value()) << bad;
    EXPECT_EQ(flat.error().code, core::ErrorCode::invalid_input) << bad;
    EXPECT_TRUE(flat.error().message.starts_with("requestObject:1: invalid JSON: ")) << flat.error().message;
  }
  ReadLimits shallow;
  shallow.max_depth = 3;
  auto deep = without_lines(R"({"a":{"b":{"c":{"d":1}}}})", shallow);
  ASSERT_FALSE(deep.has_value());
  EXPECT_EQ(deep.error().code, core::ErrorCode::limit_exceeded);
  EXPECT_NE(deep.error().message.find("nested deeper than 3 levels"), std::string::npos) << deep.error().message;
  EXPECT_TRUE(without_lines(R"({"a":{"b":{"c":1}}})", shallow).has_value());
}

// Every line of the real audit logs in tests/data/k8s-audit (Falco's trace files, audit2rbac's
// log): the whole event, its requestObject and responseObject included, read both ways.
TEST(JsonValue, RealAuditEventsReadTheSameWithAndWithoutLines) {
  const std::filesystem::path data = std::filesystem::path(MG_KUBE_DATA) / "k8s-audit";
  std::size_t compared = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data)) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".json" && ext != ".log")) continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line.front() != '{') continue;
      auto lines = read_json_value(line, "event");
      if (!lines) continue;  // the trace files hold a few deliberately broken lines
      auto flat = without_lines(line);
      ASSERT_TRUE(flat.has_value()) << entry.path() << ": " << flat.error().message;
      ASSERT_TRUE(same_tree(*lines, *flat)) << entry.path() << ": " << line.substr(0, 120);
      ++compared;
    }
  }
  EXPECT_GE(compared, 80u);  // of the 112 events, the rest are in wrapper shapes (AKS records)
}

// The tests' generated Kubeflow traffic: Pods, StatefulSets, Notebooks, TFJobs, KFP Workflows with
// their embedded component specs, RBAC objects, as create requests carry them.
TEST(JsonValue, GeneratedEventsReadTheSameWithAndWithoutLines) {
  std::size_t compared = 0;
  for (const auto& event : mg::audit::testing::generate_traffic({.seed = 5, .benign_events = 3000, .chains = 2, .hours = 6})) {
    auto lines = read_json_value(event.json, "event");
    ASSERT_TRUE(lines.has_value()) << lines.error().message;
    auto flat = without_lines(event.json);
    ASSERT_TRUE(flat.has_value()) << flat.error().message;
    ASSERT_TRUE(same_tree(*lines, *flat)) << event.json.substr(0, 200);
    if ((*flat).find("requestObject") != nullptr) ++compared;
  }
  EXPECT_GE(compared, 100u);
}

// read_json_value_into builds over the tree it is given, keeping its storage: whatever that tree
// held before, the result must be the tree a fresh read gives. The texts change shape on purpose
// (an object where an array was, fewer keys, a scalar where an object was, repeated keys).
TEST(JsonValue, ReadIntoAnEarlierTreeGivesWhatAFreshReadGives) {
  std::vector<std::string> texts = {
      R"({"a":{"b":[1,2,{"c":"long string that does not fit in place"}]},"d":"x","e":[true,null]})",
      R"({"a":[{"b":1}],"d":{"x":"y"}})",
      R"({"a":"scalar now"})",
      R"([{"a":1},"two",[3],null,{"e":{"f":{"g":"deep"}}}])",
      R"({"image":"good:1","image":"ddsfdfsaadfs/dfsdf:99","z":{}})",
      R"("just a string")",
      R"({})",
      R"({"a":{"b":[1,2,{"c":"again"}]},"d":"x","e":[false]})",
  };
  for (const auto& event : mg::audit::testing::generate_traffic({.seed = 7, .benign_events = 2000, .chains = 2, .hours = 6}))
    texts.push_back(event.json);
  simdjson::dom::parser parser;
  Value into;
  for (const auto& text : texts) {
    auto fresh = without_lines(text);
    ASSERT_TRUE(fresh.has_value()) << fresh.error().message;
    simdjson::dom::element parsed;
    ASSERT_EQ(parser.parse(text).get(parsed), simdjson::SUCCESS) << text.substr(0, 200);
    auto read = read_json_value_into(into, parsed, "requestObject");
    ASSERT_TRUE(read.has_value()) << read.error().message;
    ASSERT_TRUE(same_tree(*fresh, into)) << text.substr(0, 200);
  }
}

TEST(JsonValue, ReadIntoLeavesTheTreeNullPastTheDepthLimit) {
  simdjson::dom::parser parser;
  simdjson::dom::element shallow, deep;
  ASSERT_EQ(parser.parse(std::string(R"({"a":[1,2,3]})")).get(shallow), simdjson::SUCCESS);
  Value into;
  ASSERT_TRUE(read_json_value_into(into, shallow, "requestObject").has_value());
  EXPECT_EQ(into.size(), 1u);
  ReadLimits limits;
  limits.max_depth = 3;
  ASSERT_EQ(parser.parse(std::string(R"({"a":{"b":{"c":{"d":1}}}})")).get(deep), simdjson::SUCCESS);
  auto bad = read_json_value_into(into, deep, "requestObject", limits);
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code, core::ErrorCode::limit_exceeded);
  EXPECT_NE(bad.error().message.find("nested deeper than 3 levels"), std::string::npos) << bad.error().message;
  EXPECT_TRUE(into.is_null());
  EXPECT_EQ(into.size(), 0u);
}

}  // namespace
}  // namespace mg::kube
