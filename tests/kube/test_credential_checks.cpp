// MG-KUBE-005 (Dex static password left as shipped) and MG-KUBE-006 (dashboards without login)
// on small manifests, and MG-KUBE-005 on the stock Kubeflow install, whose Secret
// auth/dex-passwords holds the documented default hash.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "kube/credential_checks.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

using namespace testing;
using core::Severity;

// bcrypt hashes made for these tests with libxcrypt (cost 4, so each check is fast).
constexpr std::string_view kHashOfPassword = "$2y$04$J204Wzk4I0g82HRVRZq2FOmanPfepfrHByF7KqEzk8OKnrgl/N3HG";
constexpr std::string_view kHashOfStrongPassword = "$2y$04$6YqrM/YZ6IjeBbu8qJnm7u/Oz/Y0Yx3CpFQwW3TzqUH9oWEgFAYP.";
constexpr std::string_view kHashOf12341234Cost4 = "$2y$04$PiC.Bu16xM9mNOjY.8fln.BUhA.1HaFZ.36ER7SCW6R4af4reCdP2";

Findings check(std::vector<Object> objects) { return run_check(check_credentials, std::move(objects)); }

Findings check(std::string_view yaml) { return check(objects_of(yaml, "credentials.yaml")); }

std::string dex_secret(std::string_view section, std::string_view value) {
  return "apiVersion: v1\nkind: Secret\nmetadata: {name: dex-passwords, namespace: auth}\n" + std::string(section) +
         ":\n  DEX_USER_PASSWORD: " + std::string(value) + "\n---\n";
}

constexpr std::string_view kDexConfigMap = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: dex, namespace: auth}
data:
  config.yaml: |
    issuer: http://dex.auth.svc.cluster.local:5556/dex
    enablePasswordDB: true
    staticPasswords:
    - email: user@example.com
      hashFromEnv: DEX_USER_PASSWORD
      username: user
---
)";

// The ingress gateway as a LoadBalancer in front of the central dashboard.
constexpr std::string_view kExposedDashboard = R"(apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  type: LoadBalancer
  selector: {istio: ingressgateway}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  template: {metadata: {labels: {istio: ingressgateway}}}
---
apiVersion: networking.istio.io/v1beta1
kind: Gateway
metadata: {name: kubeflow-gateway, namespace: kubeflow}
spec: {selector: {istio: ingressgateway}}
---
apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  gateways: [kubeflow-gateway]
  http: [{route: [{destination: {host: centraldashboard}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: centraldashboard, namespace: kubeflow}
spec: {selector: {app: centraldashboard}}
---
)";

// --- MG-KUBE-005 ------------------------------------------------------------------------------

TEST(DexPassword, ShippedHashInTheSecret) {
  const Findings findings = check(std::string(kDexConfigMap) + dex_secret("stringData", kKubeflowShippedDexHash));
  ASSERT_EQ(findings.size(), 1u);
  const core::Finding& finding = findings[0];
  EXPECT_EQ(finding.rule_id, kRuleDexDefaultPassword);
  EXPECT_EQ(finding.severity, Severity::high);
  EXPECT_EQ(where(finding).kind, "Secret");
  EXPECT_EQ(where(finding).name, "dex-passwords");
  EXPECT_EQ(where(finding).field, "stringData.DEX_USER_PASSWORD");
  EXPECT_EQ(where(finding).line, 17);
  EXPECT_TRUE(mentions(finding, "user: user@example.com"));
  EXPECT_TRUE(mentions(finding, "hash: $2y$12$4K/Vkm…")) << all_evidence(finding);
  EXPECT_TRUE(mentions(finding, "12341234"));
  // Never the whole hash.
  EXPECT_EQ(all_evidence(finding).find(kKubeflowShippedDexHash), std::string::npos);
  EXPECT_EQ(finding.techniques, (std::vector<std::string>{"T1078.001"}));
}

TEST(DexPassword, Base64DataAndOtherKnownPasswords) {
  // base64 of the cost-4 hash of "12341234".
  const std::string encoded = "JDJ5JDA0JFBpQy5CdTE2eE05bU5PalkuOGZsbi5CVWhBLjFIYUZaLjM2RVI3U0NXNlI0YWY0cmVDZFAy";
  const Findings findings = check(dex_secret("data", encoded));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(where(findings[0]).field, "data.DEX_USER_PASSWORD");
  EXPECT_TRUE(mentions(findings[0], "verifies against the well-known password \"12341234\""));
}

TEST(DexPassword, InlineHashInTheDexConfig) {
  const std::string config = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: dex, namespace: auth}
data:
  config.yaml: |
    enablePasswordDB: true
    staticPasswords:
    - email: admin@example.com
      hash: ")" + std::string(kHashOfPassword) + R"("
      username: admin
---
)";
  const Findings findings = check(config);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(where(findings[0]).kind, "ConfigMap");
  EXPECT_EQ(where(findings[0]).field, "data.\"config.yaml\"");
  EXPECT_EQ(where(findings[0]).line, 9);  // the hash line inside the block
  EXPECT_TRUE(mentions(findings[0], "user: admin@example.com"));
  EXPECT_TRUE(mentions(findings[0], "\"password\""));
}

