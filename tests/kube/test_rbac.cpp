// The RBAC evaluator (kube/rbac.hpp) and the objects Kubeflow's profile controller creates at run
// time (kube/kubeflow_profiles.hpp), on small manifests written here.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "kube/inventory.hpp"
#include "kube/kubeflow_profiles.hpp"
#include "kube/rbac.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

Inventory inventory_of(std::string_view yaml) { return Inventory(testing::objects_of(yaml, "rbac.yaml")); }

std::vector<std::vector<std::string>> chains(const std::vector<Grant>& grants) {
  std::vector<std::vector<std::string>> out;
  for (const auto& grant : grants) {
    if (std::ranges::find(out, grant.chain) == out.end()) out.push_back(grant.chain);
  }
  return out;
}

const Subject kRunner = Subject::service_account("team-a", "runner");

// ---- bindings and scope --------------------------------------------------------------------------

constexpr std::string_view kScopes = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pod-maker}
rules:
- {apiGroups: [""], resources: [pods], verbs: [create, get]}
- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterrolebindings], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: makers, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}
subjects:
- {kind: ServiceAccount, name: runner}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: global-makers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}
subjects:
- {kind: ServiceAccount, name: builder, namespace: ci}
- {kind: ServiceAccount, name: no-namespace}
)";

TEST(RbacEvaluator, RoleBindingToClusterRoleIsLimitedToItsNamespace) {
  const auto inventory = inventory_of(kScopes);
  const RbacEvaluator rbac(inventory);
  EXPECT_TRUE(rbac.allows(kRunner, "create", "", "pods", "team-a"));
  EXPECT_TRUE(rbac.allows(kRunner, "create", "", "pods"));  // kAnyNamespace
  EXPECT_FALSE(rbac.allows(kRunner, "create", "", "pods", "team-b"));
  EXPECT_FALSE(rbac.allows(kRunner, "create", "", "pods", ""));  // across all namespaces
  // A cluster-scoped resource is never reached through a RoleBinding.
  EXPECT_FALSE(rbac.allows(kRunner, "create", "rbac.authorization.k8s.io", "clusterrolebindings"));

  const auto grants = rbac.allowing(kRunner, "create", "", "pods");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].namespace_, "team-a");
  EXPECT_EQ(grants[0].scope(), "in namespace team-a");
  EXPECT_EQ(grants[0].path(), "RoleBinding team-a/makers -> ClusterRole pod-maker");
  ASSERT_NE(grants[0].binding, nullptr);
  EXPECT_EQ(grants[0].binding->name(), "makers");
  EXPECT_EQ(grants[0].subject_index, 0);
  EXPECT_EQ(grants[0].bound_role, "ClusterRole pod-maker");
}

TEST(RbacEvaluator, ClusterRoleBindingAppliesEverywhere) {
  const auto inventory = inventory_of(kScopes);
  const RbacEvaluator rbac(inventory);
  const auto builder = Subject::service_account("ci", "builder");
  EXPECT_TRUE(rbac.allows(builder, "create", "", "pods", "anything"));
  EXPECT_TRUE(rbac.allows(builder, "create", "", "pods", ""));
  EXPECT_TRUE(rbac.allows(builder, "create", "rbac.authorization.k8s.io", "clusterrolebindings"));
  EXPECT_FALSE(rbac.allows(builder, "delete", "", "pods"));
  EXPECT_EQ(rbac.allowing(builder, "get", "", "pods")[0].scope(), "cluster-wide");
  // A ClusterRoleBinding's ServiceAccount subject must name its namespace; this one names none.
  EXPECT_TRUE(rbac.grants_for(Subject::service_account("default", "no-namespace")).empty());
}

TEST(RbacEvaluator, RoleBindingFindsTheRoleInItsOwnNamespaceOnly) {
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: runner, namespace: team-b}
rules:
- {apiGroups: [""], resources: [pods], verbs: ["*"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: runner, namespace: team-a}
rules:
- {apiGroups: [""], resources: [configmaps], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: runner, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: runner}
subjects: [{kind: ServiceAccount, name: runner, namespace: team-a}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dangling, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: missing}
subjects: [{kind: ServiceAccount, name: runner, namespace: team-a}]
)");
  const RbacEvaluator rbac(inventory);
  EXPECT_TRUE(rbac.allows(kRunner, "get", "", "configmaps", "team-a"));
  EXPECT_FALSE(rbac.allows(kRunner, "create", "", "pods"));
  const auto grants = rbac.grants_for(kRunner);
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].path(), "RoleBinding team-a/runner -> Role runner");
  EXPECT_EQ(grants[0].rule->line, 12);  // the line of the rule in its Role
}

