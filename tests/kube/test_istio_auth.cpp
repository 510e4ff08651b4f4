// What Istio's policies do to requests from outside the mesh at one workload (istio_auth), on
// small manifests: the stock Kubeflow trio (CUSTOM oauth2-proxy for requests without an
// Authorization header, DENY without a request principal, RequestAuthentication for Dex) and
// each piece of it missing, ALLOW-only policies, path conditions, selectors, dry-run policies.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "kube/exposure.hpp"
#include "kube/inventory.hpp"
#include "kube/istio_auth.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

Inventory inventory_of(std::string_view yaml) { return Inventory(testing::objects_of(yaml, "istio.yaml")); }

constexpr std::string_view kMesh = R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: istio
  namespace: istio-system
data:
  mesh: |-
    rootNamespace: istio-system
    extensionProviders:
    - name: oauth2-proxy
      envoyExtAuthzHttp:
        service: oauth2-proxy.oauth2-proxy.svc.cluster.local
        port: 80
---
)";

constexpr std::string_view kCustom = R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata:
  name: istio-ingressgateway-oauth2-proxy
  namespace: istio-system
spec:
  action: CUSTOM
  provider:
    name: oauth2-proxy
  rules:
  - to:
    - operation:
        notPaths: [/dex/*, /dex/**, /oauth2/*]
    when:
    - key: request.headers[authorization]
      notValues: ['*']
  selector:
    matchLabels:
      app: istio-ingressgateway
---
)";

constexpr std::string_view kDeny = R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata:
  name: istio-ingressgateway-require-jwt
  namespace: istio-system
spec:
  action: DENY
  rules:
  - from:
    - source:
        notRequestPrincipals: ['*']
    to:
    - operation:
        notPaths: [/dex/*, /dex/**, /oauth2/*]
  selector:
    matchLabels:
      app: istio-ingressgateway
---
)";

constexpr std::string_view kRequestAuthn = R"(apiVersion: security.istio.io/v1beta1
kind: RequestAuthentication
metadata:
  name: dex-jwt
  namespace: istio-system
spec:
  jwtRules:
  - issuer: http://dex.auth.svc.cluster.local:5556/dex
    fromHeaders:
    - name: Authorization
      prefix: 'Bearer '
  selector:
    matchLabels:
      app: istio-ingressgateway
---
)";

constexpr std::string_view kAllowAll = R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata:
  name: istio-ingressgateway
  namespace: istio-system
spec:
  action: ALLOW
  rules:
  - {}
  selector:
    matchLabels:
      app: istio-ingressgateway
      istio: ingressgateway
---
)";

constexpr std::string_view kGlobalDenyAll = R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata:
  name: global-deny-all
  namespace: istio-system
spec: {}
---
)";

std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) out += part;
  return out;
}

// The gateway pods' labels, as Kubeflow's istio-ingressgateway Deployment gives them.
Value gateway_labels() {
  Value labels = Value::object();
  labels.set("app", Value::string("istio-ingressgateway"));
  labels.set("istio", Value::string("ingressgateway"));
  return labels;
}

AuthVerdict at_gateway(const Inventory& inventory, std::string_view prefix = "/") {
  const IstioAuth auth(inventory);
  const Value labels = gateway_labels();
  return auth.evaluate({"istio-system", &labels, {}}, prefix);
}

// The same at the pods labelled {app: `app`} in `ns`.
AuthVerdict at_app(const Inventory& inventory, std::string_view ns, std::string_view app) {
  const IstioAuth auth(inventory);
  Value labels = Value::object();
  labels.set("app", Value::string(std::string(app)));
  return auth.evaluate({ns, &labels, {}});
}

using Kind = RequestOutcome::Kind;

TEST(IstioAuth, NoPolicyLetsEverythingThrough) {
  const Inventory inventory = inventory_of(kMesh);
  const AuthVerdict verdict = at_gateway(inventory);
  EXPECT_EQ(verdict.state, AuthState::unauthenticated);
  EXPECT_EQ(verdict.without_header.kind, Kind::passes);
}

TEST(IstioAuth, StockKubeflowTrioAuthenticatesBothRequests) {
  const Inventory inventory = inventory_of(join({kMesh, kGlobalDenyAll, kAllowAll, kCustom, kDeny, kRequestAuthn}));
  const AuthVerdict verdict = at_gateway(inventory);
  EXPECT_EQ(verdict.state, AuthState::authenticated);
  EXPECT_EQ(verdict.without_header.kind, Kind::ext_authz);
  EXPECT_EQ(verdict.with_header.kind, Kind::jwt_required);
  ASSERT_NE(verdict.custom_policy, nullptr);
  EXPECT_EQ(verdict.custom_policy->name(), "istio-ingressgateway-oauth2-proxy");
  EXPECT_NE(verdict.with_header.why.find("istio-ingressgateway-require-jwt"), std::string::npos);
  ASSERT_EQ(verdict.request_authentications.size(), 1u);
  EXPECT_EQ(verdict.request_authentications[0]->name(), "dex-jwt");
}

TEST(IstioAuth, CustomWithoutDenyIsBypassedByAnyAuthorizationHeader) {
  const Inventory inventory = inventory_of(join({kMesh, kGlobalDenyAll, kAllowAll, kCustom, kRequestAuthn}));
  const AuthVerdict verdict = at_gateway(inventory);
  EXPECT_EQ(verdict.state, AuthState::bypassable);
  EXPECT_EQ(verdict.without_header.kind, Kind::ext_authz);
  EXPECT_EQ(verdict.with_header.kind, Kind::passes);
  ASSERT_NE(verdict.with_header.policy, nullptr);
  EXPECT_EQ(verdict.with_header.policy->name(), "istio-ingressgateway");  // the allow-all admits it
}

TEST(IstioAuth, UnconditionalCustomAuthenticatesAlone) {
  const Inventory inventory = inventory_of(join({kMesh, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: istio-system}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules:
  - to:
    - operation:
        notPaths: [/oauth2/*]
  selector:
    matchLabels: {istio: ingressgateway}
)"}));
  EXPECT_EQ(at_gateway(inventory).state, AuthState::authenticated);
}

TEST(IstioAuth, DenyRequiringPrincipalAuthenticatesWithoutCustom) {
  const Inventory inventory = inventory_of(join({kMesh, kAllowAll, kDeny, kRequestAuthn}));
  const AuthVerdict verdict = at_gateway(inventory);
  EXPECT_EQ(verdict.state, AuthState::authenticated);
  EXPECT_EQ(verdict.without_header.kind, Kind::jwt_required);
  EXPECT_EQ(verdict.with_header.kind, Kind::jwt_required);
}

TEST(IstioAuth, UndefinedProviderFailsClosed) {
  std::string custom(kCustom);
  custom.replace(custom.find("name: oauth2-proxy"), 18, "name: authservice");
  const Inventory inventory = inventory_of(join({kMesh, kAllowAll, custom, kDeny}));
  const AuthVerdict verdict = at_gateway(inventory);
  // Istio turns the CUSTOM policy into a DENY of what it matches; the DENY policy stops the rest.
  EXPECT_EQ(verdict.without_header.kind, Kind::denied);
  EXPECT_NE(verdict.without_header.why.find("does not define"), std::string::npos);
  EXPECT_EQ(verdict.with_header.kind, Kind::jwt_required);
  EXPECT_EQ(verdict.state, AuthState::authenticated);
}

TEST(IstioAuth, ProviderIsTrustedWhenTheMeshConfigIsNotInTheInput) {
  std::string custom(kCustom);
  custom.replace(custom.find("name: oauth2-proxy"), 18, "name: authservice");
  const Inventory inventory = inventory_of(join({kAllowAll, custom}));
  const AuthVerdict verdict = at_gateway(inventory);
  EXPECT_FALSE(IstioAuth(inventory).mesh().known());
  EXPECT_EQ(verdict.without_header.kind, Kind::ext_authz);
  EXPECT_EQ(verdict.state, AuthState::bypassable);
}

TEST(IstioAuth, AllowOnlyForMeshIdentitiesDeniesOutsideRequests) {
  const Inventory inventory = inventory_of(join({kMesh, kGlobalDenyAll, R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: central-dashboard, namespace: kubeflow}
spec:
  action: ALLOW
  rules:
  - from:
    - source:
        principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]
  selector:
    matchLabels: {app: centraldashboard}
)"}));
  const AuthVerdict verdict = at_app(inventory, "kubeflow", "centraldashboard");
  EXPECT_EQ(verdict.state, AuthState::denied);
  EXPECT_EQ(verdict.without_header.kind, Kind::denied);
}

TEST(IstioAuth, AllowOnAuthorizationHeaderPresenceIsBypassable) {
  // kubeflow/ml-pipeline-ui's second rule: any Authorization header, no kubeflow-userid header.
  const Inventory inventory = inventory_of(join({kMesh, kGlobalDenyAll, R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: ml-pipeline-ui, namespace: kubeflow}
spec:
  rules:
  - from:
    - source:
        principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]
  - when:
    - key: request.headers[authorization]
      values: ['*']
    - key: request.headers[kubeflow-userid]
      notValues: ['*']
  selector:
    matchLabels: {app: ml-pipeline-ui}
)"}));
  const AuthVerdict verdict = at_app(inventory, "kubeflow", "ml-pipeline-ui");
  EXPECT_EQ(verdict.state, AuthState::bypassable);
  EXPECT_EQ(verdict.without_header.kind, Kind::denied);
  EXPECT_EQ(verdict.with_header.kind, Kind::passes);
}

TEST(IstioAuth, AllowRequiringRequestPrincipalsCountsAsAuthentication) {
  const Inventory inventory = inventory_of(join({kMesh, R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: jwt-only, namespace: istio-system}
spec:
  action: ALLOW
  rules:
  - from:
    - source:
        requestPrincipals: ['*']
  selector:
    matchLabels: {istio: ingressgateway}
)"}));
  const AuthVerdict verdict = at_gateway(inventory);
  EXPECT_EQ(verdict.state, AuthState::authenticated);
  EXPECT_EQ(verdict.without_header.kind, Kind::jwt_required);
}

TEST(IstioAuth, LoginPathsExcludedByNotPathsAreNotProtected) {
  const Inventory inventory = inventory_of(join({kMesh, kAllowAll, kCustom, kDeny, kRequestAuthn}));
  // /dex/ is what notPaths exclude: the login page itself is public by design.
  EXPECT_EQ(at_gateway(inventory, "/dex/").state, AuthState::unauthenticated);
  // Under / the excluded sub-paths belong to the Dex and oauth2-proxy routes.
  EXPECT_EQ(at_gateway(inventory, "/").state, AuthState::authenticated);
  EXPECT_EQ(at_gateway(inventory, "/pipeline").state, AuthState::authenticated);
}

TEST(IstioAuth, CustomLimitedToSomePathsLeavesTheOthersOpen) {
  const Inventory inventory = inventory_of(join({kMesh, R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: pipeline-only, namespace: istio-system}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules:
  - to:
    - operation:
        paths: [/pipeline/*]
  selector:
    matchLabels: {istio: ingressgateway}
)"}));
  EXPECT_EQ(at_gateway(inventory, "/pipeline/").state, AuthState::authenticated);
  EXPECT_EQ(at_gateway(inventory, "/").state, AuthState::unauthenticated);
}

TEST(IstioAuth, SelectorsNamespacesAndDryRunDecideWhatApplies) {
  const Inventory inventory = inventory_of(join({kMesh, R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: other-selector, namespace: istio-system}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules: [{}]
  selector:
    matchLabels: {app: cluster-local-gateway}
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: other-namespace, namespace: kubeflow}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules: [{}]
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata:
  name: dry-run
  namespace: istio-system
  annotations: {istio.io/dry-run: "true"}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules: [{}]
)"}));
  EXPECT_EQ(at_gateway(inventory).state, AuthState::unauthenticated);
  // The kubeflow-namespace policy without a selector covers every workload there.
  const IstioAuth auth(inventory);
  const Value labels = gateway_labels();
  EXPECT_EQ(auth.evaluate({"kubeflow", &labels, {}}).state, AuthState::authenticated);
}

TEST(IstioAuth, TargetRefsNameAGatewayApiGateway) {
  const Inventory inventory = inventory_of(join({kMesh, R"(apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: ext-authz, namespace: web}
spec:
  targetRefs:
  - kind: Gateway
    group: gateway.networking.k8s.io
    name: public
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules: [{}]
)"}));
  const IstioAuth auth(inventory);
  const Value labels = Value::object();
  EXPECT_EQ(auth.evaluate({"web", &labels, "public"}).state, AuthState::authenticated);
  EXPECT_EQ(auth.evaluate({"web", &labels, "other"}).state, AuthState::unauthenticated);
  EXPECT_EQ(auth.evaluate({"web", &labels, {}}).state, AuthState::unauthenticated);
}

TEST(IstioAuth, MeshConfigProvidersAndRootNamespace) {
  const Inventory inventory = inventory_of(kMesh);
  const MeshConfig mesh = read_mesh_config(inventory);
  ASSERT_TRUE(mesh.known());
  EXPECT_EQ(mesh.source->name(), "istio");
  EXPECT_EQ(mesh.root_namespace, "istio-system");
  EXPECT_TRUE(mesh.defines("oauth2-proxy"));
  EXPECT_FALSE(mesh.defines("authservice"));
}

TEST(IstioAuth, SidecarFromPodSettingsThenNamespace) {
  const Inventory inventory = inventory_of(R"(apiVersion: v1
kind: Namespace
metadata:
  name: kubeflow
  labels: {istio-injection: enabled}
---
apiVersion: v1
kind: Namespace
metadata: {name: plain}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: injected, namespace: kubeflow}
spec:
  template:
    metadata: {labels: {app: a}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: opted-out, namespace: kubeflow}
spec:
  template:
    metadata:
      labels: {app: b}
      annotations: {sidecar.istio.io/inject: "false"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: plain, namespace: plain}
spec:
  template:
    metadata: {labels: {app: c}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: unknown, namespace: elsewhere}
spec:
  template:
    metadata: {labels: {app: d}}
)");
  EXPECT_EQ(has_istio_sidecar(*inventory.find("Deployment", "kubeflow", "injected"), inventory), true);
  EXPECT_EQ(has_istio_sidecar(*inventory.find("Deployment", "kubeflow", "opted-out"), inventory), false);
  EXPECT_EQ(has_istio_sidecar(*inventory.find("Deployment", "plain", "plain"), inventory), false);
  EXPECT_EQ(has_istio_sidecar(*inventory.find("Deployment", "elsewhere", "unknown"), inventory), std::nullopt);
}

TEST(EmbeddedYaml, KeepsFileLines) {
  auto value = parse_embedded_yaml("a: 1\nlist:\n- name: x\n  hash: h\n", 100);
  ASSERT_TRUE(value.has_value()) << value.error().message;
  EXPECT_EQ((*value)["a"].str(), "1");
  EXPECT_EQ((*value)["list"][0]["hash"].str(), "h");
  EXPECT_EQ((*value)["list"][0]["hash"].line(), 103);
}

TEST(EmbeddedYaml, RejectsNestingAndAliasBombs) {
  std::string deep(100000, '[');
  EXPECT_FALSE(parse_embedded_yaml(deep, 1).has_value());
  std::string dashes;
  for (int i = 0; i < 5000; ++i) dashes += "- ";
  dashes += "x\n";
  EXPECT_FALSE(parse_embedded_yaml(dashes, 1).has_value());
  // Nine levels of ten aliases each: a billion nodes once expanded.
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  for (char level = 'b'; level <= 'j'; ++level) {
    const char prev = static_cast<char>(level - 1);
    bomb += std::string(1, level) + ": &" + level + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
  }
  auto result = parse_embedded_yaml(bomb, 1);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, core::ErrorCode::limit_exceeded);
  EXPECT_FALSE(parse_embedded_yaml("a: [unclosed", 1).has_value());
}

}  // namespace
}  // namespace mg::kube
