// The privilege checks (MG-KUBE-010..016) on small manifests written here, and on the stock
// Kubeflow install (tests/data/kubeflow/kubeflow-install.yaml), where every finding is listed.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "kube/rbac_checks.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

using namespace testing;
using core::Severity;

// As the audit runs it: the input, plus what Kubeflow's profile controller would create.
Findings check(std::vector<Object> objects) {
  return run_check(check_rbac, std::move(objects), {}, ProfileObjects::added);
}

Findings check(std::string_view yaml) { return check(objects_of(yaml, "rbac.yaml")); }

// "MG-KUBE-010 ServiceAccount team/runner": one line per finding, for whole-set comparisons.
std::string key(const core::Finding& finding) {
  const auto& at = where(finding);
  return finding.rule_id + " " + at.kind + " " + (at.namespace_.empty() ? "" : at.namespace_ + "/") + at.name;
}

std::vector<std::string> keys(const Findings& findings) {
  std::vector<std::string> out;
  for (const auto& finding : findings) out.push_back(key(finding));
  std::ranges::sort(out);
  return out;
}

const core::Finding* find(const Findings& findings, std::string_view wanted) {
  auto it = std::ranges::find_if(findings, [&](const core::Finding& f) { return key(f) == wanted; });
  return it == findings.end() ? nullptr : &*it;
}

// ---- manifests ---------------------------------------------------------------------------------

std::string deployment(std::string_view ns, std::string_view name, std::string_view account, std::string_view pod_extra = "") {
  return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + std::string(name) + ", namespace: " + std::string(ns) +
         "}\nspec:\n  template:\n    spec:\n      serviceAccountName: " + std::string(account) + "\n" +
         std::string(pod_extra) + "      containers: [{name: main, image: busybox}]\n---\n";
}

std::string service_account(std::string_view ns, std::string_view name, std::string_view extra = "") {
  return "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: " + std::string(name) + ", namespace: " +
         std::string(ns) + "}\n" + std::string(extra) + "---\n";
}

std::string cluster_role(std::string_view name, std::string_view rules) {
  return "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: " + std::string(name) +
         "}\nrules:\n" + std::string(rules) + "---\n";
}

std::string role(std::string_view ns, std::string_view name, std::string_view rules) {
  return "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + "}\nrules:\n" + std::string(rules) + "---\n";
}

std::string cluster_binding(std::string_view name, std::string_view role_name, std::string_view subjects) {
  return "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: " + std::string(name) +
         "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: " + std::string(role_name) +
         "}\nsubjects:\n" + std::string(subjects) + "---\n";
}

std::string binding(std::string_view ns, std::string_view name, std::string_view role_kind, std::string_view role_name,
                    std::string_view subjects) {
  return "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: " + std::string(name) +
         ", namespace: " + std::string(ns) + "}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: " +
         std::string(role_kind) + ", name: " + std::string(role_name) + "}\nsubjects:\n" + std::string(subjects) + "---\n";
}

std::string sa_subject(std::string_view ns, std::string_view name) {
  return "- {kind: ServiceAccount, name: " + std::string(name) + ", namespace: " + std::string(ns) + "}\n";
}

constexpr std::string_view kPodMaker = "- {apiGroups: [\"\"], resources: [pods], verbs: [create, get, list]}\n";

std::string notebook(std::string_view ns, std::string_view name, std::string_view account, std::string_view pod_extra = "") {
  return "apiVersion: kubeflow.org/v1\nkind: Notebook\nmetadata: {name: " + std::string(name) + ", namespace: " +
         std::string(ns) + "}\nspec:\n  template:\n    spec:\n      serviceAccountName: " + std::string(account) +
         "\n" + std::string(pod_extra) + "      containers: [{name: nb, image: jupyter}]\n---\n";
}

// ---- MG-KUBE-014 cluster-admin ------------------------------------------------------------------

