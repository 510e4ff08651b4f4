#include "kube/object_finding.hpp"

namespace mg::kube {
namespace {

core::Finding from_rule(const core::RuleInfo& rule) {
  core::Finding finding;
  finding.rule_id = rule.id;
  finding.title = rule.title;
  finding.severity = rule.severity;
  finding.category = rule.category;
  finding.source = core::Source::manifest;
  finding.techniques = rule.techniques;
  finding.remediation = rule.remediation;
  return finding;
}

}  // namespace

core::Finding object_finding(const core::RuleInfo& rule, const Object& object, std::string field, int line) {
  core::Finding finding = from_rule(rule);
  core::ObjectLocation at;
  at.kind = std::string(object.kind());
  at.api_version = std::string(object.api_version());
  at.namespace_ = std::string(object.namespace_());
  at.name = std::string(object.name());
  at.field = std::move(field);
  at.file = object.file;
  at.line = line > 0 ? line : object.line;
  finding.location = std::move(at);
  return finding;
}

core::Finding named_finding(const core::RuleInfo& rule, std::string kind, std::string namespace_, std::string name,
                            std::string field) {
  core::Finding finding = from_rule(rule);
  core::ObjectLocation at;
  at.kind = std::move(kind);
  at.api_version = at.kind == "Namespace" || at.kind == "ServiceAccount" ? "v1" : "";
  at.namespace_ = std::move(namespace_);
  at.name = std::move(name);
  at.field = std::move(field);
  finding.location = std::move(at);
  return finding;
}

void add_evidence(core::Finding& finding, std::string what, std::string_view value) {
  finding.evidence.push_back({std::move(what), core::printable(value, 240), std::nullopt});
}

}  // namespace mg::kube
