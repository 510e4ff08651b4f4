#pragma once
// Builds a Finding located on a Kubernetes object (and the field to change) from the rule's
// metadata, so every check fills title, severity, category, techniques and remediation the same way;
// and the few helpers every check shares.
#include <span>
#include <string>
#include <string_view>

#include "core/finding.hpp"
#include "core/rule_info.hpp"
#include "kube/object.hpp"

namespace mg::kube {

// The rule `id` of a check's rule table; `id` must be one of them (the first rule otherwise, and
// an assertion in debug builds).
const core::RuleInfo& find_rule(std::span<const core::RuleInfo> rules, std::string_view id);

// `field` is the dotted path ("spec.type", "spec.template.spec.containers[0].image"); `line` the
// line of that field (0: the object's own line is used).
core::Finding object_finding(const core::RuleInfo& rule, const Object& object, std::string field = {},
                             int line = 0);

// The same for a subject that is not in the input (a ServiceAccount only named by a binding or a
// pod, a namespace with no Namespace object): located by kind/namespace/name alone.
core::Finding named_finding(const core::RuleInfo& rule, std::string kind, std::string namespace_,
                            std::string name, std::string field = {});

// Text safe for evidence: valid UTF-8 kept, controls and invalid bytes as \xNN, cut at max_len.
std::string evidence_text(std::string_view value, std::size_t max_len = 240);

// Adds {what, value} evidence, value made safe (evidence_text) and cut to 240 bytes.
void add_evidence(core::Finding& finding, std::string what, std::string_view value);

// The first `most` of `parts` joined by `separator`: an evidence list, the rest counted by the caller.
std::string join_first(std::span<const std::string> parts, std::size_t most, std::string_view separator);

// ASCII lower case, for what Kubernetes and its tools compare without case (registry hosts,
// instance types, node labels, "False" in an annotation).
std::string ascii_lower(std::string_view text);

}  // namespace mg::kube
