#include <array>
#include <exception>
#include <utility>

#include "core/log.hpp"
#include "report/formatters.hpp"
#include "report/report.hpp"

namespace mg::report {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 3> kFormats{{
    {Format::table, "table"},
    {Format::json, "json"},
    {Format::sarif, "sarif"},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::optional<Format> parse_format(std::string_view text) {
  for (const auto& [format, name] : kFormats) {
    if (iequals(name, text)) return format;
  }
  return std::nullopt;
}

std::string_view to_string(Format format) {
  for (const auto& [f, name] : kFormats) {
    if (f == format) return name;
  }
  return "unknown";
}

std::string render(const core::Report& report, Format format, const RenderOptions& options) {
  // The formatters only build JSON from strings and numbers and dump it with invalid UTF-8
  // replaced, which nlohmann documents as non-throwing; this catch keeps that promise at the
  // module's door should a library change (bad_alloc aside, nothing here is expected to throw).
  try {
    switch (format) {
      case Format::table: return detail::render_table(report, options);
      case Format::json: return detail::render_json(report);
      case Format::sarif: return detail::render_sarif(report);
    }
  } catch (const std::exception& e) {
    core::log_warning(std::string("internal error rendering the ") + std::string(to_string(format)) +
                      " report: " + e.what());
    return "minerguard: internal error: the report could not be rendered\n";
  }
  return {};
}

}  // namespace mg::report
