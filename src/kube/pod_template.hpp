#pragma once
// Everywhere a pod hides: the pod specs of Pods, the built-in controllers (Deployment,
// ReplicaSet, StatefulSet, DaemonSet, Job, CronJob) and Kubeflow's kinds (Notebook, TFJob,
// PyTorchJob, MPIJob, XGBoostJob, PaddleJob replica specs; Argo Workflow, WorkflowTemplate,
// CronWorkflow templates; Katib Experiment trial templates; KServe InferenceService
// predictor/transformer/explainer; Trainer TrainJob; SparkApplication driver/executor), each
// normalised to the fields the checks read, with the dotted field path of each. A KFP v2
// compiled Workflow also yields one template per component implementation it carries as JSON
// in spec.arguments.parameters (role "kfp-component"): that is where a pipeline's command is.
#include <map>
#include <optional>
#include <span>
#include <unordered_map>
#include <utility>
#include <string>
#include <string_view>
#include <vector>

#include "kube/json_node.hpp"
#include "kube/object.hpp"

namespace mg::kube {

// The views below point into the object they were read from. Ref is how they point: `const
// Value*` for a Value tree (`minerguard audit`), a JsonNode for a document simdjson parsed (the
// request objects of `audit-log`, read without building a tree). Both compare to nullptr when unset.
template <class Ref>
struct BasicContainerView {
  std::string name;
  std::string image;
  std::vector<std::string> command;   // command then args, as the container runs them
  std::string field;                  // "spec.template.spec.containers[0]"
  int line = 0;                       // line of the container in the source
  bool init = false;                  // an init container
  Ref spec{};                         // the container object itself (securityContext, resources, env)
};

struct HostPathView {
  std::string volume;                 // volume name
  std::string path;                   // hostPath.path
  std::string field;
  int line = 0;
};

// A pod-level field as it applies to one template (for Argo: the template's own value when it
// overrides the workflow's), with the dotted path where it is written. value is null when unset.
template <class Ref>
struct BasicFieldView {
  Ref value{};
  std::string field;
};

template <class Ref>
struct BasicPodTemplateView {
  const Object* owner = nullptr;      // the object the template belongs to (none for a JsonNode)
  std::string field;                  // "spec.template.spec", "spec.tfReplicaSpecs.Worker.template.spec"
  int line = 0;
  std::string namespace_;             // the owner's namespace
  std::string role;                   // "", "Worker", "predictor", an Argo template name, …
  std::string service_account;        // resolved: serviceAccountName, serviceAccount, or "default"
  std::string service_account_field;  // where it is set ("" when defaulted)
  std::optional<bool> automount_token;   // automountServiceAccountToken on the pod spec, if set
  bool host_pid = false, host_network = false, host_ipc = false;
  std::vector<HostPathView> host_paths;
  std::vector<BasicContainerView<Ref>> containers;  // init containers included (init = true)
  Ref pod_spec{};                     // the pod spec (or the Argo workflow spec), for anything else
  std::string pod_spec_field;         // where pod_spec is ("spec" for a Workflow, "spec.driver", …)
  BasicFieldView<Ref> node_selector, affinity, tolerations;
  // The pod's metadata as the template gives it (Argo: podMetadata merged with the template's).
  std::map<std::string, std::string, std::less<>> labels, annotations;
};

// How a view points at a node it read.
inline const Value* ref_of(const Value& node) { return &node; }
inline JsonNode ref_of(const JsonNode& node) { return node; }

using ContainerView = BasicContainerView<const Value*>;
using FieldView = BasicFieldView<const Value*>;
using PodTemplateView = BasicPodTemplateView<const Value*>;
using JsonContainerView = BasicContainerView<JsonNode>;
using JsonPodTemplateView = BasicPodTemplateView<JsonNode>;

// The pod templates of one object; empty for kinds that hold no pods. Katib trial templates are
// followed into the object they embed (a Job, a TFJob, …).
std::vector<PodTemplateView> pod_templates(const Object& object);
// The same, read straight from a parsed JSON object. `kind`, `api_version` and `namespace_` stand
// in for the object's own when it leaves them out (a patch body: the request's objectRef says them).
std::vector<JsonPodTemplateView> pod_templates(const JsonNode& root, std::string_view kind, std::string_view api_version,
                                               std::string_view namespace_);

class Inventory;

// Every object's pod templates, computed once per audit: extracting them walks the object, and
// several checks need them.
class PodTemplateIndex {
 public:
  explicit PodTemplateIndex(const Inventory& inventory);
  // The templates of an object of the inventory (empty for others and for kinds without pods).
  std::span<const PodTemplateView> of(const Object& object) const;
  std::span<const PodTemplateView> all() const { return templates_; }
  std::size_t objects_with_pods() const { return ranges_.size(); }

 private:
  std::vector<PodTemplateView> templates_;
  std::unordered_map<const Object*, std::pair<std::size_t, std::size_t>> ranges_;
};

// True for kinds pod_templates() understands ("Deployment", "Notebook", "TFJob", …).
bool holds_pods(const Object& object);

}  // namespace mg::kube
