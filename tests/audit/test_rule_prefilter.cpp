// RulePrefilter: a rule is skipped for an event only when its condition requires a verb or
// resource the event does not have. Conditions come from the rule language itself, so macros and
// nesting are as users write them.
#include <gtest/gtest.h>

#include "audit/rule_prefilter.hpp"
#include "audit_test_support.hpp"

namespace mg::audit::testing {
namespace {

// The conditions of the rules in a rule file (YAML), in order.
std::vector<Condition> conditions(const std::string& text) {
  auto rules = load_rules({{"t.yaml", text}});
  EXPECT_TRUE(rules) << (rules ? "" : rules.error().message);
  std::vector<Condition> out;
  if (rules)
    for (auto& rule : rules->rules) out.push_back(std::move(rule.condition));
  return out;
}

std::string rule(int n, const std::string& condition) {
  return "- rule: T-" + std::to_string(n) +
         "\n  name: T\n  title: t\n  severity: high\n  category: execution\n  stage: execution\n  condition:\n" + condition;
}

TEST(RulePrefilter, RequiredValuesComeFromAndsAtAnyDepthNeverFromOrOrNot) {
  const auto rules = conditions(
      "- macro: pods_only\n  condition:\n    - {field: objectRef.resource, equals: pods}\n" +
      rule(1, "    - {field: verb, equals: create}\n    - macro: pods_only\n") +
      rule(2, "    - and:\n        - {field: objectRef.resource, in: [services, secrets]}\n") +
      rule(3, "    - or:\n        - {field: objectRef.resource, equals: pods}\n        - {field: verb, equals: get}\n") +
      rule(4, "    - not: {field: objectRef.resource, equals: pods}\n") +
      rule(5, "    - {field: objectRef.resource, prefix: [pod]}\n"));
  ASSERT_EQ(rules.size(), 5u);
  RulePrefilter resources(FieldId::resource);
  EXPECT_EQ(resources.required_values(rules[0]), (std::vector<std::string>{"pods"}));
  EXPECT_EQ(resources.required_values(rules[1]), (std::vector<std::string>{"services", "secrets"}));
  EXPECT_EQ(resources.required_values(rules[2]), std::nullopt);
  EXPECT_EQ(resources.required_values(rules[3]), std::nullopt);
  EXPECT_EQ(resources.required_values(rules[4]), std::nullopt);  // prefix: not an exact set
  RulePrefilter verbs(FieldId::verb);
  EXPECT_EQ(verbs.required_values(rules[0]), (std::vector<std::string>{"create"}));
  EXPECT_EQ(verbs.required_values(rules[1]), std::nullopt);
}

TEST(RulePrefilter, ARuleIsSkippedOnlyForValuesItCannotHoldFor) {
  const auto rules = conditions(rule(1, "    - {field: objectRef.resource, equals: pods}\n") +
                                rule(2, "    - {field: objectRef.resource, in: [services, secrets]}\n") +
                                rule(3, "    - {field: verb, equals: get}\n"));
  RulePrefilter resources(FieldId::resource);
  for (const auto& c : rules) resources.add_rule(c);
  const auto pods = resources.bit("pods"), secrets = resources.bit("secrets"), leases = resources.bit("leases");
  EXPECT_NE(pods, 0u);
  EXPECT_EQ(leases, 0u);             // no rule names it
  EXPECT_EQ(resources.bit(""), 0u);  // an event without a resource
  EXPECT_TRUE(resources.may_hold(0, pods));
  EXPECT_FALSE(resources.may_hold(0, secrets));
  EXPECT_FALSE(resources.may_hold(0, leases));
  EXPECT_TRUE(resources.may_hold(1, secrets));
  EXPECT_FALSE(resources.may_hold(1, pods));
  for (auto bit : {pods, secrets, leases}) EXPECT_TRUE(resources.may_hold(2, bit));  // not limited
}

TEST(RulePrefilter, ValuesAreToldApartWhateverTheirLength) {
  // Lengths rule values out quickly; values of a listed length, and lengths past 62, still compare.
  const std::string long_a(70, 'a'), long_b(80, 'b');
  const auto rules = conditions(rule(1, "    - {field: objectRef.resource, in: [pods, " + long_a + "]}\n"));
  RulePrefilter resources(FieldId::resource);
  resources.add_rule(rules.at(0));
  EXPECT_NE(resources.bit("pods"), 0u);
  EXPECT_EQ(resources.bit("jobs"), 0u);   // the length of pods, not pods
  EXPECT_NE(resources.bit(long_a), 0u);
  EXPECT_EQ(resources.bit(long_b), 0u);   // long too, not listed
  EXPECT_EQ(resources.bit(std::string(69, 'a')), 0u);
}

TEST(RulePrefilter, PastSixtyFourValuesARuleIsNotSkipped) {
  std::string many;
  for (int i = 0; i < 70; ++i) many += (i ? ", r" : "r") + std::to_string(i);
  const auto rules = conditions(rule(1, "    - {field: objectRef.resource, in: [" + many + "]}\n") +
                                rule(2, "    - {field: objectRef.resource, equals: pods}\n"));
  RulePrefilter resources(FieldId::resource);
  for (const auto& c : rules) resources.add_rule(c);
  EXPECT_TRUE(resources.may_hold(0, resources.bit("r69")));
  EXPECT_TRUE(resources.may_hold(0, resources.bit("pods")));
  EXPECT_TRUE(resources.may_hold(0, 0));
  // Out of bits, later rules are not limited either (their values have none).
  EXPECT_TRUE(resources.may_hold(1, resources.bit("services")));
}

}  // namespace
}  // namespace mg::audit::testing