TEST(RbacEvaluator, SubjectsMayBeNamedInOtherNamespacesAndByGroup) {
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader}
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: cross, namespace: vault}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: ServiceAccount, name: runner, namespace: team-a}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: all-of-team-a, namespace: shared}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: Group, name: "system:serviceaccounts:team-a", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: every-account, namespace: common}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: Group, name: "system:serviceaccounts", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: everyone, namespace: public}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: strangers, namespace: open}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects: [{kind: User, name: "system:anonymous", apiGroup: rbac.authorization.k8s.io}]
)");
  const RbacEvaluator rbac(inventory);
  EXPECT_TRUE(rbac.allows(kRunner, "get", "", "secrets", "vault"));
  EXPECT_TRUE(rbac.allows(kRunner, "get", "", "secrets", "shared"));
  EXPECT_TRUE(rbac.allows(kRunner, "get", "", "secrets", "common"));
  EXPECT_TRUE(rbac.allows(kRunner, "get", "", "secrets", "public"));
  EXPECT_FALSE(rbac.allows(kRunner, "get", "", "secrets", "open"));  // anonymous only

  const auto other = Subject::service_account("team-b", "runner");
  EXPECT_FALSE(rbac.allows(other, "get", "", "secrets", "shared"));  // not in team-a's group
  EXPECT_TRUE(rbac.allows(other, "get", "", "secrets", "common"));

  const auto alice = Subject::user("alice");
  EXPECT_TRUE(rbac.allows(alice, "get", "", "secrets", "public"));
  EXPECT_FALSE(rbac.allows(alice, "get", "", "secrets", "common"));
  const auto anonymous = Subject::user("system:anonymous");
  EXPECT_TRUE(rbac.allows(anonymous, "get", "", "secrets", "open"));
  EXPECT_FALSE(rbac.allows(anonymous, "get", "", "secrets", "public"));

  EXPECT_EQ(rbac.grants_naming(kRunner).size(), 1u);  // only the binding that names it
  EXPECT_EQ(rbac.grants_for(kRunner).size(), 4u);
}

// ---- matching ------------------------------------------------------------------------------------

PolicyRule rule(std::vector<std::string> verbs, std::vector<std::string> groups, std::vector<std::string> resources,
                std::vector<std::string> names = {}) {
  PolicyRule out;
  out.verbs = std::move(verbs);
  out.api_groups = std::move(groups);
  out.resources = std::move(resources);
  out.resource_names = std::move(names);
  return out;
}

TEST(RbacMatching, WildcardsAndSubresources) {
  EXPECT_TRUE(rule_allows(rule({"*"}, {"*"}, {"*"}), "create", "apps", "deployments"));
  EXPECT_TRUE(rule_allows(rule({"*"}, {"*"}, {"*"}), "create", "", "pods/exec"));
  EXPECT_TRUE(rule_allows(rule({"create"}, {""}, {"pods/exec"}), "create", "", "pods/exec"));
  EXPECT_FALSE(rule_allows(rule({"create"}, {""}, {"pods"}), "create", "", "pods/exec"));
  EXPECT_FALSE(rule_allows(rule({"create"}, {""}, {"pods/exec"}), "create", "", "pods"));
  EXPECT_TRUE(rule_allows(rule({"update"}, {"apps"}, {"*/scale"}), "update", "apps", "deployments/scale"));
  EXPECT_FALSE(rule_allows(rule({"update"}, {"apps"}, {"*/scale"}), "update", "apps", "deployments"));
  // "pods/*" is not Kubernetes syntax: it matches only a resource literally named so.
  EXPECT_FALSE(rule_allows(rule({"create"}, {""}, {"pods/*"}), "create", "", "pods/exec"));
  EXPECT_FALSE(rule_allows(rule({"create"}, {"apps"}, {"*"}), "create", "", "pods"));
  EXPECT_FALSE(rule_allows(rule({"get", "list"}, {""}, {"pods"}), "create", "", "pods"));
  PolicyRule urls;
  urls.verbs = {"*"};
  urls.non_resource_urls = {"*"};
  EXPECT_FALSE(rule_allows(urls, "get", "", "pods"));
}

