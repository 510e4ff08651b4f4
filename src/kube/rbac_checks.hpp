#pragma once
// Privilege checks over RBAC (MG-KUBE-010..016): what the service-account tokens mounted into
// workloads can do through the API (start workloads, exec into pods, read secrets, grant or
// escalate rights, everything), with the binding -> role -> aggregated-role chain of every grant;
// bindings that hand rights to anonymous or to every authenticated identity; and tokens mounted
// for accounts that hold no rights at all. Kubeflow's run-time accounts (default-editor in each
// profile namespace, pipeline-runner) count as mounted even though no manifest mounts them.
// MG-KUBE-017..019 are reserved for this family.
#include <vector>

#include "core/rule_info.hpp"
#include "kube/audit_context.hpp"

namespace mg::kube {

void check_rbac(const AuditContext& context, Findings& findings);

std::vector<core::RuleInfo> rbac_rules();

}  // namespace mg::kube
