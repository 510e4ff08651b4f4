// SARIF 2.1.0 as GitHub code scanning reads it: one run, the rules the command can emit
// (with security-severity), one result per finding with a relative artifact URI, a logical
// location naming the layer, and a stable partial fingerprint.
#include <algorithm>
#include <map>
#include <string>

#include "report/finding_order.hpp"
#include "report/fingerprint.hpp"
#include "report/formatters.hpp"
#include "report/json_model.hpp"
#include "report/sarif_mapping.hpp"
#include "report/text.hpp"

namespace mg::report::detail {
namespace {

constexpr const char* kSarifSchema =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
constexpr const char* kFingerprintKey = "minerguardFingerprint/v1";
constexpr std::size_t kMessageEvidenceBytes = 200;

Json message(std::string text) { return Json{{"text", std::move(text)}}; }

Json rule_json(const core::RuleInfo& rule) {
  Json tags = Json::array({"security", core::to_string(rule.category)});
  for (const auto& technique : rule.techniques) {
    if (std::find(tags.begin(), tags.end(), technique) == tags.end()) tags.push_back(technique);
  }
  const std::string description = rule.description.empty() ? rule.title : rule.description;
  std::string help = description;
  std::string help_markdown = description;
  if (!rule.remediation.empty()) {
    help += "\n\nRemediation: " + rule.remediation;
    help_markdown += "\n\n**Remediation:** " + rule.remediation;
  }

  Json out = Json::object();
  out["id"] = rule.id;
  if (!rule.name.empty()) out["name"] = rule.name;
  out["shortDescription"] = message(rule.title.empty() ? rule.id : rule.title);
  out["fullDescription"] = message(description.empty() ? rule.id : description);
  out["help"] = Json{{"text", help.empty() ? rule.id : help}, {"markdown", help_markdown.empty() ? rule.id : help_markdown}};
  out["defaultConfiguration"] = Json{{"level", sarif_level(rule.severity)}};
  out["properties"] = Json{{"tags", tags},
                           {"security-severity", security_severity(rule.severity)},
                           {"precision", precision(rule.severity)}};
  return out;
}

// A finding whose rule is not in Report::rules still gets a rule entry, so that every result
// has a ruleIndex and GitHub shows a title and severity for it.
core::RuleInfo rule_from_finding(const core::Finding& finding) {
  core::RuleInfo rule;
  rule.id = finding.rule_id;
  rule.title = finding.title;
  rule.severity = finding.severity;
  rule.category = finding.category;
  rule.techniques = finding.techniques;
  rule.remediation = finding.remediation;
  return rule;
}

std::string result_text(const core::Finding& finding, const LocationView& view) {
  std::string text = (finding.title.empty() ? finding.rule_id : finding.title) + " at " + view.text + ".";
  if (!finding.evidence.empty()) {
    const auto& key = finding.evidence.front();
    text += " " + key.what + ": " + truncate_utf8(key.value, kMessageEvidenceBytes);
  }
  return text;
}

Json result_json(const core::Finding& finding, const LocationView& view, std::size_t rule_index) {
  Json location = Json::object();
  location["physicalLocation"] = Json{{"artifactLocation", Json{{"uri", view.artifact_uri}}}};
  if (view.line > 0) location["physicalLocation"]["region"] = Json{{"startLine", view.line}};
  Json logical = Json::array();
  for (const auto& l : view.logical) {
    logical.push_back(Json{{"name", l.name}, {"fullyQualifiedName", l.fully_qualified_name}, {"kind", l.kind}});
  }
  if (!logical.empty()) location["logicalLocations"] = logical;

  Json evidence = Json::array();
  for (const auto& e : finding.evidence) evidence.push_back(evidence_json(e));

  Json out = Json::object();
  out["ruleId"] = finding.rule_id;
  out["ruleIndex"] = rule_index;
  out["level"] = sarif_level(finding.severity);
  out["message"] = message(result_text(finding, view));
  out["locations"] = Json::array({location});
  out["partialFingerprints"] = Json{{kFingerprintKey, fingerprint(finding, view)}};
  out["properties"] = Json{{"severity", core::to_string(finding.severity)},
                           {"category", core::to_string(finding.category)},
                           {"source", core::to_string(finding.source)},
                           {"techniques", finding.techniques},
                           {"location", view.json},
                           {"evidence", evidence},
                           {"remediation", finding.remediation}};
  return out;
}

Json invocation_json(const core::Report& report) {
  Json notifications = Json::array();
  bool successful = true;
  for (const auto& target : report.targets) {
    if (target.error.empty()) continue;
    successful = false;
    notifications.push_back(Json{{"level", "error"},
                                 {"message", message(target.target + ": " + target.error)},
                                 {"properties", Json{{"target", target.target}, {"kind", target.kind}}}});
  }
  Json out = Json::object();
  out["executionSuccessful"] = successful;
  if (!notifications.empty()) out["toolExecutionNotifications"] = notifications;
  return out;
}

}  // namespace

std::string render_sarif(const core::Report& report) {
  const auto ordered = ordered_findings(report);

  std::vector<core::RuleInfo> rules = report.rules;
  std::map<std::string, std::size_t> rule_index;
  for (std::size_t i = 0; i < rules.size(); ++i) rule_index.emplace(rules[i].id, i);
  for (const auto& entry : ordered) {
    if (rule_index.emplace(entry.finding->rule_id, rules.size()).second) rules.push_back(rule_from_finding(*entry.finding));
  }

  Json driver = Json::object();
  driver["name"] = report.tool_name;
  if (!report.tool_version.empty()) {
    driver["version"] = report.tool_version;
    driver["semanticVersion"] = report.tool_version;
  }
  driver["rules"] = Json::array();
  for (const auto& rule : rules) driver["rules"].push_back(rule_json(rule));

  Json results = Json::array();
  for (const auto& entry : ordered) {
    results.push_back(result_json(*entry.finding, entry.view, rule_index.at(entry.finding->rule_id)));
  }

  Json targets = Json::array();
  for (const auto& target : report.targets) targets.push_back(target_json(target));

  Json run = Json::object();
  run["tool"] = Json{{"driver", driver}};
  run["invocations"] = Json::array({invocation_json(report)});
  run["results"] = results;
  run["properties"] = Json{{"schema", kReportSchema},
                           {"command", report.command},
                           {"target", report.target_label()},
                           {"verdict", core::to_string(report.verdict())},
                           {"targets", targets},
                           {"stats", stats_json(report.stats)}};

  Json out = Json::object();
  out["$schema"] = kSarifSchema;
  out["version"] = "2.1.0";
  out["runs"] = Json::array({run});
  return dump(out);
}

}  // namespace mg::report::detail
