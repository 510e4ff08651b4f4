// The rule language: what each operator means, how lists, macros and later files combine, and
// that every mistake in a rule file is refused with its file, line and reason.
#include <gtest/gtest.h>

#include "audit_test_support.hpp"

namespace mg::audit::testing {
namespace {

core::Error load_error(const std::string& text, const std::string& name = "mine.yaml") {
  auto rules = load_rules({{name, text}});
  EXPECT_FALSE(rules) << text;
  return rules ? core::Error{} : rules.error();
}

// A rule file with one rule whose condition is `condition` (YAML, indented for the rule).
std::string one_rule(const std::string& condition, const std::string& extra = "") {
  return extra +
         "- rule: T-1\n"
         "  name: Test\n"
         "  title: test rule\n"
         "  severity: high\n"
         "  category: execution\n"
         "  stage: execution\n"
         "  condition:\n" +
         condition;
}

// Whether the rule fires on the event (JSON, one line).
bool fires(const std::string& condition, const std::string& event, const std::string& extra = "") {
  auto rules = load_rules({{"t.yaml", one_rule(condition, extra)}});
  EXPECT_TRUE(rules) << (rules ? "" : rules.error().message);
  if (!rules) return false;
  auto engine = make_engine(std::move(*rules));
  auto run = run_engine(*engine, event);
  EXPECT_EQ(run.stats.malformed, 0u);
  return !run.findings.empty();
}

const std::string kExec =
    R"({"verb":"create","auditID":"x","user":{"username":"alice","groups":["devs","system:authenticated"]},)"
    R"("objectRef":{"resource":"pods","subresource":"exec","namespace":"team","name":"nb-0"},)"
    R"("requestURI":"/api/v1/namespaces/team/pods/nb-0/exec?command=sh&command=-c&command=echo+hi","responseStatus":{"code":101},)"
    R"("requestObject":{"spec":{"type":"LoadBalancer","ports":[{"port":80},{"port":443,"nodePort":30443}]}},)"
    R"("annotations":{"authorization.k8s.io/decision":"allow"}})";

TEST(RuleLanguage, TheDefaultRulesLoad) {
  auto rules = default_rules();
  std::set<std::string> ids;
  for (const auto& rule : rules.rules) ids.insert(rule.info.id);
  for (const char* id : {"MG-AUD-001", "MG-AUD-002", "MG-AUD-003", "MG-AUD-004", "MG-AUD-005", "MG-AUD-006",
                         "MG-AUD-007", "MG-AUD-008", "MG-AUD-009", "MG-AUD-010", "MG-AUD-011", "MG-AUD-012",
                         "MG-AUD-013", "MG-AUD-014", "MG-AUD-015"})
    EXPECT_TRUE(ids.contains(id)) << id;
  for (const auto& rule : rules.rules) {
    EXPECT_FALSE(rule.info.description.empty()) << rule.info.id;
    EXPECT_FALSE(rule.info.remediation.empty()) << rule.info.id;
    EXPECT_FALSE(rule.info.techniques.empty()) << rule.info.id;
  }
}

TEST(RuleLanguage, Operators) {
  EXPECT_TRUE(fires("    {field: verb, equals: create}\n", kExec));
  EXPECT_FALSE(fires("    {field: verb, equals: get}\n", kExec));
  EXPECT_TRUE(fires("    {field: objectRef.subresource, in: [attach, exec]}\n", kExec));
  EXPECT_TRUE(fires("    {field: requestURI, prefix: /api/v1/namespaces/team}\n", kExec));
  EXPECT_TRUE(fires("    {field: objectRef.name, glob: \"nb-*\"}\n", kExec));
  EXPECT_FALSE(fires("    {field: objectRef.name, glob: \"db-*\"}\n", kExec));
  EXPECT_TRUE(fires("    {field: requestURI, regex: \"command=echo\\\\+h[a-z]\"}\n", kExec));
  EXPECT_TRUE(fires("    {field: userAgent, exists: false}\n", kExec));
  EXPECT_FALSE(fires("    {field: objectRef.namespace, exists: false}\n", kExec));
  EXPECT_TRUE(fires("    {field: requestURI, contains: command=sh}\n", kExec));
  EXPECT_TRUE(fires("    {field: responseStatus.code, between: [100, 199]}\n", kExec));
  EXPECT_FALSE(fires("    {field: responseStatus.code, between: [200, 299]}\n", kExec));
  // Multi-valued fields match when any value does.
  EXPECT_TRUE(fires("    {field: user.groups, equals: devs}\n", kExec));
  // Nested JSON, arrays searched element by element, quoted keys with dots.
  EXPECT_TRUE(fires("    {field: requestObject.spec.type, equals: LoadBalancer}\n", kExec));
  EXPECT_TRUE(fires("    {field: requestObject.spec.ports.nodePort, equals: \"30443\"}\n", kExec));
  // Brackets are YAML flow indicators: a field with them is quoted.
  EXPECT_TRUE(fires("    {field: 'annotations[\"authorization.k8s.io/decision\"]', equals: allow}\n", kExec));
  EXPECT_FALSE(fires("    {field: requestObject.spec.missing, exists: true}\n", kExec));
  // The exec command, decoded from the request URI.
  EXPECT_TRUE(fires("    {field: exec.command, equals: \"sh -c echo hi\"}\n", kExec));
  EXPECT_TRUE(fires("    {field: actor.kind, equals: user}\n", kExec));
}

TEST(RuleLanguage, CombinatorsListsAndMacros) {
  const std::string defs =
      "- list: verbs\n  items: [get, create]\n"
      "- list: more_verbs\n  items: [verbs, patch]\n"
      "- macro: is_exec\n  condition: {field: objectRef.subresource, equals: exec}\n";
  EXPECT_TRUE(fires("    and:\n      - {field: verb, in: [more_verbs]}\n      - macro: is_exec\n", kExec, defs));
  EXPECT_TRUE(fires("    or:\n      - {field: verb, equals: delete}\n      - macro: is_exec\n", kExec, defs));
  EXPECT_FALSE(fires("    not: {macro: is_exec}\n", kExec, defs));
  EXPECT_TRUE(fires("    - {field: verb, in: [verbs]}\n    - not: {field: verb, equals: get}\n", kExec, defs));
}

TEST(RuleLanguage, EvidenceNamesTheFieldsThatMatched) {
  auto rules = load_rules({{"t.yaml", one_rule("    - {field: verb, equals: create}\n"
                                               "    - or:\n"
                                               "        - {field: objectRef.name, equals: other}\n"
                                               "        - {field: objectRef.namespace, equals: team}\n"
                                               "    - not: {field: objectRef.name, equals: other}\n")}});
  ASSERT_TRUE(rules) << rules.error().message;
  auto engine = make_engine(std::move(*rules));
  auto run = run_engine(*engine, kExec);
  ASSERT_EQ(run.findings.size(), 1u);
  const auto& evidence = run.findings[0].evidence;
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[0].what, "verb");
  EXPECT_EQ(evidence[0].value, "create");
  EXPECT_EQ(evidence[1].what, "objectRef.namespace");
  EXPECT_EQ(run.findings[0].severity, core::Severity::high);
  EXPECT_EQ(run.findings[0].source, core::Source::audit);
  const auto& at = event_of(run.findings[0]);
  EXPECT_EQ(at.resource, "pods/exec");
  EXPECT_EQ(at.name, "nb-0");
  EXPECT_EQ(at.audit_id, "x");
  EXPECT_EQ(at.line, 1u);
}

TEST(RuleLanguage, LaterFilesRedefineExtendAndDisable) {
  const std::string base = one_rule("    {field: verb, in: [verbs]}\n", "- list: verbs\n  items: [get]\n");
  const std::string more = "- list: verbs\n  append: true\n  items: [create]\n";
  auto rules = load_rules({{"a.yaml", base}, {"b.yaml", more}});
  ASSERT_TRUE(rules) << rules.error().message;
  EXPECT_EQ(rules->list("verbs"), (std::vector<std::string>{"get", "create"}));
  // The rule was compiled with the list as it stood when rules were compiled: after every file.
  auto engine = make_engine(std::move(*rules));
  EXPECT_EQ(run_engine(*engine, kExec).findings.size(), 1u);

  auto disabled = load_rules({{"a.yaml", base}, {"c.yaml", "- rule: T-1\n  enabled: false\n"}});
  ASSERT_TRUE(disabled) << disabled.error().message;
  EXPECT_TRUE(disabled->rules.empty());
  EXPECT_EQ(disabled->disabled, std::vector<std::string>{"T-1"});

  auto replaced = load_rules({{"a.yaml", base}, {"d.yaml", one_rule("    {field: verb, equals: delete}\n")}});
  ASSERT_TRUE(replaced);
  ASSERT_EQ(replaced->rules.size(), 1u);
  EXPECT_EQ(replaced->rules[0].file, "d.yaml");
}

TEST(RuleLanguage, OncePerReportsTheFirstEventOfEachValue) {
  auto rules = load_rules({{"t.yaml", one_rule("    {field: verb, equals: create}\n") + "  once_per: objectRef.name\n"}});
  ASSERT_TRUE(rules) << rules.error().message;
  auto engine = make_engine(std::move(*rules));
  std::string text;
  for (const char* name : {"a", "b", "a", "a", "c", "b"})
    text += std::string(R"({"verb":"create","auditID":"1","objectRef":{"resource":"pods","name":")") + name + "\"}}\n";
  auto run = run_engine(*engine, text);
  std::vector<std::string> names;
  for (const auto& f : run.findings) names.push_back(event_of(f).name);
  EXPECT_EQ(names, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(engine->stats().repeats, 3u);
  EXPECT_FALSE(load_rules({{"t.yaml", one_rule("    {field: verb, equals: create}\n") + "  once_per: nothing\n"}}));
}

TEST(RuleLanguage, MistakesAreRefusedWithFileLineAndReason) {
  EXPECT_EQ(load_error(one_rule("    {field: verb, equal: get}\n")).message,
            "mine.yaml:8: unknown key \"equal\" (expected field, equals, in, prefix, glob, regex, contains, exists, "
            "between, catalog, registry_not_in)");
  EXPECT_EQ(load_error(one_rule("    {field: user.name, equals: x}\n")).message,
            "mine.yaml:8: unknown field \"user.name\" (see `minerguard rules list --fields`)");
  EXPECT_EQ(load_error(one_rule("    {macro: nothing}\n")).message, "mine.yaml:8: unknown macro \"nothing\"");
  EXPECT_EQ(load_error(one_rule("    {field: verb, regex: \"(\"}\n")).message.substr(0, 24), "mine.yaml:8: regex \"(\": ");
  EXPECT_EQ(load_error(one_rule("    {field: verb, equals: a, in: [b]}\n")).message,
            "mine.yaml:8: a test has exactly one operator besides field:");
  EXPECT_EQ(load_error(one_rule("    {field: responseStatus.code, between: [1]}\n")).message,
            "mine.yaml:8: between needs [low, high]");
  EXPECT_EQ(load_error(one_rule("    {field: verb, catalog: wallets}\n")).message,
            "mine.yaml:8: catalog must be miner-image, miner-command or pool-host");
  EXPECT_EQ(load_error("- macro: a\n  condition: {macro: b}\n- macro: b\n  condition: {macro: a}\n" +
                       one_rule("    {macro: a}\n")).message,
            "mine.yaml:4: macro \"a\" uses itself");
  EXPECT_EQ(load_error("- rule: X\n  name: X\n  title: x\n  severity: severe\n  category: miner\n  stage: impact\n"
                       "  condition: {field: verb, equals: get}\n").message,
            "mine.yaml:4: severity must be info, low, medium, high or critical");
  EXPECT_EQ(load_error("- rule: X\n  title: x\n").message, "mine.yaml:1: rule X needs name:");
  EXPECT_EQ(load_error("rules: []\n").message,
            "mine.yaml:1: a rule file is a sequence of items (- list:, - macro:, - rule:)");
  EXPECT_EQ(load_error("- list: a\n  items: [x]\n- list: a\n  items: [y]\n").message,
            "mine.yaml:3: list \"a\" is defined twice in this file");
  EXPECT_EQ(load_error("- list: a\n  items: [x\n").message.substr(0, 12), "mine.yaml:3:");
  EXPECT_EQ(load_error("- {list: a, macro: b}\n").message, "mine.yaml:1: an item has exactly one of list:, macro: and rule:");
  // Deeply nested conditions are refused before they can exhaust the stack.
  std::string deep = "- macro: m\n  condition: ";
  for (int i = 0; i < 100; ++i) deep += "{not: ";
  deep += "{field: verb, equals: get}";
  for (int i = 0; i < 100; ++i) deep += "}";
  deep += "\n" + one_rule("    {macro: m}\n");
  EXPECT_NE(load_error(deep).message.find("nested deeper than 64"), std::string::npos);
}

TEST(RuleLanguage, RuleFilesFromADirectoryInNameOrder) {
  const auto dir = std::filesystem::temp_directory_path() / ("mg-rules-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "b.yaml") << "- list: x\n  items: [b]\n";
  std::ofstream(dir / "a.yml") << "- list: x\n  items: [a]\n";
  std::ofstream(dir / "notes.txt") << "not rules";
  auto sources = rule_sources_from(dir);
  ASSERT_TRUE(sources) << sources.error().message;
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_TRUE(sources->at(0).name.ends_with("a.yml"));
  auto rules = load_rules(*sources);
  ASSERT_TRUE(rules);
  EXPECT_EQ(rules->list("x"), std::vector<std::string>{"b"});
  std::filesystem::remove_all(dir);
  EXPECT_FALSE(rule_sources_from(dir));
}

}  // namespace
}  // namespace mg::audit::testing
