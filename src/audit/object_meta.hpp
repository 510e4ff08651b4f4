#pragma once
// What the engine learns from the object in a create request, read with simdjson On-Demand from
// the raw requestObject text without building a tree: its kind and name, its controller owner,
// and the creator annotations Kubeflow's web apps write for the user who asked.
#include <string>
#include <string_view>

namespace mg::audit {

struct OwnerRef {
  std::string kind;   // "StatefulSet", "Notebook", "TFJob", "Workflow"
  std::string name;
  bool controller = false;
};

struct ObjectMeta {
  std::string kind;
  std::string name;           // metadata.name (or generateName when the server picks the name)
  std::string namespace_;
  OwnerRef owner;             // the controller owner (or the first owner); empty kind when none
  std::string creator;        // a creator annotation's value, when the object carries one
  bool parsed = false;        // false when the text was not a JSON object
};

// `json` must be followed by 64 readable bytes (it lies inside a decoder's padded buffer).
ObjectMeta read_object_meta(std::string_view json);

// Annotations that name the person a Kubeflow component created an object for.
bool is_creator_annotation(std::string_view key);

}  // namespace mg::audit