TEST(RbacMatching, ResourceNamesNeverAllowUnnamedRequests) {
  const auto named = rule({"get", "create"}, {""}, {"secrets"}, {"webhook-certs"});
  EXPECT_TRUE(rule_allows(named, "get", "", "secrets", "webhook-certs"));
  EXPECT_FALSE(rule_allows(named, "get", "", "secrets", "database"));
  EXPECT_FALSE(rule_allows(named, "get", "", "secrets"));
  EXPECT_FALSE(rule_allows(named, "create", "", "secrets"));  // a create request carries no name
}

TEST(RbacMatching, ClusterScopedResources) {
  EXPECT_TRUE(is_cluster_scoped("rbac.authorization.k8s.io", "clusterrolebindings"));
  EXPECT_TRUE(is_cluster_scoped("", "nodes"));
  EXPECT_TRUE(is_cluster_scoped("", "nodes/proxy"));
  EXPECT_FALSE(is_cluster_scoped("", "pods"));
  EXPECT_FALSE(is_cluster_scoped("rbac.authorization.k8s.io", "rolebindings"));
}

// ---- aggregation ---------------------------------------------------------------------------------

// Kubeflow's shape: kubeflow-admin aggregates kubeflow-edit (labelled aggregate-to-kubeflow-admin),
// which has `rules: []` and aggregates kubeflow-kubernetes-edit and kubeflow-view, which in turn
// aggregates kubeflow-kubernetes-view.
constexpr std::string_view kAggregated = R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kubeflow-admin}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-admin: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-edit
  labels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-admin: "true"}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-edit: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-view
  labels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-edit: "true"}
aggregationRule:
  clusterRoleSelectors:
  - matchLabels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-view: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-kubernetes-edit
  labels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-edit: "true"}
rules:
- {apiGroups: [""], resources: [pods, pods/exec], verbs: [create, delete]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-kubernetes-view
  labels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-view: "true"}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: kubeflow-kubernetes-admin
  labels: {rbac.authorization.kubeflow.org/aggregate-to-kubeflow-admin: "true"}
rules:
- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default-editor, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeflow-edit}
subjects: [{kind: ServiceAccount, name: runner, namespace: team-a}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: namespaceAdmin, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: kubeflow-admin}
subjects: [{kind: User, name: alice@example.com, apiGroup: rbac.authorization.k8s.io}]
)";

TEST(RbacAggregation, RulesFlowUpTransitivelyWithTheirChain) {
  const auto inventory = inventory_of(kAggregated);
  const RbacEvaluator rbac(inventory);
  const auto create = rbac.allowing(kRunner, "create", "", "pods", "team-a");
  ASSERT_EQ(create.size(), 1u);
  EXPECT_EQ(create[0].chain, (std::vector<std::string>{"RoleBinding team-a/default-editor", "ClusterRole kubeflow-edit",
                                                       "aggregates ClusterRole kubeflow-kubernetes-edit"}));
  ASSERT_NE(create[0].role, nullptr);
  EXPECT_EQ(create[0].role->name(), "kubeflow-kubernetes-edit");
  const auto list = rbac.allowing(kRunner, "list", "", "pods", "team-a");
  ASSERT_EQ(list.size(), 1u);
  EXPECT_EQ(list[0].path(),
            "RoleBinding team-a/default-editor -> ClusterRole kubeflow-edit -> aggregates ClusterRole kubeflow-view -> "
            "aggregates ClusterRole kubeflow-kubernetes-view");
  // The editor does not get what only the admin role aggregates.
  EXPECT_FALSE(rbac.allows(kRunner, "create", "rbac.authorization.k8s.io", "rolebindings"));

  const auto alice = Subject::user("alice@example.com");
  EXPECT_TRUE(rbac.allows(alice, "create", "rbac.authorization.k8s.io", "rolebindings", "team-a"));
  const auto exec = rbac.allowing(alice, "create", "", "pods/exec", "team-a");
  ASSERT_EQ(exec.size(), 1u);
  EXPECT_EQ(exec[0].path(),
            "RoleBinding team-a/namespaceAdmin -> ClusterRole kubeflow-admin -> aggregates ClusterRole kubeflow-edit -> "
            "aggregates ClusterRole kubeflow-kubernetes-edit");
  EXPECT_EQ(rbac.effective_rules("", "kubeflow-admin").size(), 3u);
  EXPECT_EQ(rbac.effective_rules("", "kubeflow-edit").size(), 2u);
}

