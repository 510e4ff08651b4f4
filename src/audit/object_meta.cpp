#include "audit/object_meta.hpp"

#include <simdjson.h>

#include <array>

namespace mg::audit {
namespace {

namespace dom = simdjson::dom;

std::string_view str(const dom::element& value) {
  std::string_view out;
  if (value.get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

void owners(const dom::element& value, ObjectMeta& meta) {
  dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) return;
  for (const dom::element element : array) {
    dom::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) return;
    OwnerRef ref;
    for (const dom::key_value_pair member : object) {
      if (member.key == "kind") ref.kind = str(member.value);
      else if (member.key == "name") ref.name = str(member.value);
      else if (member.key == "controller") {
        bool b = false;
        ref.controller = member.value.get_bool().get(b) == simdjson::SUCCESS && b;
      }
    }
    // The controller owner decides; otherwise the first owner is the best lead.
    if (ref.controller || meta.owner.kind.empty()) meta.owner = std::move(ref);
    if (meta.owner.controller) return;
  }
}

void annotations(const dom::element& value, ObjectMeta& meta) {
  dom::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return;
  for (const dom::key_value_pair member : object)
    if (is_creator_annotation(member.key) && meta.creator.empty()) meta.creator = str(member.value);
}

}  // namespace

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

ObjectMeta read_object_meta(const simdjson::dom::element& object) {
  ObjectMeta meta;
  dom::object root;
  if (object.get_object().get(root) != simdjson::SUCCESS) return meta;
  // The DOM steps over the spec (most of the text) in one jump per member, wherever kind and
  // metadata are written.
  for (const dom::key_value_pair member : root) {
    if (member.key == "kind") {
      meta.kind = str(member.value);
    } else if (member.key == "metadata") {
      dom::object metadata;
      if (member.value.get_object().get(metadata) != simdjson::SUCCESS) continue;
      std::string_view name, generate_name;
      for (const dom::key_value_pair m : metadata) {
        if (m.key == "name") name = str(m.value);
        else if (m.key == "generateName") generate_name = str(m.value);
        else if (m.key == "namespace") meta.namespace_ = str(m.value);
        else if (m.key == "ownerReferences") owners(m.value, meta);
        else if (m.key == "annotations") annotations(m.value, meta);
      }
      meta.name = name.empty() ? generate_name : name;
    }
  }
  meta.parsed = true;
  return meta;
}

}  // namespace mg::audit
