#include <gtest/gtest.h>

#include <string>

#include "kube/reader.hpp"

namespace mg::kube {
namespace {

using core::ErrorCode;

ReadResult read_ok(std::string_view text, const ReadLimits& limits = {}) {
  auto result = read_json_objects(text, "k.json", limits);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? std::move(*result) : ReadResult{};
}

core::Error read_error(std::string_view text, const ReadLimits& limits = {}) {
  auto result = read_json_objects(text, "k.json", limits);
  EXPECT_FALSE(result.has_value()) << "read " << (result ? result->objects.size() : 0) << " objects";
  return result ? core::Error{} : result.error();
}

TEST(JsonReader, OneObjectWithLinesOfNestedFields) {
  const auto result = read_ok(R"({
  "apiVersion": "v1",
  "kind": "Service",
  "metadata": {
    "name": "web",
    "namespace": "shop"
  },
  "spec": {
    "type": "NodePort",
    "ports": [
      {
        "port": 80,
        "nodePort": 30080
      }
    ]
  }
}
)");
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(result.documents, 1u);
  const Object& service = result.objects[0];
  EXPECT_EQ(service.file, "k.json");
  EXPECT_EQ(service.line, 1);
  EXPECT_EQ(service.kind(), "Service");
  EXPECT_EQ(service.name(), "web");
  EXPECT_EQ(service.metadata().line(), 4);
  EXPECT_EQ(service.spec()["type"].line(), 9);
  EXPECT_EQ(service.spec()["ports"].line(), 10);
  EXPECT_EQ(service.spec()["ports"][0].line(), 11);
  EXPECT_EQ(service.spec()["ports"][0]["nodePort"].line(), 13);
  EXPECT_TRUE(service.spec()["ports"][0]["port"].is_number());
  EXPECT_EQ(service.spec()["ports"][0]["port"].as_int(), 80);
}

TEST(JsonReader, ScalarsKeepTheirText) {
  const auto result = read_ok(
      R"({"kind": "T", "a": 1e3, "b": -0.50, "c": true, "d": null, "e": "tab\tand \u00e9", "f": "80", "g": 0})");
  ASSERT_EQ(result.objects.size(), 1u);
  const Value& v = result.objects[0].root;
  EXPECT_EQ(v["a"].text(), "1e3");
  EXPECT_EQ(v["b"].text(), "-0.50");
  EXPECT_TRUE(v["c"].is_bool());
  EXPECT_TRUE(v["d"].is_null());
  EXPECT_EQ(v["e"].text(), "tab\tand \xC3\xA9");
  EXPECT_TRUE(v["f"].is_string());
  EXPECT_EQ(v["g"].text(), "0");
}

TEST(JsonReader, AKubectlListBecomesItsItems) {
  // kubectl prints keys in order: items come before kind.
  const auto result = read_ok(R"({
    "apiVersion": "v1",
    "items": [
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "a"}
        },
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "b"}
        },
        42
    ],
    "kind": "List",
    "metadata": {"resourceVersion": ""}
}
)");
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_EQ(result.objects[0].name(), "a");
  EXPECT_EQ(result.objects[0].line, 4);
  EXPECT_EQ(result.objects[1].name(), "b");
  EXPECT_EQ(result.objects[1].line, 9);
  EXPECT_EQ(result.objects[1].metadata().line(), 12);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0], "k.json:14: skipped items[2] of document 1 (List): not a mapping");
}

