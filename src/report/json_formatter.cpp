// The minerguard.report/v1 document: the machine-readable contract of docs/output.md.
#include "report/finding_order.hpp"
#include "report/formatters.hpp"
#include "report/json_model.hpp"

namespace mg::report::detail {

std::string render_json(const core::Report& report) {
  Json out = Json::object();
  out["schema"] = kReportSchema;
  out["tool"] = Json{{"name", report.tool_name}, {"version", report.tool_version}};
  out["command"] = report.command;
  out["target"] = report.target_label();
  out["verdict"] = core::to_string(report.verdict());
  out["targets"] = Json::array();
  for (const auto& target : report.targets) out["targets"].push_back(target_json(target));
  out["findings"] = Json::array();
  for (const auto& entry : ordered_findings(report)) out["findings"].push_back(finding_json(*entry.finding, entry.view));
  out["stats"] = stats_json(report.stats);
  return dump(out);
}

}  // namespace mg::report::detail
