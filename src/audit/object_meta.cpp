#include "audit/object_meta.hpp"

#include <array>

namespace mg::audit {

bool is_creator_annotation(std::string_view key) {
  static constexpr std::array kKeys = {
      std::string_view("notebooks.kubeflow.org/creator"),   // Jupyter web app
      std::string_view("kubeflow-resource-creator"),
      std::string_view("tensorboards.kubeflow.org/creator"),
      std::string_view("pipelines.kubeflow.org/creator"),
      std::string_view("kubeflow.org/creator"),
      std::string_view("owner"),                            // Profile spec, as annotations on namespaces
  };
  for (auto k : kKeys)
    if (key == k) return true;
  return false;
}

ObjectMeta object_meta(const kube::Value& root) {
  ObjectMeta meta;
  if (!root.is_object()) return meta;
  meta.parsed = true;
  meta.kind = root["kind"].str();
  const kube::Value& metadata = root["metadata"];
  meta.name = metadata["name"].str();
  if (meta.name.empty()) meta.name = metadata["generateName"].str();  // the server picks the name
  meta.namespace_ = metadata["namespace"].str();
  for (const auto& owner : metadata["ownerReferences"].items()) {
    OwnerRef ref;
    ref.kind = owner["kind"].str();
    ref.name = owner["name"].str();
    ref.controller = owner["controller"].is_bool() && owner["controller"].as_bool().value_or(false);
    // The controller owner decides; otherwise the first owner is the best lead.
    if (ref.controller || meta.owner.kind.empty()) meta.owner = std::move(ref);
    if (meta.owner.controller) break;
  }
  for (const auto& [key, value] : metadata["annotations"].members()) {
    if (is_creator_annotation(key) && value.is_string()) {
      meta.creator = value.str();
      break;
    }
  }
  return meta;
}

}  // namespace mg::audit