TEST(DexPassword, StrongPasswordsAndHostileHashesAreNotReported) {
  EXPECT_TRUE(check(std::string(kDexConfigMap) + dex_secret("stringData", kHashOfStrongPassword)).empty());
  EXPECT_TRUE(check(dex_secret("stringData", "not-a-hash")).empty());
  // Cost 31 would take days per guess: it is never hashed, so no guess is spent on it.
  constexpr std::string_view kHostile = "$2y$31$6YqrM/YZ6IjeBbu8qJnm7u/Oz/Y0Yx3CpFQwW3TzqUH9oWEgFAYP.";
  EXPECT_TRUE(check(dex_secret("stringData", std::string(kHostile))).empty());
  PasswordBudget budget;
  const int before = budget.remaining;
  EXPECT_EQ(known_password_of(kHostile, budget), "");
  EXPECT_EQ(budget.remaining, before);
}

TEST(DexPassword, BudgetCapsTheHashing) {
  PasswordBudget none{0};
  EXPECT_EQ(known_password_of(kKubeflowShippedDexHash, none), "12341234");  // recognised without hashing
  EXPECT_EQ(known_password_of(kHashOfPassword, none), "");
  PasswordBudget one{1};
  EXPECT_EQ(known_password_of(kHashOf12341234Cost4, one), "12341234");
  EXPECT_EQ(one.remaining, 0);
  EXPECT_EQ(known_password_of(kHashOfPassword, one), "");
}

TEST(DexPassword, CriticalWhenKubeflowIsExposed) {
  const Findings findings =
      check(std::string(kExposedDashboard) + std::string(kDexConfigMap) + dex_secret("stringData", kKubeflowShippedDexHash));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::critical);
  EXPECT_TRUE(mentions(findings[0], "Service istio-system/istio-ingressgateway type LoadBalancer"));
}

// --- MG-KUBE-006 ------------------------------------------------------------------------------

std::string deployment(std::string_view name, std::string_view image, std::string_view args, std::string_view env = "") {
  std::string out = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + std::string(name) +
                    ", namespace: tools}\nspec:\n  template:\n    metadata: {labels: {app: " + std::string(name) +
                    "}}\n    spec:\n      containers:\n      - name: " + std::string(name) + "\n        image: " +
                    std::string(image) + "\n";
  if (!args.empty()) out += "        args: " + std::string(args) + "\n";
  if (!env.empty()) out += "        env: " + std::string(env) + "\n";
  return out + "---\n";
}

std::string load_balancer(std::string_view name) {
  return "apiVersion: v1\nkind: Service\nmetadata: {name: " + std::string(name) +
         ", namespace: tools}\nspec: {type: LoadBalancer, selector: {app: " + std::string(name) + "}}\n---\n";
}

TEST(Dashboards, KubernetesDashboardWithSkipLogin) {
  const std::string dashboard = deployment("kubernetes-dashboard", "kubernetesui/dashboard:v2.7.0",
                                           "[--auto-generate-certificates, --enable-skip-login]");
  const Findings findings = check(dashboard);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, kRuleDashboardWithoutLogin);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(where(findings[0]).field, "spec.template.spec.containers[0].args[1]");
  EXPECT_EQ(where(findings[0]).line, 11);
  EXPECT_EQ(findings[0].title, "Kubernetes Dashboard started with --enable-skip-login");

  const Findings exposed = check(dashboard + load_balancer("kubernetes-dashboard"));
  ASSERT_EQ(exposed.size(), 1u);
  EXPECT_EQ(exposed[0].severity, Severity::critical);

  EXPECT_TRUE(check(deployment("kubernetes-dashboard", "kubernetesui/dashboard:v2.7.0",
                               "[--auto-generate-certificates, --enable-skip-login=false]"))
                  .empty());
  // The flag on an unrelated image is someone else's business.
  EXPECT_TRUE(check(deployment("web", "nginx:1.27", "[--enable-skip-login]")).empty());
}

TEST(Dashboards, BehindAnAuthenticatingGatewayIsNotExposed) {
  const std::string behind_gateway = std::string(kExposedDashboard) +
                                     deployment("kubernetes-dashboard", "kubernetesui/dashboard:v2.7.0",
                                                "[--enable-skip-login]") +
                                     R"(apiVersion: networking.istio.io/v1beta1
kind: VirtualService
metadata: {name: dashboard, namespace: tools}
spec:
  gateways: [kubeflow/kubeflow-gateway]
  http: [{match: [{uri: {prefix: /k8s/}}], route: [{destination: {host: kubernetes-dashboard}}]}]
---
apiVersion: v1
kind: Service
metadata: {name: kubernetes-dashboard, namespace: tools}
spec: {selector: {app: kubernetes-dashboard}}
---
)";
  const Findings open = check(behind_gateway);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].severity, Severity::critical);  // the gateway in front asks for nothing

  const Findings guarded = check(behind_gateway + R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: istio-system}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules: [{}]
  selector: {matchLabels: {istio: ingressgateway}}
)");
  ASSERT_EQ(guarded.size(), 1u);
  EXPECT_EQ(guarded[0].severity, Severity::high);
}

