#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "kube/reader.hpp"

namespace mg::kube {
namespace {

using core::ErrorCode;

ReadResult read_ok(std::string_view text, const ReadLimits& limits = {}) {
  auto result = read_yaml_objects(text, "m.yaml", limits);
  EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
  return result ? std::move(*result) : ReadResult{};
}

core::Error read_error(std::string_view text, const ReadLimits& limits = {}) {
  auto result = read_yaml_objects(text, "m.yaml", limits);
  EXPECT_FALSE(result.has_value()) << "read " << (result ? result->objects.size() : 0) << " objects";
  return result ? core::Error{} : result.error();
}

TEST(YamlReader, MultiDocumentLinesAreGlobalToTheFile) {
  const auto result = read_ok(R"(# a comment before the first document
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  type: LoadBalancer
  ports:
  - port: 80
    name: http
---
# the second
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
)");
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_EQ(result.documents, 2u);
  const Object& service = result.objects[0];
  EXPECT_EQ(service.file, "m.yaml");
  EXPECT_EQ(service.line, 2);
  EXPECT_EQ(service.document, 0);
  EXPECT_EQ(service.kind(), "Service");
  EXPECT_EQ(service.namespace_(), "shop");
  EXPECT_EQ(service.spec().line(), 7);  // a collection under a key is where the key is
  EXPECT_EQ(service.spec()["type"].line(), 8);
  EXPECT_EQ(service.spec()["ports"][0].line(), 10);
  EXPECT_EQ(service.spec()["ports"][0]["name"].line(), 11);
  const Object& deployment = result.objects[1];
  EXPECT_EQ(deployment.line, 14);
  EXPECT_EQ(deployment.document, 1);
  EXPECT_EQ(deployment.name(), "api");
  EXPECT_EQ(deployment.metadata()["name"].line(), 17);
  EXPECT_TRUE(result.warnings.empty());
}

TEST(YamlReader, ScalarsAreTypedByTheCoreSchemaAndKeepTheirText) {
  const auto result = read_ok(R"(kind: Typed
quoted_true: "true"
plain_true: true
title_false: False
yes_is_text: yes
port: 80
port_text: "80"
mode: 0777
hex: 0x1F
float: 1e3
negative: -0.50
version: 1.2.3
nothing: null
tilde: ~
empty:
single: 'single'
block: |
  line one
explicit: !!str 80
)");
  ASSERT_EQ(result.objects.size(), 1u);
  const Value& v = result.objects[0].root;
  EXPECT_TRUE(v["quoted_true"].is_string());
  EXPECT_EQ(v["quoted_true"].text(), "true");
  EXPECT_TRUE(v["plain_true"].is_bool());
  EXPECT_EQ(v["plain_true"].as_bool(), true);
  EXPECT_EQ(v["title_false"].as_bool(), false);
  EXPECT_TRUE(v["yes_is_text"].is_string());  // YAML 1.2: only true/false are booleans
  EXPECT_TRUE(v["port"].is_number());
  EXPECT_EQ(v["port"].as_int(), 80);
  EXPECT_TRUE(v["port_text"].is_string());
  EXPECT_TRUE(v["mode"].is_number());
  EXPECT_EQ(v["mode"].text(), "0777");
  EXPECT_TRUE(v["hex"].is_number());
  EXPECT_EQ(v["float"].text(), "1e3");
  EXPECT_TRUE(v["negative"].is_number());
  EXPECT_TRUE(v["version"].is_string());
  EXPECT_TRUE(v["nothing"].is_null());
  EXPECT_TRUE(v["tilde"].is_null());
  EXPECT_TRUE(v["empty"].is_null());
  ASSERT_NE(v.find("empty"), nullptr);
  EXPECT_TRUE(v["single"].is_string());
  EXPECT_EQ(v["block"].text(), "line one\n");
  EXPECT_TRUE(v["explicit"].is_string());
}

TEST(YamlReader, ListsBecomeTheirItemsEachWithItsLine) {
  const auto result = read_ok(R"(apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: ServiceAccount
  metadata:
    name: one
- apiVersion: v1
  kind: Secret
  metadata:
    name: two
- just a string
metadata: {}
---
apiVersion: v1
kind: PodList
items:
- metadata:
    name: p
)");
  ASSERT_EQ(result.objects.size(), 3u);
  EXPECT_EQ(result.documents, 2u);
  EXPECT_EQ(result.objects[0].kind(), "ServiceAccount");
  EXPECT_EQ(result.objects[0].line, 4);
  EXPECT_EQ(result.objects[1].kind(), "Secret");
  EXPECT_EQ(result.objects[1].line, 8);
  EXPECT_EQ(result.objects[1].metadata()["name"].line(), 11);
  // A typed list from the API server: items have no kind of their own.
  EXPECT_EQ(result.objects[2].kind(), "Pod");
  EXPECT_EQ(result.objects[2].api_version(), "v1");
  EXPECT_EQ(result.objects[2].line, 18);
  EXPECT_EQ(result.objects[2].document, 1);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0], "m.yaml:12: skipped items[2] of document 1 (List): not a mapping");
}

