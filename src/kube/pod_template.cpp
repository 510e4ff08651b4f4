// Finds the pod specs inside workload objects. Every accessor is tolerant: a field of the wrong
// type (a string where a template belongs) yields no template, never an error, because the input
// is untrusted and a half-valid object must not hide the valid templates beside it.
#include "kube/pod_template.hpp"

#include "kube/inventory.hpp"

#include <simdjson.h>

#include <array>
#include <string_view>

namespace mg::kube {
namespace {

using Templates = std::vector<PodTemplateView>;
using Handler = void (*)(const Object& owner, const Value& root, const std::string& prefix, int depth, Templates& out);

// A Katib trial may embed a TFJob; a trial embedding an Experiment is nonsense we stop following.
constexpr int kMaxEmbedding = 3;

std::string at(std::string_view base, std::string_view key) {
  if (base.empty()) return std::string(key);
  std::string out(base);
  out += '.';
  out += key;
  return out;
}

std::string indexed(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

std::string_view group_of(std::string_view api_version) {
  const auto slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string_view() : api_version.substr(0, slash);
}

void append_words(const Value& list, std::vector<std::string>& out) {
  for (const auto& item : list.items()) {
    if (item.is_scalar() && !item.is_null()) out.emplace_back(item.str());
  }
}

ContainerView make_container(const Value& node, std::string field, bool init) {
  ContainerView view;
  view.name = std::string(node["name"].str());
  view.image = std::string(node["image"].str());
  append_words(node["command"], view.command);
  append_words(node["args"], view.command);
  view.field = std::move(field);
  view.line = node.line();
  view.init = init;
  view.spec = &node;
  return view;
}

void add_containers(PodTemplateView& view, const Value& list, std::string_view field, bool init) {
  const auto items = list.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].is_object()) view.containers.push_back(make_container(items[i], indexed(field, i), init));
  }
}

void add_host_paths(PodTemplateView& view, const Value& volumes, std::string_view field) {
  const auto items = volumes.items();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value* host_path = items[i].find("hostPath");
    if (host_path == nullptr || !host_path->is_object()) continue;
    view.host_paths.push_back({std::string(items[i]["name"].str()), std::string((*host_path)["path"].str()),
                               indexed(field, i), items[i].line()});
  }
}

void copy_strings(const Value& map, std::map<std::string, std::string, std::less<>>& out) {
  for (const auto& [key, value] : map.members()) {
    if (value.is_scalar()) out.insert_or_assign(key, std::string(value.str()));
  }
}

void set_metadata(PodTemplateView& view, const Value& metadata) {
  copy_strings(metadata["labels"], view.labels);
  copy_strings(metadata["annotations"], view.annotations);
}

// Sets a FieldView when the pod spec has the key and the view does not have it yet, so the first
// source that sets a field wins (an Argo template before its workflow).
void take_field(FieldView& into, const Value& pod, std::string_view pod_field, std::string_view key) {
  if (into.value != nullptr) return;
  if (const Value* value = pod.find(key); value != nullptr && !value->is_null()) into = {value, at(pod_field, key)};
}

// The service account, unless an earlier source set it: serviceAccountName, or the deprecated
// serviceAccount alias (SparkApplication uses it as its only spelling).
void take_service_account(PodTemplateView& view, const Value& pod, std::string_view pod_field) {
  if (!view.service_account_field.empty()) return;
  for (std::string_view key : {"serviceAccountName", "serviceAccount"}) {
    const auto name = pod[key].str();
    if (!name.empty()) {
      view.service_account = std::string(name);
      view.service_account_field = at(pod_field, key);
      return;
    }
  }
}

void take_pod_flags(PodTemplateView& view, const Value& pod) {
  if (!view.automount_token) view.automount_token = pod["automountServiceAccountToken"].as_bool();
  view.host_pid = view.host_pid || pod["hostPID"].as_bool().value_or(false);
  view.host_network = view.host_network || pod["hostNetwork"].as_bool().value_or(false);
  view.host_ipc = view.host_ipc || pod["hostIPC"].as_bool().value_or(false);
}