TEST(RbacChecks, ClusterAdminIsReportedOnceAndCritical) {
  const auto findings = check(service_account("ops", "controller") + deployment("ops", "controller", "controller") +
                              cluster_binding("controller-admin", "cluster-admin", sa_subject("ops", "controller")));
  EXPECT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-014 ServiceAccount ops/controller"})) << describe(findings);
  const auto& finding = findings.at(0);
  EXPECT_EQ(finding.severity, Severity::critical);
  EXPECT_EQ(finding.title, "Service account token in a workload is cluster-admin");
  EXPECT_EQ(where(finding).file, "rbac.yaml");
  EXPECT_EQ(where(finding).line, 1);  // the ServiceAccount object
  EXPECT_EQ(evidence(finding, "grant"), (std::vector<std::string>{"ClusterRoleBinding controller-admin -> ClusterRole "
                                                                  "cluster-admin (cluster-wide): all verbs on all resources"}));
  EXPECT_EQ(evidence(finding, "token"), (std::vector<std::string>{"mounted by Deployment ops/controller"}));
  EXPECT_EQ(finding.techniques, (std::vector<std::string>{"MS-TA9019", "MS-TA9016", "T1078", "T1528"}));
}

TEST(RbacChecks, ClusterAdminInOneNamespaceIsNotClusterAdmin) {
  // A RoleBinding to cluster-admin is "everything in this namespace": a role made for people.
  const auto findings = check(deployment("ops", "tool", "tool") +
                              binding("ops", "tool-admin", "ClusterRole", "cluster-admin", sa_subject("ops", "tool")));
  EXPECT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-010 ServiceAccount ops/tool", "MG-KUBE-011 ServiceAccount ops/tool",
                                                      "MG-KUBE-012 ServiceAccount ops/tool", "MG-KUBE-013 ServiceAccount ops/tool"}))
      << describe(findings);
  for (const auto& finding : findings) {
    EXPECT_EQ(finding.severity, Severity::medium) << key(finding);
    EXPECT_EQ(where(finding).api_version, "v1");  // named: the ServiceAccount is not in the input
    EXPECT_TRUE(where(finding).file.empty());
  }
  EXPECT_EQ(evidence(*find(findings, "MG-KUBE-010 ServiceAccount ops/tool"), "grant"),
            (std::vector<std::string>{"RoleBinding ops/tool-admin -> ClusterRole cluster-admin (in namespace ops): "
                                      "create every resource"}));
}

// ---- MG-KUBE-010..013: who is reported ----------------------------------------------------------

TEST(RbacChecks, NotebookAccountThatCreatesPodsIsHigh) {
  const auto findings = check(notebook("team", "nb", "runner") + role("team", "pods", kPodMaker) +
                              binding("team", "runner-pods", "Role", "pods", sa_subject("team", "runner")));
  ASSERT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-010 ServiceAccount team/runner"})) << describe(findings);
  const auto& finding = findings[0];
  EXPECT_EQ(finding.severity, Severity::high);
  EXPECT_EQ(evidence(finding, "grant"),
            (std::vector<std::string>{"RoleBinding team/runner-pods -> Role pods (in namespace team): create pods"}));
  EXPECT_EQ(evidence(finding, "token"), (std::vector<std::string>{"mounted by Notebook team/nb"}));
}

TEST(RbacChecks, AutomountFalseOnPodOrAccountSuppresses) {
  const std::string rbac = role("team", "pods", kPodMaker) + binding("team", "runner-pods", "Role", "pods", sa_subject("team", "runner"));
  EXPECT_TRUE(check(notebook("team", "nb", "runner", "      automountServiceAccountToken: false\n") + rbac).empty());
  EXPECT_TRUE(check(service_account("team", "runner", "automountServiceAccountToken: false\n") + notebook("team", "nb", "runner") + rbac)
                  .empty());
  // The pod spec wins over the ServiceAccount.
  const auto findings = check(service_account("team", "runner", "automountServiceAccountToken: false\n") +
                              notebook("team", "nb", "runner", "      automountServiceAccountToken: true\n") + rbac);
  EXPECT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-010 ServiceAccount team/runner"})) << describe(findings);
}