TEST(YamlReader, UnusableDocumentsAreSkippedWithAWarning) {
  const auto result = read_ok(R"(just a string
---
- a
- list
---
metadata:
  name: kindless
---
kind: [1, 2]
---
kind: 5
---
---
# an empty document above, a comment-only one here
---
kind: SomethingNobodyKnows
apiVersion: example.com/v1
)");
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(result.objects[0].kind(), "SomethingNobodyKnows");  // unknown kinds are objects too
  EXPECT_EQ(result.objects[0].line, 16);
  ASSERT_EQ(result.warnings.size(), 5u);
  EXPECT_EQ(result.warnings[0], "m.yaml:1: skipped document 1: not a mapping");
  EXPECT_EQ(result.warnings[1], "m.yaml:3: skipped document 2: not a mapping");
  EXPECT_EQ(result.warnings[2], "m.yaml:6: skipped document 3: no kind");
  EXPECT_EQ(result.warnings[3], "m.yaml:9: skipped document 4: kind is not a string");
  EXPECT_EQ(result.warnings[4], "m.yaml:11: skipped document 5: kind is not a string");
}

TEST(YamlReader, MarkersDirectivesAndLineEndings) {
  auto result = read_ok("%YAML 1.2\n---\nkind: A\n...\n---\nkind: B\n");
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_EQ(result.objects[0].line, 3);
  EXPECT_EQ(result.objects[1].line, 6);
  result = read_ok("kind: A\r\n---\r\nkind: B\r\n");
  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_EQ(result.objects[1].line, 3);
  EXPECT_EQ(result.objects[1].kind(), "B");
  result = read_ok("--- {kind: Flow, spec: {a: 1}}\n");
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(result.objects[0].spec()["a"].text(), "1");
}

TEST(YamlReader, EmptyInputAndABom) {
  EXPECT_TRUE(read_ok("").objects.empty());
  EXPECT_TRUE(read_ok("# nothing but a comment\n\n").objects.empty());
  EXPECT_EQ(read_ok("# nothing but a comment\n").documents, 0u);
  const auto result = read_ok("\xEF\xBB\xBF" "apiVersion: v1\nkind: Pod\n");
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(result.objects[0].api_version(), "v1");
  EXPECT_EQ(result.objects[0].line, 1);
}

TEST(YamlReader, AnchorsAliasesAndMergeKeys) {
  const auto result = read_ok(R"(kind: Pod
defaults: &defaults
  privileged: true
  runAsUser: 0
spec:
  securityContext:
    <<: *defaults
    runAsUser: 1000
  copy: *defaults
)");
  ASSERT_EQ(result.objects.size(), 1u);
  const Value& context = result.objects[0].spec()["securityContext"];
  EXPECT_EQ(context["privileged"].as_bool(), true);  // merged, as kubectl would
  EXPECT_EQ(context["runAsUser"].text(), "1000");    // the mapping's own key wins
  EXPECT_EQ(context.find("<<"), nullptr);
  EXPECT_EQ(result.objects[0].spec()["copy"]["runAsUser"].text(), "0");
}

