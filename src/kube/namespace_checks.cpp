// GPU quotas, GPU targeting and egress limits, judged per namespace from the whole inventory.
#include "kube/namespace_checks.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>

#include "kube/istio_auth.hpp"
#include "kube/object_finding.hpp"
#include "kube/pod_template.hpp"

namespace mg::kube {
namespace {

using core::Category;
using core::Severity;

const std::vector<core::RuleInfo>& rule_table() {
  // MS-TA9039 Resource hijacking (Microsoft Threat Matrix for Kubernetes); T1496 Resource
  // Hijacking and T1105 Ingress Tool Transfer (MITRE ATT&CK).
  static const std::vector<core::RuleInfo> kRules{
      {std::string(kRuleGpuWithoutQuota), "GpuWithoutQuota", "GPU requested in a namespace without a GPU quota",
       "A workload requests GPUs in a namespace where no ResourceQuota (and no Kubeflow Profile resourceQuotaSpec) "
       "caps them, so anyone who can create pods there can take every free GPU of the cluster. GPU nodes are what "
       "the Kubeflow mining campaigns went for.",
       Severity::medium, Category::policy, {"MS-TA9039", "T1496"},
       "Add a ResourceQuota with requests.nvidia.com/gpu (or the Profile's spec.resourceQuotaSpec) sized to what "
       "the namespace needs."},
      {std::string(kRuleNoEgressLimit), "NoEgressLimit", "User workload namespace has no egress limit",
       "Pods in a namespace where users run notebooks, pipelines or training jobs can connect to any address: "
       "nothing stops a miner from downloading itself and reaching its pool. No NetworkPolicy limits egress there "
       "and Istio does not restrict outbound traffic (outboundTrafficPolicy REGISTRY_ONLY).",
       Severity::medium, Category::policy, {"MS-TA9039", "T1496", "T1105"},
       "Add a default-deny egress NetworkPolicy (podSelector: {}, policyTypes: [Egress]) that allows DNS and only "
       "the registries, storage and in-cluster services the workloads need; or set Istio's outboundTrafficPolicy "
       "to REGISTRY_ONLY."},
      {std::string(kRuleGpuNodeTargeting), "GpuNodeTargeting", "Workload targets GPU nodes without requesting a GPU",
       "The pod selects or tolerates GPU nodes (nodeSelector, node affinity, GPU taint toleration) but requests no "
       "GPU, or sets NVIDIA_VISIBLE_DEVICES itself: it lands on the expensive nodes, or reaches their GPUs, "
       "outside the scheduler's and the quota's accounting. Attackers chose GPU nodes this way.",
       Severity::low, Category::policy, {"MS-TA9039", "T1496"},
       "Request the GPUs the workload needs (resources.limits nvidia.com/gpu) or remove the GPU node selection; "
       "never set NVIDIA_VISIBLE_DEVICES in a pod spec."},
  };
  return kRules;
}

const core::RuleInfo& rule(std::string_view id) { return find_rule(rule_table(), id); }

// Objects without a namespace land in the namespace kubectl applies them to: "default" unless
// told otherwise. That is the best guess for a manifest.
std::string namespace_of(std::string_view namespace_) {
  return namespace_.empty() ? std::string("default") : std::string(namespace_);
}

// The pod templates of every object that holds pods, computed once for all checks here.
struct Workloads {
  std::vector<std::span<const PodTemplateView>> by_object;
};

// --- GPUs -------------------------------------------------------------------------------------

// Device-plugin resources that are GPUs: NVIDIA (whole, shared or MIG slices), AMD, Intel.
bool gpu_resource(std::string_view key) {
  return key.starts_with("nvidia.com/gpu") || key.starts_with("nvidia.com/mig-") || key == "amd.com/gpu" ||
         key.starts_with("gpu.intel.com/");
}

struct GpuRequest {
  std::string resource;
  std::string count;
  std::string section;  // "limits", "requests", "gpu"
  std::string field;
  int line = 0;
};

bool nonzero(std::string_view count) { return !count.empty() && count != "0"; }

// GPUs one container asks for: resources (resourcesPerNode for a TrainJob trainer), or the
// SparkApplication driver/executor `gpu: {name, quantity}`.
std::vector<GpuRequest> gpu_requests(const ContainerView& container) {
  std::vector<GpuRequest> out;
  if (container.spec == nullptr) return out;
  for (std::string_view key : {"resources", "resourcesPerNode"}) {
    const Value* resources = container.spec->find(key);
    if (resources == nullptr || !resources->is_object()) continue;
    for (std::string_view section : {"limits", "requests"}) {
      const Value& values = (*resources)[section];
      for (const auto& [resource, count] : values.members()) {
        const bool seen = std::any_of(out.begin(), out.end(), [&](const GpuRequest& r) { return r.resource == resource; });
        if (!gpu_resource(resource) || !nonzero(count.str()) || seen) continue;
        out.push_back({resource, std::string(count.str()), std::string(section),
                       container.field + "." + std::string(key) + "." + std::string(section), values.line()});
      }
    }
  }
  const Value& spark = (*container.spec)["gpu"];
  if (spark.is_object() && gpu_resource(spark["name"].str()) && nonzero(spark["quantity"].str())) {
    out.push_back({std::string(spark["name"].str()), std::string(spark["quantity"].str()), "gpu", container.field + ".gpu",
                   spark.line()});
  }
  return out;
}

// Namespace -> GPU resources a quota caps there, and where the quota is.
using QuotaIndex = std::map<std::string, std::map<std::string, std::string>, std::less<>>;

void add_quota(QuotaIndex& index, const std::string& namespace_, const Value& hard, const std::string& where) {
  for (const auto& [key, value] : hard.members()) {
    std::string_view resource = key;
    for (std::string_view prefix : {"requests.", "limits."}) {
      if (resource.starts_with(prefix)) resource.remove_prefix(prefix.size());
    }
    if (gpu_resource(resource)) index[namespace_].try_emplace(std::string(resource), where + " (" + key + ": " + std::string(value.str()) + ")");
  }
}

QuotaIndex gpu_quotas(const Inventory& inventory) {
  QuotaIndex index;
  for (const Object* quota : inventory.of_kind("ResourceQuota", "")) {
    // A scoped quota (BestEffort, a priority class) caps only the pods in its scope; a pod can
    // step outside it, so it is no cap on the namespace.
    if (quota->spec().find("scopes") != nullptr || quota->spec().find("scopeSelector") != nullptr) continue;
    add_quota(index, namespace_of(quota->namespace_()), quota->spec()["hard"], quota->ref());
  }
  // The profile controller turns a Profile's resourceQuotaSpec into a ResourceQuota in the
  // profile's namespace, which has the profile's name.
  for (const Object* profile : inventory.of_kind("Profile", "kubeflow.org")) {
    add_quota(index, std::string(profile->name()), profile->spec()["resourceQuotaSpec"]["hard"], profile->ref());
  }
  return index;
}

void check_gpu_quota(const PodTemplateView& view, const QuotaIndex& quotas, Findings& findings) {
  const std::string namespace_ = namespace_of(view.namespace_);
  const auto quota = quotas.find(namespace_);
  for (const auto& container : view.containers) {
    for (const auto& request : gpu_requests(container)) {
      if (quota != quotas.end() && quota->second.contains(request.resource)) continue;
      auto finding = object_finding(rule(kRuleGpuWithoutQuota), *view.owner, request.field, request.line);
      add_evidence(finding, "GPU request", request.resource + ": " + request.count + " (" + request.section + ", container " +
                                               (container.name.empty() ? container.field : container.name) + ")");
      add_evidence(finding, "quota", "no ResourceQuota or Profile resourceQuotaSpec in namespace " + namespace_ +
                                         " caps " + request.resource + " (requests." + request.resource + ")");
      findings.push_back(std::move(finding));
    }
  }
}

// Node labels that single out GPU nodes: vendor and cloud labels (nvidia.com/gpu.present,
// cloud.google.com/gke-accelerator, accelerator, NFD's PCI vendor 10de/1002) and GPU instance
// types.
bool gpu_instance_type(std::string_view value) {
  static constexpr std::array<std::string_view, 22> kFamilies{
      "p2.", "p3.", "p3dn.", "p4d.", "p4de.", "p5.", "p5e.", "g3.", "g3s.", "g4dn.", "g4ad.",
      "g5.", "g5g.", "g6.",  "g6e.", "gr6.", "standard_nc", "standard_nd", "standard_nv", "a2-", "a3-", "g2-"};
  const std::string text = ascii_lower(value);
  return std::any_of(kFamilies.begin(), kFamilies.end(), [&](std::string_view family) { return text.starts_with(family); });
}

bool gpu_node_label(std::string_view key, std::string_view value) {
  const std::string name = ascii_lower(key);
  if (name.find("gpu") != std::string::npos || name.find("accelerator") != std::string::npos) return true;
  if (name.find("pci-10de") != std::string::npos || name.find("pci-1002") != std::string::npos) return true;
  return (name == "node.kubernetes.io/instance-type" || name == "beta.kubernetes.io/instance-type") &&
         gpu_instance_type(value);
}

struct Signal {
  std::string field;
  int line = 0;
  std::string text;
};

void affinity_terms(const Value& terms, const std::string& field, bool preferred, std::vector<Signal>& out) {
  const auto items = terms.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& term = preferred ? items[i]["preference"] : items[i];
    for (const auto& expression : term["matchExpressions"].items()) {
      std::string values;
      for (const auto& value : expression["values"].items()) {
        if (!values.empty()) values += ',';
        values += value.str();
      }
      const auto key = expression["key"].str();
      if (!gpu_node_label(key, values)) continue;
      out.push_back({field + "[" + std::to_string(i) + "]", expression.line(),
                     "node affinity " + std::string(key) + " " + std::string(expression["operator"].str()) + " " + values});
    }
  }
}

std::vector<Signal> gpu_targeting(const PodTemplateView& view) {
  std::vector<Signal> out;
  if (view.node_selector.value != nullptr) {
    for (const auto& [key, value] : view.node_selector.value->members()) {
      if (gpu_node_label(key, value.str()))
        out.push_back({view.node_selector.field, value.line(), "nodeSelector " + key + "=" + std::string(value.str())});
    }
  }
  if (view.affinity.value != nullptr) {
    const Value& node = (*view.affinity.value)["nodeAffinity"];
    const std::string base = view.affinity.field + ".nodeAffinity.";
    affinity_terms(node["requiredDuringSchedulingIgnoredDuringExecution"]["nodeSelectorTerms"],
                   base + "requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms", false, out);
    affinity_terms(node["preferredDuringSchedulingIgnoredDuringExecution"],
                   base + "preferredDuringSchedulingIgnoredDuringExecution", true, out);
  }
  if (view.tolerations.value != nullptr) {
    const auto items = view.tolerations.value->items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const auto key = items[i]["key"].str();
      if (gpu_node_label(key, ""))
        out.push_back({view.tolerations.field + "[" + std::to_string(i) + "]", items[i].line(),
                       "tolerates the GPU node taint " + std::string(key)});
    }
  }
  return out;
}

