#pragma once
// Limits a namespace puts on what its workloads can take and reach (MG-KUBE-027..029): GPUs
// requested where no ResourceQuota caps them, GPU nodes targeted without a GPU request, and
// user namespaces (Kubeflow profiles, namespaces running notebooks, pipelines, training jobs)
// whose pods can open connections to anywhere — a miner needs its pool.
#include <string_view>
#include <vector>

#include "core/rule_info.hpp"
#include "kube/audit_context.hpp"

namespace mg::kube {

inline constexpr std::string_view kRuleGpuWithoutQuota = "MG-KUBE-027";
inline constexpr std::string_view kRuleNoEgressLimit = "MG-KUBE-028";
inline constexpr std::string_view kRuleGpuNodeTargeting = "MG-KUBE-029";

std::vector<core::RuleInfo> namespace_rules();

void check_namespaces(const AuditContext& context, Findings& findings);

}  // namespace mg::kube
