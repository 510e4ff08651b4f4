// Finds the pod specs inside workload objects. Every accessor is tolerant: a field of the wrong
// type (a string where a template belongs) yields no template, never an error, because the input
// is untrusted and a half-valid object must not hide the valid templates beside it.
#include "kube/pod_template.hpp"

#include "kube/inventory.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>
#include <type_traits>

namespace mg::kube {
namespace {

// Every reader below is a template over the node type N: Value (a tree, `minerguard audit`) or
// JsonNode (a parsed audit event's requestObject). Ref<N> is how a view points at a node.
template <class N>
using Ref = std::conditional_t<std::is_same_v<N, Value>, const Value*, JsonNode>;

template <class N>
using Templates = std::vector<BasicPodTemplateView<Ref<N>>>;

// What a view says of the object its templates belong to.
struct Owner {
  const Object* object = nullptr;
  std::string_view namespace_;
};

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

// Calls each(index, item) for the items of an array, in order (a JsonNode array has no
// random access, so no reader indexes one).
template <class N, class Each>
void each_item(const N& list, Each&& each) {
  std::size_t index = 0;
  for (const auto& item : list.items()) each(index++, item);
}

template <class N>
void append_words(const N& list, std::vector<std::string>& out) {
  for (const auto& item : list.items()) {
    if (item.is_scalar() && !item.is_null()) out.emplace_back(item.str());
  }
}

// The container's keys are read in one pass over its members (a JsonNode finds a key by walking
// them all); a key written twice counts by its last value, as a lookup finds it.
template <class N>
BasicContainerView<Ref<N>> make_container(const N& node, std::string field, bool init) {
  BasicContainerView<Ref<N>> view;
  Ref<N> command{}, args{};
  for (const auto& [key, value] : node.members()) {
    const std::string_view k = key;
    if (k == "name") view.name = std::string(value.str());
    else if (k == "image") view.image = std::string(value.str());
    else if (k == "command") command = ref_of(value);
    else if (k == "args") args = ref_of(value);
  }
  if (command != nullptr) append_words(*command, view.command);
  if (args != nullptr) append_words(*args, view.command);
  view.field = std::move(field);
  view.line = node.line();
  view.init = init;
  view.spec = ref_of(node);
  return view;
}

template <class N>
void add_containers(BasicPodTemplateView<Ref<N>>& view, const N& list, std::string_view field, bool init) {
  each_item(list, [&](std::size_t i, const N& item) {
    if (item.is_object()) view.containers.push_back(make_container(item, indexed(field, i), init));
  });
}

template <class N>
void add_host_paths(BasicPodTemplateView<Ref<N>>& view, const N& volumes, std::string_view field) {
  each_item(volumes, [&](std::size_t i, const N& volume) {
    const auto host_path = volume.find("hostPath");
    if (host_path == nullptr || !host_path->is_object()) return;
    view.host_paths.push_back({std::string(volume["name"].str()), std::string((*host_path)["path"].str()),
                               indexed(field, i), volume.line()});
  });
}

template <class N>
void copy_strings(const N& map, std::map<std::string, std::string, std::less<>>& out) {
  for (const auto& [key, value] : map.members()) {
    if (value.is_scalar()) out.insert_or_assign(std::string(key), std::string(value.str()));
  }
}

template <class N>
void set_metadata(BasicPodTemplateView<Ref<N>>& view, const N& metadata) {
  copy_strings(metadata["labels"], view.labels);
  copy_strings(metadata["annotations"], view.annotations);
}

const Value& node_of(const Value* ref) { return ref != nullptr ? *ref : Value::null_ref(); }
JsonNode node_of(const JsonNode& ref) { return ref; }

// The keys of a pod spec (or of a part shaped like one: an Argo template or workflow spec, a Spark
// driver) that the readers below take, found in one pass over its members: a JsonNode finds a key
// by walking them all, and a pod spec has a dozen or more. A key written twice: its last value.
template <class N>
class PodKeys {
 public:
  // Value: a reference into the tree (or the shared null); JsonNode: the view itself.
  using Node = std::conditional_t<std::is_same_v<N, Value>, const Value&, JsonNode>;