// NVIDIA's container runtime hands a container the GPUs NVIDIA_VISIBLE_DEVICES names, whatever the
// device plugin allocated, on nodes where it accepts the variable from unprivileged pods.
std::vector<Signal> visible_devices(const PodTemplateView& view) {
  std::vector<Signal> out;
  for (const auto& container : view.containers) {
    if (container.spec == nullptr) continue;
    const auto env = (*container.spec)["env"].items();
    for (std::size_t i = 0; i < env.size(); ++i) {
      if (env[i]["name"].str() != "NVIDIA_VISIBLE_DEVICES") continue;
      const std::string value = ascii_lower(env[i]["value"].str());
      if (value.empty() || value == "none" || value == "void") continue;
      out.push_back({container.field + ".env[" + std::to_string(i) + "]", env[i].line(),
                     "NVIDIA_VISIBLE_DEVICES=" + std::string(env[i]["value"].str())});
    }
  }
  return out;
}

void check_gpu_targeting(const PodTemplateView& view, Findings& findings) {
  const bool requests_gpu = std::any_of(view.containers.begin(), view.containers.end(),
                                        [](const ContainerView& c) { return !gpu_requests(c).empty(); });
  if (requests_gpu) return;
  auto bypass = visible_devices(view);
  auto signals = gpu_targeting(view);
  if (bypass.empty() && signals.empty()) return;
  const Signal& first = bypass.empty() ? signals.front() : bypass.front();
  auto finding = object_finding(rule(kRuleGpuNodeTargeting), *view.owner, first.field, first.line);
  if (!bypass.empty()) finding.severity = Severity::medium;  // GPUs reached outside the device plugin
  for (const auto& signal : bypass) add_evidence(finding, signal.field, signal.text);
  for (const auto& signal : signals) add_evidence(finding, signal.field, signal.text);
  add_evidence(finding, "GPU request", "none");
  findings.push_back(std::move(finding));
}