TEST(RbacChecks, ControllersPurposeBuiltRolesAreNotReported) {
  // Argo's workflow-controller shape: creates and execs into pods, reads secrets, cluster-wide.
  const auto findings = check(
      deployment("argo", "workflow-controller", "argo") +
      cluster_role("argo-cluster-role", "- {apiGroups: [\"\"], resources: [pods, pods/exec], verbs: [create, get, delete]}\n"
                                        "- {apiGroups: [\"\"], resources: [secrets], verbs: [get]}\n"
                                        "- {apiGroups: [rbac.authorization.k8s.io], resources: [rolebindings], verbs: [create]}\n") +
      cluster_binding("argo-binding", "argo-cluster-role", sa_subject("argo", "argo")));
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

TEST(RbacChecks, ControllersWithTrueEscalationVerbsAreMedium) {
  const auto findings = check(
      deployment("ops", "binder", "binder") +
      cluster_role("binder", "- {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles], verbs: [bind]}\n"
                             "- {apiGroups: [\"\"], resources: [pods], verbs: [create]}\n") +
      cluster_binding("binder", "binder", sa_subject("ops", "binder")));
  ASSERT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-013 ServiceAccount ops/binder"})) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(evidence(findings[0], "grant"),
            (std::vector<std::string>{"ClusterRoleBinding binder -> ClusterRole binder (cluster-wide): bind clusterroles.rbac.authorization.k8s.io"}));
}

TEST(RbacChecks, AWorkloadBoundToARoleMadeForPeopleIsMedium) {
  const auto findings = check(deployment("shop", "web", "web") +
                              binding("shop", "web-edit", "ClusterRole", "edit", sa_subject("shop", "web")));
  EXPECT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-010 ServiceAccount shop/web", "MG-KUBE-011 ServiceAccount shop/web",
                                                      "MG-KUBE-012 ServiceAccount shop/web", "MG-KUBE-013 ServiceAccount shop/web"}))
      << describe(findings);
  const auto* exec = find(findings, "MG-KUBE-011 ServiceAccount shop/web");
  ASSERT_NE(exec, nullptr);
  EXPECT_EQ(exec->severity, Severity::medium);
  EXPECT_EQ(evidence(*exec, "grant"),
            (std::vector<std::string>{"RoleBinding shop/web-edit -> ClusterRole edit (in namespace shop): get, create "
                                      "pods/exec, pods/attach"}));
  EXPECT_EQ(evidence(*find(findings, "MG-KUBE-013 ServiceAccount shop/web"), "grant"),
            (std::vector<std::string>{"RoleBinding shop/web-edit -> ClusterRole edit (in namespace shop): impersonate serviceaccounts"}));
}

TEST(RbacChecks, AnythingInAProfileNamespaceRunsUserCode) {
  const auto findings = check(
      "apiVersion: kubeflow.org/v1\nkind: Profile\nmetadata: {name: team}\nspec: {owner: {kind: User, name: a@b.c}}\n---\n" +
      deployment("team", "app", "app") + role("team", "reader", "- {apiGroups: [\"\"], resources: [secrets], verbs: [list]}\n") +
      binding("team", "app-reader", "Role", "reader", sa_subject("team", "app")));
  const auto* secrets = find(findings, "MG-KUBE-012 ServiceAccount team/app");
  ASSERT_NE(secrets, nullptr) << describe(findings);
  EXPECT_EQ(secrets->severity, Severity::high);
  EXPECT_EQ(secrets->category, core::Category::credential_access);
}

