#include "kube/exposure_checks.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "kube/exposure.hpp"
#include "kube/istio_auth.hpp"
#include "kube/object_finding.hpp"

namespace mg::kube {
namespace {

constexpr std::size_t kMaxRouteEvidence = 40;   // hops listed per finding; the rest are counted

const core::RuleInfo& rule(std::string_view id) {
  static const std::vector<core::RuleInfo> kRules = exposure_rules();
  return find_rule(kRules, id);
}

std::string reach_text(const EntryPoint& entry) {
  if (!entry.world) return entry.restriction + ": narrower than the internet, still outside the cluster";
  switch (entry.kind) {
    case EntryKind::load_balancer: return "no loadBalancerSourceRanges: reachable from any address";
    case EntryKind::node_port: return "NodePort: reachable on every node's address";
    case EntryKind::external_ips: return "externalIPs: reachable wherever those addresses route";
    case EntryKind::ingress: return "Ingress: reachable wherever its controller is (no source-range annotation)";
    case EntryKind::gateway_api: return "Gateway API gateway: reachable on its load balancer (no internal annotation)";
  }
  return {};
}

std::string backend_text(const Route& route) {
  std::string out = route.service_ref;
  if (!route.kubeflow_app.empty()) out += " (" + route.kubeflow_app + ")";
  return out;
}

void add_routes(core::Finding& finding, const EntryPoint& entry, const std::vector<const Route*>& routes) {
  add_evidence(finding, "entry", entry.hop);
  std::set<std::string> emitted;
  std::size_t items = 0, skipped = 0;
  for (const Route* route : routes) {
    for (const auto& hop : route->hops) {
      if (!emitted.insert(hop).second) continue;
      if (items >= kMaxRouteEvidence) {
        ++skipped;
        continue;
      }
      add_evidence(finding, "route", hop);
      ++items;
    }
  }
  if (skipped > 0) add_evidence(finding, "route", "… and " + std::to_string(skipped) + " more hops");
  if (routes.size() == 1) {
    add_evidence(finding, "backend", backend_text(*routes.front()));
    return;
  }
  // Many backends: name the applications (the hops above name the Services).
  std::set<std::string> seen;
  std::string apps;
  std::size_t others = 0;
  for (const Route* route : routes) {
    if (route->kubeflow_app.empty()) {
      others += seen.insert(route->service_ref).second ? 1 : 0;
      continue;
    }
    if (!seen.insert(route->kubeflow_app).second) continue;
    apps += apps.empty() ? route->kubeflow_app : ", " + route->kubeflow_app;
  }
  if (others > 0) {
    apps += (apps.empty() ? "+" : ", +") + std::to_string(others) + (others == 1 ? " other backend" : " other backends");
  }
  add_evidence(finding, "applications", apps);
}

void add_reasons(core::Finding& finding, const std::vector<std::string>& reasons) {
  std::set<std::string> emitted;
  for (const auto& reason : reasons) {
    if (emitted.insert(reason).second) add_evidence(finding, "policy", reason);
  }
}

// --- MG-KUBE-001: the Kubeflow UI through an exposed gateway without authentication ----------

// What lets the request through, and which policy is missing, as two evidence lines.
std::string state_text(AuthState state, const AuthVerdict& verdict) {
  if (state == AuthState::bypassable) {
    return "bypassable: requests with any Authorization header skip " +
           (verdict.custom_policy ? verdict.custom_policy->ref() : std::string("the login"));
  }
  return "unauthenticated: a request without any credential reaches the backends";
}

std::string missing_policy_text(const Object& gateway_workload, AuthState state) {
  const std::string pods = " selects the gateway pods (" + gateway_workload.ref() + ")";
  if (state == AuthState::bypassable) {
    return "no DENY policy requiring a request principal (notRequestPrincipals: [\"*\"])" + pods;
  }
  return "no CUSTOM ext-authz AuthorizationPolicy or DENY policy requiring a request principal" + pods;
}

void check_gateway_exposure(const ExposureModel& model, Findings& out) {
  // (entry, gateway workload) → its Kubeflow routes that let a request through
  std::map<std::pair<std::size_t, const Object*>, std::vector<std::pair<const Route*, RouteAuth>>> open;
  for (const Route& route : model.graph.routes) {
    if (route.gateway_workload == nullptr || !route.kubeflow) continue;
    RouteAuth auth = route_auth(model, route);
    if (auth.state < AuthState::bypassable) continue;
    open[{route.entry, route.gateway_workload}].emplace_back(&route, std::move(auth));
  }
  for (auto& [key, routes] : open) {
    const EntryPoint& entry = model.graph.entries[key.first];
    AuthState state = AuthState::authenticated;
    std::vector<const Route*> list;
    std::vector<std::string> reasons;
    for (const auto& [route, auth] : routes) {
      state = std::max(state, auth.state);
      list.push_back(route);
      reasons.insert(reasons.end(), auth.reasons.begin(), auth.reasons.end());
    }
    const AuthVerdict& verdict = routes.front().second.gateway_verdict;
    core::Finding finding = object_finding(rule(kRuleUiExposed), *entry.object, entry.field, entry.line);
    finding.severity = entry.world ? core::Severity::critical : core::Severity::high;
    add_routes(finding, entry, list);
    add_evidence(finding, "authentication", state_text(state, verdict));
    add_evidence(finding, "missing", missing_policy_text(*key.second, state));
    add_reasons(finding, reasons);
    add_evidence(finding, "reach", reach_text(entry));
    finding.remediation =
        "Make " + entry.object->ref() + " internal again (Service type ClusterIP, reach Kubeflow with kubectl "
        "port-forward, or publish it through an Ingress that authenticates) and restore authentication on the "
        "gateway pods " + key.second->ref() + ": the CUSTOM oauth2-proxy AuthorizationPolicy, the DENY policy "
        "with notRequestPrincipals: [\"*\"] and the RequestAuthentication for Dex (kubeflow/manifests "
        "common/oauth2-proxy).";
    out.push_back(std::move(finding));
  }
}

// --- MG-KUBE-003: a Kubeflow backend exposed straight, bypassing the gateway -----------------

void check_direct_exposure(const ExposureModel& model, Findings& out) {
  std::set<std::pair<std::size_t, std::string>> reported;
  for (const Route& route : model.graph.routes) {
    if (route.gateway_workload != nullptr || !route.kubeflow) continue;
    if (!reported.insert({route.entry, route.service_ref}).second) continue;
    const RouteAuth auth = route_auth(model, route);
    if (auth.state == AuthState::authenticated) continue;
    const EntryPoint& entry = model.graph.entries[route.entry];
    core::Finding finding = object_finding(rule(kRuleBackendExposed), *entry.object, entry.field, entry.line);
    const bool open_door = auth.state >= AuthState::bypassable;
    finding.severity = entry.world && open_door ? core::Severity::critical : core::Severity::high;
    add_routes(finding, entry, {&route});
    switch (auth.state) {
      case AuthState::unauthenticated:
        add_evidence(finding, "authentication", "unauthenticated: a request without any credential reaches it");
        break;
      case AuthState::bypassable:
        add_evidence(finding, "authentication", "bypassable: a request with any Authorization header reaches it");
        break;
      default:
        add_evidence(finding, "authentication",
                     "denied for now: only sidecar ALLOW rules for mesh identities keep outside requests out; they "
                     "stop applying if the sidecar is not injected");
        break;
    }
    add_evidence(finding, "missing", "no CUSTOM ext-authz or DENY policy requiring a request principal selects its pods");
    add_reasons(finding, auth.reasons);
    add_evidence(finding, "reach", reach_text(entry));
    finding.remediation = "Stop exposing " + route.service_ref + " directly: remove " + entry.object->ref() +
                          (entry.kind == EntryKind::load_balancer || entry.kind == EntryKind::node_port
                               ? " or set its spec.type to ClusterIP"
                               : "") +
                          ", and reach the application through the Kubeflow gateway, where oauth2-proxy and "
                          "Dex authenticate every request.";
    out.push_back(std::move(finding));
  }
}

// --- MG-KUBE-002: the ext-authz policy skipped by any Authorization header -------------------

// The rule of a CUSTOM policy that carries the condition on the Authorization header.
std::pair<std::string, int> header_condition_field(const Object& policy) {
  const Value& rules = policy.spec()["rules"];
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const Value& when = rules[i]["when"];
    for (const auto& condition : when.items()) {
      std::string key(condition["key"].str());
      std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (key == "request.headers[authorization]") {
        return {"spec.rules[" + std::to_string(i) + "].when", when.line()};
      }
    }
  }
  return {"spec.rules", rules.line()};
}

bool owned_by_listed_object(const Object& object, const Inventory& inventory) {
  for (const auto& owner : object.metadata()["ownerReferences"].items()) {
    if (inventory.find(owner["kind"].str(), effective_namespace(object), owner["name"].str()) != nullptr) return true;
  }
  return false;
}

void check_bypassable_login(const ExposureModel& model, Findings& out) {
  struct Bypass {
    std::vector<std::string> gateways;
    std::vector<std::string> routes;
    std::vector<std::string> reasons;
    bool exposed_world = false;
    std::string exposure;
  };
  std::map<const Object*, Bypass> by_policy;
  std::vector<const Object*> policy_order;

  // Gateway workload → the entry point exposing it (one without its own authentication,
  // preferring one open to any address).
  std::map<const Object*, const EntryPoint*> exposed_by;
  for (const Route& route : model.graph.routes) {
    if (route.gateway_workload == nullptr) continue;
    const EntryPoint& entry = model.graph.entries[route.entry];
    if (!entry.entry_auth.empty()) continue;
    const EntryPoint*& best = exposed_by[route.gateway_workload];
    if (best == nullptr || (entry.world && !best->world)) best = &entry;
  }

  for (const Object* gateway : model.routing.gateways()) {
    if (!model.is_kubeflow_gateway(*gateway)) continue;
    for (const Object* workload : model.workloads.select_any_namespace(gateway->spec()["selector"])) {
      if (owned_by_listed_object(*workload, model.inventory)) continue;  // its owner speaks for it
      const Value& labels = model.workloads.labels_of(*workload);
      for (const Object* vs : model.routing.virtual_services_of(*gateway)) {
        for (const auto& http : vs->spec()["http"].items()) {
          const std::string prefix = virtual_service_prefix(http);
          const AuthVerdict verdict = model.auth.evaluate({effective_namespace(*workload), &labels, {}}, prefix);
          if (verdict.state != AuthState::bypassable) continue;
          const Object* policy = verdict.custom_policy ? verdict.custom_policy : verdict.with_header.policy;
          if (policy == nullptr) continue;
          const Object* service = model.find_service(http["route"][0]["destination"]["host"].str(), effective_namespace(*vs));
          if (service != nullptr && is_login_service(*service)) continue;
          auto [it, fresh] = by_policy.try_emplace(policy);
          if (fresh) policy_order.push_back(policy);
          Bypass& bypass = it->second;
          const std::string gw = "pods of " + workload->ref() + " (Gateway " + std::string(effective_namespace(*gateway)) +
                                 "/" + std::string(gateway->name()) + ")";
          if (std::find(bypass.gateways.begin(), bypass.gateways.end(), gw) == bypass.gateways.end()) {
            bypass.gateways.push_back(gw);
          }
          const std::string route = "VirtualService " + std::string(effective_namespace(*vs)) + "/" +
                                    std::string(vs->name()) + " prefix " + prefix;
          if (std::find(bypass.routes.begin(), bypass.routes.end(), route) == bypass.routes.end()) {
            bypass.routes.push_back(route);
          }
          for (const RequestOutcome* outcome : {&verdict.without_header, &verdict.with_header}) {
            const std::string line = outcome_line("gateway " + workload->ref(), *outcome, outcome == &verdict.with_header);
            if (std::find(bypass.reasons.begin(), bypass.reasons.end(), line) == bypass.reasons.end()) {
              bypass.reasons.push_back(line);
            }
          }
          if (auto it_exposed = exposed_by.find(workload); it_exposed != exposed_by.end()) {
            const EntryPoint& entry = *it_exposed->second;
            if (bypass.exposure.empty() || (entry.world && !bypass.exposed_world)) bypass.exposure = entry.hop;
            bypass.exposed_world = bypass.exposed_world || entry.world;
          }
        }
      }
    }
  }

  for (const Object* policy : policy_order) {
    const Bypass& bypass = by_policy[policy];
    auto [field, line] = header_condition_field(*policy);
    core::Finding finding = object_finding(rule(kRuleAuthBypassable), *policy, field, line);
    finding.severity = bypass.exposed_world ? core::Severity::critical : core::Severity::high;
    const bool custom = policy->spec()["action"].str() == "CUSTOM";
    add_evidence(finding, "condition",
                 custom ? "applies only to requests without an Authorization header (when "
                          "request.headers[authorization] notValues [\"*\"]): any `Authorization: x` header skips ext-authz"
                        : "this ALLOW policy admits requests that merely carry an Authorization header");
    add_evidence(finding, "missing",
                 "no DENY AuthorizationPolicy with notRequestPrincipals: [\"*\"] (and a RequestAuthentication that "
                 "validates the token) selects the gateway pods");
    for (const auto& gw : bypass.gateways) add_evidence(finding, "gateway", gw);
    for (const auto& route : bypass.routes) add_evidence(finding, "route", route);
    add_reasons(finding, bypass.reasons);
    add_evidence(finding, "exposure",
                 bypass.exposure.empty() ? "not exposed outside the cluster in the input: any pod can still use the bypass"
                                         : "exposed outside the cluster by " + bypass.exposure);
    finding.remediation =
        "Add the DENY AuthorizationPolicy that requires a request principal on the gateway pods (kubeflow/manifests "
        "istio-system/istio-ingressgateway-require-jwt: action DENY, rules[].from[].source.notRequestPrincipals: "
        "[\"*\"], same selector) and the RequestAuthentication that validates Dex tokens (istio-system/dex-jwt), "
        "or drop the `when` condition from " + policy->ref() + " so every request goes to ext-authz.";
    out.push_back(std::move(finding));
  }
}

// --- MG-KUBE-004: CUSTOM policy naming a provider the mesh does not define --------------------

void check_undefined_providers(const ExposureModel& model, Findings& out) {
  const MeshConfig& mesh = model.auth.mesh();
  if (!mesh.known()) return;  // without the mesh config in the input we cannot tell
  std::string defined;
  for (const auto& name : mesh.providers) defined += (defined.empty() ? "" : ", ") + name;
  for (const Object* policy : model.auth.authorization_policies()) {
    if (policy->spec()["action"].str() != "CUSTOM") continue;
    const Value& provider = policy->spec()["provider"]["name"];
    if (mesh.defines(provider.str())) continue;
    core::Finding finding = object_finding(rule(kRuleUndefinedProvider), *policy, "spec.provider.name",
                                           provider.line() > 0 ? provider.line() : policy->line);
    add_evidence(finding, "provider", provider.str().empty() ? std::string_view("(none)") : provider.str());
    add_evidence(finding, "mesh config",
                 mesh.source->ref() + " extensionProviders: " + (defined.empty() ? std::string("(none)") : defined));
    add_evidence(finding, "effect",
                 "istiod cannot build the ext-authz filter and replaces the policy with a DENY of the requests it "
                 "matches (\"deny-due-to-bad-CUSTOM-action\"): the login flow fails for everyone");
    finding.remediation = "Define extensionProviders[name=" + std::string(provider.str()) + "] in the mesh config (" +
                          mesh.source->ref() + ", data.mesh), or correct spec.provider.name of " + policy->ref() +
                          "; do not delete the policy to restore access, that removes the login.";
    out.push_back(std::move(finding));
  }
}

}  // namespace

