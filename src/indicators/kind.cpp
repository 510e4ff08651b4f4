#include "indicators/kind.hpp"

#include <array>
#include <utility>

namespace mg::indicators {
namespace {
constexpr std::array<std::pair<Kind, std::string_view>, 7> kNames{{
    {Kind::string, "string"},
    {Kind::regex, "regex"},
    {Kind::hostname, "hostname"},
    {Kind::port, "port"},
    {Kind::wallet, "wallet"},
    {Kind::command, "command"},
    {Kind::image, "image"},
}};
}  // namespace

std::string_view to_string(Kind kind) {
  for (const auto& [k, name] : kNames)
    if (k == kind) return name;
  return "unknown";
}

namespace detail {

std::optional<Kind> parse_kind(std::string_view text) {
  for (const auto& [k, name] : kNames)
    if (name == text) return k;
  return std::nullopt;
}

bool is_content_kind(Kind kind) { return kind != Kind::port && kind != Kind::image; }

}  // namespace detail
}  // namespace mg::indicators
