#pragma once
// `minerguard audit` as a library call: objects in, findings out. The CLI only reads inputs and
// renders; the admission webhook of a later issue can call the same checks on one object.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/finding.hpp"
#include "core/rule_info.hpp"
#include "indicators/matcher.hpp"
#include "kube/audit_context.hpp"
#include "kube/object.hpp"

namespace mg::kube {

struct AuditResult {
  std::vector<core::Finding> findings;
  std::map<std::string, std::uint64_t> stats;   // objects, workloads, pod_templates, synthesized
};

// Runs every posture check over the objects (plus what Kubeflow's profile controller would create
// for the Profiles among them). Findings come out in a stable order.
core::Result<AuditResult> audit(std::vector<Object> objects, std::shared_ptr<const indicators::CompiledCatalog> catalog,
                                const AuditOptions& options);

// Metadata of every rule audit can emit, in id order (for SARIF and the README's table).
std::vector<core::RuleInfo> audit_rules();

}  // namespace mg::kube