void check_exposure(const AuditContext& context, Findings& out) {
  const ExposureModel model(context.inventory);
  check_gateway_exposure(model, out);
  check_bypassable_login(model, out);
  check_direct_exposure(model, out);
  check_undefined_providers(model, out);
}

std::vector<core::RuleInfo> exposure_rules() {
  using core::Category;
  using core::Severity;
  // Technique ids: MS-TA9005 Exposed sensitive interfaces (Microsoft Threat Matrix for
  // Kubernetes); MITRE ATT&CK T1133 External Remote Services, T1190 Exploit Public-Facing
  // Application.
  return {
      {std::string(kRuleUiExposed), "KubeflowUiExposedWithoutAuthentication", "Kubeflow UI exposed without authentication",
       "A Service of type LoadBalancer or NodePort, a Service with externalIPs, an Ingress or a Gateway API Gateway "
       "leads from outside the cluster through the Istio ingress gateway to Kubeflow's web applications (central "
       "dashboard, Pipelines, notebooks), and no policy on the gateway pods makes a request log in. Anyone who "
       "finds the address can start pipelines and notebooks: the 2020 and 2021 Kubeflow mining campaigns started "
       "XMRig exactly this way.",
       Severity::critical, Category::exposure, {"MS-TA9005", "T1133", "T1190"},
       "Make the gateway Service internal (type ClusterIP; use kubectl port-forward or an authenticating Ingress) "
       "and restore the oauth2-proxy CUSTOM policy, the DENY policy requiring a request principal and the Dex "
       "RequestAuthentication on the gateway pods."},
      {std::string(kRuleAuthBypassable), "KubeflowLoginBypassable", "Kubeflow login can be skipped with any Authorization header",
       "The CUSTOM (oauth2-proxy) AuthorizationPolicy on the ingress gateway applies only to requests without an "
       "Authorization header, as Kubeflow ships it, but the DENY policy that makes such requests carry a validated "
       "JWT is missing. A request with `Authorization: x` skips the login and reaches every Kubeflow application.",
       Severity::high, Category::exposure, {"MS-TA9005", "T1190"},
       "Add the DENY AuthorizationPolicy with notRequestPrincipals: [\"*\"] and the RequestAuthentication for Dex "
       "tokens on the gateway pods, or make the CUSTOM policy apply to every request."},
      {std::string(kRuleBackendExposed), "KubeflowBackendExposedDirectly", "Kubeflow backend exposed directly, bypassing the gateway",
       "A Kubeflow application (Pipelines UI or API, central dashboard, notebook server, …) is published by its own "
       "LoadBalancer/NodePort Service, Ingress or Gateway API route, so requests never pass the Istio gateway where "
       "Kubeflow authenticates users. This is the shape of the 2020 attacks (ml-pipeline-ui as LoadBalancer).",
       Severity::critical, Category::exposure, {"MS-TA9005", "T1133", "T1190"},
       "Set the Service back to ClusterIP or remove the Ingress/route, and reach the application through the "
       "Kubeflow gateway."},
      {std::string(kRuleUndefinedProvider), "ExtAuthzProviderNotDefined", "CUSTOM AuthorizationPolicy names an undefined provider",
       "An AuthorizationPolicy with action CUSTOM names an ext-authz provider that the mesh config's "
       "extensionProviders does not define. Istio then denies what the policy matches, so the login breaks; the "
       "usual way back, deleting the policy, removes authentication from the gateway.",
       Severity::medium, Category::exposure, {"MS-TA9005"},
       "Define the provider in the mesh config (ConfigMap istio-system/istio, data.mesh extensionProviders) or fix "
       "the policy's spec.provider.name."},
  };
}

}  // namespace mg::kube