// --- egress -----------------------------------------------------------------------------------

// Kinds users create to run their code; a namespace holding one is a user workload namespace.
bool user_workload(const Object& object) {
  struct Kind {
    std::string_view kind, group;
  };
  static constexpr std::array<Kind, 16> kKinds{{{"Notebook", "kubeflow.org"},
                                                {"TFJob", "kubeflow.org"},
                                                {"PyTorchJob", "kubeflow.org"},
                                                {"MPIJob", "kubeflow.org"},
                                                {"XGBoostJob", "kubeflow.org"},
                                                {"PaddleJob", "kubeflow.org"},
                                                {"JAXJob", "kubeflow.org"},
                                                {"Experiment", "kubeflow.org"},
                                                {"Workflow", "argoproj.io"},
                                                {"CronWorkflow", "argoproj.io"},
                                                {"WorkflowTemplate", "argoproj.io"},
                                                {"InferenceService", "serving.kserve.io"},
                                                {"InferenceService", "serving.kubeflow.org"},
                                                {"TrainJob", "trainer.kubeflow.org"},
                                                {"SparkApplication", "sparkoperator.k8s.io"},
                                                {"ScheduledSparkApplication", "sparkoperator.k8s.io"}}};
  const auto kind = object.kind();
  const auto group = object.api_group();
  return std::any_of(kKinds.begin(), kKinds.end(), [&](const Kind& k) { return k.kind == kind && k.group == group; });
}

