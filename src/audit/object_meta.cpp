#include "audit/object_meta.hpp"

#include <simdjson.h>

#include <array>

namespace mg::audit {
namespace {

namespace ondemand = simdjson::ondemand;

std::string_view str(ondemand::value value) {
  std::string_view out;
  if (value.get_string().get(out) != simdjson::SUCCESS) return {};
  return out;
}

void owners(ondemand::value value, ObjectMeta& meta) {
  ondemand::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) return;
  for (auto element : array) {
    ondemand::object object;
    if (element.get_object().get(object) != simdjson::SUCCESS) return;
    OwnerRef ref;
    for (auto member : object) {
      std::string_view key;
      if (member.unescaped_key().get(key) != simdjson::SUCCESS) return;
      if (key == "kind") ref.kind = str(member.value());
      else if (key == "name") ref.name = str(member.value());
      else if (key == "controller") {
        bool b = false;
        ref.controller = member.value().get_bool().get(b) == simdjson::SUCCESS && b;
      }
    }
    // The controller owner decides; otherwise the first owner is the best lead.
    if (ref.controller || meta.owner.kind.empty()) meta.owner = std::move(ref);
    if (meta.owner.controller) return;
  }
}

void annotations(ondemand::value value, ObjectMeta& meta) {
  ondemand::object object;
  if (value.get_object().get(object) != simdjson::SUCCESS) return;
  for (auto member : object) {
    std::string_view key;
    if (member.unescaped_key().get(key) != simdjson::SUCCESS) return;
    if (is_creator_annotation(key) && meta.creator.empty()) meta.creator = str(member.value());
  }
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

ObjectMeta read_object_meta(std::string_view json) {
  ObjectMeta meta;
  try {
    thread_local ondemand::parser cached;
    ondemand::document doc;
    if (cached.iterate(json.data(), json.size(), json.size() + simdjson::SIMDJSON_PADDING).get(doc) != simdjson::SUCCESS)
      return meta;
    ondemand::object root;
    if (doc.get_object().get(root) != simdjson::SUCCESS) return meta;
    bool kind_seen = false, metadata_seen = false;
    for (auto member : root) {
      // kind and metadata come first as the API server and clients write objects: the spec,
      // most of the text, is never walked.
      if (kind_seen && metadata_seen) break;
      std::string_view key;
      if (member.unescaped_key().get(key) != simdjson::SUCCESS) return meta;
      if (key == "kind") {
        meta.kind = str(member.value());
        kind_seen = true;
      } else if (key == "metadata") {
        metadata_seen = true;
        ondemand::object metadata;
        if (member.value().get_object().get(metadata) != simdjson::SUCCESS) return meta;
        std::string_view generate_name;
        for (auto m : metadata) {
          std::string_view k;
          if (m.unescaped_key().get(k) != simdjson::SUCCESS) return meta;
          if (k == "name") meta.name = str(m.value());
          else if (k == "generateName") generate_name = str(m.value());
          else if (k == "namespace") meta.namespace_ = str(m.value());
          else if (k == "ownerReferences") owners(m.value(), meta);
          else if (k == "annotations") annotations(m.value(), meta);
        }
        if (meta.name.empty()) meta.name = generate_name;
      }
    }
    meta.parsed = true;
  } catch (const std::exception&) {
    meta.parsed = false;
  }
  return meta;
}

}  // namespace mg::audit
