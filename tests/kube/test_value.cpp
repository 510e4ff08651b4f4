#include <gtest/gtest.h>

#include <variant>

#include "kube/inventory.hpp"
#include "kube/object_finding.hpp"
#include "kube/value.hpp"

namespace mg::kube {
namespace {

Object make_object(std::string kind, std::string ns, std::string name, int line = 1) {
  Object object;
  object.root.set("apiVersion", Value::string("v1"));
  object.root.set("kind", Value::string(std::move(kind)));
  Value metadata = Value::object();
  metadata.set("name", Value::string(std::move(name)));
  if (!ns.empty()) metadata.set("namespace", Value::string(std::move(ns)));
  object.root.set("metadata", std::move(metadata));
  object.file = "in.yaml";
  object.line = line;
  return object;
}

TEST(Value, LookupsNeverFailOnMissingOrWrongTypes) {
  Value v = Value::object();
  v.set("spec", Value::string("not an object"));
  EXPECT_TRUE(v["spec"]["type"].is_null());
  EXPECT_EQ(v["spec"]["type"].str("none"), "none");
  EXPECT_TRUE(v["missing"][3].is_null());
  EXPECT_EQ(v.find({"spec", "type"}), nullptr);
}

TEST(Value, KeysWithDotsAreOneStep) {
  Value labels = Value::object();
  labels.set("app.kubernetes.io/name", Value::string("dashboard"));
  Value v = Value::object();
  v.set("labels", std::move(labels));
  ASSERT_NE(v.find({"labels", "app.kubernetes.io/name"}), nullptr);
  EXPECT_EQ(v["labels"]["app.kubernetes.io/name"].str(), "dashboard");
}

TEST(Value, ScalarsConvertOnlyWhenExact) {
  EXPECT_EQ(Value::number("8080").as_int(), 8080);
  EXPECT_EQ(Value::string("8080").as_int(), 8080);
  EXPECT_FALSE(Value::number("1e3").as_int());
  EXPECT_FALSE(Value::string("99999999999999999999").as_int());
  EXPECT_EQ(Value::boolean(true).as_bool(), true);
  EXPECT_EQ(Value::string("false").as_bool(), false);
  EXPECT_FALSE(Value::string("yes").as_bool());
  EXPECT_EQ(Value::number("0777").str(), "0777");
}

TEST(Value, SetReplacesAndEraseRemoves) {
  Value v;
  v.set("a", Value::number("1"));
  v.set("a", Value::number("2"));
  EXPECT_EQ(v.size(), 1u);
  EXPECT_EQ(v["a"].str(), "2");
  EXPECT_TRUE(v.erase("a"));
  EXPECT_FALSE(v.erase("a"));
}

TEST(Value, JsonTextIsEscapedAndBounded) {
  Value v = Value::object();
  v.set("cmd", Value::string("a\"b\n"));
  EXPECT_EQ(to_json(v), R"({"cmd":"a\"b\n"})");
  Value big = Value::array();
  for (int i = 0; i < 1000; ++i) big.push_back(Value::string("xxxxxxxxxx"));
  EXPECT_LE(to_json(big, 100).size(), 110u);
}

TEST(Inventory, FindsByKindAndName) {
  std::vector<Object> objects;
  objects.push_back(make_object("Service", "kubeflow", "centraldashboard"));
  objects.push_back(make_object("Service", "istio-system", "istio-ingressgateway"));
  objects.push_back(make_object("ClusterRole", "", "kubeflow-edit"));
  Inventory inventory(std::move(objects));
  EXPECT_EQ(inventory.of_kind("Service").size(), 2u);
  EXPECT_EQ(inventory.of_kind("Service", "").size(), 2u);
  EXPECT_EQ(inventory.of_kind("Service", "networking.istio.io").size(), 0u);
  ASSERT_NE(inventory.find("ClusterRole", "", "kubeflow-edit"), nullptr);
  EXPECT_EQ(inventory.find("ClusterRole", "kubeflow", "kubeflow-edit"), nullptr);
  EXPECT_EQ(inventory.find("Service", "kubeflow", "centraldashboard")->ref(), "Service kubeflow/centraldashboard");
}

TEST(ObjectFinding, LocatesObjectFieldAndLine) {
  core::RuleInfo rule{"MG-KUBE-999", "Example", "example", "", core::Severity::high, core::Category::exposure,
                      {"T1133"}, "fix it"};
  auto object = make_object("Service", "istio-system", "istio-ingressgateway", 40);
  auto finding = object_finding(rule, object, "spec.type", 44);
  add_evidence(finding, "type", std::string("LoadBalancer\x01", 13));
  const auto& at = std::get<core::ObjectLocation>(finding.location);
  EXPECT_EQ(at.kind, "Service");
  EXPECT_EQ(at.namespace_, "istio-system");
  EXPECT_EQ(at.field, "spec.type");
  EXPECT_EQ(at.line, 44);
  EXPECT_EQ(at.file, "in.yaml");
  EXPECT_EQ(finding.source, core::Source::manifest);
  EXPECT_EQ(finding.severity, core::Severity::high);
  EXPECT_EQ(finding.evidence.at(0).value, "LoadBalancer\\x01");
  EXPECT_EQ(std::get<core::ObjectLocation>(object_finding(rule, object).location).line, 40);
}

TEST(ObjectFinding, EvidenceKeepsUtf8AndEscapesTheRest) {
  EXPECT_EQ(evidence_text("→ Gateway kubeflow/kubeflow-gateway"), "→ Gateway kubeflow/kubeflow-gateway");
  EXPECT_EQ(evidence_text("a\xff\xe2\x86" "b\x1b[31m\\"), "a\\xff\\xe2\\x86b\\x1b[31m\\\\");
  EXPECT_EQ(evidence_text(std::string(300, 'x')).size(), 240u + std::string("…").size());
}

}  // namespace
}  // namespace mg::kube
