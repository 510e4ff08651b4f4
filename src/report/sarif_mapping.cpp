#include "report/sarif_mapping.hpp"

namespace mg::report::detail {

std::string_view sarif_level(core::Severity severity) {
  switch (severity) {
    case core::Severity::critical:
    case core::Severity::high: return "error";
    case core::Severity::medium: return "warning";
    case core::Severity::low:
    case core::Severity::info: return "note";
  }
  return "note";
}

std::string_view security_severity(core::Severity severity) {
  switch (severity) {
    case core::Severity::critical: return "9.5";
    case core::Severity::high: return "8.0";
    case core::Severity::medium: return "5.5";
    case core::Severity::low: return "3.0";
    case core::Severity::info: return "0.0";
  }
  return "0.0";
}

std::string_view precision(core::Severity severity) {
  switch (severity) {
    case core::Severity::critical: return "very-high";
    case core::Severity::high: return "high";
    case core::Severity::medium: return "medium";
    case core::Severity::low:
    case core::Severity::info: return "low";
  }
  return "low";
}

}  // namespace mg::report::detail