TEST(JsonReader, SeveralValuesOneAfterAnother) {
  const auto result = read_ok(
      "{\"kind\": \"A\", \"metadata\": {\"name\": \"a\"}}\n"
      "{\"kind\": \"B\",\n \"spec\": {\"x\": 1}}\n"
      "[1, 2]\n"
      "\"text\"\n"
      "{\"kind\": \"PodList\", \"apiVersion\": \"v1\", \"items\": [{\"metadata\": {\"name\": \"p\"}}]}\n");
  ASSERT_EQ(result.objects.size(), 3u);
  EXPECT_EQ(result.documents, 5u);
  EXPECT_EQ(result.objects[0].kind(), "A");
  EXPECT_EQ(result.objects[0].document, 0);
  EXPECT_EQ(result.objects[1].kind(), "B");
  EXPECT_EQ(result.objects[1].line, 2);
  EXPECT_EQ(result.objects[1].spec()["x"].line(), 3);
  EXPECT_EQ(result.objects[2].kind(), "Pod");
  EXPECT_EQ(result.objects[2].line, 6);
  EXPECT_EQ(result.objects[2].document, 4);
  ASSERT_EQ(result.warnings.size(), 2u);
  EXPECT_EQ(result.warnings[0], "k.json:4: skipped document 3: not a mapping");
  EXPECT_EQ(result.warnings[1], "k.json:5: skipped document 4: not a mapping");
}

TEST(JsonReader, MissingOrWrongKindIsSkippedWithAWarning) {
  const auto result = read_ok("{\"metadata\": {}}\n{\"kind\": [1, 2]}\n{\"kind\": \"\"}\n{\"kind\": \"Unheard\"}\n");
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(result.objects[0].kind(), "Unheard");
  ASSERT_EQ(result.warnings.size(), 3u);
  EXPECT_EQ(result.warnings[0], "k.json:1: skipped document 1: no kind");
  EXPECT_EQ(result.warnings[1], "k.json:2: skipped document 2: kind is not a string");
  EXPECT_EQ(result.warnings[2], "k.json:3: skipped document 3: kind is empty");
}

TEST(JsonReader, DuplicateKeysKeepTheLastValue) {
  const auto result = read_ok(R"({"kind": "Pod", "spec": {"hostPID": false, "hostPID": true}})");
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(result.objects[0].spec().size(), 1u);
  EXPECT_EQ(result.objects[0].spec()["hostPID"].as_bool(), true);
}

TEST(JsonReader, EmptyInput) {
  EXPECT_TRUE(read_ok("").objects.empty());
  EXPECT_TRUE(read_ok("  \n\t\n").objects.empty());
  const auto result = read_ok("\xEF\xBB\xBF{\"kind\": \"Pod\"}");
  EXPECT_EQ(result.objects.size(), 1u);
}

TEST(JsonReader, InvalidJsonNamesFileAndLine) {
  auto error = read_error("{\n  \"kind\": \"Pod\",\n  \"spec\": {\n    \"a\": ,\n    \"b\": 1\n  }\n}\n");
  EXPECT_EQ(error.code, ErrorCode::invalid_input);
  EXPECT_TRUE(error.message.starts_with("k.json:4: invalid JSON: ")) << error.message;

  error = read_error("{\n  \"kind\": \"Pod\",\n  \"port\": 01\n}\n");
  EXPECT_TRUE(error.message.starts_with("k.json:3: invalid JSON: ")) << error.message;

  error = read_error("{\n  \"kind\": \"Pod\",\n  \"ok\": tru\n}\n");
  EXPECT_TRUE(error.message.starts_with("k.json:3: invalid JSON: ")) << error.message;

  error = read_error("{\n  \"kind\": \"Pod\",\n  \"name\": \"unterminated\n}\n");
  EXPECT_TRUE(error.message.starts_with("k.json:3: invalid JSON: ")) << error.message;

  error = read_error("{\"kind\": \"A\"}\n{\"kind\": \"B\",\n \"spec\": {\n");
  EXPECT_TRUE(error.message.starts_with("k.json:2: invalid JSON: ")) << error.message;

  error = read_error("{\"kind\": \"A\"}\n\nnonsense\n");
  EXPECT_TRUE(error.message.starts_with("k.json:3: invalid JSON: ")) << error.message;

  error = read_error("{\"kind\": \"A\",\n \"b\": [1, 2,]\n}");
  EXPECT_TRUE(error.message.starts_with("k.json:2: invalid JSON: ")) << error.message;
  EXPECT_EQ(error.message.find('\n'), std::string::npos);
}

