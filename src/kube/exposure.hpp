#pragma once
// The routes traffic takes from outside the cluster to workloads, followed the way the traffic
// goes rather than by matching names: an exposed Service selects pods by label; when those pods
// are an Istio gateway, the Istio Gateways selecting them (in any namespace), the
// VirtualServices bound to those Gateways and the Services they route to come next. Ingress and
// Gateway API routes enter the same way. Tools that match workloads by name see the Service
// istio-ingressgateway and the Deployment centraldashboard as unrelated; here they are one route.
#include <cstddef>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "kube/inventory.hpp"
#include "kube/istio_auth.hpp"

namespace mg::kube {

// Pod labels of a workload: spec.template.metadata.labels for Deployment, StatefulSet,
// DaemonSet, ReplicaSet, ReplicationController and Job, metadata.labels for a Pod; nullptr for
// kinds that hold no pods (a Notebook's are synthesised by WorkloadIndex).
const Value* pod_template_labels(const Object& workload);

// True when every key/value of `selector` (a mapping, e.g. a Service's spec.selector) is in
// `labels`. An empty or absent selector contains nothing: callers decide what it means.
bool labels_contain(const Value& labels, const Value& selector);

// The endpoints a login needs (Dex, oauth2-proxy, authservice): public by design, so routes to
// them are not exposures.
bool is_login_service(const Object& service);

// The path prefix a VirtualService http[] entry matches first ("/" when it matches everything,
// or by regex, which is not interpreted).
std::string virtual_service_prefix(const Value& http);

// "default" for objects read without a namespace: the namespace `kubectl apply` gives them.
std::string_view effective_namespace(const Object& object);

// Workloads indexed by namespace and label, so a selector is answered from its rarest pair
// instead of a scan of every workload.
class WorkloadIndex {
 public:
  explicit WorkloadIndex(const Inventory& inventory);
  WorkloadIndex(const WorkloadIndex&) = delete;
  WorkloadIndex& operator=(const WorkloadIndex&) = delete;

  // Workloads in `namespace_` whose pod labels contain every pair of `selector` (a Service).
  // Controllers come before the ReplicaSets and Pods they own.
  std::vector<const Object*> select(std::string_view namespace_, const Value& selector) const;
  // The same in every namespace (an Istio Gateway's spec.selector).
  std::vector<const Object*> select_any_namespace(const Value& selector) const;
  // The labels the workload's pods carry (synthesised for a Notebook); null Value if unknown.
  const Value& labels_of(const Object& workload) const;

 private:
  struct Entry {
    const Object* object;
    const Value* labels;
    int rank;  // 0 controllers, 1 ReplicaSet/Job, 2 Pod: the representative is the lowest
  };
  std::vector<const Object*> select_in(std::string_view scope, const Value& selector) const;

  std::vector<Entry> entries_;
  std::deque<Value> synthesised_;  // Notebook pod labels (stable addresses)
  std::unordered_map<const Object*, std::size_t> by_object_;
  // "namespace\x1fkey\x1fvalue" and "\x1ekey\x1fvalue" (any namespace) → entry indexes.
  std::unordered_map<std::string, std::vector<std::size_t>> by_label_;
};

// Istio's routing objects, indexed: Gateways (networking.istio.io, any version) by selector
// label, VirtualServices by the Gateway they are bound to.
class IstioRouting {
 public:
  IstioRouting(const Inventory& inventory, const WorkloadIndex& workloads);
  IstioRouting(const IstioRouting&) = delete;
  IstioRouting& operator=(const IstioRouting&) = delete;

  // Istio Gateways whose spec.selector is contained in the workload's pod labels: in any
  // namespace (Istio's default), or only the workload's own when istiod runs with
  // PILOT_SCOPE_GATEWAY_TO_NAMESPACE=true (read from its Deployment's env when in the input).
  std::vector<const Object*> gateways_selecting(const Object& workload) const;
  // VirtualServices whose spec.gateways name this Gateway ("name" in the VirtualService's
  // namespace, or "namespace/name").
  std::span<const Object* const> virtual_services_of(const Object& gateway) const;
  std::span<const Object* const> gateways() const { return gateways_; }
  bool scoped_to_namespace() const { return scoped_to_namespace_; }

