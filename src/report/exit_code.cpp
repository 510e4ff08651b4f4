#include "report/report.hpp"

namespace mg::report {

int exit_code(const core::Report& report, core::Severity fail_on) {
  for (const auto& finding : report.findings) {
    if (finding.severity >= fail_on) return 1;
  }
  return 0;
}

}  // namespace mg::report