TEST(JsonReader, InvalidUtf8NamesTheLine) {
  const auto error = read_error("{\n\"kind\": \"Pod\",\n\"name\": \"\xF0\x28\x8C\x28\"\n}");
  EXPECT_EQ(error.code, ErrorCode::invalid_input);
  EXPECT_EQ(error.message, "k.json:3: invalid UTF-8 (byte 0xf0)");
}

TEST(JsonReader, DeepNestingIsAnErrorNotACrash) {
  auto error = read_error("{\"kind\": \"Deep\", \"spec\": " + std::string(100'000, '[') + std::string(100'000, ']') + "}");
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  EXPECT_NE(error.message.find("--max-depth"), std::string::npos) << error.message;
  ReadLimits unbounded;
  unbounded.max_depth = 1'000'000;
  error = read_error(std::string(100'000, '[') + std::string(100'000, ']'), unbounded);
  EXPECT_EQ(error.message, "k.json:1: nested deeper than 1000 levels (--max-depth)");
  error = read_error(std::string(100'000, '['));
  EXPECT_NE(error.code, ErrorCode::internal);
  EXPECT_TRUE(error.message.starts_with("k.json:1: ")) << error.message;
}

TEST(JsonReader, NestingUpToTheLimitWorks) {
  const std::string text = "{\"kind\": \"Deep\", \"spec\": " + std::string(199, '[') + "1" + std::string(199, ']') + "}";
  ReadLimits limits;
  limits.max_depth = 200;
  const auto result = read_ok(text, limits);
  ASSERT_EQ(result.objects.size(), 1u);
  limits.max_depth = 199;
  EXPECT_EQ(read_error(text, limits).code, ErrorCode::limit_exceeded);
}

TEST(JsonReader, AHugeDocumentIsRejectedBySizeBeforeParsing) {
  // 100 MB in one value, against a 64 MiB input limit: refused before simdjson sees it.
  std::string text = "{\"kind\": \"ConfigMap\", \"data\": {";
  const std::string entry = "\"k\": \"" + std::string(90, 'x') + "\",\n";
  while (text.size() < (100u << 20)) text += entry;
  text += "\"last\": \"\"}}\n";
  ReadLimits limits;
  limits.max_input_bytes = 64u << 20;
  const auto error = read_error(text, limits);
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  EXPECT_TRUE(error.message.starts_with("k.json: ")) << error.message;
  EXPECT_NE(error.message.find("--max-input-bytes"), std::string::npos) << error.message;
}

TEST(JsonReader, ABigListOfSmallObjectsIsReadWithDefaultLimits) {
  // ~96 MB, 100,000 objects of ~1 KB: the shape of `kubectl get configmaps -A -o json`.
  constexpr int kObjects = 100'000;
  const std::string blob(900, 'x');
  std::string text = "{\n\"apiVersion\": \"v1\",\n\"items\": [\n";
  text.reserve(kObjects * 1024u);
  for (int i = 0; i < kObjects; ++i) {
    if (i) text += ",\n";
    text += "{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": {\"name\": \"cm-" + std::to_string(i) +
            "\", \"namespace\": \"ns\"}, \"data\": {\"blob\": \"" + blob + "\"}}";
  }
  text += "\n],\n\"kind\": \"List\"\n}\n";
  ASSERT_LE(text.size(), 100u << 20);
  // One JSON value of ~96 MB: only --max-input-bytes (1 GiB) bounds JSON, since a cluster's
  // `kubectl get -A -o json` is one List.
  const auto result = read_ok(text);
  ASSERT_EQ(result.objects.size(), static_cast<std::size_t>(kObjects));
  EXPECT_EQ(result.objects.back().name(), "cm-99999");
  EXPECT_EQ(result.objects.back().line, 4 + kObjects - 1);
  EXPECT_EQ(result.objects[0].root["data"]["blob"].text().size(), 900u);
}

}  // namespace
}  // namespace mg::kube
