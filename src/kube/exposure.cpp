#include "kube/exposure.hpp"

#include <algorithm>
#include <array>
#include <set>
#include <tuple>
#include <utility>

namespace mg::kube {
namespace {

constexpr char kSep = '\x1f';
constexpr std::string_view kAnyNamespace = "\x1e";

std::string label_key(std::string_view scope, std::string_view key, std::string_view value) {
  std::string out;
  out.reserve(scope.size() + key.size() + value.size() + 2);
  out += scope;
  out += kSep;
  out += key;
  out += kSep;
  out += value;
  return out;
}

// Rank of a workload kind: the representative of a Service's pods is the controller the user
// wrote, not the ReplicaSet or Pods a cluster dump also holds; -1 for kinds without pods.
int workload_rank(const Object& object) {
  const auto kind = object.kind();
  if (kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet" || kind == "ReplicationController") return 0;
  if (kind == "Notebook" && object.api_group() == "kubeflow.org") return 0;
  if (kind == "ReplicaSet" || kind == "Job") return 1;
  if (kind == "Pod") return 2;
  return -1;
}

std::string selector_text(const Value& selector) {
  std::string out;
  for (const auto& [key, value] : selector.members()) {
    if (!out.empty()) out += ',';
    out += key;
    out += '=';
    out += value.str();
  }
  return out;
}

std::string ns_name(const Object& object) {
  return std::string(effective_namespace(object)) + "/" + std::string(object.name());
}

struct AppName {
  std::string_view key;      // app label value or object name
  std::string_view display;
};

// Kubeflow's sensitive web applications, by the app label their manifests give the pods and
// by their Service names.
constexpr std::array<AppName, 14> kKubeflowApps{{
    {"centraldashboard", "central dashboard"},
    {"ml-pipeline-ui", "Pipelines UI"},
    {"ml-pipeline", "Pipelines API"},
    {"jupyter-web-app", "Jupyter web app"},
    {"jupyter-web-app-service", "Jupyter web app"},
    {"katib-ui", "Katib UI"},
    {"tensorboards-web-app", "Tensorboards web app"},
    {"tensorboards-web-app-service", "Tensorboards web app"},
    {"volumes-web-app", "volumes web app"},
    {"volumes-web-app-service", "volumes web app"},
    {"kserve-models-web-application", "KServe models web app"},
    {"kserve-models-web-app", "KServe models web app"},
    {"notebook-controller-service", "notebook controller"},
    {"profiles-kfam", "Kubeflow access management (kfam)"},
}};

std::string_view app_display(std::string_view key) {
  for (const auto& app : kKubeflowApps) {
    if (app.key == key) return app.display;
  }
  return {};
}

std::string_view app_from_labels(const Value& labels) {
  if (labels.find("notebook-name") != nullptr) return "notebook server";
  if (labels["katib.kubeflow.org/component"].str() == "ui") return "Katib UI";
  for (std::string_view key : {"app", "app.kubernetes.io/component", "component"}) {
    if (auto display = app_display(labels[key].str()); !display.empty()) return display;
  }
  return {};
}

bool is_open_range(std::string_view range) { return range == "0.0.0.0/0" || range == "::/0"; }

std::vector<std::string_view> split_list(std::string_view text) {
  std::vector<std::string_view> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (!part.empty()) out.push_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

// Annotations that make a cloud load balancer internal (reachable from the VPC only).
struct InternalAnnotation {
  std::string_view key;
  std::string_view value;  // compared case-insensitively
};
constexpr std::array<InternalAnnotation, 8> kInternalLoadBalancer{{
    {"networking.gke.io/load-balancer-type", "internal"},
    {"cloud.google.com/load-balancer-type", "internal"},
    {"service.beta.kubernetes.io/aws-load-balancer-internal", "true"},
    {"service.beta.kubernetes.io/aws-load-balancer-scheme", "internal"},
    {"service.beta.kubernetes.io/azure-load-balancer-internal", "true"},
    {"service.beta.kubernetes.io/oci-load-balancer-internal", "true"},
    {"service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type", "private"},
    {"alb.ingress.kubernetes.io/scheme", "internal"},
}};

bool equals_caseless(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Sets entry.world/restriction from internal-load-balancer annotations and source ranges.
void restrict_by(EntryPoint& entry, const Value& annotations, std::vector<std::string_view> ranges,
                 std::string_view ranges_name) {
  for (const auto& internal : kInternalLoadBalancer) {
    if (equals_caseless(annotations[internal.key].str(), internal.value)) {
      entry.world = false;
      entry.restriction = "internal load balancer (" + std::string(internal.key) + ": " +
                          std::string(annotations[internal.key].str()) + ")";
      return;
    }
  }
  if (ranges.empty() || std::any_of(ranges.begin(), ranges.end(), is_open_range)) return;
  entry.world = false;
  entry.restriction = std::string(ranges_name);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    entry.restriction += i == 0 ? " " : ", ";
    entry.restriction += ranges[i];
  }
}

std::optional<EntryPoint> service_entry(const Object& service) {
  const Value& spec = service.spec();
  const auto type = spec["type"].str();
  EntryPoint entry;
  entry.object = &service;
  const std::string ref = "Service " + ns_name(service);
  if (type == "LoadBalancer" || type == "NodePort") {
    entry.kind = type == "LoadBalancer" ? EntryKind::load_balancer : EntryKind::node_port;
    entry.field = "spec.type";
    entry.line = spec["type"].line();
    entry.hop = ref + " type " + std::string(type);
  } else if (spec["externalIPs"].size() > 0) {
    entry.kind = EntryKind::external_ips;
    entry.field = "spec.externalIPs";
    entry.line = spec["externalIPs"].line();
    entry.hop = ref + " externalIPs";
    for (const auto& ip : spec["externalIPs"].items()) entry.hop += " " + std::string(ip.str());
  } else {
    return std::nullopt;
  }
  if (entry.kind == EntryKind::load_balancer) {
    std::vector<std::string_view> ranges;
    for (const auto& range : spec["loadBalancerSourceRanges"].items()) ranges.push_back(range.str());
    std::string_view name = "loadBalancerSourceRanges";
    if (ranges.empty()) {
      ranges = split_list(service.annotations()["service.beta.kubernetes.io/load-balancer-source-ranges"].str());
      name = "service.beta.kubernetes.io/load-balancer-source-ranges";
    }
    restrict_by(entry, service.annotations(), std::move(ranges), name);
  }
  return entry;
}

// Authentication an Ingress controller enforces before the backend, from its annotations.
std::string ingress_auth(const Value& annotations) {
  if (auto url = annotations["nginx.ingress.kubernetes.io/auth-url"].str(); !url.empty()) {
    return "nginx.ingress.kubernetes.io/auth-url " + std::string(url);
  }
  if (auto type = annotations["nginx.ingress.kubernetes.io/auth-type"].str(); type == "basic" || type == "digest") {
    return "nginx.ingress.kubernetes.io/auth-type " + std::string(type);
  }
  if (auto type = annotations["alb.ingress.kubernetes.io/auth-type"].str(); type == "cognito" || type == "oidc") {
    return "alb.ingress.kubernetes.io/auth-type " + std::string(type);
  }
  return {};
}

EntryPoint ingress_entry(const Object& ingress) {
  EntryPoint entry;
  entry.object = &ingress;
  entry.kind = EntryKind::ingress;
  const Value& spec = ingress.spec();
  const Value& rules = spec["rules"];
  entry.field = rules.size() > 0 ? "spec.rules" : (spec.find("defaultBackend") ? "spec.defaultBackend" : "spec.backend");
  entry.line = rules.size() > 0 ? rules.line() : spec[entry.field.substr(5)].line();
  entry.hop = "Ingress " + ns_name(ingress);
  if (auto cls = spec["ingressClassName"].str(); !cls.empty()) entry.hop += " (class " + std::string(cls) + ")";
  const Value& annotations = ingress.annotations();
  entry.entry_auth = ingress_auth(annotations);
  auto ranges = split_list(annotations["nginx.ingress.kubernetes.io/whitelist-source-range"].str());
  std::string_view name = "nginx.ingress.kubernetes.io/whitelist-source-range";
  if (ranges.empty()) {
    ranges = split_list(annotations["nginx.ingress.kubernetes.io/allowlist-source-range"].str());
    name = "nginx.ingress.kubernetes.io/allowlist-source-range";
  }
  if (ranges.empty()) {
    ranges = split_list(annotations["alb.ingress.kubernetes.io/inbound-cidrs"].str());
    name = "alb.ingress.kubernetes.io/inbound-cidrs";
  }
  restrict_by(entry, annotations, std::move(ranges), name);
  return entry;
}

EntryPoint gateway_api_entry(const Object& gateway) {
  EntryPoint entry;
  entry.object = &gateway;
  entry.kind = EntryKind::gateway_api;
  entry.field = "spec.listeners";
  entry.line = gateway.spec()["listeners"].line();
  entry.hop = "Gateway " + ns_name(gateway) + " (gateway.networking.k8s.io";
  if (auto cls = gateway.spec()["gatewayClassName"].str(); !cls.empty()) entry.hop += ", class " + std::string(cls);
  entry.hop += ")";
  restrict_by(entry, gateway.spec()["infrastructure"]["annotations"], {}, {});
  return entry;
}

std::string gateway_api_prefix(const Value& rule) {
  const Value& path = rule["matches"][0]["path"];
  if (auto value = path["value"].str(); !value.empty() && path["type"].str() != "RegularExpression") {
    return std::string(value);
  }
  return "/";
}

// Labels the Istio-deployed proxy of a Gateway API Gateway carries, so selector-based policies
// can name it as they do on Istio's own deployment.
Value gateway_api_labels(const Object& gateway) {
  Value labels = Value::object();
  labels.set("gateway.networking.k8s.io/gateway-name", Value::string(std::string(gateway.name())));
  labels.set("istio.io/gateway-name", Value::string(std::string(gateway.name())));
  return labels;
}

// Workloads stored per route: enough to evaluate and name the backend, bounded so a Service in
// front of ten thousand bare Pods does not copy them into every route.
constexpr std::size_t kMaxWorkloadsPerRoute = 16;

// The workloads that speak for a Service's pods: those no other object in the input owns (the
// Deployment, not its ReplicaSets and Pods from a cluster dump), in rank order, at most
// kMaxWorkloadsPerRoute of them.
std::vector<const Object*> representatives(const std::vector<const Object*>& workloads, const Inventory& inventory) {
  std::vector<const Object*> out;
  for (const Object* workload : workloads) {
    if (out.size() >= kMaxWorkloadsPerRoute) break;
    bool owned = false;
    for (const auto& owner : workload->metadata()["ownerReferences"].items()) {
      owned = owned || inventory.find(owner["kind"].str(), workload->namespace_(), owner["name"].str()) != nullptr;
    }
    if (!owned) out.push_back(workload);
  }
  return out;
}

class GraphBuilder {
 public:
  explicit GraphBuilder(const ExposureModel& model) : model_(model) {}

  ExposureGraph build() {
    const Inventory& inventory = model_.inventory;
    for (const Object* service : inventory.of_kind("Service", "")) {
      if (auto entry = service_entry(*service)) {
        const std::size_t index = add_entry(std::move(*entry));
        follow_service(index, *service, {}, "/");
      }
    }
    for (const Object* ingress : inventory.of_kind("Ingress")) {
      const auto group = ingress->api_group();
      if (group != "networking.k8s.io" && group != "extensions") continue;
      follow_ingress(add_entry(ingress_entry(*ingress)), *ingress);
    }
    index_gateway_api_routes();
    for (const Object* gateway : inventory.of_kind("Gateway", "gateway.networking.k8s.io")) {
      follow_gateway_api(add_entry(gateway_api_entry(*gateway)), *gateway);
    }
    return std::move(graph_);
  }

 private:
  std::size_t add_entry(EntryPoint entry) {
    graph_.entries.push_back(std::move(entry));
    return graph_.entries.size() - 1;
  }

  void add_route(Route route) {
    auto key = std::make_tuple(route.entry, route.gateway_workload, route.route_object, route.service_ref,
                               route.path_prefix);
    if (!seen_.insert(std::move(key)).second) return;
    graph_.routes.push_back(std::move(route));
  }

  // A Service reached from an entry point: either its pods are an Istio gateway (then follow
  // the Gateways and VirtualServices), or they are the backend itself.
  void follow_service(std::size_t entry, const Object& service, std::vector<std::string> hops,
                      std::string_view prefix) {
    const auto workloads = representatives(
        model_.workloads.select(effective_namespace(service), service.spec()["selector"]), model_.inventory);
    std::vector<const Object*> gateway_workloads, backends;
    for (const Object* workload : workloads) {
      (model_.routing.gateways_selecting(*workload).empty() ? backends : gateway_workloads).push_back(workload);
    }
    if (!gateway_workloads.empty()) follow_gateway_workloads(entry, gateway_workloads, hops);
    if (gateway_workloads.empty() || !backends.empty()) {
      Route route;
      route.entry = entry;
      route.path_prefix = std::string(prefix);
      route.hops = std::move(hops);
      if (!backends.empty()) route.hops.push_back("→ pods of " + backends.front()->ref());
      set_backend(route, &service, "Service " + ns_name(service), std::move(backends));
      add_route(std::move(route));
    }
  }

  void follow_gateway_workloads(std::size_t entry, const std::vector<const Object*>& gateway_workloads,
                                const std::vector<std::string>& hops) {
    // Every pod behind the Service runs the same Gateways' configuration when their labels
    // agree; the representative (a Deployment before its ReplicaSets and Pods) names the hop.
    std::vector<const Object*> done;
    for (const Object* workload : gateway_workloads) {
      for (const Object* gateway : model_.routing.gateways_selecting(*workload)) {
        if (std::find(done.begin(), done.end(), gateway) != done.end()) continue;
        done.push_back(gateway);
        std::vector<std::string> gateway_hops = hops;
        gateway_hops.push_back("→ pods of " + workload->ref());
        gateway_hops.push_back("→ Gateway " + ns_name(*gateway) + " (selector " +
                               selector_text(gateway->spec()["selector"]) + ")");
        for (const Object* vs : model_.routing.virtual_services_of(*gateway)) {
          follow_virtual_service(entry, *workload, *gateway, *vs, gateway_hops);
        }
      }
    }
  }

  void follow_virtual_service(std::size_t entry, const Object& gateway_workload, const Object& gateway,
                              const Object& vs, const std::vector<std::string>& hops) {
    const auto vs_namespace = effective_namespace(vs);
    auto follow = [&](const Value& route_list, const std::string& prefix) {
      for (const auto& destination : route_list.items()) {
        const auto host = destination["destination"]["host"].str();
        if (host.empty()) continue;
        const Object* service = model_.find_service(host, vs_namespace);
        Route route;
        route.entry = entry;
        route.gateway_workload = &gateway_workload;
        route.istio_gateway = &gateway;
        route.route_object = &vs;
        route.path_prefix = prefix;
        route.hops = hops;
        route.hops.push_back("→ VirtualService " + ns_name(vs) + " prefix " + prefix);
        std::string ref = service ? "Service " + ns_name(*service) : "host " + std::string(host);
        route.hops.push_back("→ " + ref);
        std::vector<const Object*> workloads;
        if (service) {
          workloads = representatives(
              model_.workloads.select(effective_namespace(*service), service->spec()["selector"]), model_.inventory);
        }
        set_backend(route, service, std::move(ref), std::move(workloads));
        add_route(std::move(route));
      }
    };
    for (const auto& http : vs.spec()["http"].items()) follow(http["route"], virtual_service_prefix(http));
    for (std::string_view section : {"tcp", "tls"}) {
      for (const auto& entry_route : vs.spec()[section].items()) follow(entry_route["route"], "/");
    }
  }

  void follow_ingress(std::size_t entry, const Object& ingress) {
    const auto ns = effective_namespace(ingress);
    auto follow_backend = [&](const Value& backend, std::string_view path) {
      auto name = backend["service"]["name"].str();
      if (name.empty()) name = backend["serviceName"].str();  // extensions/v1beta1
      if (name.empty()) return;
      const std::string prefix = path.empty() ? "/" : std::string(path);
      if (const Object* service = model_.find_service(name, ns)) {
        follow_service(entry, *service, {"→ path " + prefix + " → Service " + ns_name(*service)}, prefix);
      } else {
        Route route;
        route.entry = entry;
        route.path_prefix = prefix;
        route.hops = {"→ path " + prefix + " → Service " + std::string(ns) + "/" + std::string(name)};
        set_backend(route, nullptr, "Service " + std::string(ns) + "/" + std::string(name), {});
        add_route(std::move(route));
      }
    };
    const Value& spec = ingress.spec();
    follow_backend(spec["defaultBackend"], "/");
    follow_backend(spec["backend"], "/");
    for (const auto& rule : spec["rules"].items()) {
      for (const auto& path : rule["http"]["paths"].items()) follow_backend(path["backend"], path["path"].str());
    }
  }

  void index_gateway_api_routes() {
    for (std::string_view kind : {"HTTPRoute", "GRPCRoute", "TLSRoute", "TCPRoute"}) {
      for (const Object* route : model_.inventory.of_kind(kind, "gateway.networking.k8s.io")) {
        for (const auto& parent : route->spec()["parentRefs"].items()) {
          const auto parent_kind = parent["kind"].str("Gateway");
          if (parent_kind != "Gateway") continue;
          const auto ns = parent["namespace"].str(effective_namespace(*route));
          api_routes_[std::string(ns) + "/" + std::string(parent["name"].str())].push_back(route);
        }
      }
    }
  }

  void follow_gateway_api(std::size_t entry, const Object& gateway) {
    auto it = api_routes_.find(ns_name(gateway));
    if (it == api_routes_.end()) return;
    for (const Object* route : it->second) {
      const auto route_ns = effective_namespace(*route);
      for (const auto& rule : route->spec()["rules"].items()) {
        const std::string prefix = gateway_api_prefix(rule);
        for (const auto& backend : rule["backendRefs"].items()) {
          if (backend["kind"].str("Service") != "Service" || !backend["group"].str().empty()) continue;
          const auto ns = backend["namespace"].str(route_ns);
          const auto name = backend["name"].str();
          std::vector<std::string> hops{"→ " + std::string(route->kind()) + " " + ns_name(*route) + " prefix " + prefix};
          if (const Object* service = model_.find_service(name, ns)) {
            hops.push_back("→ Service " + ns_name(*service));
            follow_service_from(entry, *route, *service, std::move(hops), prefix);
          }
        }
      }
    }
  }

  void follow_service_from(std::size_t entry, const Object& route_object, const Object& service,
                           std::vector<std::string> hops, std::string_view prefix) {
    const std::size_t before = graph_.routes.size();
    follow_service(entry, service, std::move(hops), prefix);
    for (std::size_t i = before; i < graph_.routes.size(); ++i) {
      if (graph_.routes[i].route_object == nullptr) graph_.routes[i].route_object = &route_object;
    }
  }

  void set_backend(Route& route, const Object* service, std::string ref, std::vector<const Object*> workloads) {
    route.service = service;
    route.service_ref = std::move(ref);
    route.workloads = std::move(workloads);
    if (service) {
      route.login_endpoint = is_login_service(*service);
      route.kubeflow_app = std::string(kubeflow_app(*service));
    }
    for (const Object* workload : route.workloads) {
      if (!route.kubeflow_app.empty()) break;
      route.kubeflow_app = std::string(kubeflow_app(*workload, model_.workloads.labels_of(*workload)));
    }
    const bool behind_kubeflow_gateway = route.istio_gateway && model_.is_kubeflow_gateway(*route.istio_gateway);
    route.kubeflow = !route.login_endpoint && (!route.kubeflow_app.empty() || behind_kubeflow_gateway);
  }

  const ExposureModel& model_;
  ExposureGraph graph_;
  std::set<std::tuple<std::size_t, const Object*, const Object*, std::string, std::string>> seen_;
  std::unordered_map<std::string, std::vector<const Object*>> api_routes_;
};

}  // namespace

// --- labels and workloads -------------------------------------------------------------------

bool is_login_service(const Object& service) {
  for (std::string_view name : {service.name(), service.labels()["app"].str(), service.spec()["selector"]["app"].str()}) {
    if (name == "dex" || name == "oauth2-proxy" || name == "authservice") return true;
  }
  return false;
}

std::string virtual_service_prefix(const Value& http) {
  const Value& uri = http["match"][0]["uri"];
  if (auto prefix = uri["prefix"].str(); !prefix.empty()) return std::string(prefix);
  if (auto exact = uri["exact"].str(); !exact.empty()) return std::string(exact);
  return "/";
}

const Value* pod_template_labels(const Object& workload) {
  const int rank = workload_rank(workload);
  if (rank < 0) return nullptr;
  if (workload.kind() == "Pod") return &workload.labels();
  return &workload.spec()["template"]["metadata"]["labels"];
}

bool labels_contain(const Value& labels, const Value& selector) {
  if (!selector.is_object() || selector.size() == 0) return false;
  for (const auto& [key, value] : selector.members()) {
    const Value* have = labels.find(key);
    if (have == nullptr || have->str() != value.str()) return false;
  }
  return true;
}

std::string_view effective_namespace(const Object& object) {
  const auto ns = object.namespace_();
  return ns.empty() ? std::string_view("default") : ns;
}

WorkloadIndex::WorkloadIndex(const Inventory& inventory) {
  for (const Object& object : inventory.objects()) {
    const int rank = workload_rank(object);
    if (rank < 0) continue;
    const Value* labels = pod_template_labels(object);
    if (object.kind() == "Notebook") {
      // The notebook controller gives the pods the Notebook's labels plus these two, which the
      // Service it creates selects.
      Value synthesised = Value::object();
      for (const auto& [key, value] : object.labels().members()) synthesised.set(key, value);
      for (const auto& [key, value] : object.spec()["template"]["metadata"]["labels"].members()) synthesised.set(key, value);
      synthesised.set("statefulset", Value::string(std::string(object.name())));
      synthesised.set("notebook-name", Value::string(std::string(object.name())));
      synthesised_.push_back(std::move(synthesised));
      labels = &synthesised_.back();
    }
    if (labels == nullptr || !labels->is_object()) continue;
    const std::size_t index = entries_.size();
    entries_.push_back({&object, labels, rank});
    by_object_.emplace(&object, index);
    const auto ns = effective_namespace(object);
    for (const auto& [key, value] : labels->members()) {
      by_label_[label_key(ns, key, value.str())].push_back(index);
      by_label_[label_key(kAnyNamespace, key, value.str())].push_back(index);
    }
  }
}

std::vector<const Object*> WorkloadIndex::select_in(std::string_view scope, const Value& selector) const {
  std::vector<const Object*> out;
  if (!selector.is_object() || selector.size() == 0) return out;
  // Start from the rarest pair of the selector.
  const std::vector<std::size_t>* smallest = nullptr;
  for (const auto& [key, value] : selector.members()) {
    auto it = by_label_.find(label_key(scope, key, value.str()));
    if (it == by_label_.end()) return out;
    if (smallest == nullptr || it->second.size() < smallest->size()) smallest = &it->second;
  }
  std::vector<const Entry*> matched;
  for (std::size_t index : *smallest) {
    if (labels_contain(*entries_[index].labels, selector)) matched.push_back(&entries_[index]);
  }
  std::stable_sort(matched.begin(), matched.end(), [](const Entry* a, const Entry* b) { return a->rank < b->rank; });
  out.reserve(matched.size());
  for (const Entry* entry : matched) out.push_back(entry->object);
  return out;
}

std::vector<const Object*> WorkloadIndex::select(std::string_view namespace_, const Value& selector) const {
  return select_in(namespace_, selector);
}

std::vector<const Object*> WorkloadIndex::select_any_namespace(const Value& selector) const {
  return select_in(kAnyNamespace, selector);
}

const Value& WorkloadIndex::labels_of(const Object& workload) const {
  auto it = by_object_.find(&workload);
  return it == by_object_.end() ? Value::null_ref() : *entries_[it->second].labels;
}

// --- Istio routing ----------------------------------------------------------------------------

// istiod's PILOT_SCOPE_GATEWAY_TO_NAMESPACE, from any Deployment whose container sets it (the
// control plane's Deployment is named istiod or istiod-<revision>).
bool gateways_scoped_to_namespace(const Inventory& inventory) {
  for (const Object* deployment : inventory.of_kind("Deployment")) {
    if (!deployment->name().starts_with("istiod")) continue;
    for (const auto& container : deployment->spec()["template"]["spec"]["containers"].items()) {
      for (const auto& env : container["env"].items()) {
        if (env["name"].str() == "PILOT_SCOPE_GATEWAY_TO_NAMESPACE" && env["value"].as_bool().value_or(false)) {
          return true;
        }
      }
    }
  }
  return false;
}

IstioRouting::IstioRouting(const Inventory& inventory, const WorkloadIndex& workloads)
    : workloads_(workloads), scoped_to_namespace_(gateways_scoped_to_namespace(inventory)) {
  gateways_ = inventory.of_kind("Gateway", "networking.istio.io");
  for (const Object* gateway : gateways_) {
    // An empty selector would pick every gateway proxy; manifests do not write that, and
    // guessing which proxies exist would invent routes, so such a Gateway is not followed.
    const Value& selector = gateway->spec()["selector"];
    if (!selector.is_object() || selector.size() == 0) continue;
    const auto& [key, value] = selector.members().front();
    gateways_by_label_[std::string(key) + kSep + std::string(value.str())].push_back(gateway);
  }
  for (const Object* vs : inventory.of_kind("VirtualService", "networking.istio.io")) {
    const auto ns = effective_namespace(*vs);
    std::vector<std::string> keys;
    for (const auto& name : vs->spec()["gateways"].items()) {
      const auto text = name.str();
      if (text.empty() || text == "mesh") continue;
      std::string key = text.find('/') == std::string_view::npos ? std::string(ns) + "/" + std::string(text)
                                                                 : std::string(text);
      if (std::find(keys.begin(), keys.end(), key) != keys.end()) continue;
      services_by_gateway_[key].push_back(vs);
      keys.push_back(std::move(key));
    }
  }
}

std::vector<const Object*> IstioRouting::gateways_selecting(const Object& workload) const {
  std::vector<const Object*> out;
  const Value& labels = workloads_.labels_of(workload);
  // Each Gateway is indexed under its selector's first pair, so it is found at most once.
  for (const auto& [key, value] : labels.members()) {
    auto it = gateways_by_label_.find(std::string(key) + kSep + std::string(value.str()));
    if (it == gateways_by_label_.end()) continue;
    for (const Object* gateway : it->second) {
      if (scoped_to_namespace_ && effective_namespace(*gateway) != effective_namespace(workload)) continue;
      if (labels_contain(labels, gateway->spec()["selector"])) out.push_back(gateway);
    }
  }
  return out;
}

std::span<const Object* const> IstioRouting::virtual_services_of(const Object& gateway) const {
  auto it = services_by_gateway_.find(ns_name(gateway));
  if (it == services_by_gateway_.end()) return {};
  return it->second;
}

// --- the model ------------------------------------------------------------------------------

std::string_view to_string(EntryKind kind) {
  switch (kind) {
    case EntryKind::load_balancer: return "LoadBalancer";
    case EntryKind::node_port: return "NodePort";
    case EntryKind::external_ips: return "externalIPs";
    case EntryKind::ingress: return "Ingress";
    case EntryKind::gateway_api: return "Gateway API";
  }
  return "unknown";
}

std::string_view kubeflow_app(const Object& object, const Value& pod_labels) {
  if (object.kind() == "Notebook") return "notebook server";
  for (const auto& owner : object.metadata()["ownerReferences"].items()) {
    if (owner["kind"].str() == "Notebook") return "notebook server";
  }
  if (auto app = app_from_labels(pod_labels); !app.empty()) return app;
  if (object.kind() == "Service") {
    if (auto app = app_from_labels(object.spec()["selector"]); !app.empty()) return app;
  }
  if (auto app = app_from_labels(object.labels()); !app.empty()) return app;
  return app_display(object.name());
}

ExposureModel::ExposureModel(const Inventory& inventory_)
    : inventory(inventory_), workloads(inventory_), routing(inventory_, workloads), auth(inventory_) {
  for (const Object* gateway : routing.gateways()) {
    bool kubeflow = gateway->name() == "kubeflow-gateway";
    for (const Object* vs : routing.virtual_services_of(*gateway)) {
      if (kubeflow) break;
      for (const auto& http : vs->spec()["http"].items()) {
        for (const auto& destination : http["route"].items()) {
          const Object* service = find_service(destination["destination"]["host"].str(), effective_namespace(*vs));
          if (service != nullptr && !kubeflow_app(*service).empty()) kubeflow = true;
        }
      }
    }
    if (kubeflow) kubeflow_gateways_.push_back(gateway);
  }
  std::sort(kubeflow_gateways_.begin(), kubeflow_gateways_.end());
  graph = build_exposure_graph(*this);
}

bool ExposureModel::is_kubeflow_gateway(const Object& gateway) const {
  return std::binary_search(kubeflow_gateways_.begin(), kubeflow_gateways_.end(), &gateway);
}

const Object* ExposureModel::find_service(std::string_view host, std::string_view from_namespace) const {
  while (host.ends_with('.')) host.remove_suffix(1);
  if (host.empty() || host.find('*') != std::string_view::npos) return nullptr;
  std::array<std::string_view, 3> parts{};
  std::size_t count = 0;
  for (std::string_view rest = host; count < parts.size();) {
    const auto dot = rest.find('.');
    parts[count++] = rest.substr(0, dot);
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  // name, name.namespace, name.namespace.svc[.cluster-domain]; anything else is outside.
  if (count == 3 && parts[2] != "svc") return nullptr;
  const std::string_view name = parts[0];
  const std::string_view ns = count >= 2 ? parts[1] : from_namespace;
  if (const Object* service = inventory.find("Service", ns, name)) return service;
  return ns == "default" ? inventory.find("Service", "", name) : nullptr;
}

ExposureGraph build_exposure_graph(const ExposureModel& model) { return GraphBuilder(model).build(); }

std::string outcome_line(std::string_view who, const RequestOutcome& outcome, bool header) {
  std::string out(who);
  out += header ? ", request with `Authorization: x`: " : ", request without credentials: ";
  out += outcome.why;
  return out;
}

// A request must pass every layer (the Ingress's own auth, the Istio gateway or Gateway API
// gateway, the backend's sidecar): the route is as protected as its best-protected layer.
// Backend sidecars are only asked when no Istio gateway forwards the request: behind a gateway
// the request arrives with the gateway's mesh identity, which backend policies admit by design.
RouteAuth route_auth(const ExposureModel& model, const Route& route) {
  const EntryPoint& entry = model.graph.entries[route.entry];
  RouteAuth out;
  std::vector<AuthState> layers;
  if (!entry.entry_auth.empty()) {
    layers.push_back(AuthState::authenticated);
    out.reasons.push_back(entry.object->ref() + " authenticates: " + entry.entry_auth);
  }
  auto ask = [&](const std::string& who, const AuthTarget& target) {
    AuthVerdict verdict = model.auth.evaluate(target, route.path_prefix);
    layers.push_back(verdict.state);
    out.reasons.push_back(outcome_line(who, verdict.without_header, false));
    out.reasons.push_back(outcome_line(who, verdict.with_header, true));
    return verdict;
  };
  if (route.gateway_workload != nullptr) {
    const Object& gw = *route.gateway_workload;
    out.gateway_verdict = ask("gateway " + gw.ref(), {effective_namespace(gw), &model.workloads.labels_of(gw), {}});
  } else {
    if (entry.kind == EntryKind::gateway_api) {
      const Value labels = gateway_api_labels(*entry.object);
      ask("gateway " + entry.object->ref(), {effective_namespace(*entry.object), &labels, entry.object->name()});
    }
    // The backend's own sidecar: the worst of its workloads, or the Service's selector standing
    // in for pods the input does not hold.
    std::optional<AuthState> backend;
    auto worst = [&](AuthState state) { backend = backend ? std::max(*backend, state) : state; };
    for (const Object* workload : route.workloads) {
      if (has_istio_sidecar(*workload, model.inventory) == false) {
        worst(AuthState::unauthenticated);
        out.reasons.push_back("pods of " + workload->ref() +
                              " run without an Istio sidecar: no AuthorizationPolicy applies to them");
        continue;
      }
      const AuthVerdict verdict =
          model.auth.evaluate({effective_namespace(*workload), &model.workloads.labels_of(*workload), {}}, route.path_prefix);
      worst(verdict.state);
      out.reasons.push_back(outcome_line("pods of " + workload->ref(), verdict.without_header, false));
      out.reasons.push_back(outcome_line("pods of " + workload->ref(), verdict.with_header, true));
    }
    if (!backend && route.service != nullptr && route.service->spec()["selector"].size() > 0) {
      const AuthVerdict verdict = model.auth.evaluate(
          {effective_namespace(*route.service), &route.service->spec()["selector"], {}}, route.path_prefix);
      worst(verdict.state);
      out.reasons.push_back(outcome_line("pods selected by " + route.service_ref, verdict.without_header, false));
      out.reasons.push_back(outcome_line("pods selected by " + route.service_ref, verdict.with_header, true));
    }
    if (backend) layers.push_back(*backend);
  }
  out.state = layers.empty() ? AuthState::unauthenticated : *std::min_element(layers.begin(), layers.end());
  return out;
}


}  // namespace mg::kube