TEST(RbacAggregation, CyclesAndSelfSelectionTerminate) {
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: a
  labels: {to-b: "true", to-a: "true"}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {to-a: "true"}}]
rules: [{apiGroups: [""], resources: [pods], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: b
  labels: {to-a: "true"}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {to-b: "true"}}]
rules: [{apiGroups: [""], resources: [secrets], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: a}
subjects: [{kind: Group, name: ops}]
)");
  const RbacEvaluator rbac(inventory);
  const auto& a = rbac.effective_rules("", "a");
  ASSERT_EQ(a.size(), 2u);  // b's secrets rule (via the cycle back to a, once) and a's own
  const auto ops = Subject::group("ops");
  const auto secrets = rbac.allowing(ops, "get", "", "secrets");
  ASSERT_EQ(secrets.size(), 1u);
  EXPECT_EQ(secrets[0].path(), "ClusterRoleBinding a -> ClusterRole a -> aggregates ClusterRole b");
  const auto pods = rbac.allowing(ops, "get", "", "pods");
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0].path(), "ClusterRoleBinding a -> ClusterRole a");
}

TEST(RbacAggregation, MatchExpressions) {
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: union}
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions:
    - {key: tier, operator: In, values: [gold, silver]}
    - {key: retired, operator: DoesNotExist}
  - matchExpressions:
    - {key: extra, operator: Exists}
    - {key: tier, operator: NotIn, values: [bronze]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: gold, labels: {tier: gold}}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: retired, labels: {tier: silver, retired: "yes"}}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: extra, labels: {extra: "1"}}
rules: [{apiGroups: [batch], resources: [jobs], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: bronze-extra, labels: {extra: "1", tier: bronze}}
rules: [{apiGroups: [apps], resources: [deployments], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: odd}
aggregationRule:
  clusterRoleSelectors:
  - matchExpressions: [{key: tier, operator: Like, values: [gold]}]
)");
  const RbacEvaluator rbac(inventory);
  std::vector<std::string> holders;
  for (const auto& effective : rbac.effective_rules("", "union")) holders.emplace_back(effective.holder->name());
  EXPECT_EQ(holders, (std::vector<std::string>{"gold", "extra"}));
  EXPECT_TRUE(rbac.effective_rules("", "odd").empty());  // an unknown operator selects nothing
}

TEST(RbacAggregation, LiveClusterCopiesAreNotCountedTwice) {
  // kubectl get output: the aggregation controller already copied the member's rule into edit.
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: team-edit}
aggregationRule:
  clusterRoleSelectors: [{matchLabels: {to-team-edit: "true"}}]
rules:
- {apiGroups: [""], resources: [pods], verbs: [create]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pods, labels: {to-team-edit: "true"}}
rules:
- {apiGroups: [""], resources: [pods], verbs: [create]}
)");
  const RbacEvaluator rbac(inventory);
  const auto& rules = rbac.effective_rules("", "team-edit");
  ASSERT_EQ(rules.size(), 1u);
  EXPECT_EQ(rules[0].via, (std::vector<std::string>{"aggregates ClusterRole pods"}));
}

