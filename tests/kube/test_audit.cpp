// The whole audit on the stock Kubeflow install (tests/data/kubeflow, 683 objects, PROVENANCE.md
// there): read without error, and every finding listed here with why a Kubeflow operator agrees.
// Then the two doors of the campaigns on the same install, end to end through audit().
#include <gtest/gtest.h>

#include <map>
#include <set>

#include "kube/audit.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

std::vector<Object> install() { return testing::kubeflow_install(); }

AuditResult audit_of(std::vector<Object> objects) {
  auto result = audit(std::move(objects), testing::compiled_catalog(), {});
  EXPECT_TRUE(result) << (result ? "" : result.error().message);
  return result ? std::move(*result) : AuditResult{};
}

using testing::where;

// "MG-KUBE-010 high ServiceAccount kubeflow/pipeline-runner"
std::string key(const core::Finding& finding) {
  const auto& at = where(finding);
  return finding.rule_id + " " + std::string(core::to_string(finding.severity)) + " " + at.kind + " " +
         (at.namespace_.empty() ? "" : at.namespace_ + "/") + at.name + (at.field.empty() ? "" : " " + at.field);
}

TEST(AuditKubeflowInstall, EveryFindingIsOneAnOperatorAgreesWith) {
  const auto result = audit_of(install());
  EXPECT_EQ(result.stats.at("objects"), 683u);
  // The profile controller's objects for Profile kubeflow-user-example-com: the Namespace, two
  // ServiceAccounts, three RoleBindings.
  EXPECT_EQ(result.stats.at("synthesized_objects"), 6u);

  std::multiset<std::string> found;
  std::size_t tags = 0;
  for (const auto& finding : result.findings) {
    if (finding.rule_id == "MG-KUBE-023") {
      ++tags;
      EXPECT_EQ(finding.severity, core::Severity::info);
      continue;
    }
    found.insert(key(finding));
  }
  const std::multiset<std::string> expected = {
      // The profile controller runs with cluster-admin (ClusterRoleBinding
      // profiles-cluster-rolebinding): its token, mounted in profiles-deployment, is the whole
      // cluster. Upstream grants it because it creates namespaces and RBAC; it is still the
      // single most valuable token in the install.
      "MG-KUBE-014 critical ServiceAccount kubeflow/profiles-controller-service-account",
      // pipeline-runner (Role pipeline-runner: * on pods and pods/exec, get secrets) runs
      // pipeline steps, i.e. user-supplied code: that code can start pods (a miner), exec into
      // other pods of the namespace and read KFP's MySQL and object-store credentials.
      "MG-KUBE-010 high ServiceAccount kubeflow/pipeline-runner",
      "MG-KUBE-011 high ServiceAccount kubeflow/pipeline-runner",
      "MG-KUBE-012 high ServiceAccount kubeflow/pipeline-runner",
      // default-editor, created by the profile controller in the user's namespace and bound to
      // kubeflow-edit (aggregated from kubeflow-kubernetes-edit and friends), is the token in
      // every notebook and pipeline run: the 2021 attackers' lateral movement step.
      "MG-KUBE-010 high ServiceAccount kubeflow-user-example-com/default-editor",
      "MG-KUBE-011 high ServiceAccount kubeflow-user-example-com/default-editor",
      "MG-KUBE-012 high ServiceAccount kubeflow-user-example-com/default-editor",
      // The manifests README documents user@example.com / 12341234; the Secret still holds that
      // hash. Anyone who reaches the login page logs in. (high, not critical: not exposed here.)
      "MG-KUBE-005 high Secret auth/dex-passwords stringData.DEX_USER_PASSWORD",
      // istio-cni-node adds SYS_ADMIN, SYS_PTRACE, NET_ADMIN… and mounts /opt/cni/bin and
      // /etc/cni/net.d writable plus /proc: required by a CNI agent, and exactly why whoever
      // can change that DaemonSet owns every node. Worth knowing and keeping locked down.
      "MG-KUBE-024 high DaemonSet kube-system/istio-cni-node "
      "spec.template.spec.containers[0].securityContext.capabilities.add",
      "MG-KUBE-026 high DaemonSet kube-system/istio-cni-node spec.template.spec.volumes[0]",
      // The user's profile namespace has no egress NetworkPolicy (all 40 in the install are
      // ingress-only) and the mesh allows any outbound traffic: a miner there reaches any pool.
      "MG-KUBE-028 medium Namespace kubeflow-user-example-com",
      // These workloads run as a ServiceAccount no binding grants anything (mostly `default`):
      // the mounted token is unused, so automountServiceAccountToken: false loses nothing.
      "MG-KUBE-016 low Deployment kubeflow/katib-db-manager spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment kubeflow/katib-mysql spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment kubeflow/kubeflow-pipelines-profile-controller "
      "spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment kubeflow/metadata-envoy-deployment spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment kubeflow/metadata-grpc-deployment spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment kubeflow/ml-pipeline-visualizationserver "
      "spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment kubeflow/mysql spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment kubeflow/seaweedfs spec.template.spec.automountServiceAccountToken",
      "MG-KUBE-016 low Deployment oauth2-proxy/oauth2-proxy spec.template.spec.automountServiceAccountToken",
  };
  std::string listing;
  for (const auto& k : found) listing += "  " + k + "\n";
  EXPECT_EQ(found, expected) << listing;
  // 47 distinct images named by a version tag rather than a digest (6 are pinned): informational.
  EXPECT_EQ(tags, 47u);
  // Nothing says the install is exposed or mining: the gateway is ClusterIP, oauth2-proxy's CUSTOM
  // policy, the require-jwt DENY and Dex's RequestAuthentication are all there.
  for (const auto& finding : result.findings) {
    EXPECT_NE(finding.category, core::Category::miner) << key(finding);
    EXPECT_NE(finding.rule_id, "MG-KUBE-001");
    EXPECT_NE(finding.rule_id, "MG-KUBE-002");
    EXPECT_NE(finding.rule_id, "MG-KUBE-003");
  }
}

