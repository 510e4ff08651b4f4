#include "kube/audit.hpp"

#include <algorithm>
#include <tuple>

#include "kube/credential_checks.hpp"
#include "kube/exposure_checks.hpp"
#include "kube/inventory.hpp"
#include "kube/kubeflow_profiles.hpp"
#include "kube/namespace_checks.hpp"
#include "kube/pod_template.hpp"
#include "kube/probe.hpp"
#include "kube/rbac_checks.hpp"
#include "kube/workload_checks.hpp"

namespace mg::kube {
namespace {

using Check = void (*)(const AuditContext&, Findings&);

// The explicit list of checks, in the order their findings are produced (osquery-style: no
// registration by static initialisers).
constexpr Check kChecks[] = {check_exposure, check_credentials, check_rbac, check_workloads, check_namespaces};

const core::ObjectLocation* object_location(const core::Finding& finding) {
  return std::get_if<core::ObjectLocation>(&finding.location);
}

}  // namespace

core::Result<AuditResult> audit(std::vector<Object> objects, std::shared_ptr<const indicators::CompiledCatalog> catalog,
                                const AuditOptions& options) {
  auto scanner = indicators::Scanner::create(catalog);
  if (!scanner) return std::unexpected(scanner.error());

  AuditResult result;
  result.stats["objects"] = objects.size();
  Inventory inventory(std::move(objects));
  auto synthesized = profile_controller_objects(inventory);
  result.stats["synthesized_objects"] = synthesized.size();
  inventory.add(std::move(synthesized));

  const PodTemplateIndex pods(inventory);
  result.stats["workloads"] = pods.objects_with_pods();
  result.stats["pod_templates"] = pods.all().size();

  const AuditContext context{inventory, pods, *catalog, *scanner, options};
  for (auto check : kChecks) check(context, result.findings);

  // Stable output whatever order the checks ran in: by file, line, rule.
  std::stable_sort(result.findings.begin(), result.findings.end(), [](const core::Finding& a, const core::Finding& b) {
    const auto* la = object_location(a);
    const auto* lb = object_location(b);
    if (la == nullptr || lb == nullptr) return la != nullptr && lb == nullptr;
    return std::tie(la->file, la->line, a.rule_id, la->kind, la->namespace_, la->name, la->field) <
           std::tie(lb->file, lb->line, b.rule_id, lb->kind, lb->namespace_, lb->name, lb->field);
  });
  return result;
}

std::vector<core::RuleInfo> audit_rules() {
  std::vector<core::RuleInfo> rules;
  for (auto&& list : {exposure_rules(), credential_rules(), probe_rules(), rbac_rules(), workload_rules(),
                      namespace_rules()}) {
    rules.insert(rules.end(), list.begin(), list.end());
  }
  std::ranges::sort(rules, {}, &core::RuleInfo::id);
  return rules;
}

}  // namespace mg::kube