TEST(RbacAggregation, DeepChainsAreFollowedAndTheirChainIsCut) {
  // r0 aggregates r1, which aggregates r2, … r40 holds the only rule.
  std::string yaml;
  for (int i = 0; i <= 40; ++i) {
    yaml += "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: r" + std::to_string(i) +
            ", labels: {level: \"" + std::to_string(i) + "\"}}\n";
    if (i < 40) {
      yaml += "aggregationRule: {clusterRoleSelectors: [{matchLabels: {level: \"" + std::to_string(i + 1) + "\"}}]}\n";
    } else {
      yaml += "rules: [{apiGroups: [\"\"], resources: [pods], verbs: [create]}]\n";
    }
    yaml += "---\n";
  }
  yaml += "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: deep}\n"
          "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: r0}\nsubjects: [{kind: Group, name: g}]\n";
  const auto inventory = inventory_of(yaml);
  const RbacEvaluator rbac(inventory);
  const auto grants = rbac.allowing(Subject::group("g"), "create", "", "pods");
  ASSERT_EQ(grants.size(), 1u);
  ASSERT_EQ(grants[0].chain.size(), 2u + 8u + 1u);
  EXPECT_EQ(grants[0].chain[2], "aggregates ClusterRole r1");
  EXPECT_EQ(grants[0].chain[9], "aggregates ClusterRole r8");
  EXPECT_EQ(grants[0].chain[10], "aggregates ... (deeper ClusterRoles)");
  EXPECT_EQ(grants[0].role->name(), "r40");
}

// ---- built-in roles ------------------------------------------------------------------------------

TEST(RbacBuiltins, BindingsToRolesEveryClusterHas) {
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: profiles-cluster-rolebinding}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: profiles-controller-service-account, namespace: kubeflow}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: runner}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: team-a}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: ServiceAccount, name: watcher}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: argo-aggregate-to-edit
  labels: {rbac.authorization.k8s.io/aggregate-to-edit: "true"}
rules:
- {apiGroups: [argoproj.io], resources: [workflows], verbs: [create]}
)");
  const RbacEvaluator rbac(inventory);
  EXPECT_TRUE(rbac.is_builtin_cluster_role("cluster-admin"));
  const auto admin = rbac.grants_for(Subject::service_account("kubeflow", "profiles-controller-service-account"));
  ASSERT_FALSE(admin.empty());
  EXPECT_TRUE(admin[0].cluster_admin_equivalent());
  EXPECT_EQ(admin[0].chain,
            (std::vector<std::string>{"ClusterRoleBinding profiles-cluster-rolebinding", "ClusterRole cluster-admin"}));
  EXPECT_EQ(admin[0].role, nullptr);  // built in: no object to point at

  EXPECT_TRUE(rbac.allows(kRunner, "create", "", "pods", "team-a"));
  EXPECT_TRUE(rbac.allows(kRunner, "create", "", "pods/exec", "team-a"));
  EXPECT_TRUE(rbac.allows(kRunner, "get", "", "secrets", "team-a"));
  EXPECT_TRUE(rbac.allows(kRunner, "impersonate", "", "serviceaccounts", "team-a"));
  EXPECT_FALSE(rbac.allows(kRunner, "create", "rbac.authorization.k8s.io", "rolebindings"));  // admin only
  EXPECT_TRUE(rbac.allows(kRunner, "create", "apps", "deployments", "team-a"));
  const auto workflows = rbac.allowing(kRunner, "create", "argoproj.io", "workflows");
  ASSERT_EQ(workflows.size(), 1u);
  EXPECT_EQ(workflows[0].path(), "RoleBinding team-a/editors -> ClusterRole edit -> aggregates ClusterRole argo-aggregate-to-edit");

  const auto watcher = Subject::service_account("team-a", "watcher");
  EXPECT_TRUE(rbac.allows(watcher, "list", "", "pods", "team-a"));
  EXPECT_FALSE(rbac.allows(watcher, "get", "", "secrets", "team-a"));
  EXPECT_FALSE(rbac.allows(watcher, "create", "argoproj.io", "workflows", "team-a"));
}

TEST(RbacBuiltins, TheInputsOwnCopyWins) {
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: view}
rules: [{apiGroups: [""], resources: [secrets], verbs: [list]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: viewers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
subjects: [{kind: Group, name: auditors}]
)");
  const RbacEvaluator rbac(inventory);
  EXPECT_FALSE(rbac.is_builtin_cluster_role("view"));
  EXPECT_TRUE(rbac.is_builtin_cluster_role("edit"));
  const auto auditors = Subject::group("auditors");
  EXPECT_TRUE(rbac.allows(auditors, "list", "", "secrets"));
  EXPECT_FALSE(rbac.allows(auditors, "get", "", "pods"));
}