void take_scheduling(PodTemplateView& view, const Value& pod, std::string_view pod_field) {
  take_field(view.node_selector, pod, pod_field, "nodeSelector");
  take_field(view.affinity, pod, pod_field, "affinity");
  take_field(view.tolerations, pod, pod_field, "tolerations");
}

// Everything a pod spec (or an override of one) says about the pod as a whole: service account,
// privilege flags, scheduling, hostPath volumes.
void take_pod_settings(PodTemplateView& view, const Value& pod, const std::string& pod_field) {
  take_service_account(view, pod, pod_field);
  take_pod_flags(view, pod);
  take_scheduling(view, pod, pod_field);
  add_host_paths(view, pod["volumes"], at(pod_field, "volumes"));
}

PodTemplateView start_view(const Object& owner, std::string field, int line, std::string role) {
  PodTemplateView view;
  view.owner = &owner;
  view.field = std::move(field);
  view.line = line;
  view.namespace_ = std::string(owner.namespace_());
  view.role = std::move(role);
  return view;
}

void finish_view(PodTemplateView& view) {
  if (view.service_account.empty()) view.service_account = "default";
}

// A core/v1 PodSpec (or something shaped like one: a KServe component, a Trainer override).
void fill_pod_spec(PodTemplateView& view, const Value& pod, const std::string& field) {
  view.pod_spec = &pod;
  view.pod_spec_field = field;
  take_pod_settings(view, pod, field);
  add_containers(view, pod["initContainers"], at(field, "initContainers"), true);
  add_containers(view, pod["containers"], at(field, "containers"), false);
  add_containers(view, pod["ephemeralContainers"], at(field, "ephemeralContainers"), false);
}

// A PodTemplateSpec {metadata, spec} at `field`.
void from_template(const Object& owner, const Value& tmpl, const std::string& field, std::string role, Templates& out) {
  const Value* spec = tmpl.find("spec");
  if (!tmpl.is_object() || spec == nullptr || !spec->is_object()) return;
  auto view = start_view(owner, at(field, "spec"), spec->line(), std::move(role));
  fill_pod_spec(view, *spec, view.field);
  set_metadata(view, tmpl["metadata"]);
  finish_view(view);
  out.push_back(std::move(view));
}

void collect(const Object& owner, const Value& root, const std::string& prefix, int depth, Templates& out);

// --- built-in kinds -------------------------------------------------------------------------

void pod(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  const Value& spec = root["spec"];
  if (!spec.is_object()) return;
  auto view = start_view(owner, at(prefix, "spec"), spec.line(), "");
  fill_pod_spec(view, spec, view.field);
  set_metadata(view, root["metadata"]);
  finish_view(view);
  out.push_back(std::move(view));
}

// Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController and Notebook.
void controller(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  from_template(owner, root["spec"]["template"], at(prefix, "spec.template"), "", out);
}

void cron_job(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  from_template(owner, root["spec"]["jobTemplate"]["spec"]["template"], at(prefix, "spec.jobTemplate.spec.template"),
                "", out);
}

// --- Kubeflow training operator (TFJob, PyTorchJob, MPIJob, XGBoostJob, PaddleJob, JAXJob) -----

// Every `<framework>ReplicaSpecs` map: the operator versions disagree on the prefix, the shape
// ({Role: {replicas, template}}) is the same.
void replica_specs(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  const std::string spec_field = at(prefix, "spec");
  for (const auto& [key, replicas] : root["spec"].members()) {
    if (!key.ends_with("ReplicaSpecs")) continue;
    const std::string replicas_field = at(spec_field, key);
    for (const auto& [role, replica] : replicas.members()) {
      from_template(owner, replica["template"], at(at(replicas_field, role), "template"), role, out);
    }
  }
}

