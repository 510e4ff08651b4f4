#include "kube/kubeflow_profiles.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <string>
#include <utility>

// Modelled on kubeflow/kubeflow components/profile-controller/controllers/profile_controller.go
// (moved to kubeflow/dashboard, same file, unchanged in what follows). Reconcile():
//  - creates Namespace <profile name>, annotation owner=<spec.owner.name>, label
//    istio-injection=enabled, then the labels of its namespace-labels.yaml (setNamespaceLabels:
//    a key is added only if absent, an empty value removes it);
//  - updateServiceAccount(default-editor, kubeflow-edit) and (default-viewer, kubeflow-view): a
//    ServiceAccount in the namespace and a RoleBinding of the same name to that ClusterRole;
//  - RoleBinding "namespaceAdmin" to ClusterRole kubeflow-admin whose subject is spec.owner as
//    written, annotated user=<owner>, role=admin.
// It also creates the Istio AuthorizationPolicy ns-owner-access-istio and, if asked, a
// ResourceQuota; neither grants Kubernetes API rights, so they are not synthesized here.

namespace mg::kube {
namespace {

constexpr std::string_view kRbacGroup = "rbac.authorization.k8s.io";

Value text(std::string_view value, int line) { return Value::string(std::string(value), line); }

Value metadata(std::string_view name, std::string_view namespace_, const std::string& source, int line) {
  Value meta = Value::object(line);
  meta.set("name", text(name, line));
  if (!namespace_.empty()) meta.set("namespace", text(namespace_, line));
  Value annotations = Value::object(line);
  annotations.set(std::string(kSynthesizedFromAnnotation), text(source, line));
  meta.set("annotations", std::move(annotations));
  return meta;
}

Value header(std::string_view api_version, std::string_view kind, Value meta, int line) {
  Value root = Value::object(line);
  root.set("apiVersion", text(api_version, line));
  root.set("kind", text(kind, line));
  root.set("metadata", std::move(meta));
  return root;
}

Object object_from(const Object& profile, Value root) {
  Object out;
  out.root = std::move(root);
  out.file = profile.file;
  out.line = profile.line;
  out.document = profile.document;
  return out;
}

// The profile controller's default namespace labels: the flat `key: value` map in the
// namespace-labels.yaml key of its ConfigMap (kustomize suffixes the ConfigMap's name, so the key
// is what identifies it). Absent or unreadable: no extra labels, as the controller would then
// refuse to start and nothing it labels exists.
std::vector<std::pair<std::string, std::string>> configured_namespace_labels(const Inventory& inventory) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto* config_map : inventory.of_kind("ConfigMap", "")) {
    const auto* file = config_map->root["data"].find("namespace-labels.yaml");
    if (file == nullptr) continue;
    try {
      const YAML::Node node = YAML::Load(std::string(file->str()));
      if (!node.IsMap()) return out;
      for (const auto& entry : node) {
        if (!entry.first.IsScalar() || !(entry.second.IsScalar() || entry.second.IsNull())) continue;
        out.emplace_back(entry.first.Scalar(), entry.second.IsNull() ? std::string() : entry.second.Scalar());
      }
    } catch (const YAML::Exception&) {
      out.clear();
    }
    return out;
  }
  return out;
}

Value namespace_labels(const std::vector<std::pair<std::string, std::string>>& configured, int line) {
  std::vector<std::pair<std::string, std::string>> labels{{"istio-injection", "enabled"}};
  for (const auto& [key, value] : configured) {
    auto it = std::ranges::find(labels, key, &std::pair<std::string, std::string>::first);
    if (value.empty()) {
      if (it != labels.end()) labels.erase(it);
    } else if (it == labels.end()) {
      labels.emplace_back(key, value);
    }
  }
  Value out = Value::object(line);
  for (const auto& [key, value] : labels) out.set(key, text(value, line));
  return out;
}