TEST(RbacChecks, ExecThroughGetAndWildcards) {
  const auto findings = check(
      notebook("team", "nb", "runner") +
      role("team", "wild", "- {apiGroups: [\"\"], resources: [\"*\"], verbs: [get]}\n"
                           "- {apiGroups: [\"*\"], resources: [deployments], verbs: [\"*\"]}\n") +
      binding("team", "runner-wild", "Role", "wild", sa_subject("team", "runner")));
  EXPECT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-010 ServiceAccount team/runner", "MG-KUBE-011 ServiceAccount team/runner",
                                                      "MG-KUBE-012 ServiceAccount team/runner"}))
      << describe(findings);
  EXPECT_EQ(evidence(*find(findings, "MG-KUBE-010 ServiceAccount team/runner"), "grant"),
            (std::vector<std::string>{"RoleBinding team/runner-wild -> Role wild (in namespace team): create deployments.apps"}));
  EXPECT_EQ(evidence(*find(findings, "MG-KUBE-011 ServiceAccount team/runner"), "grant"),
            (std::vector<std::string>{"RoleBinding team/runner-wild -> Role wild (in namespace team): get pods/exec, pods/attach"}));
}

TEST(RbacChecks, ResourceNamesLimitSecretsAndCreate) {
  const auto findings = check(
      notebook("team", "nb", "runner") +
      role("team", "named", "- {apiGroups: [\"\"], resources: [secrets, pods], verbs: [get, create], resourceNames: [mine]}\n") +
      binding("team", "runner-named", "Role", "named", sa_subject("team", "runner")));
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

TEST(RbacChecks, ServiceAccountGroupsCount) {
  const auto findings = check(
      notebook("team", "nb", "runner") + cluster_role("pods", kPodMaker) +
      binding("shared", "team-accounts", "ClusterRole", "pods",
              "- {kind: Group, name: \"system:serviceaccounts:team\", apiGroup: rbac.authorization.k8s.io}\n"));
  ASSERT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-010 ServiceAccount team/runner"})) << describe(findings);
  EXPECT_EQ(evidence(findings[0], "grant"),
            (std::vector<std::string>{"RoleBinding shared/team-accounts -> ClusterRole pods (in namespace shared): create pods"}));
}

TEST(RbacChecks, ManyWorkloadsOneFindingPerCapability) {
  std::string yaml = role("team", "pods", kPodMaker) + binding("team", "p", "Role", "pods", sa_subject("team", "runner"));
  for (int i = 0; i < 8; ++i) yaml += notebook("team", "nb" + std::to_string(i), "runner");
  const auto findings = check(yaml);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  const auto tokens = evidence(findings[0], "token");
  ASSERT_EQ(tokens.size(), 6u);
  EXPECT_EQ(tokens.back(), "and 3 more workloads");
}

// ---- MG-KUBE-015 anonymous and everyone ---------------------------------------------------------

TEST(RbacChecks, AnonymousBindings) {
  const auto findings = check(
      cluster_role("pods", kPodMaker) +
      cluster_role("config-reader", "- {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}\n") +
      cluster_role("public-info", "- {nonResourceURLs: [/healthz, /version, /readyz/etcd], verbs: [get]}\n") +
      cluster_binding("anon-pods", "pods",
                      "- {kind: User, name: alice}\n- {kind: User, name: \"system:anonymous\", apiGroup: rbac.authorization.k8s.io}\n") +
      binding("cfg", "unauth-config", "ClusterRole", "config-reader",
              "- {kind: Group, name: \"system:unauthenticated\", apiGroup: rbac.authorization.k8s.io}\n") +
      cluster_binding("public-info", "public-info",
                      "- {kind: Group, name: \"system:unauthenticated\", apiGroup: rbac.authorization.k8s.io}\n"));
  EXPECT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-015 ClusterRoleBinding anon-pods",
                                                      "MG-KUBE-015 RoleBinding cfg/unauth-config"}))
      << describe(findings);
  const auto* pods = find(findings, "MG-KUBE-015 ClusterRoleBinding anon-pods");
  ASSERT_NE(pods, nullptr);
  EXPECT_EQ(pods->severity, Severity::critical);
  EXPECT_EQ(where(*pods).field, "subjects[1]");
  EXPECT_EQ(evidence(*pods, "subject"), (std::vector<std::string>{"User system:anonymous"}));
  EXPECT_EQ(evidence(*pods, "grant"),
            (std::vector<std::string>{"ClusterRoleBinding anon-pods -> ClusterRole pods (cluster-wide): create pods"}));
  const auto* config = find(findings, "MG-KUBE-015 RoleBinding cfg/unauth-config");
  ASSERT_NE(config, nullptr);
  EXPECT_EQ(config->severity, Severity::high);
  EXPECT_EQ(evidence(*config, "grant"),
            (std::vector<std::string>{"RoleBinding cfg/unauth-config -> ClusterRole config-reader (in namespace cfg): get configmaps"}));
}