TEST(YamlReader, DuplicateKeysKeepTheLastValue) {
  const auto result = read_ok("kind: Pod\nspec:\n  privileged: false\n  privileged: true\n");
  ASSERT_EQ(result.objects.size(), 1u);
  EXPECT_EQ(result.objects[0].spec().size(), 1u);
  EXPECT_EQ(result.objects[0].spec()["privileged"].as_bool(), true);
}

TEST(YamlReader, InvalidYamlNamesFileAndLine) {
  auto error = read_error("kind: ConfigMap\n---\nkind: Pod\nmetadata:\n  name: a: b\n  labels: {}\n");
  EXPECT_EQ(error.code, ErrorCode::invalid_input);
  EXPECT_TRUE(error.message.starts_with("m.yaml:5: invalid YAML: ")) << error.message;
  EXPECT_NE(error.message.find("invalid YAML: "), std::string::npos) << error.message;

  error = read_error("kind: A\n---\nkind: B\nspec:\n  a: 1\n b: 2\n");
  EXPECT_EQ(error.code, ErrorCode::invalid_input);
  EXPECT_TRUE(error.message.starts_with("m.yaml:6: invalid YAML: ")) << error.message;

  error = read_error("kind: A\nspec: [1, 2\n");
  EXPECT_TRUE(error.message.starts_with("m.yaml:")) << error.message;
  EXPECT_EQ(error.message.find('\n'), std::string::npos);

  error = read_error("kind: A\nspec: *nowhere\n");
  EXPECT_TRUE(error.message.starts_with("m.yaml:2: invalid YAML: ")) << error.message;

  // yaml-cpp 0.7 loops forever on a lone comma unless the reader stops it.
  error = read_error("kind: A\n---\n,\n");
  EXPECT_EQ(error.message, "m.yaml:3: invalid YAML: unexpected token");

  error = read_error("kind: A\nspec: &loop [*loop]\n");
  EXPECT_TRUE(error.message.starts_with("m.yaml:2: invalid YAML: ")) << error.message;
}

TEST(YamlReader, InvalidUtf8NamesTheLine) {
  const auto error = read_error("kind: Pod\nmetadata:\n  name: caf\xC3(\n");
  EXPECT_EQ(error.code, ErrorCode::invalid_input);
  EXPECT_EQ(error.message, "m.yaml:3: invalid UTF-8 (byte 0xc3)");
  const auto utf16 = read_error("\xFF\xFEk\0i\0");
  EXPECT_EQ(utf16.code, ErrorCode::unsupported);
}

TEST(YamlReader, AHugeDocumentIsRejectedBeforeParsing) {
  std::string text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: small}\n---\nkind: ConfigMap\ndata:\n";
  const std::string line = "  key: " + std::string(90, 'x') + "\n";
  while (text.size() < (100u << 20)) text += line;
  const auto start = std::chrono::steady_clock::now();
  const auto error = read_error(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  EXPECT_TRUE(error.message.starts_with("m.yaml:4: document 2 is ")) << error.message;
  EXPECT_NE(error.message.find("--max-document-bytes"), std::string::npos);
}

TEST(YamlReader, AnAnchorBombFailsFast) {
  std::string text = "kind: Bomb\na0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 8; ++level) {
    const std::string prev = "*a" + std::to_string(level - 1);
    text += "a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 9; ++i) text += (i ? ", " : "") + prev;
    text += "]\n";
  }
  const auto start = std::chrono::steady_clock::now();
  const auto error = read_error(text);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  EXPECT_NE(error.message.find("--max-nodes"), std::string::npos) << error.message;
  EXPECT_TRUE(error.message.starts_with("m.yaml:")) << error.message;
}