// matchLabels and matchExpressions as the API server evaluates them; an empty or missing selector
// selects every pod. An operator we do not know selects nothing (we cannot claim coverage).
bool selects(const Value& selector, const std::map<std::string, std::string, std::less<>>& labels) {
  for (const auto& [key, value] : selector["matchLabels"].members()) {
    auto it = labels.find(key);
    if (it == labels.end() || it->second != value.str()) return false;
  }
  for (const auto& expression : selector["matchExpressions"].items()) {
    const auto key = expression["key"].str();
    const auto op = expression["operator"].str();
    auto it = labels.find(key);
    bool listed = false;
    for (const auto& value : expression["values"].items()) listed = listed || (it != labels.end() && it->second == value.str());
    if (op == "In" && !listed) return false;
    if (op == "NotIn" && listed) return false;
    if (op == "Exists" && it == labels.end()) return false;
    if (op == "DoesNotExist" && it != labels.end()) return false;
    if (op != "In" && op != "NotIn" && op != "Exists" && op != "DoesNotExist") return false;
  }
  return true;
}

bool empty_selector(const Value& selector) {
  return selector["matchLabels"].size() == 0 && selector["matchExpressions"].size() == 0;
}

// A rule that lets pods reach any address on a port other than DNS's leaves the internet open:
// pools listen on 443 and 80 as readily as on 3333.
bool opens_internet(const Value& rule) {
  const Value& to = rule["to"];
  bool anywhere = to.size() == 0;
  for (const auto& peer : to.items()) {
    const auto cidr = peer["ipBlock"]["cidr"].str();
    anywhere = anywhere || cidr == "0.0.0.0/0" || cidr == "::/0";
  }
  if (!anywhere) return false;
  const Value& ports = rule["ports"];
  if (ports.size() == 0) return true;
  return std::any_of(ports.items().begin(), ports.items().end(), [](const Value& port) {
    return port["port"].str() != "53" || port.find("endPort") != nullptr;
  });
}

struct EgressPolicy {
  const Object* object = nullptr;
  bool limits = false;   // no rule opens the internet
  bool all_pods = false; // podSelector {}
};

// policyTypes, when given, decides; without it a policy is an egress policy if it has rules.
bool egress_policy(const Value& spec) {
  if (const Value* types = spec.find("policyTypes"); types != nullptr && types->is_array()) {
    return std::any_of(types->items().begin(), types->items().end(), [](const Value& t) { return t.str() == "Egress"; });
  }
  return spec.find("egress") != nullptr;
}