// --- Argo Workflows ---------------------------------------------------------------------------

bool runs_a_pod(const Value& tmpl) {
  return tmpl.find("container") != nullptr || tmpl.find("script") != nullptr || tmpl.find("containerSet") != nullptr;
}

// A script template runs its command with the source as a file: the source is what it executes.
ContainerView script_container(const Value& script, std::string field) {
  auto view = make_container(script, std::move(field), false);
  if (const auto source = script["source"].str(); !source.empty()) view.command.emplace_back(source);
  return view;
}

// One template that starts a pod: pod-level fields from the template where Argo lets a template
// set them, else from the workflow spec.
PodTemplateView argo_template(const Object& owner, const Value& wf, const std::string& wf_field, const Value& tmpl,
                              const std::string& field) {
  auto view = start_view(owner, field, tmpl.line(), std::string(tmpl["name"].str()));
  view.pod_spec = &wf;
  view.pod_spec_field = wf_field;
  take_service_account(view, tmpl, field);
  take_service_account(view, wf, wf_field);
  if (auto automount = tmpl["automountServiceAccountToken"].as_bool()) view.automount_token = automount;
  take_pod_flags(view, wf);  // hostNetwork exists only on the workflow spec
  take_scheduling(view, tmpl, field);
  take_scheduling(view, wf, wf_field);
  add_host_paths(view, wf["volumes"], at(wf_field, "volumes"));
  add_host_paths(view, tmpl["volumes"], at(field, "volumes"));
  set_metadata(view, wf["podMetadata"]);
  set_metadata(view, tmpl["metadata"]);

  add_containers(view, tmpl["initContainers"], at(field, "initContainers"), true);
  if (const Value& main = tmpl["container"]; main.is_object()) view.containers.push_back(make_container(main, at(field, "container"), false));
  if (const Value& script = tmpl["script"]; script.is_object()) view.containers.push_back(script_container(script, at(field, "script")));
  add_containers(view, tmpl["containerSet"]["containers"], at(field, "containerSet.containers"), false);
  add_containers(view, tmpl["sidecars"], at(field, "sidecars"), false);
  finish_view(view);
  return view;
}

// A KFP v2 compiled workflow keeps each component's container ({image, command, args}) as JSON in
// a workflow parameter; the launcher runs it with a pod spec patch. That is where a pipeline's
// real command is, so it is read as a container of its own.
std::optional<ContainerView> kfp_component(const Value& parameter, const std::string& field,
                                           std::optional<simdjson::dom::parser>& parser) {
  const auto text = parameter["value"].str();
  if (!text.starts_with('{') || text.find("\"image\"") == std::string_view::npos) return std::nullopt;
  if (!parser) parser.emplace();
  simdjson::dom::object root;
  if (parser->parse(text.data(), text.size()).get_object().get(root) != simdjson::SUCCESS) return std::nullopt;
  std::string_view image;
  if (root["image"].get_string().get(image) != simdjson::SUCCESS) return std::nullopt;
  ContainerView view;
  view.name = "main";  // the name KFP gives the user container
  view.image = std::string(image);
  for (const char* key : {"command", "args"}) {
    simdjson::dom::array words;
    if (root[key].get_array().get(words) != simdjson::SUCCESS) continue;
    for (auto word : words) {
      std::string_view text_word;
      if (word.get_string().get(text_word) == simdjson::SUCCESS) view.command.emplace_back(text_word);
    }
  }
  if (view.command.empty() && view.image.empty()) return std::nullopt;
  view.field = at(field, "value");
  view.line = parameter["value"].line();
  return view;
}