TEST(RbacEvaluator, ClusterRoleBindingWithANamespaceIsStillClusterWide) {
  // spark-operator's chart renders its ClusterRoleBinding with metadata.namespace.
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: spark, namespace: kubeflow}
rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: spark, namespace: kubeflow}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: spark}
subjects: [{kind: ServiceAccount, name: spark, namespace: kubeflow}]
)");
  const RbacEvaluator rbac(inventory);
  const auto grants = rbac.allowing(Subject::service_account("kubeflow", "spark"), "create", "", "pods", "elsewhere");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_TRUE(grants[0].cluster_wide());
  EXPECT_EQ(grants[0].path(), "ClusterRoleBinding spark -> ClusterRole spark");
}

TEST(RbacEvaluator, ManifestsWithoutNamespacesStayNamespaced) {
  // Rendered for `kubectl apply -n <ns>`: no metadata.namespace anywhere.
  const auto inventory = inventory_of(R"(
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-admin}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: [{kind: ServiceAccount, name: app}]
)");
  const RbacEvaluator rbac(inventory);
  const auto app = Subject::service_account("", "app");
  const auto grants = rbac.allowing(app, "create", "", "pods");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_FALSE(grants[0].cluster_wide());
  EXPECT_FALSE(grants[0].cluster_admin_equivalent());
  EXPECT_EQ(grants[0].scope(), "in the namespace it is applied to");
  EXPECT_EQ(grants[0].path(), "RoleBinding app-admin -> ClusterRole cluster-admin");
  EXPECT_FALSE(rbac.allows(app, "create", "", "pods", ""));  // not across all namespaces
  EXPECT_FALSE(rbac.allows(app, "create", "rbac.authorization.k8s.io", "clusterrolebindings"));
}

TEST(RbacEvaluator, GrantsOfABinding) {
  const auto inventory = inventory_of(kScopes);
  const RbacEvaluator rbac(inventory);
  const auto* binding = inventory.find("ClusterRoleBinding", "", "global-makers");
  ASSERT_NE(binding, nullptr);
  const auto grants = rbac.grants_of(*binding);
  ASSERT_EQ(grants.size(), 2u);
  EXPECT_EQ(grants[0].subject_index, -1);
  EXPECT_EQ(chains(grants).size(), 1u);
}

TEST(RbacSubject, RefsAndImpliedGroups) {
  EXPECT_EQ(kRunner.ref(), "ServiceAccount team-a/runner");
  EXPECT_EQ(Subject::user("u").ref(), "User u");
  EXPECT_EQ(Subject::group("g").ref(), "Group g");
  EXPECT_EQ(implied_groups(kRunner),
            (std::vector<std::string>{"system:serviceaccounts", "system:serviceaccounts:team-a", "system:authenticated"}));
  EXPECT_EQ(implied_groups(Subject::user("system:anonymous")), (std::vector<std::string>{"system:unauthenticated"}));
  EXPECT_TRUE(implied_groups(Subject::group("g")).empty());
}

// ---- Kubeflow profiles ---------------------------------------------------------------------------

constexpr std::string_view kProfile = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: namespace-labels-data-2k29b64d74, namespace: kubeflow}
data:
  namespace-labels.yaml: |
    # defaults
    katib.kubeflow.org/metrics-collector-injection: "enabled"
    pod-security.kubernetes.io/enforce: "baseline"
    istio-injection: ''
---
apiVersion: kubeflow.org/v1beta1
kind: Profile
metadata:
  name: kubeflow-user-example-com
spec:
  owner:
    kind: User
    name: user@example.com
)";

