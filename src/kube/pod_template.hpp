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
#include <vector>

#include "kube/object.hpp"

namespace mg::kube {

struct ContainerView {
  std::string name;
  std::string image;
  std::vector<std::string> command;   // command then args, as the container runs them
  std::string field;                  // "spec.template.spec.containers[0]"
  int line = 0;                       // line of the container in the source
  bool init = false;                  // an init container
  const Value* spec = nullptr;        // the container object itself (securityContext, resources, env)
};

struct HostPathView {
  std::string volume;                 // volume name
  std::string path;                   // hostPath.path
  std::string field;
  int line = 0;
};

// A pod-level field as it applies to one template (for Argo: the template's own value when it
// overrides the workflow's), with the dotted path where it is written. value is null when unset.
struct FieldView {
  const Value* value = nullptr;
  std::string field;
};

struct PodTemplateView {
  const Object* owner = nullptr;      // the object the template belongs to
  std::string field;                  // "spec.template.spec", "spec.tfReplicaSpecs.Worker.template.spec"
  int line = 0;
  std::string namespace_;             // the owner's namespace
  std::string role;                   // "", "Worker", "predictor", an Argo template name, …
  std::string service_account;        // resolved: serviceAccountName, serviceAccount, or "default"
  std::string service_account_field;  // where it is set ("" when defaulted)
  std::optional<bool> automount_token;   // automountServiceAccountToken on the pod spec, if set
  bool host_pid = false, host_network = false, host_ipc = false;
  std::vector<HostPathView> host_paths;
  std::vector<ContainerView> containers;  // init containers included (init = true)
  const Value* pod_spec = nullptr;    // the pod spec (or the Argo workflow spec), for anything else
  std::string pod_spec_field;         // where pod_spec is ("spec" for a Workflow, "spec.driver", …)
  FieldView node_selector, affinity, tolerations;
  // The pod's metadata as the template gives it (Argo: podMetadata merged with the template's).
  std::map<std::string, std::string, std::less<>> labels, annotations;
};

// The pod templates of one object; empty for kinds that hold no pods. Katib trial templates are
// followed into the object they embed (a Job, a TFJob, …).
std::vector<PodTemplateView> pod_templates(const Object& object);

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