  explicit PodKeys(const N& pod) {
    for (const auto& [key, value] : pod.members()) {
      if (const std::size_t i = index(key); i < kKeys.size()) refs_[i] = ref_of(value);
    }
  }
  Ref<N> find(std::string_view key) const {
    const std::size_t i = index(key);
    return i < kKeys.size() ? refs_[i] : Ref<N>{};
  }
  Node operator[](std::string_view key) const { return node_of(find(key)); }

 private:
  static constexpr std::array<std::string_view, 13> kKeys{
      "serviceAccountName", "serviceAccount", "automountServiceAccountToken", "hostPID", "hostNetwork", "hostIPC",
      "nodeSelector", "affinity", "tolerations", "volumes", "initContainers", "containers", "ephemeralContainers"};
  static std::size_t index(std::string_view key) {
    return static_cast<std::size_t>(std::find(kKeys.begin(), kKeys.end(), key) - kKeys.begin());
  }
  std::array<Ref<N>, kKeys.size()> refs_{};
};

// Sets a FieldView when the pod spec has the key and the view does not have it yet, so the first
// source that sets a field wins (an Argo template before its workflow).
template <class N>
void take_field(BasicFieldView<Ref<N>>& into, const PodKeys<N>& pod, std::string_view pod_field, std::string_view key) {
  if (into.value != nullptr) return;
  if (const auto value = pod.find(key); value != nullptr && !value->is_null()) into = {ref_of(*value), at(pod_field, key)};
}

// The service account, unless an earlier source set it: serviceAccountName, or the deprecated
// serviceAccount alias (SparkApplication uses it as its only spelling).
template <class N>
void take_service_account(BasicPodTemplateView<Ref<N>>& view, const PodKeys<N>& pod, std::string_view pod_field) {
  if (!view.service_account_field.empty()) return;
  for (std::string_view key : {"serviceAccountName", "serviceAccount"}) {
    const std::string name(pod[key].str());
    if (!name.empty()) {
      view.service_account = name;
      view.service_account_field = at(pod_field, key);
      return;
    }
  }
}

template <class N>
void take_pod_flags(BasicPodTemplateView<Ref<N>>& view, const PodKeys<N>& pod) {
  if (!view.automount_token) view.automount_token = pod["automountServiceAccountToken"].as_bool();
  view.host_pid = view.host_pid || pod["hostPID"].as_bool().value_or(false);
  view.host_network = view.host_network || pod["hostNetwork"].as_bool().value_or(false);
  view.host_ipc = view.host_ipc || pod["hostIPC"].as_bool().value_or(false);
}

template <class N>
void take_scheduling(BasicPodTemplateView<Ref<N>>& view, const PodKeys<N>& pod, std::string_view pod_field) {
  take_field(view.node_selector, pod, pod_field, "nodeSelector");
  take_field(view.affinity, pod, pod_field, "affinity");
  take_field(view.tolerations, pod, pod_field, "tolerations");
}

// Everything a pod spec (or an override of one) says about the pod as a whole: service account,
// privilege flags, scheduling, hostPath volumes.
template <class N>
void take_pod_settings(BasicPodTemplateView<Ref<N>>& view, const PodKeys<N>& pod, const std::string& pod_field) {
  take_service_account(view, pod, pod_field);
  take_pod_flags(view, pod);
  take_scheduling(view, pod, pod_field);
  add_host_paths(view, pod["volumes"], at(pod_field, "volumes"));
}

template <class N>
BasicPodTemplateView<Ref<N>> start_view(const Owner& owner, std::string field, int line, std::string role) {
  BasicPodTemplateView<Ref<N>> view;
  view.owner = owner.object;
  view.field = std::move(field);
  view.line = line;
  view.namespace_ = std::string(owner.namespace_);
  view.role = std::move(role);
  return view;
}

template <class View>
void finish_view(View& view) {
  if (view.service_account.empty()) view.service_account = "default";
}

// A core/v1 PodSpec (or something shaped like one: a KServe component, a Trainer override).
template <class N>
void fill_pod_spec(BasicPodTemplateView<Ref<N>>& view, const N& pod, const std::string& field) {
  view.pod_spec = ref_of(pod);
  view.pod_spec_field = field;
  const PodKeys<N> keys(pod);
  take_pod_settings(view, keys, field);
  add_containers(view, keys["initContainers"], at(field, "initContainers"), true);
  add_containers(view, keys["containers"], at(field, "containers"), false);
  add_containers(view, keys["ephemeralContainers"], at(field, "ephemeralContainers"), false);
}

// A PodTemplateSpec {metadata, spec} at `field`.
template <class N>
void from_template(const Owner& owner, const N& tmpl, const std::string& field, std::string role, Templates<N>& out) {
  const auto spec = tmpl.find("spec");
  if (!tmpl.is_object() || spec == nullptr || !spec->is_object()) return;
  auto view = start_view<N>(owner, at(field, "spec"), spec->line(), std::move(role));
  fill_pod_spec(view, *spec, view.field);
  set_metadata(view, tmpl["metadata"]);
  finish_view(view);
  out.push_back(std::move(view));
}

template <class N>
void collect(const Owner& owner, const N& root, std::string_view kind, std::string_view api_version,
             const std::string& prefix, int depth, Templates<N>& out);

// --- built-in kinds -------------------------------------------------------------------------

template <class N>
void pod(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  const auto& spec = root["spec"];
  if (!spec.is_object()) return;
  auto view = start_view<N>(owner, at(prefix, "spec"), spec.line(), "");
  fill_pod_spec(view, spec, view.field);
  set_metadata(view, root["metadata"]);
  finish_view(view);
  out.push_back(std::move(view));
}

// Deployment, ReplicaSet, StatefulSet, DaemonSet, Job, ReplicationController and Notebook.
template <class N>
void controller(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  from_template(owner, root["spec"]["template"], at(prefix, "spec.template"), "", out);
}

template <class N>
void cron_job(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  from_template(owner, root["spec"]["jobTemplate"]["spec"]["template"], at(prefix, "spec.jobTemplate.spec.template"),
                "", out);
}

// --- Kubeflow training operator (TFJob, PyTorchJob, MPIJob, XGBoostJob, PaddleJob, JAXJob) -----

// Every `<framework>ReplicaSpecs` map: the operator versions disagree on the prefix, the shape
// ({Role: {replicas, template}}) is the same.
template <class N>
void replica_specs(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  const std::string spec_field = at(prefix, "spec");
  for (const auto& [key, replicas] : root["spec"].members()) {
    if (!key.ends_with("ReplicaSpecs")) continue;
    const std::string replicas_field = at(spec_field, key);
    for (const auto& [role, replica] : replicas.members()) {
      from_template(owner, replica["template"], at(at(replicas_field, role), "template"), std::string(role), out);
    }
  }
}

// --- Argo Workflows ---------------------------------------------------------------------------

template <class N>
bool runs_a_pod(const N& tmpl) {
  return tmpl.find("container") != nullptr || tmpl.find("script") != nullptr || tmpl.find("containerSet") != nullptr;
}

// A script template runs its command with the source as a file: the source is what it executes.
template <class N>
BasicContainerView<Ref<N>> script_container(const N& script, std::string field) {
  auto view = make_container(script, std::move(field), false);
  if (const auto source = script["source"].str(); !source.empty()) view.command.emplace_back(source);
  return view;
}

// One template that starts a pod: pod-level fields from the template where Argo lets a template
// set them, else from the workflow spec.
template <class N>
BasicPodTemplateView<Ref<N>> argo_template(const Owner& owner, const N& wf, const std::string& wf_field, const N& tmpl,
                                           const std::string& field) {
  auto view = start_view<N>(owner, field, tmpl.line(), std::string(tmpl["name"].str()));
  view.pod_spec = ref_of(wf);
  view.pod_spec_field = wf_field;
  const PodKeys<N> tmpl_keys(tmpl), wf_keys(wf);
  take_service_account(view, tmpl_keys, field);
  take_service_account(view, wf_keys, wf_field);
  if (auto automount = tmpl_keys["automountServiceAccountToken"].as_bool()) view.automount_token = automount;
  take_pod_flags(view, wf_keys);  // hostNetwork exists only on the workflow spec
  take_scheduling(view, tmpl_keys, field);
  take_scheduling(view, wf_keys, wf_field);
  add_host_paths(view, wf_keys["volumes"], at(wf_field, "volumes"));
  add_host_paths(view, tmpl_keys["volumes"], at(field, "volumes"));
  set_metadata(view, wf["podMetadata"]);
  set_metadata(view, tmpl["metadata"]);

  add_containers(view, tmpl["initContainers"], at(field, "initContainers"), true);
  if (const auto& main = tmpl["container"]; main.is_object()) view.containers.push_back(make_container(main, at(field, "container"), false));
  if (const auto& script = tmpl["script"]; script.is_object()) view.containers.push_back(script_container(script, at(field, "script")));
  add_containers(view, tmpl["containerSet"]["containers"], at(field, "containerSet.containers"), false);
  add_containers(view, tmpl["sidecars"], at(field, "sidecars"), false);
  finish_view(view);
  return view;
}

// A KFP v2 compiled workflow keeps each component's container ({image, command, args}) as JSON in
// a workflow parameter; the launcher runs it with a pod spec patch. That is where a pipeline's
// real command is, so it is read as a container of its own.
template <class N>
std::optional<BasicContainerView<Ref<N>>> kfp_component(const N& parameter, const std::string& field,
                                                        std::optional<simdjson::dom::parser>& parser) {
  const auto text = parameter["value"].str();
  if (!text.starts_with('{') || text.find("\"image\"") == std::string_view::npos) return std::nullopt;
  if (!parser) parser.emplace();
  simdjson::dom::object root;
  if (parser->parse(text.data(), text.size()).get_object().get(root) != simdjson::SUCCESS) return std::nullopt;
  std::string_view image;
  if (root["image"].get_string().get(image) != simdjson::SUCCESS) return std::nullopt;
  BasicContainerView<Ref<N>> view;
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

template <class N>
void kfp_components(const Owner& owner, const N& wf, const std::string& wf_field, Templates<N>& out) {
  std::optional<simdjson::dom::parser> parser;  // only KFP workflows pay for one
  const std::string params_field = at(wf_field, "arguments.parameters");
  each_item(wf["arguments"]["parameters"], [&](std::size_t i, const N& parameter) {
    const std::string field = indexed(params_field, i);
    auto container = kfp_component(parameter, field, parser);
    if (!container) return;
    auto view = start_view<N>(owner, field, parameter.line(), "kfp-component");
    view.pod_spec = ref_of(wf);
    view.pod_spec_field = wf_field;
    take_pod_settings(view, PodKeys<N>(wf), wf_field);
    set_metadata(view, wf["podMetadata"]);
    view.containers.push_back(std::move(*container));
    finish_view(view);
    out.push_back(std::move(view));
  });
}

template <class N>
void argo_spec(const Owner& owner, const N& wf, const std::string& wf_field, Templates<N>& out) {
  if (!wf.is_object()) return;
  const std::string templates_field = at(wf_field, "templates");
  each_item(wf["templates"], [&](std::size_t i, const N& tmpl) {
    if (!tmpl.is_object() || !runs_a_pod(tmpl)) return;
    out.push_back(argo_template(owner, wf, wf_field, tmpl, indexed(templates_field, i)));
  });
  kfp_components(owner, wf, wf_field, out);
}

template <class N>
void workflow(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  argo_spec(owner, root["spec"], at(prefix, "spec"), out);
}

template <class N>
void cron_workflow(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  argo_spec(owner, root["spec"]["workflowSpec"], at(prefix, "spec.workflowSpec"), out);
}

// --- Katib ------------------------------------------------------------------------------------

template <class N>
void experiment(const Owner& owner, const N& root, const std::string& prefix, int depth, Templates<N>& out) {
  const auto& trial = root["spec"]["trialTemplate"]["trialSpec"];
  if (trial.is_object() && depth < kMaxEmbedding)
    collect(owner, trial, trial["kind"].str(), trial["apiVersion"].str(), at(prefix, "spec.trialTemplate.trialSpec"),
            depth + 1, out);
}

// --- KServe -----------------------------------------------------------------------------------

// Keys of a predictor/explainer that hold a model spec: a container (image, command, args, env,
// resources) merged into the serving runtime's.
constexpr std::array<std::string_view, 14> kModelKeys{"model",  "sklearn", "xgboost",     "tensorflow", "pytorch",
                                                      "triton", "onnx",    "pmml",        "lightgbm",   "paddle",
                                                      "huggingface", "art", "alibi",      "aix"};

template <class N>
bool has_container_fields(const N& spec) {
  for (std::string_view key : {"image", "command", "args", "env", "resources"}) {
    if (spec.find(key) != nullptr) return true;
  }
  return false;
}

template <class N>
void inference_service(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  const std::string spec_field = at(prefix, "spec");
  for (std::string_view component : {"predictor", "transformer", "explainer"}) {
    const auto& part = root["spec"][component];
    if (!part.is_object()) continue;
    auto view = start_view<N>(owner, at(spec_field, component), part.line(), std::string(component));
    fill_pod_spec(view, part, view.field);
    set_metadata(view, root["metadata"]);
    copy_strings(part["labels"], view.labels);
    copy_strings(part["annotations"], view.annotations);
    for (auto key : kModelKeys) {
      const auto& model = part[key];
      if (!model.is_object() || !has_container_fields(model)) continue;
      auto container = make_container(model, at(view.field, key), false);
      if (container.name.empty()) container.name = std::string(key);
      view.containers.push_back(std::move(container));
    }
    finish_view(view);
    const std::string worker_field = at(view.field, "workerSpec");
    out.push_back(std::move(view));
    // Multi-node serving: the workers are pods of their own.
    if (const auto& worker = part["workerSpec"]; worker.is_object()) {
      auto workers = start_view<N>(owner, worker_field, worker.line(), std::string(component) + "-worker");
      fill_pod_spec(workers, worker, worker_field);
      set_metadata(workers, root["metadata"]);
      finish_view(workers);
      out.push_back(std::move(workers));
    }
  }
}

// --- Kubeflow Trainer -------------------------------------------------------------------------

// The runtime's pods are overridden per job: service account, scheduling, volumes.
template <class N>
void trainer_overrides(BasicPodTemplateView<Ref<N>>& view, const N& spec, const std::string& spec_field) {
  for (std::string_view list : {"podSpecOverrides", "podTemplateOverrides"}) {
    each_item(spec[list], [&](std::size_t i, const N& item) {
      std::string field = indexed(at(spec_field, list), i);
      Ref<N> pod = ref_of(item);
      if (list == "podTemplateOverrides") {
        set_metadata(view, item["metadata"]);
        pod = ref_of(item["spec"]);
        field = at(field, "spec");
      }
      if (!pod->is_object()) return;
      take_pod_settings(view, PodKeys<N>(*pod), field);
    });
  }
}

template <class N>
void train_job(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  const auto& spec = root["spec"];
  if (!spec.is_object()) return;
  const std::string spec_field = at(prefix, "spec");
  const auto& trainer = spec["trainer"];
  const bool has_trainer = trainer.is_object();
  auto view = start_view<N>(owner, at(spec_field, "trainer"), has_trainer ? trainer.line() : spec.line(), "trainer");
  view.pod_spec = ref_of(has_trainer ? trainer : spec);
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
template <class N>
void spark_spec(const Owner& owner, const N& app, const std::string& app_field, const N& metadata, Templates<N>& out) {
  if (!app.is_object()) return;
  std::string driver_account, driver_account_field;
  for (std::string_view role : {"driver", "executor"}) {
    const auto& part = app[role];
    if (!part.is_object() && !part.is_null()) continue;  // wrong type: no template
    const std::string field = at(app_field, role);
    auto view = start_view<N>(owner, field, part.is_object() ? part.line() : app.line(), std::string(role));
    view.pod_spec = ref_of(part.is_object() ? part : app);
    view.pod_spec_field = part.is_object() ? field : app_field;
    const PodKeys<N> part_keys(part), app_keys(app);
    take_service_account(view, part_keys, field);
    if (view.service_account_field.empty() && !driver_account_field.empty()) {
      // Spark runs executors under the driver's account unless told otherwise.
      view.service_account = driver_account;
      view.service_account_field = driver_account_field;
    }
    take_pod_flags(view, part_keys);
    take_scheduling(view, part_keys, field);
    take_scheduling(view, app_keys, app_field);
    add_host_paths(view, app_keys["volumes"], at(app_field, "volumes"));
    set_metadata(view, metadata);
    copy_strings(part["labels"], view.labels);
    copy_strings(part["annotations"], view.annotations);

    add_containers(view, part["initContainers"], at(field, "initContainers"), true);
    BasicContainerView<Ref<N>> main;
    main.name = role == "driver" ? "spark-kubernetes-driver" : "spark-kubernetes-executor";
    main.image = std::string(part["image"].str(app["image"].str()));
    if (role == "driver") {
      if (const auto file = app["mainApplicationFile"].str(); !file.empty()) main.command.emplace_back(file);
      append_words(app["arguments"], main.command);
    }
    main.field = field;
    main.line = view.line;
    main.spec = part.is_object() ? ref_of(part) : Ref<N>{};
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

template <class N>
void spark_application(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  spark_spec(owner, root["spec"], at(prefix, "spec"), root["metadata"], out);
}

template <class N>
void scheduled_spark_application(const Owner& owner, const N& root, const std::string& prefix, int, Templates<N>& out) {
  spark_spec(owner, root["spec"]["template"], at(prefix, "spec.template"), root["metadata"], out);
}

// --- dispatch ---------------------------------------------------------------------------------

// Where a kind keeps its pods (one reader each, above).
enum class Shape : std::uint8_t {
  pod, controller, cron_job, replica_specs, experiment, workflow, cron_workflow, inference_service, train_job,
  spark_application, scheduled_spark_application,
};

struct PodKind {
  std::string_view kind;
  std::string_view group;  // "" is the core group
  Shape shape;
};

// The explicit list of kinds that hold pods. A kind is matched with its API group so that an
// unrelated CRD that happens to be called "Experiment" or "Notebook" is not misread.
constexpr std::array kPodKinds{
    PodKind{"Pod", "", Shape::pod},
    PodKind{"ReplicationController", "", Shape::controller},
    PodKind{"Deployment", "apps", Shape::controller},
    PodKind{"ReplicaSet", "apps", Shape::controller},
    PodKind{"StatefulSet", "apps", Shape::controller},
    PodKind{"DaemonSet", "apps", Shape::controller},
    PodKind{"Deployment", "extensions", Shape::controller},
    PodKind{"ReplicaSet", "extensions", Shape::controller},
    PodKind{"DaemonSet", "extensions", Shape::controller},
    PodKind{"Job", "batch", Shape::controller},
    PodKind{"CronJob", "batch", Shape::cron_job},
    PodKind{"Notebook", "kubeflow.org", Shape::controller},
    PodKind{"TFJob", "kubeflow.org", Shape::replica_specs},
    PodKind{"PyTorchJob", "kubeflow.org", Shape::replica_specs},
    PodKind{"MPIJob", "kubeflow.org", Shape::replica_specs},
    PodKind{"XGBoostJob", "kubeflow.org", Shape::replica_specs},
    PodKind{"PaddleJob", "kubeflow.org", Shape::replica_specs},
    PodKind{"JAXJob", "kubeflow.org", Shape::replica_specs},
    PodKind{"Experiment", "kubeflow.org", Shape::experiment},
    PodKind{"Workflow", "argoproj.io", Shape::workflow},
    PodKind{"WorkflowTemplate", "argoproj.io", Shape::workflow},
    PodKind{"ClusterWorkflowTemplate", "argoproj.io", Shape::workflow},
    PodKind{"CronWorkflow", "argoproj.io", Shape::cron_workflow},
    PodKind{"InferenceService", "serving.kserve.io", Shape::inference_service},
    PodKind{"InferenceService", "serving.kubeflow.org", Shape::inference_service},  // KFServing, KServe's predecessor
    PodKind{"TrainJob", "trainer.kubeflow.org", Shape::train_job},
    PodKind{"SparkApplication", "sparkoperator.k8s.io", Shape::spark_application},
    PodKind{"ScheduledSparkApplication", "sparkoperator.k8s.io", Shape::scheduled_spark_application},
};

const PodKind* pod_kind(std::string_view kind, std::string_view group) {
  for (const auto& entry : kPodKinds) {
    if (entry.kind == kind && entry.group == group) return &entry;
  }
  return nullptr;
}

template <class N>
void collect(const Owner& owner, const N& root, std::string_view kind, std::string_view api_version,
             const std::string& prefix, int depth, Templates<N>& out) {
  const PodKind* entry = pod_kind(kind, group_of(api_version));
  if (entry == nullptr) return;
  switch (entry->shape) {
    case Shape::pod: return pod(owner, root, prefix, depth, out);
    case Shape::controller: return controller(owner, root, prefix, depth, out);
    case Shape::cron_job: return cron_job(owner, root, prefix, depth, out);
    case Shape::replica_specs: return replica_specs(owner, root, prefix, depth, out);
    case Shape::experiment: return experiment(owner, root, prefix, depth, out);
    case Shape::workflow: return workflow(owner, root, prefix, depth, out);
    case Shape::cron_workflow: return cron_workflow(owner, root, prefix, depth, out);
    case Shape::inference_service: return inference_service(owner, root, prefix, depth, out);
    case Shape::train_job: return train_job(owner, root, prefix, depth, out);
    case Shape::spark_application: return spark_application(owner, root, prefix, depth, out);
    case Shape::scheduled_spark_application: return scheduled_spark_application(owner, root, prefix, depth, out);
  }
}

}  // namespace

std::vector<PodTemplateView> pod_templates(const Object& object) {
  Templates<Value> out;
  collect(Owner{&object, object.namespace_()}, object.root, object.root["kind"].str(), object.root["apiVersion"].str(), "", 0,
          out);
  return out;
}

std::vector<JsonPodTemplateView> pod_templates(const JsonNode& root, std::string_view kind, std::string_view api_version,
                                               std::string_view namespace_) {
  Templates<JsonNode> out;
  if (!root.is_object()) return out;
  const std::string_view own_kind = root["kind"].str(), own_version = root["apiVersion"].str();
  const std::string_view own_namespace = root["metadata"]["namespace"].str();
  collect(Owner{nullptr, own_namespace.empty() ? namespace_ : own_namespace}, root, own_kind.empty() ? kind : own_kind,
          own_version.empty() ? api_version : own_version, "", 0, out);
  return out;
}

bool holds_pods(const Object& object) { return pod_kind(object.kind(), object.api_group()) != nullptr; }

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