TEST(Dashboards, KubernetesDashboardInsecureSwitches) {
  const Findings findings = check(deployment("kubernetes-dashboard", "kubernetesui/dashboard:v2.7.0",
                                             "[--enable-insecure-login, --disable-settings-authorizer=true]"));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].title, "Kubernetes Dashboard started with --enable-insecure-login");
  EXPECT_EQ(findings[1].title, "Kubernetes Dashboard started with --disable-settings-authorizer");
}

TEST(Dashboards, ArgoServerAuthModes) {
  const Findings server = check(deployment("argo-server", "quay.io/argoproj/argocli:v3.5.5", "[server, --auth-mode=server]"));
  ASSERT_EQ(server.size(), 1u);
  EXPECT_EQ(server[0].severity, Severity::high);
  EXPECT_EQ(where(server[0]).field, "spec.template.spec.containers[0].args[1]");

  const Findings separate = check(deployment("argo-server", "quay.io/argoproj/argocli:v3.5.5",
                                             "[server, --auth-mode, client, --auth-mode, server]"));
  ASSERT_EQ(separate.size(), 1u);
  EXPECT_EQ(where(separate[0]).field, "spec.template.spec.containers[0].args[3]");

  EXPECT_TRUE(check(deployment("argo-server", "quay.io/argoproj/argocli:v3.5.5", "[server, --auth-mode=client]")).empty());
  // --secure=false matters once the server is reachable from outside.
  EXPECT_TRUE(check(deployment("argo-server", "quay.io/argoproj/argocli:v3.5.5", "[server, --secure=false]")).empty());
  const Findings plain = check(deployment("argo-server", "quay.io/argoproj/argocli:v3.5.5", "[server, --secure=false]") +
                               load_balancer("argo-server"));
  ASSERT_EQ(plain.size(), 1u);
  EXPECT_EQ(plain[0].title, "Argo Server exposed over plain HTTP (--secure=false)");
}

TEST(Dashboards, StandalonePipelinesUi) {
  const std::string standalone = deployment("ml-pipeline-ui", "gcr.io/ml-pipeline/frontend:2.0.5", "");
  const Findings findings = check(standalone);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(findings[0].title, "Kubeflow Pipelines UI runs without authorization (standalone mode)");

  const Findings exposed = check(standalone + load_balancer("ml-pipeline-ui"));
  ASSERT_EQ(exposed.size(), 1u);
  EXPECT_EQ(exposed[0].severity, Severity::high);

  EXPECT_TRUE(check(deployment("ml-pipeline-ui", "ghcr.io/kubeflow/kfp-frontend:2.16.0", "",
                               "[{name: ENABLE_AUTHZ, value: \"true\"}]"))
                  .empty());
}

TEST(CredentialRules, AreListedInOrder) {
  const auto rules = credential_rules();
  ASSERT_EQ(rules.size(), 2u);
  EXPECT_EQ(rules[0].id, "MG-KUBE-005");
  EXPECT_EQ(rules[0].category, core::Category::credential_access);
  EXPECT_EQ(rules[1].id, "MG-KUBE-006");
}

// --- the stock Kubeflow install ----------------------------------------------------------------

TEST(KubeflowInstallCredentials, ShippedDexPasswordIsFound) {
  const Findings findings = check(kubeflow_install());
  ASSERT_EQ(findings.size(), 1u);
  const core::Finding& finding = findings[0];
  EXPECT_EQ(finding.rule_id, kRuleDexDefaultPassword);
  EXPECT_EQ(finding.severity, Severity::high);  // the stock gateway is ClusterIP
  EXPECT_EQ(where(finding).namespace_, "auth");
  EXPECT_EQ(where(finding).name, "dex-passwords");
  EXPECT_EQ(where(finding).field, "stringData.DEX_USER_PASSWORD");
  EXPECT_EQ(where(finding).line, 208537);
  EXPECT_TRUE(mentions(finding, "user: user@example.com"));
}

TEST(KubeflowInstallCredentials, CriticalOnceTheGatewayIsALoadBalancer) {
  std::vector<Object> objects = kubeflow_install();
  for (Object& object : objects) {
    if (object.kind() != "Service" || object.name() != "istio-ingressgateway") continue;
    Value* spec = object.root.find_mutable("spec");
    ASSERT_NE(spec, nullptr);
    spec->set("type", Value::string("LoadBalancer", (*spec)["type"].line()));
  }
  const Findings findings = check(std::move(objects));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::critical);
}

}  // namespace
}  // namespace mg::kube