// Removes the objects of these kinds and names; returns how many went.
std::size_t remove(std::vector<Object>& objects, const std::set<std::pair<std::string, std::string>>& kinds_names) {
  const auto before = objects.size();
  std::erase_if(objects, [&](const Object& o) {
    return kinds_names.contains({std::string(o.kind()), std::string(o.name())});
  });
  return before - objects.size();
}

void expose_gateway(std::vector<Object>& objects) {
  for (auto& object : objects) {
    if (object.kind() == "Service" && object.name() == "istio-ingressgateway") {
      object.root.find_mutable("spec")->set("type", Value::string("LoadBalancer"));
    }
  }
}

TEST(AuditKubeflowInstall, GatewayOnTheInternetWithoutPoliciesIsTheDoor) {
  auto objects = install();
  expose_gateway(objects);
  ASSERT_EQ(remove(objects, {{"AuthorizationPolicy", "istio-ingressgateway-oauth2-proxy"},
                             {"AuthorizationPolicy", "istio-ingressgateway-require-jwt"},
                             {"RequestAuthentication", "dex-jwt"}}),
            3u);
  const auto result = audit_of(std::move(objects));
  const core::Finding* exposed = nullptr;
  for (const auto& finding : result.findings) {
    if (finding.rule_id == "MG-KUBE-001") exposed = &finding;
    // The same door makes the shipped Dex password critical.
    if (finding.rule_id == "MG-KUBE-005") {
      EXPECT_EQ(finding.severity, core::Severity::critical);
    }
  }
  ASSERT_NE(exposed, nullptr);
  EXPECT_EQ(exposed->severity, core::Severity::critical);
  EXPECT_EQ(where(*exposed).kind, "Service");
  EXPECT_EQ(where(*exposed).name, "istio-ingressgateway");
  EXPECT_EQ(where(*exposed).field, "spec.type");
  std::string evidence;
  for (const auto& e : exposed->evidence) evidence += e.what + ": " + e.value + "\n";
  for (const char* hop : {"Gateway kubeflow/kubeflow-gateway", "VirtualService kubeflow/centraldashboard",
                          "VirtualService kubeflow/ml-pipeline-ui", "Service kubeflow/centraldashboard"}) {
    EXPECT_NE(evidence.find(hop), std::string::npos) << hop << "\n" << evidence;
  }
  EXPECT_NE(evidence.find("CUSTOM"), std::string::npos) << evidence;  // names the missing policy
}

TEST(AuditKubeflowInstall, WithoutTheDenyPolicyAnyAuthorizationHeaderSkipsTheLogin) {
  auto objects = install();
  expose_gateway(objects);
  ASSERT_EQ(remove(objects, {{"AuthorizationPolicy", "istio-ingressgateway-require-jwt"}}), 1u);
  const auto result = audit_of(std::move(objects));
  std::set<std::string> rules;
  for (const auto& finding : result.findings) {
    rules.insert(finding.rule_id);
    if (finding.rule_id == "MG-KUBE-002") {
      EXPECT_EQ(where(finding).name, "istio-ingressgateway-oauth2-proxy");
      EXPECT_EQ(finding.severity, core::Severity::critical);  // and the gateway is on the internet
    }
  }
  EXPECT_TRUE(rules.contains("MG-KUBE-002"));
}

TEST(AuditRules, EveryRuleIsDescribedOnceWithTechniquesAndRemediation) {
  const auto rules = audit_rules();
  std::set<std::string> ids;
  for (const auto& rule : rules) {
    EXPECT_TRUE(ids.insert(rule.id).second) << rule.id;
    EXPECT_EQ(rule.id.rfind("MG-KUBE-", 0), 0u) << rule.id;
    EXPECT_FALSE(rule.name.empty()) << rule.id;
    EXPECT_FALSE(rule.title.empty()) << rule.id;
    EXPECT_FALSE(rule.description.empty()) << rule.id;
    EXPECT_FALSE(rule.techniques.empty()) << rule.id;
    EXPECT_FALSE(rule.remediation.empty()) << rule.id;
  }
  EXPECT_GE(rules.size(), 24u);
}

TEST(Audit, FindingsComeOutInAStableOrder) {
  auto objects = install();
  expose_gateway(objects);
  const auto a = audit_of(objects);
  std::reverse(objects.begin(), objects.end());
  const auto b = audit_of(std::move(objects));
  ASSERT_EQ(a.findings.size(), b.findings.size());
  // Same findings whatever the input order. The tag finding (MG-KUBE-023) sits on an image's
  // first use, which is the one thing input order decides.
  std::multiset<std::string> ka, kb;
  for (const auto& f : a.findings) {
    if (f.rule_id != "MG-KUBE-023") ka.insert(key(f));
  }
  for (const auto& f : b.findings) {
    if (f.rule_id != "MG-KUBE-023") kb.insert(key(f));
  }
  EXPECT_EQ(ka, kb);
}

}  // namespace
}  // namespace mg::kube