TEST(RbacChecks, AnonymousSubjectLineIsTheSubjects) {
  const std::string yaml = cluster_role("pods", kPodMaker) +
                           cluster_binding("anon", "pods", "- {kind: Group, name: \"system:unauthenticated\"}\n");
  const auto findings = check(yaml);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  // Lines: the ClusterRole takes 6 (with "---"); the binding starts at 7, its subject is on 12.
  EXPECT_EQ(where(findings[0]).line, 12);
  EXPECT_EQ(where(findings[0]).field, "subjects[0]");
}

TEST(RbacChecks, EveryoneGroupsOnlyForPowerfulRoles) {
  const auto findings = check(
      cluster_role("pods", kPodMaker) +
      cluster_role("runtimes", "- {apiGroups: [trainer.kubeflow.org], resources: [clustertrainingruntimes], verbs: [get, list]}\n") +
      cluster_binding("all-runtimes", "runtimes", "- {kind: Group, name: \"system:authenticated\"}\n") +
      binding("ci", "all-pods", "ClusterRole", "pods", "- {kind: Group, name: \"system:authenticated\"}\n") +
      cluster_binding("all-admin", "cluster-admin", "- {kind: Group, name: \"system:serviceaccounts\"}\n"));
  EXPECT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-015 ClusterRoleBinding all-admin", "MG-KUBE-015 RoleBinding ci/all-pods"}))
      << describe(findings);
  EXPECT_EQ(find(findings, "MG-KUBE-015 RoleBinding ci/all-pods")->severity, Severity::medium);
  EXPECT_EQ(find(findings, "MG-KUBE-015 ClusterRoleBinding all-admin")->severity, Severity::critical);
}

// ---- MG-KUBE-016 unneeded tokens -----------------------------------------------------------------

TEST(RbacChecks, TokenForAnAccountWithoutRights) {
  const auto findings = check(deployment("shop", "db", "default") + deployment("shop", "quiet", "default",
                                                                                "      automountServiceAccountToken: false\n") +
                              deployment("shop", "api", "api") + role("shop", "cm", "- {apiGroups: [\"\"], resources: [configmaps], verbs: [get]}\n") +
                              binding("shop", "api-cm", "Role", "cm", sa_subject("shop", "api")) +
                              binding("shop", "everyone", "Role", "cm", "- {kind: Group, name: \"system:authenticated\"}\n"));
  ASSERT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-016 Deployment shop/db"})) << describe(findings);
  const auto& finding = findings[0];
  EXPECT_EQ(finding.severity, Severity::low);
  EXPECT_EQ(where(finding).field, "spec.template.spec.automountServiceAccountToken");
  EXPECT_EQ(evidence(finding, "service account"),
            (std::vector<std::string>{"ServiceAccount shop/default: no RoleBinding or ClusterRoleBinding grants it anything"}));
}

TEST(RbacChecks, OneUnneededTokenFindingPerWorkload) {
  const auto findings = check(R"(apiVersion: kubeflow.org/v1
kind: TFJob
metadata: {name: mnist, namespace: ml}
spec:
  tfReplicaSpecs:
    PS:
      template:
        spec:
          containers: [{name: tensorflow, image: tf}]
    Worker:
      template:
        spec:
          containers: [{name: tensorflow, image: tf}]
)");
  ASSERT_EQ(keys(findings), (std::vector<std::string>{"MG-KUBE-016 TFJob ml/mnist"})) << describe(findings);
  EXPECT_EQ(evidence(findings[0], "service account").size(), 1u);
}

