// JsonNode: a parsed JSON document read through Value's interface, as a tree read from the same
// JSON reads (last of a repeated key, numbers' text, null and absent members, wrong types).
#include <gtest/gtest.h>

#include <simdjson.h>

#include <string>
#include <vector>

#include "kube/json_node.hpp"
#include "kube/reader.hpp"

namespace mg::kube {
namespace {

// Parses `json` with a parser the test keeps (a JsonNode is valid while its document is).
struct Parsed {
  simdjson::dom::parser parser;
  JsonNode root;
  explicit Parsed(const std::string& json) {
    simdjson::dom::element element;
    EXPECT_EQ(parser.parse(json).get(element), simdjson::SUCCESS) << json;
    root = JsonNode(element);
  }
};

TEST(JsonNode, MembersByKeyAbsentAndNull) {
  Parsed doc(R"({"a": {"b": "x"}, "n": null, "s": "text"})");
  EXPECT_TRUE(doc.root.is_object());
  EXPECT_EQ(doc.root["a"]["b"].str(), "x");
  EXPECT_EQ(doc.root.find({"a", "b"}).str(), "x");
  EXPECT_TRUE(doc.root.find("missing") == nullptr);
  EXPECT_TRUE(doc.root["missing"]["deeper"].is_null());
  EXPECT_TRUE(doc.root.find({"a", "missing", "b"}) == nullptr);
  // A present null is found (as Value::find finds it) and is null.
  const JsonNode n = doc.root.find("n");
  EXPECT_FALSE(n == nullptr);
  EXPECT_TRUE(n.is_null());
  EXPECT_TRUE(n.is_scalar());
  // Lookups on a scalar find nothing.
  EXPECT_TRUE(doc.root["s"].find("x") == nullptr);
  EXPECT_EQ(doc.root["s"].size(), 0u);
  EXPECT_EQ(doc.root.size(), 3u);
  EXPECT_EQ(doc.root.line(), 1);
}

TEST(JsonNode, RepeatedKeyFindsItsLastValueAsATreeKeepsIt) {
  const std::string json = R"({"image": "busybox", "name": "c", "image": "xmrig"})";
  Parsed doc(json);
  auto tree = read_json_value(json, "t.json");
  ASSERT_TRUE(tree.has_value());
  EXPECT_EQ(doc.root["image"].str(), "xmrig");
  EXPECT_EQ(doc.root["image"].str(), (*tree)["image"].str());
}

TEST(JsonNode, ScalarTextAsATreeFromTheSameJsonKeepsIt) {
  const std::string json =
      R"({"i": -42, "u": 18446744073709551615, "d": 0.5, "e": 1e3, "t": true, "f": false, "st": "true", "o": {}, "a": []})";
  Parsed doc(json);
  auto tree = read_json_value(json, "t.json", {}, {.padded = false, .count_lines = false});
  ASSERT_TRUE(tree.has_value());
  for (const char* key : {"i", "u", "d", "e", "t", "f", "st", "o", "a"}) {
    EXPECT_EQ(std::string(doc.root[key].str("fallback")), std::string((*tree)[key].str("fallback"))) << key;
    EXPECT_EQ(doc.root[key].as_bool(), (*tree)[key].as_bool()) << key;
    EXPECT_EQ(doc.root[key].is_scalar(), (*tree)[key].is_scalar()) << key;
  }
  EXPECT_EQ(doc.root["absent"].str("fallback"), "fallback");
}

TEST(JsonNode, NumberTextsStayValidForTheRingsLength) {
  std::string json = "[";
  for (std::size_t i = 0; i < JsonNode::kNumberTexts; ++i) json += (i ? "," : "") + std::to_string(1000 + i);
  json += "]";
  Parsed doc(json);
  std::vector<std::string_view> texts;
  for (const auto& item : doc.root.items()) texts.push_back(item.str());
  ASSERT_EQ(texts.size(), JsonNode::kNumberTexts);
  for (std::size_t i = 0; i < texts.size(); ++i) EXPECT_EQ(texts[i], std::to_string(1000 + i));
}

TEST(JsonNode, ItemsAndMembersInOrderAndEmptyForOtherTypes) {
  Parsed doc(R"({"list": ["a", 2, {"k": "v"}], "map": {"x": "1", "y": "2"}, "s": "text"})");
  std::vector<std::string> items;
  for (const auto& item : doc.root["list"].items()) items.push_back(item.is_object() ? "{}" : std::string(item.str()));
  EXPECT_EQ(items, (std::vector<std::string>{"a", "2", "{}"}));
  EXPECT_EQ(doc.root["list"].items().size(), 3u);
  std::vector<std::string> members;
  for (const auto& [key, value] : doc.root["map"].members()) members.push_back(std::string(key) + "=" + std::string(value.str()));
  EXPECT_EQ(members, (std::vector<std::string>{"x=1", "y=2"}));
  // Absent, scalar and the other collection: empty ranges, never an error.
  for (const JsonNode& node : {doc.root["absent"], doc.root["s"], doc.root["map"]}) EXPECT_TRUE(node.items().empty());
  for (const JsonNode& node : {doc.root["absent"], doc.root["s"], doc.root["list"]})
    EXPECT_EQ(node.members().begin(), node.members().end());
}

TEST(JsonNode, StandsInForItsOwnPointer) {
  Parsed doc(R"({"spec": {"containers": [{"name": "c"}]}})");
  // Reader code written for `const Value*` reads a JsonNode the same way.
  if (const auto spec = doc.root.find("spec"); spec != nullptr) {
    EXPECT_TRUE(spec->is_object());
    EXPECT_EQ((*spec)["containers"].items().size(), 1u);
  } else {
    ADD_FAILURE() << "spec not found";
  }
  JsonNode unset;
  EXPECT_TRUE(unset == nullptr);
  EXPECT_FALSE(static_cast<bool>(unset));
  EXPECT_TRUE(unset.is_null());
  EXPECT_FALSE(unset.is_object());
}

}  // namespace
}  // namespace mg::kube
