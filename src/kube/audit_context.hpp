#pragma once
// What every posture check receives: the objects, the indicator catalog (with a scanner for
// this thread), and the user's options. Checks are plain functions (check_exposure,
// check_rbac, check_workloads, …) listed explicitly in audit.cpp; no registration magic.
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "indicators/matcher.hpp"
#include "kube/inventory.hpp"
#include "kube/pod_template.hpp"

namespace mg::kube {

struct AuditOptions {
  // Registries images may come from ("ghcr.io", "docker.io/kubeflownotebookswg", "*.gcr.io").
  // Empty: the registry check is off.
  std::vector<std::string> allowed_registries;
};

struct AuditContext {
  const Inventory& inventory;
  const PodTemplateIndex& pods;     // every object's pod templates, extracted once
  const indicators::CompiledCatalog& catalog;
  indicators::Scanner& scanner;
  const AuditOptions& options;
};

using Findings = std::vector<core::Finding>;

}  // namespace mg::kube