std::map<std::string, std::vector<EgressPolicy>, std::less<>> egress_policies(const Inventory& inventory) {
  std::map<std::string, std::vector<EgressPolicy>, std::less<>> out;
  for (const Object* policy : inventory.of_kind("NetworkPolicy", "networking.k8s.io")) {
    const Value& spec = policy->spec();
    if (!egress_policy(spec)) continue;
    const auto rules = spec["egress"].items();
    EgressPolicy entry;
    entry.object = policy;
    entry.limits = std::none_of(rules.begin(), rules.end(), opens_internet);
    entry.all_pods = empty_selector(spec["podSelector"]);
    out[namespace_of(policy->namespace_())].push_back(entry);
  }
  return out;
}

// Istio's outbound policy: the mesh config's, overridden by a selector-less Sidecar in the
// namespace, else by one in the root namespace. Unset fields of a Sidecar fall back to the mesh.
class IstioEgress {
 public:
  explicit IstioEgress(const Inventory& inventory) {
    const MeshConfig mesh = read_mesh_config(inventory);
    root_ = mesh.root_namespace;
    if (mesh.known()) {
      const Value& text = mesh.source->root["data"]["mesh"];
      if (auto config = parse_embedded_yaml(text.str(), text.line() + 1)) {
        if (auto mode = (*config)["outboundTrafficPolicy"]["mode"].str(); !mode.empty()) mesh_mode_ = std::string(mode);
      }
    }
    for (const Object* sidecar : inventory.of_kind("Sidecar", "networking.istio.io")) {
      const Value& spec = sidecar->spec();
      if (spec["workloadSelector"]["labels"].size() > 0) continue;  // applies to some pods only
      sidecars_.try_emplace(namespace_of(sidecar->namespace_()), std::string(spec["outboundTrafficPolicy"]["mode"].str()));
    }
  }

  bool registry_only(const std::string& namespace_) const {
    const auto* sidecar = governing(namespace_);
    return (sidecar == nullptr || sidecar->second.empty() ? mesh_mode_ : sidecar->second) == "REGISTRY_ONLY";
  }

  std::string describe(const std::string& namespace_) const {
    if (const auto* sidecar = governing(namespace_); sidecar != nullptr && !sidecar->second.empty())
      return "Sidecar in " + sidecar->first + " sets outboundTrafficPolicy " + sidecar->second;
    return "mesh outboundTrafficPolicy is " + (mesh_mode_.empty() ? std::string("ALLOW_ANY (the default)") : mesh_mode_);
  }

 private:
  const std::pair<const std::string, std::string>* governing(const std::string& namespace_) const {
    auto it = sidecars_.find(namespace_);
    if (it == sidecars_.end()) it = sidecars_.find(root_);
    return it == sidecars_.end() ? nullptr : &*it;
  }

  std::string root_;
  std::string mesh_mode_;  // "" when the mesh config does not say (Istio's default is ALLOW_ANY)
  std::map<std::string, std::string, std::less<>> sidecars_;  // namespace -> mode ("" unset)
};

// Whether Istio's outbound policy applies to a template's pods: only where a sidecar is injected.
// The pod's sidecar.istio.io/inject wins, then the Namespace's labels, as the injector reads
// them; a Namespace not in the input is given the benefit of the doubt.
bool has_sidecar(const PodTemplateView& view, const Object* namespace_object) {
  for (const auto* map : {&view.labels, &view.annotations}) {
    if (auto it = map->find("sidecar.istio.io/inject"); it != map->end()) return ascii_lower(it->second) != "false";
  }
  if (namespace_object == nullptr) return true;
  const Value& labels = namespace_object->labels();
  if (auto injection = labels["istio-injection"].str(); !injection.empty()) return injection == "enabled";
  return labels.find("istio.io/rev") != nullptr;
}

struct UserNamespace {
  std::vector<std::string> reasons;
  std::vector<const PodTemplateView*> workloads;
};

std::string join(const std::vector<std::string>& parts, std::size_t limit) {
  std::string out = join_first(parts, limit, "; ");
  if (parts.size() > limit) out += "; and " + std::to_string(parts.size() - limit) + " more";
  return out;
}

std::string template_ref(const PodTemplateView& view) {
  return view.owner->ref() + (view.role.empty() ? "" : " (" + view.role + ")");
}

class EgressChecker {
 public:
  explicit EgressChecker(const Inventory& inventory) : inventory_(inventory), policies_(egress_policies(inventory)), istio_(inventory) {}

