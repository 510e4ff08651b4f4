#include "kube/object_finding.hpp"

#include <cassert>
#include <cctype>

namespace mg::kube {
namespace {

core::Finding from_rule(const core::RuleInfo& rule) {
  core::Finding finding;
  finding.rule_id = rule.id;
  finding.title = rule.title;
  finding.severity = rule.severity;
  finding.category = rule.category;
  finding.source = core::Source::manifest;
  finding.techniques = rule.techniques;
  finding.remediation = rule.remediation;
  return finding;
}

}  // namespace

const core::RuleInfo& find_rule(std::span<const core::RuleInfo> rules, std::string_view id) {
  for (const auto& info : rules) {
    if (info.id == id) return info;
  }
  assert(false && "rule id not in the check's rule table");
  return rules.front();
}

core::Finding object_finding(const core::RuleInfo& rule, const Object& object, std::string field, int line) {
  core::Finding finding = from_rule(rule);
  core::ObjectLocation at;
  at.kind = std::string(object.kind());
  at.api_version = std::string(object.api_version());
  at.namespace_ = std::string(object.namespace_());
  at.name = std::string(object.name());
  at.field = std::move(field);
  at.file = object.file;
  at.line = line > 0 ? line : object.line;
  finding.location = std::move(at);
  return finding;
}

core::Finding named_finding(const core::RuleInfo& rule, std::string kind, std::string namespace_, std::string name,
                            std::string field) {
  core::Finding finding = from_rule(rule);
  core::ObjectLocation at;
  at.kind = std::move(kind);
  at.api_version = at.kind == "Namespace" || at.kind == "ServiceAccount" ? "v1" : "";
  at.namespace_ = std::move(namespace_);
  at.name = std::move(name);
  at.field = std::move(field);
  finding.location = std::move(at);
  return finding;
}

namespace {

// Length of the valid UTF-8 sequence starting at text[i] (2..4), or 0.
std::size_t utf8_length(std::string_view text, std::size_t i) {
  const auto c = static_cast<unsigned char>(text[i]);
  const std::size_t n = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c <= 0xdf ? 2 : 0;
  if (n == 0 || c >= 0xf5 || i + n > text.size()) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    if ((static_cast<unsigned char>(text[i + k]) & 0xc0) != 0x80) return 0;
  }
  return n;
}

}  // namespace

// Manifest text is UTF-8 (names, commands, "→" in routes): valid sequences are kept, control
// characters and invalid bytes become \xNN, so the value is one safe line in every format.
std::string evidence_text(std::string_view value, std::size_t max_len) {
  std::string out;
  out.reserve(std::min(value.size(), max_len) + 8);
  for (std::size_t i = 0; i < value.size();) {
    if (out.size() >= max_len) {
      out += "…";
      break;
    }
    const auto c = static_cast<unsigned char>(value[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out += static_cast<char>(c);
      ++i;
    } else if (const std::size_t n = c >= 0x80 ? utf8_length(value, i) : 0; n > 0) {
      out.append(value.substr(i, n));
      i += n;
    } else {
      out += core::printable(value.substr(i, 1), 8);
      ++i;
    }
  }
  return out;
}

void add_evidence(core::Finding& finding, std::string what, std::string_view value) {
  finding.evidence.push_back({std::move(what), evidence_text(value, 240), std::nullopt});
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string join_first(std::span<const std::string> parts, std::size_t most, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size() && i < most; ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

}  // namespace mg::kube