 private:
  const WorkloadIndex& workloads_;
  bool scoped_to_namespace_ = false;
  std::vector<const Object*> gateways_;
  std::unordered_map<std::string, std::vector<const Object*>> gateways_by_label_;   // "k\x1fv"
  std::unordered_map<std::string, std::vector<const Object*>> services_by_gateway_;  // "ns/name"
};

enum class EntryKind { load_balancer, node_port, external_ips, ingress, gateway_api };
std::string_view to_string(EntryKind kind);

// One way in from outside the cluster.
struct EntryPoint {
  const Object* object = nullptr;  // Service, Ingress, or Gateway (gateway.networking.k8s.io)
  EntryKind kind = EntryKind::load_balancer;
  std::string field;               // what makes it reachable: "spec.type", "spec.externalIPs", "spec.rules"
  int line = 0;
  std::string hop;                 // "Service istio-system/istio-ingressgateway type LoadBalancer"
  bool world = true;               // reachable from any address
  std::string restriction;         // why not (source ranges, internal load balancer), when !world
  std::string entry_auth;          // authentication the entry itself enforces ("nginx auth-url …")
};

// One path from an entry point to a backend Service.
struct Route {
  std::size_t entry = 0;                       // index into ExposureGraph::entries
  const Object* gateway_workload = nullptr;    // the Istio gateway workload passed, if any
  const Object* istio_gateway = nullptr;       // the networking.istio.io Gateway, if any
  const Object* route_object = nullptr;        // VirtualService or HTTPRoute/GRPCRoute, if any
  std::string path_prefix = "/";
  const Object* service = nullptr;             // the backend Service (nullptr: not in the input)
  std::string service_ref;                     // "Service kubeflow/centraldashboard" even when absent
  std::vector<const Object*> workloads;        // workloads the backend Service selects (those no
                                               // listed object owns, at most 16)
  std::vector<std::string> hops;               // after the entry's hop, e.g. "→ Gateway kubeflow/…"
  std::string kubeflow_app;                    // "central dashboard", … ("" not recognised)
  bool kubeflow = false;                       // recognised, or behind a Kubeflow gateway
  bool login_endpoint = false;                 // Dex / oauth2-proxy: public by design
};

struct ExposureGraph {
  std::vector<EntryPoint> entries;
  std::vector<Route> routes;
};

// Everything the exposure and credential checks read, built once per audit.
struct ExposureModel {
  explicit ExposureModel(const Inventory& inventory);
  ExposureModel(const ExposureModel&) = delete;
  ExposureModel& operator=(const ExposureModel&) = delete;

  const Inventory& inventory;
  WorkloadIndex workloads;
  IstioRouting routing;
  IstioAuth auth;
  ExposureGraph graph;

  // Istio Gateways that lead to Kubeflow (named kubeflow-gateway, or a VirtualService bound to
  // them routes to a Kubeflow backend).
  bool is_kubeflow_gateway(const Object& gateway) const;
  // The Service a destination host names ("centraldashboard.kubeflow.svc.cluster.local",
  // "centraldashboard" relative to `from_namespace`), or nullptr.
  const Object* find_service(std::string_view host, std::string_view from_namespace) const;

 private:
  std::vector<const Object*> kubeflow_gateways_;  // sorted, for binary search
};

// The Kubeflow application a Service or workload is ("central dashboard", "Pipelines UI",
// "notebook server", …), recognised by name, app labels and Notebook ownership; "" otherwise.
std::string_view kubeflow_app(const Object& object, const Value& pod_labels = Value::null_ref());

// Routes from every entry point, following Services into Istio gateways and Gateway API routes.
ExposureGraph build_exposure_graph(const ExposureModel& model);

// What stands between a route's entry point and its backend: the entry's own authentication
// (Ingress annotations), the Istio gateway or Gateway API gateway, and, when no Istio gateway
// forwards the request, the backend pods' sidecar. The route is as protected as its
// best-protected layer.
struct RouteAuth {
  AuthState state = AuthState::unauthenticated;
  std::vector<std::string> reasons;  // one line per layer and request, for evidence
  AuthVerdict gateway_verdict;       // the verdict at the Istio gateway, when there is one
};
RouteAuth route_auth(const ExposureModel& model, const Route& route);

// "gateway Deployment istio-system/istio-ingressgateway, request with `Authorization: x`: …"
std::string outcome_line(std::string_view who, const RequestOutcome& outcome, bool header);

}  // namespace mg::kube
