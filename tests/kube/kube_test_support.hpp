#pragma once
// Shared helpers of the kube check tests: the compiled built-in catalog, manifests read from YAML
// text, the stock Kubeflow install and examples (tests/data/kubeflow), one check run the way the
// audit runs it, and lookups and descriptions of the findings it returns.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/finding.hpp"
#include "core/severity.hpp"
#include "indicators/catalog.hpp"
#include "indicators/matcher.hpp"
#include "kube/audit_context.hpp"
#include "kube/inventory.hpp"
#include "kube/kubeflow_profiles.hpp"
#include "kube/pod_template.hpp"
#include "kube/reader.hpp"

namespace mg::kube::testing {

// ---- inputs ----------------------------------------------------------------------------------

// Compiled once per test process: compile once, audit many.
inline const std::shared_ptr<const indicators::CompiledCatalog>& compiled_catalog() {
  static const std::shared_ptr<const indicators::CompiledCatalog> compiled = [] {
    auto result = indicators::compiled_builtin_catalog();
    EXPECT_TRUE(result.has_value()) << (result ? "" : result.error().message);
    return result ? *result : nullptr;
  }();
  return compiled;
}

// The objects of a YAML stream, located in `file`.
inline std::vector<Object> objects_of(std::string_view yaml, std::string_view file = "t.yaml") {
  auto read = read_yaml_objects(yaml, file);
  EXPECT_TRUE(read.has_value()) << (read ? "" : read.error().message);
  return read ? std::move(read->objects) : std::vector<Object>{};
}

// A file's whole content; a test data file is never empty.
inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  EXPECT_FALSE(text.str().empty()) << path;
  return text.str();
}

// A path under tests/data/kubeflow: "kubeflow-install.yaml", "examples/tfjob-simple.yaml".
inline std::string kubeflow_data(const std::string& relative) {
  return std::string(MG_KUBE_DATA) + "/kubeflow/" + relative;
}

// One of the Kubeflow examples users submit (tests/data/kubeflow/examples).
inline std::string kubeflow_example(const std::string& name) { return read_text(kubeflow_data("examples/" + name)); }

// The stock Kubeflow install (683 objects), read once per test process.
inline const std::vector<Object>& kubeflow_install() {
  static const std::vector<Object> objects = [] {
    auto read = objects_of(read_text(kubeflow_data("kubeflow-install.yaml")), "kubeflow-install.yaml");
    EXPECT_EQ(read.size(), 683u);
    return read;
  }();
  return objects;
}

// ---- running a check -------------------------------------------------------------------------

using Check = void (*)(const AuditContext&, Findings&);

// Whether the objects Kubeflow's profile controller creates at run time (a Profile's Namespace,
// ServiceAccounts and RoleBindings) are added to the input first, as `minerguard audit` does.
enum class ProfileObjects { none, added };

// One check over `objects`, with the context the audit gives it.
inline Findings run_check(Check check, std::vector<Object> objects, AuditOptions options = {},
                          ProfileObjects profiles = ProfileObjects::none) {
  Inventory inventory(std::move(objects));
  if (profiles == ProfileObjects::added) inventory.add(profile_controller_objects(inventory));
  auto scanner = indicators::Scanner::create(compiled_catalog());
  EXPECT_TRUE(scanner.has_value());
  const PodTemplateIndex pods(inventory);
  const AuditContext context{inventory, pods, *compiled_catalog(), *scanner, options};
  Findings findings;
  check(context, findings);
  return findings;
}

// ---- findings --------------------------------------------------------------------------------

inline const core::ObjectLocation& where(const core::Finding& finding) {
  return std::get<core::ObjectLocation>(finding.location);
}

// The findings of one rule, in order.
inline Findings of_rule(const Findings& findings, std::string_view rule) {
  Findings out;
  std::ranges::copy_if(findings, std::back_inserter(out), [&](const core::Finding& f) { return f.rule_id == rule; });
  return out;
}

// All evidence as "what: value" lines, for "mentions" assertions.
inline std::string all_evidence(const core::Finding& finding) {
  std::string out;
  for (const auto& item : finding.evidence) out += item.what + ": " + item.value + "\n";
  return out;
}

// True when `text` is anywhere in all_evidence() (it may span a what and its value).
inline bool mentions(const core::Finding& finding, std::string_view text) {
  return all_evidence(finding).find(text) != std::string::npos;
}

// True when one evidence item's what or value contains `needle`.
inline bool has_evidence(const core::Finding& finding, std::string_view needle) {
  return std::ranges::any_of(finding.evidence, [&](const core::Evidence& e) {
    return e.what.find(needle) != std::string::npos || e.value.find(needle) != std::string::npos;
  });
}

// The values of the evidence items named `what`, in order.
inline std::vector<std::string> evidence(const core::Finding& finding, std::string_view what) {
  std::vector<std::string> out;
  for (const auto& item : finding.evidence) {
    if (item.what == what) out.push_back(item.value);
  }
  return out;
}

// The first value of the evidence named `what`, "" when there is none.
inline std::string evidence_of(const core::Finding& finding, std::string_view what) {
  const auto values = evidence(finding, what);
  return values.empty() ? std::string() : values.front();
}

inline bool has_evidence_starting(const core::Finding& finding, std::string_view what, std::string_view prefix) {
  return std::ranges::any_of(evidence(finding, what), [&](const std::string& v) { return v.starts_with(prefix); });
}

// "MG-KUBE-020 critical TFJob u/train spec.…image:12" and its evidence, one item a line: for
// failure messages.
inline std::string describe(const core::Finding& finding) {
  const auto& at = where(finding);
  std::string out = finding.rule_id + " " + std::string(core::to_string(finding.severity)) + " " + at.kind + " " +
                    at.namespace_ + "/" + at.name + " " + at.field + ":" + std::to_string(at.line);
  for (const auto& item : finding.evidence) out += "\n    " + item.what + " = " + item.value;
  return out;
}

inline std::string describe(const Findings& findings) {
  std::string out;
  for (const auto& finding : findings) out += describe(finding) + "\n";
  return out;
}

}  // namespace mg::kube::testing
