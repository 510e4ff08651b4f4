// One finding as one line, for commands that report while they run (`audit-log --follow`): JSON
// lines carry the same finding object as the report's "findings" array; the table line is the
// severity, the rule, the title and the place.
#include <string>

#include "report/json_model.hpp"
#include "report/location_view.hpp"
#include "report/report.hpp"
#include "report/text.hpp"

namespace mg::report {

std::string render_line(const core::Finding& finding, Format format) {
  const auto view = detail::view_of(finding.location);
  if (format == Format::json) {
    return detail::finding_json(finding, view).dump(-1, ' ', false, detail::Json::error_handler_t::replace) + "\n";
  }
  std::string line(core::to_string(finding.severity));
  line.append(" ").append(finding.rule_id).append(" ").append(finding.title).append(" — ").append(view.text);
  return detail::terminal_safe(line) + "\n";
}

}  // namespace mg::report
