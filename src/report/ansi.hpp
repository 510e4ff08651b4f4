#pragma once
// ANSI SGR colours for the table, applied only when RenderOptions::color is set.
#include <string>
#include <string_view>

#include "core/severity.hpp"

namespace mg::report::detail {

class Painter {
 public:
  explicit Painter(bool enabled) : enabled_(enabled) {}

  std::string severity(core::Severity severity, std::string_view text) const;
  std::string verdict(core::Verdict verdict, std::string_view text) const;
  std::string error(std::string_view text) const;
  std::string bold(std::string_view text) const;
  std::string dim(std::string_view text) const;

 private:
  std::string paint(std::string_view sgr, std::string_view text) const;
  bool enabled_;
};

}  // namespace mg::report::detail