void kfp_components(const Object& owner, const Value& wf, const std::string& wf_field, Templates& out) {
  std::optional<simdjson::dom::parser> parser;  // only KFP workflows pay for one
  const std::string params_field = at(wf_field, "arguments.parameters");
  const auto params = wf["arguments"]["parameters"].items();
  for (std::size_t i = 0; i < params.size(); ++i) {
    const std::string field = indexed(params_field, i);
    auto container = kfp_component(params[i], field, parser);
    if (!container) continue;
    auto view = start_view(owner, field, params[i].line(), "kfp-component");
    view.pod_spec = &wf;
    view.pod_spec_field = wf_field;
    take_pod_settings(view, wf, wf_field);
    set_metadata(view, wf["podMetadata"]);
    view.containers.push_back(std::move(*container));
    finish_view(view);
    out.push_back(std::move(view));
  }
}

void argo_spec(const Object& owner, const Value& wf, const std::string& wf_field, Templates& out) {
  if (!wf.is_object()) return;
  const auto templates = wf["templates"].items();
  const std::string templates_field = at(wf_field, "templates");
  for (std::size_t i = 0; i < templates.size(); ++i) {
    if (!templates[i].is_object() || !runs_a_pod(templates[i])) continue;
    out.push_back(argo_template(owner, wf, wf_field, templates[i], indexed(templates_field, i)));
  }
  kfp_components(owner, wf, wf_field, out);
}

void workflow(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  argo_spec(owner, root["spec"], at(prefix, "spec"), out);
}

void cron_workflow(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  argo_spec(owner, root["spec"]["workflowSpec"], at(prefix, "spec.workflowSpec"), out);
}

// --- Katib ------------------------------------------------------------------------------------

void experiment(const Object& owner, const Value& root, const std::string& prefix, int depth, Templates& out) {
  const Value& trial = root["spec"]["trialTemplate"]["trialSpec"];
  if (trial.is_object() && depth < kMaxEmbedding) collect(owner, trial, at(prefix, "spec.trialTemplate.trialSpec"), depth + 1, out);
}

// --- KServe -----------------------------------------------------------------------------------

// Keys of a predictor/explainer that hold a model spec: a container (image, command, args, env,
// resources) merged into the serving runtime's.
constexpr std::array<std::string_view, 14> kModelKeys{"model",  "sklearn", "xgboost",     "tensorflow", "pytorch",
                                                      "triton", "onnx",    "pmml",        "lightgbm",   "paddle",
                                                      "huggingface", "art", "alibi",      "aix"};

bool has_container_fields(const Value& spec) {
  for (std::string_view key : {"image", "command", "args", "env", "resources"}) {
    if (spec.find(key) != nullptr) return true;
  }
  return false;
}

void inference_service(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  const std::string spec_field = at(prefix, "spec");
  for (std::string_view component : {"predictor", "transformer", "explainer"}) {
    const Value& part = root["spec"][component];
    if (!part.is_object()) continue;
    auto view = start_view(owner, at(spec_field, component), part.line(), std::string(component));
    fill_pod_spec(view, part, view.field);
    set_metadata(view, root["metadata"]);
    copy_strings(part["labels"], view.labels);
    copy_strings(part["annotations"], view.annotations);
    for (auto key : kModelKeys) {
      const Value& model = part[key];
      if (!model.is_object() || !has_container_fields(model)) continue;
      auto container = make_container(model, at(view.field, key), false);
      if (container.name.empty()) container.name = std::string(key);
      view.containers.push_back(std::move(container));
    }
    finish_view(view);
    const std::string worker_field = at(view.field, "workerSpec");
    out.push_back(std::move(view));
    // Multi-node serving: the workers are pods of their own.
    if (const Value& worker = part["workerSpec"]; worker.is_object()) {
      auto workers = start_view(owner, worker_field, worker.line(), std::string(component) + "-worker");
      fill_pod_spec(workers, worker, worker_field);
      set_metadata(workers, root["metadata"]);
      finish_view(workers);
      out.push_back(std::move(workers));
    }
  }
}

// --- Kubeflow Trainer -------------------------------------------------------------------------

