#include "audit/event_context.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "audit/engine.hpp"
#include "kube/reader.hpp"

namespace mg::audit {

std::string_view kind_of_resource(std::string_view resource) {
  struct Pair {
    std::string_view resource, kind;
  };
  static constexpr std::array kKinds = {
      Pair{"pods", "Pod"}, Pair{"replicationcontrollers", "ReplicationController"},
      Pair{"deployments", "Deployment"}, Pair{"replicasets", "ReplicaSet"}, Pair{"statefulsets", "StatefulSet"},
      Pair{"daemonsets", "DaemonSet"}, Pair{"jobs", "Job"}, Pair{"cronjobs", "CronJob"},
      Pair{"notebooks", "Notebook"}, Pair{"tfjobs", "TFJob"}, Pair{"pytorchjobs", "PyTorchJob"},
      Pair{"mpijobs", "MPIJob"}, Pair{"xgboostjobs", "XGBoostJob"}, Pair{"paddlejobs", "PaddleJob"},
      Pair{"jaxjobs", "JAXJob"}, Pair{"experiments", "Experiment"}, Pair{"workflows", "Workflow"},
      Pair{"workflowtemplates", "WorkflowTemplate"}, Pair{"clusterworkflowtemplates", "ClusterWorkflowTemplate"},
      Pair{"cronworkflows", "CronWorkflow"}, Pair{"inferenceservices", "InferenceService"},
      Pair{"trainjobs", "TrainJob"}, Pair{"sparkapplications", "SparkApplication"},
      Pair{"scheduledsparkapplications", "ScheduledSparkApplication"}, Pair{"services", "Service"},
      Pair{"namespaces", "Namespace"}, Pair{"profiles", "Profile"}, Pair{"secrets", "Secret"},
      Pair{"clusterrolebindings", "ClusterRoleBinding"}, Pair{"rolebindings", "RoleBinding"},
  };
  for (const auto& pair : kKinds)
    if (pair.resource == resource) return pair.kind;
  return {};
}

namespace {

const kube::ReadLimits& nested_limits() {
  static const kube::ReadLimits limits{.max_input_bytes = 64ull << 20, .max_document_bytes = 64ull << 20,
                                       .max_nodes_per_document = 2'000'000, .max_depth = 128};
  return limits;
}

bool gpu_word(std::string_view key) {
  return key.find("gpu") != std::string_view::npos || key.find("accelerator") != std::string_view::npos ||
         key.find("GPU") != std::string_view::npos;
}

// Any key (or string) below `node` that names a GPU: resources, selectors, affinity terms, tolerations.
bool mentions_gpu(const kube::JsonNode& node, int depth = 0) {
  if (depth > 32 || node.is_null()) return false;
  if (node.is_string()) return gpu_word(node.str());
  for (const auto& [key, value] : node.members())
    if (gpu_word(key) || mentions_gpu(value, depth + 1)) return true;
  for (const auto& item : node.items())
    if (mentions_gpu(item, depth + 1)) return true;
  return false;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      out += ' ';
    } else if (text[i] == '%' && i + 2 < text.size() && hex(text[i + 1]) >= 0 && hex(text[i + 2]) >= 0) {
      out += static_cast<char>(hex(text[i + 1]) * 16 + hex(text[i + 2]));
      i += 2;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace

// A request object larger than this does not keep its tree or parser buffers for the next
// event: the lent buffers hold the storage of ordinary objects, not of a rare huge one.
constexpr std::size_t kKeptRequestBytes = 1u << 20;

EventContext::~EventContext() {
  if (event.request_object.size() > kKeptRequestBytes) {
    buffers_.request_tree.root = kube::Value();
    buffers_.parser = simdjson::dom::parser();
  }
}

const simdjson::dom::element* EventContext::request_json() {
  if (!request_json_read_) {
    request_json_read_ = true;
    const std::string_view text = event.request_object;
    if (text.empty() || text.size() > nested_limits().max_input_bytes) return nullptr;
    // The raw text lies inside the decoder's padded buffer: parsed where it is, not copied.
    if (buffers_.parser.parse(text.data(), text.size(), false).get(request_json_) != simdjson::SUCCESS) {
      request_json_ = simdjson::dom::element();
      return nullptr;
    }
    request_ok_ = true;
  }
  return request_ok_ ? &request_json_ : nullptr;
}

kube::Object* EventContext::request_object() {
  if (request_ == nullptr) {
    const simdjson::dom::element* json = request_json();
    const bool built = json != nullptr && kube::read_json_value_into(buffers_.request_tree.root, *json, "requestObject",
                                                                     nested_limits());
    request_ = built ? &buffers_.request_tree : &no_request_;
    if (built) fill_in_from_objectref(*request_);
    // Lines inside the requestObject are never reported; the event's own line is.
    request_->file.assign(event.file);
    request_->line = static_cast<int>(std::min<std::uint64_t>(event.line, 1u << 30));
  }
  return request_;
}

// Patches and some exports leave out kind, apiVersion and namespace; the request's objectRef has
// them, and the rules see them filled in (as the workload fields do).
void EventContext::fill_in_from_objectref(kube::Object& object) const {
  if (!object.root.is_object()) return;
  if (object.kind().empty()) {
    const std::string_view kind = kind_of_resource(event.resource);
    if (kind.empty()) return;
    object.root.set("kind", kube::Value::string(std::string(kind)));
  }
  if (object.api_version().empty()) object.root.set("apiVersion", kube::Value::string(objectref_api_version()));
  if (object.namespace_().empty() && !event.namespace_.empty()) {
    kube::Value* metadata = object.root.find_mutable("metadata");
    if (metadata == nullptr) metadata = &object.root.set("metadata", kube::Value::object());
    if (metadata->is_object()) metadata->set("namespace", kube::Value::string(std::string(event.namespace_)));
  }
}

const kube::Value& EventContext::nested(FieldId root) {
  std::optional<kube::Value>* slot = nullptr;
  std::string_view text;
  const char* name = "";
  switch (root) {
    case FieldId::request_object: return request_object()->root;
    case FieldId::response_object: slot = &response_; text = event.response_object; name = "responseObject"; break;
    case FieldId::annotations: slot = &annotations_; text = event.annotations; name = "annotations"; break;
    case FieldId::user_extra: slot = &user_extra_; text = event.user_extra; name = "user.extra"; break;
    default: return kube::Value::null_ref();
  }
  if (!slot->has_value()) {
    auto parsed = text.empty() ? core::Result<kube::Value>(kube::Value())
                               : kube::read_json_value(text, name, nested_limits(), {.padded = true, .count_lines = false});
    *slot = parsed ? std::move(*parsed) : kube::Value();
  }
  return **slot;
}

void EventContext::collect(const kube::Value& node, const std::vector<std::string>& path, std::size_t at) {
  if (node.is_array()) {  // arrays are searched element by element
    for (const auto& item : node.items()) collect(item, path, at);
    return;
  }
  if (at == path.size()) {
    if (node.is_scalar() && !node.is_null()) values_.push_back(node.text());
    else if (!node.is_null()) values_.push_back("{}");   // present, not a scalar: exists, equals nothing
    return;
  }
  if (const kube::Value* child = node.find(path[at])) collect(*child, path, at + 1);
}

const std::vector<std::string_view>& EventContext::values(const Field& field) {
  values_.clear();
  const Event& e = event;
  auto one = [&](std::string_view v) {
    if (!v.empty()) values_.push_back(v);
  };
  switch (field.id) {
    case FieldId::verb: one(e.verb); break;
    case FieldId::stage: one(e.stage); break;
    case FieldId::level: one(e.level); break;
    case FieldId::audit_id: one(e.audit_id); break;
    case FieldId::request_uri: one(e.request_uri); break;
    case FieldId::user_agent: one(e.user_agent); break;
    case FieldId::username: one(e.username); break;
    case FieldId::groups: values_.assign(e.groups.begin(), e.groups.end()); break;
    case FieldId::impersonated_username: one(e.impersonated_username); break;
    case FieldId::source_ips: values_.assign(e.source_ips.begin(), e.source_ips.end()); break;
    case FieldId::resource: one(e.resource); break;
    case FieldId::subresource: one(e.subresource); break;
    case FieldId::namespace_: one(e.namespace_); break;
    case FieldId::name: one(e.name); break;
    case FieldId::api_group: one(e.api_group); break;
    case FieldId::api_version: one(e.api_version); break;
    case FieldId::response_code:
      if (e.code != 0) {
        code_text_ = std::to_string(e.code);
        values_.push_back(code_text_);
      }
      break;
    case FieldId::timestamp: one(e.timestamp); break;
    case FieldId::request_object:
    case FieldId::response_object:
    case FieldId::annotations:
    case FieldId::user_extra: {
      const kube::Value& root = nested(field.id);
      if (!root.is_null()) collect(root, field.path, 0);
      break;
    }
    case FieldId::workload_images: {
      const auto& w = workload();
      values_.assign(w.images.begin(), w.images.end());
      break;
    }
    case FieldId::workload_commands: {
      const auto& w = workload();
      values_.assign(w.commands.begin(), w.commands.end());
      break;
    }
    case FieldId::workload_service_accounts: {
      const auto& w = workload();
      values_.assign(w.service_accounts.begin(), w.service_accounts.end());
      break;
    }
    case FieldId::workload_node_selectors: {
      const auto& w = workload();
      values_.assign(w.node_selectors.begin(), w.node_selectors.end());
      break;
    }
    case FieldId::workload_gpu: values_.push_back(workload().gpu ? "true" : "false"); break;
    case FieldId::workload_kind: {
      const auto& w = workload();
      if (w.holds_pods) values_.push_back(w.kind);
      break;
    }
    case FieldId::workload_privileged: values_.push_back(workload().privileged ? "true" : "false"); break;
    case FieldId::workload_host_namespaces: {
      const auto& w = workload();
      values_.assign(w.host_namespaces.begin(), w.host_namespaces.end());
      break;
    }
    case FieldId::workload_host_paths: {
      const auto& w = workload();
      values_.assign(w.host_paths.begin(), w.host_paths.end());
      break;
    }
    case FieldId::exec_command: one(exec_command()); break;
    case FieldId::actor_kind: values_.push_back(to_string(actor_kind(e.username))); break;
    case FieldId::actor_namespace: one(service_account_namespace(e.username)); break;
    case FieldId::actor_controller: values_.push_back(identities_.is_controller(e.username) ? "true" : "false"); break;
    case FieldId::actor_new:
      values_.push_back(identities_.is_new(e.username, e.time_us, settings_.new_actor_after_us) ? "true" : "false");
      break;
    case FieldId::creator: one(attribution().creator); break;
    case FieldId::creator_new:
      values_.push_back(identities_.is_new(attribution().creator, e.time_us, settings_.new_actor_after_us) ? "true" : "false");
      break;
  }
  return values_;
}

const WorkloadInfo& EventContext::workload() {
  if (workload_) return *workload_;
  workload_.emplace();
  WorkloadInfo& w = *workload_;
  const simdjson::dom::element* json = request_json();
  if (json == nullptr) return w;
  const kube::JsonNode root(*json);
  if (!root.is_object()) return w;
  // Patches and some exports leave out kind, apiVersion and namespace; the request's objectRef
  // has them.
  w.kind = std::string(kind_of(root));   // copied first: a number's text does not outlive more reads
  if (w.kind.empty()) return w;
  std::string api_version;
  if (root["apiVersion"].str().empty()) api_version = objectref_api_version();
  const auto templates = kube::pod_templates(root, w.kind, api_version, event.namespace_);
  w.holds_pods = !templates.empty();
  for (const auto& view : templates) {
    if (!view.service_account.empty()) w.service_accounts.push_back(view.service_account);
    for (const auto& [key, value] : view.node_selector.value.members())
      w.node_selectors.push_back(std::string(key) + "=" + std::string(value.str()));
    if (mentions_gpu(view.node_selector.value) || mentions_gpu(view.affinity.value) || mentions_gpu(view.tolerations.value))
      w.gpu = true;
    auto host = [&](bool on, std::string_view name) {
      if (on && std::find(w.host_namespaces.begin(), w.host_namespaces.end(), name) == w.host_namespaces.end())
        w.host_namespaces.emplace_back(name);
    };
    host(view.host_pid, "hostPID");
    host(view.host_network, "hostNetwork");
    host(view.host_ipc, "hostIPC");
    for (const auto& path : view.host_paths) w.host_paths.push_back(path.path);
    for (const auto& container : view.containers) {
      if (!container.image.empty()) w.images.push_back(container.image);
      if (container.spec["securityContext"]["privileged"].as_bool().value_or(false)) w.privileged = true;
      if (mentions_gpu(container.spec["resources"])) w.gpu = true;
      auto texts = kube::container_texts(container);
      std::string joined;
      for (const auto& t : texts) joined += (joined.empty() ? "" : " ") + t.text;
      if (!joined.empty()) w.commands.push_back(std::move(joined));
      if (!texts.empty()) {
        w.texts.push_back(std::move(texts));
        w.container_fields.push_back(container.field);
      }
    }
  }
  return w;
}

std::string_view EventContext::kind_of(const kube::JsonNode& root) const {
  const std::string_view own = root["kind"].str();
  return own.empty() ? kind_of_resource(event.resource) : own;
}

std::string EventContext::objectref_api_version() const {
  std::string version(event.api_group);
  if (!version.empty()) version.append("/");
  version.append(event.api_version);
  return version;
}

const ObjectMeta& EventContext::meta() {
  if (!meta_) {
    const simdjson::dom::element* json = request_json();
    meta_ = json != nullptr ? read_object_meta(*json) : ObjectMeta{};
  }
  return *meta_;
}

const IdentityBook::Attribution& EventContext::attribution() {
  if (!attribution_) attribution_ = identities_.attribute(event.username, meta(), event.namespace_);
  return *attribution_;
}

std::string_view EventContext::exec_command() {
  if (exec_command_) return *exec_command_;
  exec_command_.emplace();
  const auto query_at = event.request_uri.find('?');
  if (query_at == std::string_view::npos) return *exec_command_;
  std::string_view query = event.request_uri.substr(query_at + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (pair.starts_with("command=")) {
      if (!exec_command_->empty()) *exec_command_ += ' ';
      *exec_command_ += url_decode(pair.substr(8));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return *exec_command_;
}

}  // namespace mg::audit