TEST(RbacChecks, RulesAreDescribed) {
  const auto rules = rbac_rules();
  std::vector<std::string> ids;
  for (const auto& info : rules) {
    ids.push_back(info.id);
    EXPECT_FALSE(info.name.empty());
    EXPECT_FALSE(info.title.empty());
    EXPECT_FALSE(info.description.empty());
    EXPECT_FALSE(info.remediation.empty());
    EXPECT_FALSE(info.techniques.empty());
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"MG-KUBE-010", "MG-KUBE-011", "MG-KUBE-012", "MG-KUBE-013", "MG-KUBE-014",
                                           "MG-KUBE-015", "MG-KUBE-016"}));
}

// ---- the stock Kubeflow install ------------------------------------------------------------------

const Findings& kubeflow_findings() {
  static const Findings findings = check(kubeflow_install());
  return findings;
}

TEST(RbacChecksKubeflow, ProfileControllerIsClusterAdmin) {
  const auto& findings = kubeflow_findings();
  const auto* finding = find(findings, "MG-KUBE-014 ServiceAccount kubeflow/profiles-controller-service-account");
  ASSERT_NE(finding, nullptr) << describe(findings);
  EXPECT_EQ(finding->severity, Severity::critical);
  EXPECT_EQ(where(*finding).file, "kubeflow-install.yaml");
  EXPECT_GT(where(*finding).line, 0);
  EXPECT_EQ(evidence(*finding, "grant"),
            (std::vector<std::string>{"ClusterRoleBinding profiles-cluster-rolebinding -> ClusterRole cluster-admin "
                                      "(cluster-wide): all verbs on all resources"}));
  EXPECT_EQ(evidence(*finding, "token"), (std::vector<std::string>{"mounted by Deployment kubeflow/profiles-deployment"}));
}

TEST(RbacChecksKubeflow, PipelineRunnerCreatesAndExecsIntoPods) {
  const auto& findings = kubeflow_findings();
  const auto* create = find(findings, "MG-KUBE-010 ServiceAccount kubeflow/pipeline-runner");
  ASSERT_NE(create, nullptr) << describe(findings);
  EXPECT_EQ(create->severity, Severity::high);
  EXPECT_TRUE(has_evidence_starting(*create, "grant",
                                    "RoleBinding kubeflow/pipeline-runner-binding -> Role pipeline-runner (in namespace "
                                    "kubeflow): create pods, "))
      << describe(findings);
  EXPECT_EQ(evidence(*create, "token"),
            (std::vector<std::string>{"used by Kubeflow Pipelines: Argo workflows run as pipeline-runner"}));
  const auto* exec = find(findings, "MG-KUBE-011 ServiceAccount kubeflow/pipeline-runner");
  ASSERT_NE(exec, nullptr);
  EXPECT_EQ(evidence(*exec, "grant"),
            (std::vector<std::string>{"RoleBinding kubeflow/pipeline-runner-binding -> Role pipeline-runner (in namespace "
                                      "kubeflow): create, get pods/exec"}));
}

