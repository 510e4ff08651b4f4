#pragma once
// What workloads run and with which privileges (MG-KUBE-020..026): known miner images, commands
// that fetch or start a miner, images outside the allowed registries or not pinned by digest,
// privileged containers, host namespaces and hostPath volumes. Every pod template that
// pod_templates() finds is checked, so a Notebook, a TFJob or a pipeline step counts the same
// as a Deployment.
#include <string>
#include <string_view>
#include <vector>

#include "core/rule_info.hpp"
#include "kube/audit_context.hpp"

namespace mg::kube {

inline constexpr std::string_view kRuleMinerImage = "MG-KUBE-020";
inline constexpr std::string_view kRuleMinerCommand = "MG-KUBE-021";
inline constexpr std::string_view kRuleUnapprovedRegistry = "MG-KUBE-022";
inline constexpr std::string_view kRuleMutableImageTag = "MG-KUBE-023";
inline constexpr std::string_view kRulePrivilegedContainer = "MG-KUBE-024";
inline constexpr std::string_view kRuleHostNamespaces = "MG-KUBE-025";
inline constexpr std::string_view kRuleHostPath = "MG-KUBE-026";

std::vector<core::RuleInfo> workload_rules();

void check_workloads(const AuditContext& context, Findings& findings);

// An image reference resolved as Docker resolves it: "nginx" is docker.io/library/nginx:<none>,
// "ghcr.io/kubeflow/x:v1" has registry ghcr.io. The registry is lower-case.
struct ImageReference {
  std::string registry;    // "docker.io", "ghcr.io", "localhost:5000"
  std::string repository;  // "library/nginx", "kubeflow/kubeflow/notebook-servers/jupyter"
  std::string tag;         // "" when none is given (Docker then pulls "latest")
  std::string digest;      // "sha256:…" when pinned
};
ImageReference parse_image_reference(std::string_view image);

// Whether an --allow-registry entry admits the image: a registry host ("ghcr.io"), a host/path
// prefix on path-component boundaries ("docker.io/kubeflownotebookswg"), or a wildcard host
// ("*.gcr.io", optionally with a path). An entry without a host is a Docker Hub path, as Docker
// reads it ("kubeflownotebookswg" is docker.io/kubeflownotebookswg).
bool registry_allowed(const ImageReference& image, std::string_view entry);

// An image written as a template that is resolved later: Argo parameters
// ({{inputs.parameters.image}}), KServe ({{.Name}}), shell and Kubernetes variables (${X}, $(X)).
// Such a reference names no registry that can be judged.
bool templated_image(std::string_view image);

}  // namespace mg::kube
