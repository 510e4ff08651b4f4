#include "report/json_model.hpp"

namespace mg::report::detail {

Json evidence_json(const core::Evidence& evidence) {
  Json out = Json::object();
  out["what"] = evidence.what;
  out["value"] = evidence.value;
  if (evidence.offset) out["offset"] = *evidence.offset;
  return out;
}

Json finding_json(const core::Finding& finding, const LocationView& view) {
  Json out = Json::object();
  out["rule_id"] = finding.rule_id;
  out["title"] = finding.title;
  out["severity"] = core::to_string(finding.severity);
  out["category"] = core::to_string(finding.category);
  out["source"] = core::to_string(finding.source);
  out["location"] = view.json;
  out["evidence"] = Json::array();
  for (const auto& evidence : finding.evidence) out["evidence"].push_back(evidence_json(evidence));
  out["techniques"] = finding.techniques;
  out["remediation"] = finding.remediation;
  return out;
}

Json stats_json(const std::map<std::string, std::uint64_t>& stats) {
  Json out = Json::object();
  for (const auto& [key, value] : stats) out[key] = value;
  return out;
}

Json target_json(const core::TargetResult& target) {
  Json out = Json::object();
  out["target"] = target.target;
  out["kind"] = target.kind;
  out["verdict"] = core::to_string(target.verdict);
  if (!target.error.empty()) out["error"] = target.error;
  out["stats"] = stats_json(target.stats);
  return out;
}

std::string dump(const Json& json) {
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace mg::report::detail
