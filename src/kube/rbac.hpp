#pragma once
// The RBAC evaluator: what a subject may do, and through which binding and role. Built once from
// an Inventory (plus the built-in ClusterRoles every cluster has and manifests never contain), it
// answers with grants, each carrying the chain that explains it: binding -> role -> aggregated
// roles. Kubernetes' own semantics are followed (plugin/pkg/auth/authorizer/rbac): wildcards in
// verbs, apiGroups and resources, "*/subresource", resourceNames, RoleBindings scoped to their
// namespace, ClusterRole aggregation by label selector.
//
// Grants point into the evaluator (rules) and the inventory (binding objects): both must outlive
// every Grant they hand out.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kube/inventory.hpp"
#include "kube/object.hpp"

namespace mg::kube {

struct Subject {
  enum class Kind : std::uint8_t { service_account, user, group };
  Kind kind = Kind::user;
  std::string namespace_;  // service accounts only
  std::string name;

  static Subject service_account(std::string namespace_, std::string name);
  static Subject user(std::string name);
  static Subject group(std::string name);
  // "ServiceAccount kubeflow/pipeline-runner", "User alice@example.com", "Group system:authenticated".
  std::string ref() const;
  friend bool operator==(const Subject&, const Subject&) = default;
};

// The groups Kubernetes puts a subject in without any binding: every service account is in
// system:serviceaccounts, system:serviceaccounts:<ns> and system:authenticated; every user other
// than system:anonymous in system:authenticated; system:anonymous in system:unauthenticated.
std::vector<std::string> implied_groups(const Subject& subject);

struct PolicyRule {
  std::vector<std::string> verbs;
  std::vector<std::string> api_groups;
  std::vector<std::string> resources;
  std::vector<std::string> resource_names;
  std::vector<std::string> non_resource_urls;
  int line = 0;  // where the rule is written (0: built-in)
};

// Kubernetes' matching of one rule against a resource request. An empty `name` is a request
// without a name (create, list, watch, deletecollection): a rule limited by resourceNames never
// allows it. `resource` may carry a subresource ("pods/exec").
bool rule_allows(const PolicyRule& rule, std::string_view verb, std::string_view group, std::string_view resource,
                 std::string_view name = {});

// Resources that exist outside namespaces (nodes, clusterroles, users for impersonation, …): a
// RoleBinding never grants them, whatever its role says.
bool is_cluster_scoped(std::string_view group, std::string_view resource);

// "In some namespace": the namespace argument of allows()/allowing() that accepts grants of any
// namespace (Kubernetes namespace names cannot contain '*').
inline constexpr std::string_view kAnyNamespace = "*";

struct Grant {
  const PolicyRule* rule = nullptr;     // never null
  bool cluster = false;                 // from a ClusterRoleBinding: applies in every namespace
  std::string namespace_;               // else the RoleBinding's namespace ("" if the manifest sets none)
  // ["RoleBinding kubeflow-user-example-com/default-editor", "ClusterRole kubeflow-edit",
  //  "aggregates ClusterRole kubeflow-kubernetes-edit"]
  std::vector<std::string> chain;
  const Object* binding = nullptr;      // the binding object (nullptr only if synthesized in code)
  int subject_index = -1;               // which subjects[i] of the binding matched; -1 for grants_of()
  const Object* role = nullptr;         // the role object holding the rule; nullptr for built-in roles
  std::string bound_role;               // the role the binding names ("ClusterRole kubeflow-edit")

  const std::vector<std::string>& verbs() const { return rule->verbs; }
  const std::vector<std::string>& api_groups() const { return rule->api_groups; }
  const std::vector<std::string>& resources() const { return rule->resources; }
  const std::vector<std::string>& resource_names() const { return rule->resource_names; }
  bool cluster_wide() const { return cluster; }
  // `namespace_`: a namespace, kAnyNamespace, or "" for a request across all namespaces.
  bool allows(std::string_view verb, std::string_view group, std::string_view resource,
              std::string_view namespace_ = kAnyNamespace, std::string_view name = {}) const;
  // `*` verbs on `*` resources of `*` groups, cluster-wide, not limited by name.
  bool cluster_admin_equivalent() const;
  // The chain joined with " -> ".
  std::string path() const;
  // "cluster-wide" or "in namespace <ns>".
  std::string scope() const;
};

class RbacEvaluator {
 public:
  explicit RbacEvaluator(const Inventory& inventory);
  ~RbacEvaluator();
  RbacEvaluator(RbacEvaluator&&) noexcept;
  RbacEvaluator& operator=(RbacEvaluator&&) noexcept;

  // Every grant that applies to the subject: bindings naming it, and bindings naming one of its
  // implied groups.
  std::vector<Grant> grants_for(const Subject& subject) const;
  // Only grants of bindings that name this subject itself (no implied groups).
  std::vector<Grant> grants_naming(const Subject& subject) const;
  // The grants of one binding (all its subjects alike); empty for a dangling roleRef.
  std::vector<Grant> grants_of(const Object& binding) const;

  // The grants that allow the request; `namespace_` as in Grant::allows.
  std::vector<Grant> allowing(const Subject& subject, std::string_view verb, std::string_view group,
                              std::string_view resource, std::string_view namespace_ = kAnyNamespace) const;
  bool allows(const Subject& subject, std::string_view verb, std::string_view group, std::string_view resource,
              std::string_view namespace_ = kAnyNamespace) const {
    return !allowing(subject, verb, group, resource, namespace_).empty();
  }

  // The rules a ClusterRole ("" namespace) or Role carries after aggregation, with the chain below
  // the role itself (["aggregates ClusterRole x", …]); empty when there is no such role.
  struct EffectiveRule {
    const PolicyRule* rule = nullptr;
    const Object* holder = nullptr;        // nullptr for built-in roles
    std::vector<std::string> via;
  };
  std::vector<EffectiveRule> effective_rules(std::string_view namespace_, std::string_view name) const;
  // True when the role of that name comes from the built-in set, not from the input.
  bool is_builtin_cluster_role(std::string_view name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mg::kube