TEST(KubeflowProfiles, WhatTheProfileControllerCreates) {
  const auto inventory = inventory_of(kProfile);
  const auto objects = profile_controller_objects(inventory);
  std::vector<std::string> refs;
  for (const auto& object : objects) {
    refs.push_back(object.ref());
    EXPECT_EQ(object.file, "rbac.yaml");
    EXPECT_EQ(object.line, 11);  // the Profile's line
    EXPECT_TRUE(is_synthesized(object));
    EXPECT_EQ(object.annotations()[kSynthesizedFromAnnotation].str(), "Profile kubeflow-user-example-com");
  }
  EXPECT_EQ(refs, (std::vector<std::string>{
                      "Namespace kubeflow-user-example-com",
                      "ServiceAccount kubeflow-user-example-com/default-editor",
                      "RoleBinding kubeflow-user-example-com/default-editor",
                      "ServiceAccount kubeflow-user-example-com/default-viewer",
                      "RoleBinding kubeflow-user-example-com/default-viewer",
                      "RoleBinding kubeflow-user-example-com/namespaceAdmin",
                  }));
  const auto& ns = objects[0];
  EXPECT_EQ(ns.annotations()["owner"].str(), "user@example.com");
  EXPECT_EQ(ns.labels()["pod-security.kubernetes.io/enforce"].str(), "baseline");
  EXPECT_EQ(ns.labels()["katib.kubeflow.org/metrics-collector-injection"].str(), "enabled");
  EXPECT_EQ(ns.labels().find("istio-injection"), nullptr);  // '' removes the controller's default

  const auto& editor = objects[2];
  EXPECT_EQ(editor.root["roleRef"]["name"].str(), "kubeflow-edit");
  EXPECT_EQ(editor.root["subjects"][0]["kind"].str(), "ServiceAccount");
  EXPECT_EQ(editor.root["subjects"][0]["namespace"].str(), "kubeflow-user-example-com");
  const auto& owner = objects[5];
  EXPECT_EQ(owner.root["roleRef"]["name"].str(), "kubeflow-admin");
  EXPECT_EQ(owner.root["subjects"][0]["kind"].str(), "User");
  EXPECT_EQ(owner.root["subjects"][0]["name"].str(), "user@example.com");
  EXPECT_EQ(owner.annotations()["role"].str(), "admin");

  EXPECT_EQ(profile_namespaces(inventory), (std::vector<std::string_view>{"kubeflow-user-example-com"}));
}

TEST(KubeflowProfiles, TheEvaluatorSeesThemOnceAdded) {
  auto inventory = inventory_of(std::string(kProfile) + "---\n" + std::string(kAggregated));
  inventory.add(profile_controller_objects(inventory));
  const RbacEvaluator rbac(inventory);
  const auto editor = Subject::service_account("kubeflow-user-example-com", "default-editor");
  const auto grants = rbac.allowing(editor, "create", "", "pods", "kubeflow-user-example-com");
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].path(),
            "RoleBinding kubeflow-user-example-com/default-editor -> ClusterRole kubeflow-edit -> aggregates ClusterRole "
            "kubeflow-kubernetes-edit");
  ASSERT_NE(grants[0].binding, nullptr);
  EXPECT_TRUE(is_synthesized(*grants[0].binding));
  EXPECT_TRUE(rbac.allows(Subject::user("user@example.com"), "create", "rbac.authorization.k8s.io", "rolebindings",
                          "kubeflow-user-example-com"));
}

TEST(KubeflowProfiles, ObjectsAlreadyPresentAreNotDuplicated) {
  const auto inventory = inventory_of(R"(
apiVersion: kubeflow.org/v1
kind: Profile
metadata: {name: team}
spec: {}
---
apiVersion: v1
kind: Namespace
metadata: {name: team}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: default-editor, namespace: team}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
subjects: [{kind: ServiceAccount, name: default-editor, namespace: team}]
)");
  std::vector<std::string> refs;
  for (const auto& object : profile_controller_objects(inventory)) refs.push_back(object.ref());
  // No owner: no namespaceAdmin binding either.
  EXPECT_EQ(refs, (std::vector<std::string>{"ServiceAccount team/default-editor", "ServiceAccount team/default-viewer",
                                            "RoleBinding team/default-viewer"}));
}

TEST(KubeflowProfiles, NothingWithoutProfiles) {
  const auto inventory = inventory_of(kScopes);
  EXPECT_TRUE(profile_controller_objects(inventory).empty());
  EXPECT_TRUE(profile_namespaces(inventory).empty());
}

}  // namespace
}  // namespace mg::kube
