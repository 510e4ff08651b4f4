#pragma once
// Kubeflow reachable from outside the cluster without authentication: the checks MG-KUBE-001
// to MG-KUBE-004, read from the route graph (exposure.hpp) and what Istio's policies do on the
// way (istio_auth.hpp).
#include <string_view>
#include <vector>

#include "core/rule_info.hpp"
#include "kube/audit_context.hpp"

namespace mg::kube {

inline constexpr std::string_view kRuleUiExposed = "MG-KUBE-001";
inline constexpr std::string_view kRuleAuthBypassable = "MG-KUBE-002";
inline constexpr std::string_view kRuleBackendExposed = "MG-KUBE-003";
inline constexpr std::string_view kRuleUndefinedProvider = "MG-KUBE-004";

void check_exposure(const AuditContext& context, Findings& out);

// The metadata of MG-KUBE-001..004, in id order.
std::vector<core::RuleInfo> exposure_rules();

}  // namespace mg::kube