TEST(RbacChecksKubeflow, DefaultEditorThroughAggregatedKubeflowEdit) {
  const auto& findings = kubeflow_findings();
  const auto* create = find(findings, "MG-KUBE-010 ServiceAccount kubeflow-user-example-com/default-editor");
  ASSERT_NE(create, nullptr) << describe(findings);
  EXPECT_EQ(create->severity, Severity::high);
  // Located on the synthesized ServiceAccount: the Profile's file and line.
  EXPECT_EQ(where(*create).file, "kubeflow-install.yaml");
  EXPECT_EQ(where(*create).line, 214859);
  EXPECT_TRUE(has_evidence_starting(*create, "grant",
                                    "RoleBinding kubeflow-user-example-com/default-editor -> ClusterRole kubeflow-edit -> "
                                    "aggregates ClusterRole kubeflow-kubernetes-edit (in namespace kubeflow-user-example-com): "
                                    "create pods, replicationcontrollers, deployments.apps"))
      << describe(findings);
  EXPECT_TRUE(has_evidence_starting(*create, "grant",
                                    "RoleBinding kubeflow-user-example-com/default-editor -> ClusterRole kubeflow-edit -> "
                                    "aggregates ClusterRole kubeflow-pipelines-edit -> aggregates ClusterRole "
                                    "aggregate-to-kubeflow-pipelines-edit (in namespace kubeflow-user-example-com): create "
                                    "workflows.argoproj.io"))
      << describe(findings);
  EXPECT_EQ(evidence(*create, "token"),
            (std::vector<std::string>{
                "used by Kubeflow for notebooks in profile namespace kubeflow-user-example-com (Jupyter web app default)",
                "used by Kubeflow Pipelines for runs in profile namespace kubeflow-user-example-com "
                "(DEFAULTPIPELINERUNNERSERVICEACCOUNT)"}));
  const auto* secrets = find(findings, "MG-KUBE-012 ServiceAccount kubeflow-user-example-com/default-editor");
  ASSERT_NE(secrets, nullptr);
  EXPECT_EQ(evidence(*secrets, "grant"),
            (std::vector<std::string>{"RoleBinding kubeflow-user-example-com/default-editor -> ClusterRole kubeflow-edit -> "
                                      "aggregates ClusterRole kubeflow-kubernetes-edit (in namespace "
                                      "kubeflow-user-example-com): get, list, watch secrets"}));
  for (const auto* rule_key : {"MG-KUBE-011 ServiceAccount kubeflow-user-example-com/default-editor",
                               "MG-KUBE-012 ServiceAccount kubeflow-user-example-com/default-editor"}) {
    const auto* finding = find(findings, rule_key);
    ASSERT_NE(finding, nullptr) << rule_key;
    EXPECT_TRUE(has_evidence_starting(*finding, "grant",
                                      "RoleBinding kubeflow-user-example-com/default-editor -> ClusterRole kubeflow-edit -> "
                                      "aggregates ClusterRole kubeflow-kubernetes-edit"));
  }
}

// Every finding the stock install produces, so a change in what is reported is a reviewed change.
TEST(RbacChecksKubeflow, TheCompleteList) {
  const auto& findings = kubeflow_findings();
  std::vector<std::string> privilege, unneeded;
  for (const auto& finding : findings) {
    (finding.rule_id == "MG-KUBE-016" ? unneeded : privilege).push_back(key(finding));
  }
  std::ranges::sort(privilege);
  std::ranges::sort(unneeded);
  EXPECT_EQ(privilege, (std::vector<std::string>{
                           "MG-KUBE-010 ServiceAccount kubeflow-user-example-com/default-editor",
                           "MG-KUBE-010 ServiceAccount kubeflow/pipeline-runner",
                           "MG-KUBE-011 ServiceAccount kubeflow-user-example-com/default-editor",
                           "MG-KUBE-011 ServiceAccount kubeflow/pipeline-runner",
                           "MG-KUBE-012 ServiceAccount kubeflow-user-example-com/default-editor",
                           "MG-KUBE-012 ServiceAccount kubeflow/pipeline-runner",
                           "MG-KUBE-014 ServiceAccount kubeflow/profiles-controller-service-account",
                       }))
      << describe(findings);
  EXPECT_EQ(unneeded, (std::vector<std::string>{
                          "MG-KUBE-016 Deployment kubeflow/katib-db-manager",
                          "MG-KUBE-016 Deployment kubeflow/katib-mysql",
                          "MG-KUBE-016 Deployment kubeflow/kubeflow-pipelines-profile-controller",
                          "MG-KUBE-016 Deployment kubeflow/metadata-envoy-deployment",
                          "MG-KUBE-016 Deployment kubeflow/metadata-grpc-deployment",
                          "MG-KUBE-016 Deployment kubeflow/ml-pipeline-visualizationserver",
                          "MG-KUBE-016 Deployment kubeflow/mysql",
                          "MG-KUBE-016 Deployment kubeflow/seaweedfs",
                          "MG-KUBE-016 Deployment oauth2-proxy/oauth2-proxy",
                      }))
      << describe(findings);
}

}  // namespace
}  // namespace mg::kube