Value role_binding(std::string_view name, std::string_view namespace_, std::string_view cluster_role, Value subject,
                   const std::string& source, int line) {
  Value root = header("rbac.authorization.k8s.io/v1", "RoleBinding", metadata(name, namespace_, source, line), line);
  Value ref = Value::object(line);
  ref.set("apiGroup", text(kRbacGroup, line));
  ref.set("kind", text("ClusterRole", line));
  ref.set("name", text(cluster_role, line));
  root.set("roleRef", std::move(ref));
  Value subjects = Value::array(line);
  subjects.push_back(std::move(subject));
  root.set("subjects", std::move(subjects));
  return root;
}

Value service_account_subject(std::string_view name, std::string_view namespace_, int line) {
  Value subject = Value::object(line);
  subject.set("kind", text("ServiceAccount", line));
  subject.set("name", text(name, line));
  subject.set("namespace", text(namespace_, line));
  return subject;
}

class ProfileObjects {
 public:
  ProfileObjects(const Inventory& inventory, const Object& profile, std::vector<Object>& out)
      : inventory_(inventory), profile_(profile), out_(out), name_(profile.name()),
        source_("Profile " + std::string(profile.name())), line_(profile.line) {}

  void add_namespace(const std::vector<std::pair<std::string, std::string>>& configured) {
    if (inventory_.find("Namespace", "", name_) != nullptr) return;
    Value meta = metadata(name_, "", source_, line_);
    if (const auto owner = profile_.spec()["owner"]["name"].str(); !owner.empty()) {
      meta.find_mutable("annotations")->set("owner", text(owner, line_));
    }
    meta.set("labels", namespace_labels(configured, line_));
    add(header("v1", "Namespace", std::move(meta), line_));
  }

  // updateServiceAccount(): the account and its RoleBinding of the same name.
  void add_account(std::string_view account, std::string_view cluster_role) {
    if (inventory_.find("ServiceAccount", name_, account) == nullptr) {
      add(header("v1", "ServiceAccount", metadata(account, name_, source_, line_), line_));
    }
    if (inventory_.find("RoleBinding", name_, account) == nullptr) {
      add(role_binding(account, name_, cluster_role, service_account_subject(account, name_, line_), source_, line_));
    }
  }

  // The owner's binding: the subject is spec.owner exactly as written (kind User or Group).
  void add_owner_binding() {
    const auto& owner = profile_.spec()["owner"];
    if (!owner.is_object() || owner["name"].str().empty()) return;
    if (inventory_.find("RoleBinding", name_, "namespaceAdmin") != nullptr) return;
    Value binding = role_binding("namespaceAdmin", name_, "kubeflow-admin", owner, source_, line_);
    auto* annotations = binding.find_mutable("metadata")->find_mutable("annotations");
    annotations->set("user", text(owner["name"].str(), line_));
    annotations->set("role", text("admin", line_));
    add(std::move(binding));
  }

 private:
  void add(Value root) { out_.push_back(object_from(profile_, std::move(root))); }

  const Inventory& inventory_;
  const Object& profile_;
  std::vector<Object>& out_;
  std::string_view name_;
  std::string source_;
  int line_;
};

}  // namespace

std::vector<std::string_view> profile_namespaces(const Inventory& inventory) {
  std::vector<std::string_view> out;
  for (const auto* profile : inventory.of_kind("Profile", "kubeflow.org")) {
    if (!profile->name().empty()) out.push_back(profile->name());
  }
  return out;
}

std::vector<Object> profile_controller_objects(const Inventory& inventory) {
  std::vector<Object> out;
  const auto profiles = inventory.of_kind("Profile", "kubeflow.org");
  if (profiles.empty()) return out;
  const auto configured = configured_namespace_labels(inventory);
  for (const auto* profile : profiles) {
    if (profile->name().empty()) continue;
    ProfileObjects objects(inventory, *profile, out);
    objects.add_namespace(configured);
    objects.add_account("default-editor", "kubeflow-edit");
    objects.add_account("default-viewer", "kubeflow-view");
    objects.add_owner_binding();
  }
  return out;
}

bool is_synthesized(const Object& object) { return object.annotations().find(kSynthesizedFromAnnotation) != nullptr; }

}  // namespace mg::kube
