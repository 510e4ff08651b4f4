#pragma once
// Internal: one function per output format, each in its own file. render() dispatches.
#include <string>

#include "core/report.hpp"
#include "report/report.hpp"

namespace mg::report::detail {

std::string render_table(const core::Report& report, const RenderOptions& options);
std::string render_json(const core::Report& report);
std::string render_sarif(const core::Report& report);

}  // namespace mg::report::detail
