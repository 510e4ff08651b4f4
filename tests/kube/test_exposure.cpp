// The route graph (exposure) and the checks MG-KUBE-001..004 on small manifests written here,
// then on the stock Kubeflow install (tests/data/kubeflow/kubeflow-install.yaml) and on variants
// of it derived in code: the gateway Service switched to LoadBalancer with and without the
// authentication policies, and a backend published directly.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "kube/exposure.hpp"
#include "kube/exposure_checks.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

using namespace testing;
using core::Severity;

constexpr std::string_view kFile = "exposure.yaml";

Findings check(std::vector<Object> objects) { return run_check(check_exposure, std::move(objects)); }

Findings check(std::string_view yaml) { return check(objects_of(yaml, kFile)); }

// A small Kubeflow: the ingress gateway (Service of type `gateway_type`), kubeflow-gateway, the
// central dashboard and Pipelines UI behind it, Dex for the login.
std::string kubeflow(std::string_view gateway_type, std::string_view extra_service_spec = "") {
  std::string out = R"(apiVersion: v1
kind: Service
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  type: )";
  out += gateway_type;
  out += "\n";
  out += extra_service_spec;
  out += R"(  selector: {app: istio-ingressgateway, istio: ingressgateway}
  ports: [{name: http2, port: 80, targetPort: 8080}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: istio-ingressgateway, namespace: istio-system}
spec:
  template:
    metadata:
      labels: {app: istio-ingressgateway, istio: ingressgateway}
---
apiVersion: networking.istio.io/v1alpha3
kind: Gateway
metadata: {name: kubeflow-gateway, namespace: kubeflow}
spec:
  selector: {istio: ingressgateway}
  servers: [{hosts: ['*'], port: {name: http, number: 80, protocol: HTTP}}]
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  gateways: [kubeflow-gateway]
  hosts: ['*']
  http:
  - match: [{uri: {prefix: /}}]
    route: [{destination: {host: centraldashboard.kubeflow.svc.cluster.local, port: {number: 80}}}]
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: ml-pipeline-ui, namespace: kubeflow}
spec:
  gateways: [kubeflow/kubeflow-gateway]
  hosts: ['*']
  http:
  - match: [{uri: {prefix: /pipeline}}]
    route: [{destination: {host: ml-pipeline-ui, port: {number: 80}}}]
---
apiVersion: networking.istio.io/v1alpha3
kind: VirtualService
metadata: {name: dex, namespace: auth}
spec:
  gateways: [kubeflow/kubeflow-gateway]
  hosts: ['*']
  http:
  - match: [{uri: {prefix: /dex/}}]
    route: [{destination: {host: dex.auth.svc.cluster.local, port: {number: 5556}}}]
---
apiVersion: v1
kind: Service
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  selector: {app: centraldashboard}
  ports: [{port: 80, targetPort: 8082}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  template:
    metadata:
      labels: {app: centraldashboard}
---
apiVersion: v1
kind: Service
metadata: {name: ml-pipeline-ui, namespace: kubeflow}
spec:
  selector: {app: ml-pipeline-ui}
  ports: [{port: 80, targetPort: 3000}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ml-pipeline-ui, namespace: kubeflow}
spec:
  template:
    metadata:
      labels: {app: ml-pipeline-ui}
---
apiVersion: v1
kind: Service
metadata: {name: dex, namespace: auth}
spec:
  selector: {app: dex}
  ports: [{port: 5556}]
---
)";
  return out;
}

constexpr std::string_view kMeshConfig = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    extensionProviders:
    - name: oauth2-proxy
      envoyExtAuthzHttp: {service: oauth2-proxy.oauth2-proxy.svc.cluster.local, port: 80}
---
)";

