// read_object_meta: kind, name, owner and creator of a create request's object, read from
// simdjson's DOM of it without a tree.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <string>

#include "audit/object_meta.hpp"

namespace mg::audit {
namespace {

ObjectMeta meta_of(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element parsed;
  if (parser.parse(json).get(parsed) != simdjson::SUCCESS) return {};
  return read_object_meta(parsed);
}

TEST(ObjectMeta, ReadsKindNameNamespaceControllerOwnerAndCreator) {
  const ObjectMeta meta = meta_of(R"({"kind":"Pod","apiVersion":"v1","metadata":{"name":"nb-0","namespace":"alice",
    "ownerReferences":[{"kind":"Other","name":"x"},{"kind":"StatefulSet","name":"nb","controller":true}],
    "annotations":{"notebooks.kubeflow.org/creator":"alice@example.com"}},"spec":{"containers":[{"image":"i"}]}})");
  EXPECT_TRUE(meta.parsed);
  EXPECT_EQ(meta.kind, "Pod");
  EXPECT_EQ(meta.name, "nb-0");
  EXPECT_EQ(meta.namespace_, "alice");
  EXPECT_EQ(meta.owner.kind, "StatefulSet");
  EXPECT_EQ(meta.owner.name, "nb");
  EXPECT_TRUE(meta.owner.controller);
  EXPECT_EQ(meta.creator, "alice@example.com");
}

TEST(ObjectMeta, KindAfterTheSpecIsStillRead) {
  // Clients may write keys in any order.
  const ObjectMeta meta = meta_of(R"({"metadata":{"generateName":"run-"},"spec":{"a":[1,2,{"b":"c"}]},"kind":"Workflow"})");
  EXPECT_TRUE(meta.parsed);
  EXPECT_EQ(meta.kind, "Workflow");
  EXPECT_EQ(meta.name, "run-");  // the server picks the name: generateName is the lead
  EXPECT_TRUE(meta.owner.kind.empty());
}

TEST(ObjectMeta, FirstOwnerWhenNoneIsTheController) {
  const ObjectMeta meta = meta_of(R"({"kind":"Pod","metadata":{"name":"p","ownerReferences":[{"kind":"A","name":"a"},{"kind":"B","name":"b"}]}})");
  EXPECT_EQ(meta.owner.kind, "A");
  EXPECT_FALSE(meta.owner.controller);
}

TEST(ObjectMeta, NotAnObjectIsNotParsed) {
  EXPECT_FALSE(meta_of("[1,2]").parsed);
  EXPECT_FALSE(meta_of("\"text\"").parsed);
}

}  // namespace
}  // namespace mg::audit