  void check(const std::string& namespace_, const UserNamespace& user, Findings& findings) const {
    const auto found = policies_.find(namespace_);
    static const std::vector<EgressPolicy> kNone;
    const auto& policies = found == policies_.end() ? kNone : found->second;
    const bool policy_all = std::any_of(policies.begin(), policies.end(), [](const EgressPolicy& p) { return p.limits && p.all_pods; });
    const Object* ns_object = inventory_.find("Namespace", "", namespace_);
    const bool istio = istio_.registry_only(namespace_);

    std::vector<std::string> open;
    bool sidecar_less = false;
    for (const PodTemplateView* view : user.workloads) {
      const bool by_policy = policy_all || std::any_of(policies.begin(), policies.end(), [&](const EgressPolicy& p) {
                               return p.limits && selects(p.object->spec()["podSelector"], view->labels);
                             });
      const bool sidecar = has_sidecar(*view, ns_object);
      sidecar_less = sidecar_less || !sidecar;
      if (!by_policy && !(istio && sidecar)) open.push_back(template_ref(*view));
    }
    // With no workload in the input, the namespace's own defaults decide (future pods get them).
    const bool namespace_sidecars = ns_object == nullptr || has_sidecar(PodTemplateView{}, ns_object);
    const bool limited = user.workloads.empty() ? (policy_all || (istio && namespace_sidecars)) : open.empty();
    if (limited) return;

    auto finding = ns_object != nullptr ? object_finding(rule(kRuleNoEgressLimit), *ns_object)
                                        : named_finding(rule(kRuleNoEgressLimit), "Namespace", "", namespace_);
    add_evidence(finding, "user workloads", join(user.reasons, 3));
    add_evidence(finding, "NetworkPolicy", describe_policies(namespace_, policies));
    std::string istio_text = istio_.describe(namespace_);
    if (istio && (sidecar_less || !namespace_sidecars)) istio_text += "; but some pods run without an Istio sidecar";
    add_evidence(finding, "Istio", istio_text);
    if (!open.empty()) add_evidence(finding, "workloads with no egress limit", join(open, 5));
    findings.push_back(std::move(finding));
  }

 private:
  static std::string describe_policies(const std::string& namespace_, const std::vector<EgressPolicy>& policies) {
    if (policies.empty()) return "none in " + namespace_ + " has policyTypes Egress";
    std::vector<std::string> parts;
    for (const auto& policy : policies) {
      parts.push_back(std::string(policy.object->name()) +
                      (!policy.limits ? ": allows egress to any address" : policy.all_pods ? ": limits every pod" : ": selects some pods only"));
    }
    return join(parts, 5);
  }

  const Inventory& inventory_;
  std::map<std::string, std::vector<EgressPolicy>, std::less<>> policies_;
  IstioEgress istio_;
};

std::map<std::string, UserNamespace, std::less<>> user_namespaces(const Inventory& inventory, const Workloads& workloads) {
  std::map<std::string, UserNamespace, std::less<>> out;
  for (const Object* profile : inventory.of_kind("Profile", "kubeflow.org")) {
    if (profile->name().empty()) continue;
    out[std::string(profile->name())].reasons.push_back("Kubeflow " + profile->ref() + " (" + profile->where() + ")");
  }
  for (const auto& templates : workloads.by_object) {
    if (templates.empty() || !user_workload(*templates.front().owner)) continue;
    auto& entry = out[namespace_of(templates.front().namespace_)];
    entry.reasons.push_back(templates.front().owner->ref());
    for (const auto& view : templates) entry.workloads.push_back(&view);
  }
  return out;
}

}  // namespace

std::vector<core::RuleInfo> namespace_rules() { return rule_table(); }

void check_namespaces(const AuditContext& context, Findings& findings) {
  Workloads workloads;
  for (const auto& object : context.inventory.objects()) {
    if (holds_pods(object)) workloads.by_object.push_back(context.pods.of(object));
  }
  const QuotaIndex quotas = gpu_quotas(context.inventory);
  for (const auto& templates : workloads.by_object) {
    for (const auto& view : templates) {
      check_gpu_quota(view, quotas, findings);
      check_gpu_targeting(view, findings);
    }
  }
  const EgressChecker egress(context.inventory);
  for (const auto& [namespace_, user] : user_namespaces(context.inventory, workloads)) egress.check(namespace_, user, findings);
}

}  // namespace mg::kube
