#pragma once
// Logins left as shipped: MG-KUBE-005 (Dex static password still the documented default) and
// MG-KUBE-006 (dashboards started with their login switched off).
#include <string>
#include <string_view>
#include <vector>

#include "core/rule_info.hpp"
#include "kube/audit_context.hpp"

namespace mg::kube {

inline constexpr std::string_view kRuleDexDefaultPassword = "MG-KUBE-005";
inline constexpr std::string_view kRuleDashboardWithoutLogin = "MG-KUBE-006";

// The bcrypt hash kubeflow/manifests ships for user@example.com (password 12341234, as its
// README documents).
inline constexpr std::string_view kKubeflowShippedDexHash =
    "$2y$12$4K/VkmDd1q1Orb3xAt82zu8gk7Ad6ReFR4LCP9UeYE90NLiN9Df72";

void check_credentials(const AuditContext& context, Findings& out);

// The metadata of MG-KUBE-005..006, in id order.
std::vector<core::RuleInfo> credential_rules();

// Which well-known password a bcrypt hash verifies against ("12341234", "password"), or "".
// The shipped hash is recognised without hashing; other hashes are verified with crypt_r, at
// most `budget` of them per audit (a cost-12 check takes about a quarter of a second), and
// never when their cost factor is above 12 (a hostile cost of 31 would never finish).
struct PasswordBudget {
  int remaining = 16;
};
std::string known_password_of(std::string_view hash, PasswordBudget& budget);

}  // namespace mg::kube