TEST(YamlReader, DeepNestingIsAnErrorNotACrash) {
  const std::string open(100'000, '[');
  auto error = read_error("kind: Deep\nspec: " + open + "\n");
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  EXPECT_NE(error.message.find("--max-depth"), std::string::npos) << error.message;
  error = read_error("kind: Deep\nspec: " + open + std::string(100'000, ']') + "\n");
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  error = read_error(std::string(100'000, '{'));
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  std::string dashes;
  for (int i = 0; i < 100'000; ++i) dashes += "- ";
  error = read_error(dashes + "x\n");
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  EXPECT_TRUE(error.message.starts_with("m.yaml:1: ")) << error.message;
  // However high max_depth is set, the stack is never at the mercy of the input.
  ReadLimits unbounded;
  unbounded.max_depth = 1'000'000;
  error = read_error("kind: Deep\nspec: " + open + std::string(100'000, ']') + "\n", unbounded);
  EXPECT_EQ(error.code, ErrorCode::limit_exceeded);
  EXPECT_EQ(error.message, "m.yaml:2: nested deeper than 499 levels (--max-depth)");
  EXPECT_EQ(read_error(dashes + "x\n", unbounded).code, ErrorCode::limit_exceeded);
}

TEST(YamlReader, NestingUpToTheLimitWorks) {
  // The root mapping is level 1, then 199 sequences: 200 levels.
  const std::string text = "kind: Deep\nspec: " + std::string(199, '[') + "x" + std::string(199, ']') + "\n";
  ReadLimits limits;
  limits.max_depth = 200;
  const auto result = read_ok(text, limits);
  ASSERT_EQ(result.objects.size(), 1u);
  const Value* at = &result.objects[0].spec();
  for (int i = 0; i < 198; ++i) at = &(*at)[0];
  EXPECT_EQ((*at)[0].text(), "x");
  limits.max_depth = 199;
  EXPECT_EQ(read_error(text, limits).code, ErrorCode::limit_exceeded);
}

TEST(YamlReader, AliasesCannotBuildDepthPastTheLimit) {
  std::string text = "kind: Deep\na0: &a0 " + std::string(50, '[') + std::string(50, ']') + "\n";
  for (int i = 1; i < 10; ++i)
    text += "a" + std::to_string(i) + ": &a" + std::to_string(i) + " " + std::string(40, '[') + "*a" +
            std::to_string(i - 1) + std::string(40, ']') + "\n";
  EXPECT_EQ(read_error(text).code, ErrorCode::limit_exceeded);
}

TEST(ReadYamlValue, EmbeddedDocumentsKeepManifestLinesAndLimits) {
  // A ConfigMap's config.yaml whose text starts on line 40 of the manifest.
  auto value = read_yaml_value("issuer: http://dex\nstaticPasswords:\n- email: user@example.com\n", "cm", 40);
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ((*value)["staticPasswords"][0]["email"].str(), "user@example.com");
  EXPECT_EQ((*value)["staticPasswords"][0]["email"].line(), 42);
  // yaml-cpp's endless loop on a lone comma (jbeder/yaml-cpp#1040) is an error here too.
  auto comma = read_yaml_value(",", "cm", 7);
  ASSERT_FALSE(comma);
  EXPECT_EQ(comma.error().code, ErrorCode::invalid_input);
  EXPECT_TRUE(comma.error().message.starts_with("cm:7: ")) << comma.error().message;
  ReadLimits small;
  small.max_document_bytes = 8;
  EXPECT_EQ(read_yaml_value("a: 123456789", "cm", 1, small).error().code, ErrorCode::limit_exceeded);
  EXPECT_TRUE(read_yaml_value("# only a comment\n", "cm", 1)->is_null());
}

}  // namespace
}  // namespace mg::kube