// The runtime's pods are overridden per job: service account, scheduling, volumes.
void trainer_overrides(PodTemplateView& view, const Value& spec, const std::string& spec_field) {
  for (std::string_view list : {"podSpecOverrides", "podTemplateOverrides"}) {
    const auto items = spec[list].items();
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string field = indexed(at(spec_field, list), i);
      const Value* pod = &items[i];
      if (list == "podTemplateOverrides") {
        set_metadata(view, items[i]["metadata"]);
        pod = &items[i]["spec"];
        field = at(field, "spec");
      }
      if (!pod->is_object()) continue;
      take_pod_settings(view, *pod, field);
    }
  }
}

void train_job(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  const Value& spec = root["spec"];
  if (!spec.is_object()) return;
  const std::string spec_field = at(prefix, "spec");
  const Value& trainer = spec["trainer"];
  const bool has_trainer = trainer.is_object();
  auto view = start_view(owner, at(spec_field, "trainer"), has_trainer ? trainer.line() : spec.line(), "trainer");
  view.pod_spec = has_trainer ? &trainer : &spec;
  view.pod_spec_field = has_trainer ? view.field : spec_field;
  if (has_trainer) {
    auto container = make_container(trainer, view.field, false);
    container.name = "node";  // the container of the runtime the trainer overrides
    view.containers.push_back(std::move(container));
  }
  trainer_overrides(view, spec, spec_field);
  set_metadata(view, root["metadata"]);
  finish_view(view);
  out.push_back(std::move(view));
}

// --- Spark operator ---------------------------------------------------------------------------

// The driver and the executors. The driver runs mainApplicationFile with `arguments`; that is
// the closest a SparkApplication comes to a command line.
void spark_spec(const Object& owner, const Value& app, const std::string& app_field, const Value& metadata,
                Templates& out) {
  if (!app.is_object()) return;
  std::string driver_account, driver_account_field;
  for (std::string_view role : {"driver", "executor"}) {
    const Value& part = app[role];
    if (!part.is_object() && !part.is_null()) continue;  // wrong type: no template
    const std::string field = at(app_field, role);
    auto view = start_view(owner, field, part.is_object() ? part.line() : app.line(), std::string(role));
    view.pod_spec = part.is_object() ? &part : &app;
    view.pod_spec_field = part.is_object() ? field : app_field;
    take_service_account(view, part, field);
    if (view.service_account_field.empty() && !driver_account_field.empty()) {
      // Spark runs executors under the driver's account unless told otherwise.
      view.service_account = driver_account;
      view.service_account_field = driver_account_field;
    }
    take_pod_flags(view, part);
    take_scheduling(view, part, field);
    take_scheduling(view, app, app_field);
    add_host_paths(view, app["volumes"], at(app_field, "volumes"));
    set_metadata(view, metadata);
    copy_strings(part["labels"], view.labels);
    copy_strings(part["annotations"], view.annotations);

    add_containers(view, part["initContainers"], at(field, "initContainers"), true);
    ContainerView main;
    main.name = role == "driver" ? "spark-kubernetes-driver" : "spark-kubernetes-executor";
    main.image = std::string(part["image"].str(app["image"].str()));
    if (role == "driver") {
      if (const auto file = app["mainApplicationFile"].str(); !file.empty()) main.command.emplace_back(file);
      append_words(app["arguments"], main.command);
    }
    main.field = field;
    main.line = view.line;
    main.spec = part.is_object() ? &part : nullptr;
    view.containers.push_back(std::move(main));
    add_containers(view, part["sidecars"], at(field, "sidecars"), false);
    finish_view(view);
    if (role == "driver") {
      driver_account = view.service_account;
      driver_account_field = view.service_account_field;
    }
    out.push_back(std::move(view));
  }
}

void spark_application(const Object& owner, const Value& root, const std::string& prefix, int, Templates& out) {
  spark_spec(owner, root["spec"], at(prefix, "spec"), root["metadata"], out);
}

