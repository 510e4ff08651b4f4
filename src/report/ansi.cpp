#include "report/ansi.hpp"

namespace mg::report::detail {

std::string Painter::paint(std::string_view sgr, std::string_view text) const {
  if (!enabled_) return std::string(text);
  return "\033[" + std::string(sgr) + "m" + std::string(text) + "\033[0m";
}

std::string Painter::severity(core::Severity severity, std::string_view text) const {
  switch (severity) {
    case core::Severity::critical: return paint("1;31", text);
    case core::Severity::high: return paint("31", text);
    case core::Severity::medium: return paint("33", text);
    case core::Severity::low: return paint("36", text);
    case core::Severity::info: return paint("2", text);
  }
  return std::string(text);
}

std::string Painter::verdict(core::Verdict verdict, std::string_view text) const {
  switch (verdict) {
    case core::Verdict::malicious: return paint("1;31", text);
    case core::Verdict::suspicious: return paint("1;33", text);
    case core::Verdict::clean: return paint("1;32", text);
  }
  return std::string(text);
}

std::string Painter::error(std::string_view text) const { return paint("1;35", text); }
std::string Painter::bold(std::string_view text) const { return paint("1", text); }
std::string Painter::dim(std::string_view text) const { return paint("2", text); }

}  // namespace mg::report::detail