constexpr std::string_view kCustomPolicy = R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: istio-ingressgateway-oauth2-proxy, namespace: istio-system}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules:
  - to: [{operation: {notPaths: [/dex/*, /dex/**, /oauth2/*]}}]
    when:
    - key: request.headers[authorization]
      notValues: ['*']
  selector: {matchLabels: {app: istio-ingressgateway}}
---
)";

constexpr std::string_view kDenyPolicy = R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: istio-ingressgateway-require-jwt, namespace: istio-system}
spec:
  action: DENY
  rules:
  - from: [{source: {notRequestPrincipals: ['*']}}]
    to: [{operation: {notPaths: [/dex/*, /dex/**, /oauth2/*]}}]
  selector: {matchLabels: {app: istio-ingressgateway}}
---
)";

// --- the graph ------------------------------------------------------------------------------

TEST(ExposureGraph, FollowsTheGatewayToTheBackends) {
  const Inventory inventory(objects_of(kubeflow("LoadBalancer"), kFile));
  const ExposureModel model(inventory);
  ASSERT_EQ(model.graph.entries.size(), 1u);
  const EntryPoint& entry = model.graph.entries[0];
  EXPECT_EQ(entry.kind, EntryKind::load_balancer);
  EXPECT_EQ(entry.hop, "Service istio-system/istio-ingressgateway type LoadBalancer");
  EXPECT_TRUE(entry.world);
  EXPECT_EQ(entry.field, "spec.type");
  EXPECT_EQ(entry.line, 5);

  ASSERT_EQ(model.graph.routes.size(), 3u);
  const Route& dashboard = model.graph.routes[0];
  EXPECT_EQ(dashboard.service_ref, "Service kubeflow/centraldashboard");
  EXPECT_EQ(dashboard.kubeflow_app, "central dashboard");
  EXPECT_TRUE(dashboard.kubeflow);
  ASSERT_NE(dashboard.gateway_workload, nullptr);
  EXPECT_EQ(dashboard.gateway_workload->ref(), "Deployment istio-system/istio-ingressgateway");
  EXPECT_EQ(dashboard.hops, (std::vector<std::string>{
                                "→ pods of Deployment istio-system/istio-ingressgateway",
                                "→ Gateway kubeflow/kubeflow-gateway (selector istio=ingressgateway)",
                                "→ VirtualService kubeflow/centraldashboard prefix /",
                                "→ Service kubeflow/centraldashboard",
                            }));
  ASSERT_EQ(dashboard.workloads.size(), 1u);
  EXPECT_EQ(dashboard.workloads[0]->ref(), "Deployment kubeflow/centraldashboard");

  // The short host "ml-pipeline-ui" resolves in the VirtualService's namespace.
  const Route& pipelines = model.graph.routes[1];
  EXPECT_EQ(pipelines.service_ref, "Service kubeflow/ml-pipeline-ui");
  EXPECT_EQ(pipelines.path_prefix, "/pipeline");
  EXPECT_EQ(pipelines.kubeflow_app, "Pipelines UI");

  const Route& dex = model.graph.routes[2];
  EXPECT_TRUE(dex.login_endpoint);
  EXPECT_FALSE(dex.kubeflow);
}

TEST(ExposureGraph, ClusterIpServicesAreNoEntryPoints) {
  const Inventory inventory(objects_of(kubeflow("ClusterIP"), kFile));
  const ExposureModel model(inventory);
  EXPECT_TRUE(model.graph.entries.empty());
  EXPECT_TRUE(model.graph.routes.empty());
  ASSERT_EQ(model.routing.gateways().size(), 1u);
  EXPECT_TRUE(model.is_kubeflow_gateway(*model.routing.gateways()[0]));
}

TEST(ExposureGraph, SourceRangesAndInternalLoadBalancersNarrowTheReach) {
  {
    const Inventory inventory(objects_of(kubeflow("LoadBalancer", "  loadBalancerSourceRanges: [10.0.0.0/8]\n"), kFile));
    const ExposureModel model(inventory);
    ASSERT_EQ(model.graph.entries.size(), 1u);
    EXPECT_FALSE(model.graph.entries[0].world);
    EXPECT_EQ(model.graph.entries[0].restriction, "loadBalancerSourceRanges 10.0.0.0/8");
  }
  {
    const Inventory inventory(
        objects_of(kubeflow("LoadBalancer", "  loadBalancerSourceRanges: [10.0.0.0/8, 0.0.0.0/0]\n"), kFile));
    EXPECT_TRUE(ExposureModel(inventory).graph.entries[0].world);
  }
  {
    std::string yaml = kubeflow("LoadBalancer");
    const std::string_view plain = "metadata: {name: istio-ingressgateway, namespace: istio-system}";
    yaml.replace(yaml.find(plain), plain.size(),
                 "metadata:\n  name: istio-ingressgateway\n  namespace: istio-system\n  annotations:\n"
                 "    networking.gke.io/load-balancer-type: Internal");
    const Inventory inventory(objects_of(yaml, kFile));
    const ExposureModel model(inventory);
    ASSERT_EQ(model.graph.entries.size(), 1u);
    EXPECT_FALSE(model.graph.entries[0].world);
    EXPECT_NE(model.graph.entries[0].restriction.find("internal load balancer"), std::string::npos);
  }
}

TEST(ExposureGraph, NodePortAndExternalIps) {
  const Inventory inventory(objects_of(R"(apiVersion: v1
kind: Service
metadata: {name: a, namespace: x}
spec: {type: NodePort, selector: {app: a}}
---
apiVersion: v1
kind: Service
metadata: {name: b, namespace: x}
spec:
  externalIPs: [203.0.113.7]
  selector: {app: b}
)", kFile));
  const ExposureModel model(inventory);
  ASSERT_EQ(model.graph.entries.size(), 2u);
  EXPECT_EQ(model.graph.entries[0].kind, EntryKind::node_port);
  EXPECT_EQ(model.graph.entries[1].kind, EntryKind::external_ips);
  EXPECT_EQ(model.graph.entries[1].field, "spec.externalIPs");
  EXPECT_EQ(model.graph.entries[1].hop, "Service x/b externalIPs 203.0.113.7");
}

TEST(ExposureGraph, IngressToTheGatewayServiceAndToABackend) {
  std::string yaml = kubeflow("ClusterIP");
  yaml += R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: kubeflow, namespace: istio-system}
spec:
  rules:
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: istio-ingressgateway, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: pipelines
  namespace: kubeflow
  annotations:
    nginx.ingress.kubernetes.io/auth-url: https://oauth2.example.com/oauth2/auth
spec:
  defaultBackend: {service: {name: ml-pipeline-ui, port: {number: 80}}}
)";
  const Inventory inventory(objects_of(yaml, kFile));
  const ExposureModel model(inventory);
  ASSERT_EQ(model.graph.entries.size(), 2u);
  EXPECT_EQ(model.graph.entries[0].kind, EntryKind::ingress);
  EXPECT_TRUE(model.graph.entries[0].entry_auth.empty());
  EXPECT_NE(model.graph.entries[1].entry_auth.find("auth-url"), std::string::npos);
  std::vector<std::string> through_gateway, direct;
  for (const Route& route : model.graph.routes) {
    (route.gateway_workload ? through_gateway : direct).push_back(route.service_ref);
  }
  EXPECT_EQ(through_gateway, (std::vector<std::string>{"Service kubeflow/centraldashboard", "Service kubeflow/ml-pipeline-ui",
                                                       "Service auth/dex"}));
  EXPECT_EQ(direct, (std::vector<std::string>{"Service kubeflow/ml-pipeline-ui"}));
}

TEST(ExposureGraph, GatewayApiRoutesToBackends) {
  std::string yaml = kubeflow("ClusterIP");
  yaml += R"(apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: web}
spec:
  gatewayClassName: istio
  listeners: [{name: http, port: 80, protocol: HTTP}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: pipelines, namespace: kubeflow}
spec:
  parentRefs: [{name: public, namespace: web}]
  rules:
  - matches: [{path: {type: PathPrefix, value: /pipeline}}]
    backendRefs: [{name: ml-pipeline-ui, port: 80}]
)";
  const Inventory inventory(objects_of(yaml, kFile));
  const ExposureModel model(inventory);
  ASSERT_EQ(model.graph.entries.size(), 1u);
  EXPECT_EQ(model.graph.entries[0].kind, EntryKind::gateway_api);
  ASSERT_EQ(model.graph.routes.size(), 1u);
  const Route& route = model.graph.routes[0];
  EXPECT_EQ(route.service_ref, "Service kubeflow/ml-pipeline-ui");
  EXPECT_EQ(route.path_prefix, "/pipeline");
  ASSERT_NE(route.route_object, nullptr);
  EXPECT_EQ(route.route_object->kind(), "HTTPRoute");
  EXPECT_TRUE(route.kubeflow);
}

TEST(ExposureGraph, WorkloadIndexKeepsNamespacesApartAndControllersFirst) {
  const Inventory inventory(objects_of(R"(apiVersion: v1
kind: Pod
metadata: {name: web-abc-1, namespace: a, labels: {app: web, pod-template-hash: abc}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web-abc, namespace: a}
spec:
  template: {metadata: {labels: {app: web, pod-template-hash: abc}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: a}
spec:
  template: {metadata: {labels: {app: web}}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: b}
spec:
  template: {metadata: {labels: {app: web}}}
---
apiVersion: kubeflow.org/v1
kind: Notebook
metadata: {name: nb, namespace: a}
spec:
  template: {spec: {containers: [{name: nb, image: jupyter}]}}
)", kFile));
  const WorkloadIndex index(inventory);
  Value selector = Value::object();
  selector.set("app", Value::string("web"));
  const auto in_a = index.select("a", selector);
  ASSERT_EQ(in_a.size(), 3u);
  EXPECT_EQ(in_a[0]->kind(), "Deployment");
  EXPECT_EQ(in_a[1]->kind(), "ReplicaSet");
  EXPECT_EQ(in_a[2]->kind(), "Pod");
  EXPECT_EQ(index.select_any_namespace(selector).size(), 4u);
  Value notebook = Value::object();
  notebook.set("statefulset", Value::string("nb"));
  const auto nb = index.select("a", notebook);
  ASSERT_EQ(nb.size(), 1u);
  EXPECT_EQ(kubeflow_app(*nb[0], index.labels_of(*nb[0])), "notebook server");
  EXPECT_TRUE(index.select("a", Value::object()).empty());  // an empty selector selects nothing
}

TEST(ExposureGraph, GatewaySelectsGatewayPodsInAnyNamespace) {
  std::string yaml = kubeflow("LoadBalancer");
  // The same gateway pods in a namespace of their own; kubeflow-gateway still selects them.
  std::string moved = yaml;
  std::size_t at = 0;
  while ((at = moved.find("namespace: istio-system", at)) != std::string::npos) {
    moved.replace(at, 23, "namespace: ingress-edge");
  }
  const Inventory inventory(objects_of(moved, kFile));
  const ExposureModel model(inventory);
  ASSERT_FALSE(model.graph.routes.empty());
  EXPECT_EQ(model.graph.routes[0].gateway_workload->ref(), "Deployment ingress-edge/istio-ingressgateway");
  EXPECT_EQ(model.graph.routes[0].service_ref, "Service kubeflow/centraldashboard");
}

TEST(ExposureGraph, IstiodCanScopeGatewaysToTheirNamespace) {
  const std::string istiod = R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: istiod, namespace: istio-system}
spec:
  template:
    spec:
      containers:
      - name: discovery
        env: [{name: PILOT_SCOPE_GATEWAY_TO_NAMESPACE, value: "true"}]
---
)";
  const Inventory inventory(objects_of(kubeflow("LoadBalancer") + istiod, kFile));
  const ExposureModel model(inventory);
  EXPECT_TRUE(model.routing.scoped_to_namespace());
  // kubeflow/kubeflow-gateway no longer configures the pods in istio-system.
  for (const Route& route : model.graph.routes) EXPECT_EQ(route.gateway_workload, nullptr);
}

TEST(ExposureGraph, FindServiceResolvesIstioHosts) {
  const Inventory inventory(objects_of(kubeflow("ClusterIP"), kFile));
  const ExposureModel model(inventory);
  for (std::string_view host : {"centraldashboard", "centraldashboard.kubeflow", "centraldashboard.kubeflow.svc",
                                "centraldashboard.kubeflow.svc.cluster.local"}) {
    const Object* found = model.find_service(host, "kubeflow");
    ASSERT_NE(found, nullptr) << host;
    EXPECT_EQ(found->name(), "centraldashboard");
  }
  EXPECT_EQ(model.find_service("centraldashboard", "auth"), nullptr);
  EXPECT_EQ(model.find_service("www.example.com", "kubeflow"), nullptr);
  EXPECT_EQ(model.find_service("*.kubeflow.svc.cluster.local", "kubeflow"), nullptr);
}

// --- the checks on small manifests ------------------------------------------------------------

TEST(ExposureChecks, GatewayExposedWithoutAuthentication) {
  const Findings findings = check(kubeflow("LoadBalancer"));
  const auto exposed = of_rule(findings, kRuleUiExposed);
  ASSERT_EQ(exposed.size(), 1u);
  const core::Finding& finding = exposed[0];
  EXPECT_EQ(finding.severity, Severity::critical);
  EXPECT_EQ(where(finding).kind, "Service");
  EXPECT_EQ(where(finding).namespace_, "istio-system");
  EXPECT_EQ(where(finding).name, "istio-ingressgateway");
  EXPECT_EQ(where(finding).field, "spec.type");
  EXPECT_EQ(where(finding).line, 5);
  for (std::string_view text : {
           "Service istio-system/istio-ingressgateway type LoadBalancer",
           "→ Gateway kubeflow/kubeflow-gateway (selector istio=ingressgateway)",
           "→ VirtualService kubeflow/centraldashboard prefix /",
           "→ Service kubeflow/ml-pipeline-ui",
           "no CUSTOM ext-authz AuthorizationPolicy or DENY policy requiring a request principal",
           "applications: central dashboard, Pipelines UI",
       }) {
    EXPECT_TRUE(mentions(finding, text)) << text;
  }
  EXPECT_FALSE(mentions(finding, "Service auth/dex"));  // the login page is public by design
  EXPECT_EQ(finding.techniques, (std::vector<std::string>{"MS-TA9005", "T1133", "T1190"}));
  EXPECT_TRUE(of_rule(findings, kRuleAuthBypassable).empty());
  EXPECT_TRUE(of_rule(findings, kRuleBackendExposed).empty());
}

TEST(ExposureChecks, NarrowSourceRangesLowerTheSeverity) {
  const Findings findings = check(kubeflow("LoadBalancer", "  loadBalancerSourceRanges: [192.0.2.0/24]\n"));
  const auto exposed = of_rule(findings, kRuleUiExposed);
  ASSERT_EQ(exposed.size(), 1u);
  EXPECT_EQ(exposed[0].severity, Severity::high);
  EXPECT_TRUE(mentions(exposed[0], "loadBalancerSourceRanges 192.0.2.0/24"));
}

TEST(ExposureChecks, AuthenticatedGatewayIsNotReported) {
  const Findings findings = check(kubeflow("LoadBalancer") + std::string(kMeshConfig) + std::string(kCustomPolicy) +
                                  std::string(kDenyPolicy));
  EXPECT_TRUE(findings.empty()) << describe(findings);
}

TEST(ExposureChecks, ClusterIpGatewayWithoutAuthIsNotExposed) {
  EXPECT_TRUE(of_rule(check(kubeflow("ClusterIP")), kRuleUiExposed).empty());
}

TEST(ExposureChecks, MissingDenyPolicyMakesTheLoginBypassable) {
  const Findings findings = check(kubeflow("LoadBalancer") + std::string(kMeshConfig) + std::string(kCustomPolicy));
  const auto bypass = of_rule(findings, kRuleAuthBypassable);
  ASSERT_EQ(bypass.size(), 1u);
  EXPECT_EQ(bypass[0].severity, Severity::critical);  // the gateway is also exposed
  EXPECT_EQ(where(bypass[0]).kind, "AuthorizationPolicy");
  EXPECT_EQ(where(bypass[0]).name, "istio-ingressgateway-oauth2-proxy");
  EXPECT_EQ(where(bypass[0]).field, "spec.rules[0].when");
  EXPECT_TRUE(mentions(bypass[0], "no DENY AuthorizationPolicy with notRequestPrincipals"));
  EXPECT_TRUE(mentions(bypass[0], "VirtualService kubeflow/centraldashboard prefix /"));
  const auto exposed = of_rule(findings, kRuleUiExposed);
  ASSERT_EQ(exposed.size(), 1u);
  EXPECT_TRUE(mentions(exposed[0], "bypassable: requests with any Authorization header skip"));

  // Inside the cluster only, the bypass is still there, at high.
  const Findings inside = check(kubeflow("ClusterIP") + std::string(kMeshConfig) + std::string(kCustomPolicy));
  const auto inside_bypass = of_rule(inside, kRuleAuthBypassable);
  ASSERT_EQ(inside_bypass.size(), 1u);
  EXPECT_EQ(inside_bypass[0].severity, Severity::high);
  EXPECT_TRUE(of_rule(inside, kRuleUiExposed).empty());
}

TEST(ExposureChecks, BackendPublishedDirectly) {
  std::string yaml = kubeflow("ClusterIP") + std::string(kMeshConfig) + std::string(kCustomPolicy) + std::string(kDenyPolicy);
  std::string exposed = yaml;
  exposed.replace(exposed.find("metadata: {name: ml-pipeline-ui, namespace: kubeflow}\nspec:\n  selector"),
                  std::string("metadata: {name: ml-pipeline-ui, namespace: kubeflow}\nspec:\n").size(),
                  "metadata: {name: ml-pipeline-ui, namespace: kubeflow}\nspec:\n  type: LoadBalancer\n");
  const Findings findings = check(exposed);
  const auto direct = of_rule(findings, kRuleBackendExposed);
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0].severity, Severity::critical);
  EXPECT_EQ(where(direct[0]).name, "ml-pipeline-ui");
  EXPECT_EQ(where(direct[0]).field, "spec.type");
  EXPECT_TRUE(mentions(direct[0], "backend: Service kubeflow/ml-pipeline-ui (Pipelines UI)"));
  EXPECT_TRUE(mentions(direct[0], "→ pods of Deployment kubeflow/ml-pipeline-ui"));
  EXPECT_TRUE(of_rule(findings, kRuleUiExposed).empty());

  // The same, with a CUSTOM policy selecting the backend's own pods: authenticated there.
  const Findings guarded = check(exposed + R"(apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: ui-ext-authz, namespace: kubeflow}
spec:
  action: CUSTOM
  provider: {name: oauth2-proxy}
  rules: [{}]
  selector: {matchLabels: {app: ml-pipeline-ui}}
)");
  EXPECT_TRUE(of_rule(guarded, kRuleBackendExposed).empty());
  EXPECT_TRUE(of_rule(check(yaml), kRuleBackendExposed).empty());
}

TEST(ExposureChecks, IngressStraightToABackend) {
  const std::string ingress = R"(apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: pipelines
  namespace: kubeflow
spec:
  rules:
  - host: pipelines.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: ml-pipeline-ui, port: {number: 80}}}
)";
  const Findings findings = check(kubeflow("ClusterIP") + ingress);
  const auto direct = of_rule(findings, kRuleBackendExposed);
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(where(direct[0]).kind, "Ingress");
  EXPECT_EQ(where(direct[0]).field, "spec.rules");

  std::string authenticated = ingress;
  authenticated.replace(authenticated.find("  namespace: kubeflow\n"), 22,
                        "  namespace: kubeflow\n  annotations:\n    nginx.ingress.kubernetes.io/auth-url: "
                        "http://oauth2-proxy.oauth2-proxy.svc.cluster.local/oauth2/auth\n");
  EXPECT_TRUE(of_rule(check(kubeflow("ClusterIP") + authenticated), kRuleBackendExposed).empty());
}

TEST(ExposureChecks, BackendWithoutSidecarIgnoresPolicies) {
  // ALLOW rules for mesh identities would keep outsiders out, but the pods opted out of the
  // sidecar, so no policy applies at all.
  const Findings findings = check(R"(apiVersion: v1
kind: Namespace
metadata: {name: kubeflow, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Service
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  type: NodePort
  selector: {app: centraldashboard}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: centraldashboard, namespace: kubeflow}
spec:
  template:
    metadata:
      labels: {app: centraldashboard}
      annotations: {sidecar.istio.io/inject: "false"}
---
apiVersion: security.istio.io/v1beta1
kind: AuthorizationPolicy
metadata: {name: central-dashboard, namespace: kubeflow}
spec:
  rules:
  - from: [{source: {principals: [cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account]}}]
  selector: {matchLabels: {app: centraldashboard}}
)");
  const auto direct = of_rule(findings, kRuleBackendExposed);
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0].severity, Severity::critical);
  EXPECT_TRUE(mentions(direct[0], "run without an Istio sidecar"));
}

TEST(ExposureChecks, UndefinedProviderIsReportedOnlyWithTheMeshConfig) {
  std::string custom(kCustomPolicy);
  custom.replace(custom.find("provider: {name: oauth2-proxy}"), 30, "provider: {name: authservice}");
  const Findings findings = check(kubeflow("ClusterIP") + std::string(kMeshConfig) + custom + std::string(kDenyPolicy));
  const auto undefined = of_rule(findings, kRuleUndefinedProvider);
  ASSERT_EQ(undefined.size(), 1u);
  EXPECT_EQ(undefined[0].severity, Severity::medium);
  EXPECT_EQ(where(undefined[0]).field, "spec.provider.name");
  EXPECT_TRUE(mentions(undefined[0], "authservice"));
  EXPECT_TRUE(mentions(undefined[0], "extensionProviders: oauth2-proxy"));
  EXPECT_TRUE(of_rule(check(kubeflow("ClusterIP") + custom), kRuleUndefinedProvider).empty());
  EXPECT_TRUE(of_rule(check(kubeflow("ClusterIP") + std::string(kMeshConfig) + std::string(kCustomPolicy)),
                        kRuleUndefinedProvider)
                  .empty());
}

TEST(ExposureChecks, RulesAreListedInOrder) {
  const auto rules = exposure_rules();
  ASSERT_EQ(rules.size(), 4u);
  EXPECT_EQ(rules[0].id, "MG-KUBE-001");
  EXPECT_EQ(rules[3].id, "MG-KUBE-004");
  for (const auto& info : rules) {
    EXPECT_FALSE(info.name.empty());
    EXPECT_FALSE(info.remediation.empty());
    EXPECT_FALSE(info.techniques.empty());
  }
}

// --- the stock Kubeflow install and variants of it -------------------------------------------

Object* find_object(std::vector<Object>& objects, std::string_view kind, std::string_view ns, std::string_view name) {
  for (Object& object : objects) {
    if (object.kind() == kind && object.namespace_() == ns && object.name() == name) return &object;
  }
  return nullptr;
}

void set_service_type(std::vector<Object>& objects, std::string_view ns, std::string_view name, std::string type) {
  Object* service = find_object(objects, "Service", ns, name);
  ASSERT_NE(service, nullptr);
  Value* spec = service->root.find_mutable("spec");
  ASSERT_NE(spec, nullptr);
  const int line = (*spec)["type"].line() > 0 ? (*spec)["type"].line() : spec->line();
  spec->set("type", Value::string(std::move(type), line));
}

void remove_object(std::vector<Object>& objects, std::string_view kind, std::string_view ns, std::string_view name) {
  const auto before = objects.size();
  std::erase_if(objects, [&](const Object& o) { return o.kind() == kind && o.namespace_() == ns && o.name() == name; });
  ASSERT_EQ(objects.size(), before - 1) << kind << " " << ns << "/" << name;
}

TEST(KubeflowInstall, StockInstallIsNotExposed) {
  ASSERT_EQ(kubeflow_install().size(), 683u);
  const Findings findings = check(kubeflow_install());
  for (const auto& finding : findings) ADD_FAILURE() << describe(finding);
  // The stock gateway is reached by port-forward only; its policies authenticate every route.
  const Inventory inventory(kubeflow_install());
  const ExposureModel model(inventory);
  EXPECT_TRUE(model.graph.entries.empty());
  const Object* gateway = inventory.find("Gateway", "kubeflow", "kubeflow-gateway");
  ASSERT_NE(gateway, nullptr);
  EXPECT_TRUE(model.is_kubeflow_gateway(*gateway));
  const Object* pods = inventory.find("Deployment", "istio-system", "istio-ingressgateway");
  ASSERT_NE(pods, nullptr);
  const AuthVerdict verdict = model.auth.evaluate({"istio-system", &model.workloads.labels_of(*pods), {}}, "/");
  EXPECT_EQ(verdict.state, AuthState::authenticated);
  EXPECT_EQ(verdict.without_header.kind, RequestOutcome::Kind::ext_authz);
  EXPECT_EQ(verdict.with_header.kind, RequestOutcome::Kind::jwt_required);
}

TEST(KubeflowInstall, LoadBalancerGatewayWithoutPoliciesExposesTheUi) {
  std::vector<Object> objects = kubeflow_install();
  set_service_type(objects, "istio-system", "istio-ingressgateway", "LoadBalancer");
  remove_object(objects, "AuthorizationPolicy", "istio-system", "istio-ingressgateway-oauth2-proxy");
  remove_object(objects, "AuthorizationPolicy", "istio-system", "istio-ingressgateway-require-jwt");
  remove_object(objects, "RequestAuthentication", "istio-system", "dex-jwt");
  const Findings findings = check(std::move(objects));
  const auto exposed = of_rule(findings, kRuleUiExposed);
  ASSERT_EQ(exposed.size(), 1u);
  const core::Finding& finding = exposed[0];
  EXPECT_EQ(finding.severity, Severity::critical);
  EXPECT_EQ(where(finding).name, "istio-ingressgateway");
  EXPECT_EQ(where(finding).namespace_, "istio-system");
  EXPECT_EQ(where(finding).field, "spec.type");
  EXPECT_EQ(where(finding).line, 208787);
  EXPECT_EQ(where(finding).file, "kubeflow-install.yaml");
  for (std::string_view text : {
           "Service istio-system/istio-ingressgateway type LoadBalancer",
           "→ pods of Deployment istio-system/istio-ingressgateway",
           "→ Gateway kubeflow/kubeflow-gateway (selector istio=ingressgateway)",
           "→ VirtualService kubeflow/centraldashboard prefix /",
           "→ Service kubeflow/centraldashboard",
           "→ VirtualService kubeflow/ml-pipeline-ui prefix /pipeline",
           "→ Service kubeflow/ml-pipeline-ui",
           "no CUSTOM ext-authz AuthorizationPolicy or DENY policy requiring a request principal selects the gateway "
           "pods (Deployment istio-system/istio-ingressgateway)",
           "AuthorizationPolicy istio-system/istio-ingressgateway (ALLOW) admits it",
       }) {
    EXPECT_TRUE(mentions(finding, text)) << text;
  }
  EXPECT_TRUE(of_rule(findings, kRuleAuthBypassable).empty());
  EXPECT_TRUE(of_rule(findings, kRuleBackendExposed).empty());
}

TEST(KubeflowInstall, LoadBalancerGatewayWithoutTheDenyPolicyIsBypassable) {
  std::vector<Object> objects = kubeflow_install();
  set_service_type(objects, "istio-system", "istio-ingressgateway", "LoadBalancer");
  remove_object(objects, "AuthorizationPolicy", "istio-system", "istio-ingressgateway-require-jwt");
  const Findings findings = check(std::move(objects));
  const auto bypass = of_rule(findings, kRuleAuthBypassable);
  ASSERT_EQ(bypass.size(), 1u);
  EXPECT_EQ(bypass[0].severity, Severity::critical);
  EXPECT_EQ(where(bypass[0]).name, "istio-ingressgateway-oauth2-proxy");
  EXPECT_EQ(where(bypass[0]).line, 215518);  // the `when` on the authorization header
  EXPECT_TRUE(mentions(bypass[0], "exposed outside the cluster by Service istio-system/istio-ingressgateway type LoadBalancer"));
  const auto exposed = of_rule(findings, kRuleUiExposed);
  ASSERT_EQ(exposed.size(), 1u);
  EXPECT_TRUE(mentions(exposed[0], "bypassable: requests with any Authorization header skip "
                                    "AuthorizationPolicy istio-system/istio-ingressgateway-oauth2-proxy"));
  EXPECT_TRUE(mentions(exposed[0], "no DENY policy requiring a request principal (notRequestPrincipals: [\"*\"]) "
                                    "selects the gateway pods (Deployment istio-system/istio-ingressgateway)"));
}

TEST(KubeflowInstall, PipelinesUiAsLoadBalancerBypassesTheGateway) {
  // The 2020 shape. ml-pipeline-ui's own ALLOW policy admits any request with an Authorization
  // header (for in-cluster SDK clients), so from outside it is a header away.
  std::vector<Object> objects = kubeflow_install();
  set_service_type(objects, "kubeflow", "ml-pipeline-ui", "LoadBalancer");
  const Findings findings = check(std::move(objects));
  const auto direct = of_rule(findings, kRuleBackendExposed);
  ASSERT_EQ(direct.size(), 1u);
  EXPECT_EQ(direct[0].severity, Severity::critical);
  EXPECT_EQ(where(direct[0]).name, "ml-pipeline-ui");
  EXPECT_TRUE(mentions(direct[0], "bypassable: a request with any Authorization header reaches it"));
  EXPECT_TRUE(mentions(direct[0], "AuthorizationPolicy kubeflow/ml-pipeline-ui (ALLOW) admits it"));
  EXPECT_TRUE(of_rule(findings, kRuleUiExposed).empty());
}

TEST(KubeflowInstall, MeshConfigWithoutTheProviderIsReported) {
  std::vector<Object> objects = kubeflow_install();
  Object* mesh = find_object(objects, "ConfigMap", "istio-system", "istio");
  ASSERT_NE(mesh, nullptr);
  Value* data = mesh->root.find_mutable("data");
  ASSERT_NE(data, nullptr);
  std::string text((*data)["mesh"].str());
  text.replace(text.find("name: oauth2-proxy"), 18, "name: oauth2-proxy-renamed");
  data->set("mesh", Value::string(std::move(text), (*data)["mesh"].line()));
  const Findings findings = check(std::move(objects));
  const auto undefined = of_rule(findings, kRuleUndefinedProvider);
  ASSERT_EQ(undefined.size(), 1u);
  EXPECT_EQ(where(undefined[0]).name, "istio-ingressgateway-oauth2-proxy");
  EXPECT_TRUE(of_rule(findings, kRuleUiExposed).empty());
}

// --- scale --------------------------------------------------------------------------------

TEST(ExposureScale, FiftyThousandObjectsStayFast) {
  // 10,000 namespaces × (Service LoadBalancer + Deployment + AuthorizationPolicy + VirtualService
  // + ConfigMap): any per-object scan of all objects would take minutes here.
  std::string yaml = kubeflow("LoadBalancer");
  for (int i = 0; i < 10000; ++i) {
    const std::string ns = "team-" + std::to_string(i);
    yaml += "apiVersion: v1\nkind: Service\nmetadata: {name: web, namespace: " + ns +
            "}\nspec: {type: LoadBalancer, selector: {app: web}}\n---\n";
    yaml += "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: " + ns +
            "}\nspec: {template: {metadata: {labels: {app: web}}}}\n---\n";
    yaml += "apiVersion: security.istio.io/v1beta1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: " + ns +
            "}\nspec: {action: ALLOW, rules: [{}]}\n---\n";
    yaml += "apiVersion: networking.istio.io/v1beta1\nkind: VirtualService\nmetadata: {name: v, namespace: " + ns +
            "}\nspec: {gateways: [kubeflow/kubeflow-gateway], http: [{route: [{destination: {host: web}}]}]}\n---\n";
    yaml += "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: " + ns + "}\ndata: {a: b}\n---\n";
  }
  std::vector<Object> objects = objects_of(yaml, kFile);
  ASSERT_GT(objects.size(), 50000u);
  // How fast this runs is the audit benchmark's business (bench/), not this test's.
  const Findings findings = check(std::move(objects));
  // The gateway now routes to 10,002 backends, all "behind a Kubeflow gateway".
  const auto exposed = of_rule(findings, kRuleUiExposed);
  ASSERT_EQ(exposed.size(), 1u);
  EXPECT_TRUE(mentions(exposed[0], "more hops"));
}

}  // namespace
}  // namespace mg::kube
