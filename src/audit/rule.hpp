#pragma once
// The audit rule language: rules, macros and lists as YAML data (rules/audit/*.yaml, and any
// directory given with --rules), compiled once into an immutable RuleSet. docs/audit-rules.md is
// the reference; in short, a file is a sequence of items:
//   - list: kubeflow_namespaces          a named list of values; `append: true` extends one
//     items: [kubeflow, istio-system]
//   - macro: workload_write              a named condition
//     condition: {...}
//   - rule: MG-AUD-001                   a rule: metadata and a condition
//     name / title / description / severity / category / stage / techniques / remediation
//     condition: {...}
//     once_per: workload.images          optional: report only the first event of each value
// A condition is {and: [...]}, {or: [...]}, {not: {...}}, {macro: name}, a sequence (= and), or a
// test {field: F, OP: V} with OP one of equals, in, prefix, glob, regex, contains, exists,
// between, catalog (miner-image, miner-command, pool-host) and registry_not_in. A list name inside
// a value list stands for its items.
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/field.hpp"
#include "core/error.hpp"
#include "core/rule_info.hpp"

namespace mg::audit {

enum class Op : std::uint8_t { equals, in, prefix, glob, regex, contains, exists, between, catalog, registry_not_in };
enum class CatalogCheck : std::uint8_t { miner_image, miner_command, pool_host };

// Compiled regular expressions of one test (Hyperscan; no backtracking, so no rule can hang the
// engine on a crafted field).
class RegexSet;

struct Condition {
  enum class Kind : std::uint8_t { all, any, negate, test };
  Kind kind = Kind::all;
  std::vector<Condition> children;     // all, any; negate has one
  Field field;
  Op op = Op::equals;
  std::vector<std::string> values;     // list names expanded
  std::vector<std::string> sorted;     // `in` with many values: sorted, for binary search
  bool exists = true;
  std::int64_t low = 0, high = 0;      // between
  CatalogCheck check = CatalogCheck::miner_image;
  std::shared_ptr<const RegexSet> regex;
  int line = 0;
};

// Where a finding sits in an attack on the cluster, in the order an attack goes.
enum class Stage : std::uint8_t { exposure, execution, credential_access, privilege_escalation, lateral_movement, impact };
std::string_view to_string(Stage stage);

struct AuditRule {
  core::RuleInfo info;
  Stage stage = Stage::execution;
  Condition condition;
  std::optional<Field> once_per;   // report once per distinct value of this field (first event)
  std::string file;
  int line = 0;
};

struct RuleSource {
  std::string name;   // for messages: "rules/audit/workloads.yaml", "builtin:workloads.yaml"
  std::string text;
};

class RuleSet {
 public:
  std::vector<AuditRule> rules;   // enabled rules, in the order they were first defined
  std::map<std::string, std::vector<std::string>, std::less<>> lists;
  std::vector<std::string> disabled;   // ids defined with enabled: false
  std::vector<std::string> sources;    // names of the files loaded

  // The items of a list, or an empty span when there is none by that name.
  const std::vector<std::string>& list(std::string_view name) const;
};

// Loads sources in order: a later file may redefine a rule, macro or list of an earlier one (or
// disable a rule with `enabled: false`); within one file a name is defined once. Errors read
// "file:line: reason".
core::Result<RuleSet> load_rules(const std::vector<RuleSource>& sources);

// The default rules built into the binary (rules/audit/*.yaml).
std::vector<RuleSource> default_rule_sources();

// A rule file, or every *.yaml / *.yml in a directory (name order).
core::Result<std::vector<RuleSource>> rule_sources_from(const std::filesystem::path& path);

}  // namespace mg::audit