void scheduled_spark_application(const Object& owner, const Value& root, const std::string& prefix, int,
                                 Templates& out) {
  spark_spec(owner, root["spec"]["template"], at(prefix, "spec.template"), root["metadata"], out);
}

// --- dispatch ---------------------------------------------------------------------------------

struct PodKind {
  std::string_view kind;
  std::string_view group;  // "" is the core group
  Handler handler;
};

// The explicit list of kinds that hold pods. A kind is matched with its API group so that an
// unrelated CRD that happens to be called "Experiment" or "Notebook" is not misread.
constexpr std::array kPodKinds{
    PodKind{"Pod", "", pod},
    PodKind{"ReplicationController", "", controller},
    PodKind{"Deployment", "apps", controller},
    PodKind{"ReplicaSet", "apps", controller},
    PodKind{"StatefulSet", "apps", controller},
    PodKind{"DaemonSet", "apps", controller},
    PodKind{"Deployment", "extensions", controller},
    PodKind{"ReplicaSet", "extensions", controller},
    PodKind{"DaemonSet", "extensions", controller},
    PodKind{"Job", "batch", controller},
    PodKind{"CronJob", "batch", cron_job},
    PodKind{"Notebook", "kubeflow.org", controller},
    PodKind{"TFJob", "kubeflow.org", replica_specs},
    PodKind{"PyTorchJob", "kubeflow.org", replica_specs},
    PodKind{"MPIJob", "kubeflow.org", replica_specs},
    PodKind{"XGBoostJob", "kubeflow.org", replica_specs},
    PodKind{"PaddleJob", "kubeflow.org", replica_specs},
    PodKind{"JAXJob", "kubeflow.org", replica_specs},
    PodKind{"Experiment", "kubeflow.org", experiment},
    PodKind{"Workflow", "argoproj.io", workflow},
    PodKind{"WorkflowTemplate", "argoproj.io", workflow},
    PodKind{"ClusterWorkflowTemplate", "argoproj.io", workflow},
    PodKind{"CronWorkflow", "argoproj.io", cron_workflow},
    PodKind{"InferenceService", "serving.kserve.io", inference_service},
    PodKind{"InferenceService", "serving.kubeflow.org", inference_service},  // KFServing, KServe's predecessor
    PodKind{"TrainJob", "trainer.kubeflow.org", train_job},
    PodKind{"SparkApplication", "sparkoperator.k8s.io", spark_application},
    PodKind{"ScheduledSparkApplication", "sparkoperator.k8s.io", scheduled_spark_application},
};

Handler handler_for(std::string_view kind, std::string_view group) {
  for (const auto& entry : kPodKinds) {
    if (entry.kind == kind && entry.group == group) return entry.handler;
  }
  return nullptr;
}

void collect(const Object& owner, const Value& root, const std::string& prefix, int depth, Templates& out) {
  if (Handler handler = handler_for(root["kind"].str(), group_of(root["apiVersion"].str()))) {
    handler(owner, root, prefix, depth, out);
  }
}

}  // namespace

std::vector<PodTemplateView> pod_templates(const Object& object) {
  Templates out;
  collect(object, object.root, "", 0, out);
  return out;
}

bool holds_pods(const Object& object) { return handler_for(object.kind(), object.api_group()) != nullptr; }

PodTemplateIndex::PodTemplateIndex(const Inventory& inventory) {
  for (const auto& object : inventory.objects()) {
    if (!holds_pods(object)) continue;
    auto found = pod_templates(object);
    if (found.empty()) continue;
    ranges_.emplace(&object, std::make_pair(templates_.size(), found.size()));
    for (auto& view : found) templates_.push_back(std::move(view));
  }
}

std::span<const PodTemplateView> PodTemplateIndex::of(const Object& object) const {
  auto it = ranges_.find(&object);
  if (it == ranges_.end()) return {};
  return std::span<const PodTemplateView>(templates_).subspan(it->second.first, it->second.second);
}

}  // namespace mg::kube
