#include "core/severity.hpp"

#include <array>
#include <utility>

namespace mg::core {
namespace {

template <class E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view text) {
  for (const auto& [value, name] : table) {
    if (name == text) return value;
  }
  return std::nullopt;
}

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return name;
  }
  return "unknown";
}

constexpr std::array<std::pair<Severity, std::string_view>, 5> kSeverities{{
    {Severity::info, "info"},
    {Severity::low, "low"},
    {Severity::medium, "medium"},
    {Severity::high, "high"},
    {Severity::critical, "critical"},
}};

constexpr std::array<std::pair<Category, std::string_view>, 8> kCategories{{
    {Category::miner, "miner"},
    {Category::dropper, "dropper"},
    {Category::exposure, "exposure"},
    {Category::privilege, "privilege"},
    {Category::credential_access, "credential-access"},
    {Category::execution, "execution"},
    {Category::evasion, "evasion"},
    {Category::policy, "policy"},
}};

constexpr std::array<std::pair<Source, std::string_view>, 5> kSources{{
    {Source::image, "image"},
    {Source::manifest, "manifest"},
    {Source::audit, "audit"},
    {Source::runtime, "runtime"},
    {Source::admission, "admission"},
}};

constexpr std::array<std::pair<Verdict, std::string_view>, 3> kVerdicts{{
    {Verdict::clean, "clean"},
    {Verdict::suspicious, "suspicious"},
    {Verdict::malicious, "malicious"},
}};

}  // namespace

std::string_view to_string(Severity severity) { return name_of(kSeverities, severity); }
std::optional<Severity> parse_severity(std::string_view text) { return lookup(kSeverities, text); }
std::string_view to_string(Category category) { return name_of(kCategories, category); }
std::optional<Category> parse_category(std::string_view text) { return lookup(kCategories, text); }
std::string_view to_string(Source source) { return name_of(kSources, source); }
std::string_view to_string(Verdict verdict) { return name_of(kVerdicts, verdict); }

}  // namespace mg::core
