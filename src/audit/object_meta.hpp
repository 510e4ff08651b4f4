#pragma once
// What the engine learns from the object in a create request, read from the request object's tree
// (the one the rules and the workload analysis read, so the object is parsed once): its kind and
// name, its controller owner, and the creator annotations Kubeflow's web apps write for the user
// who asked.
#include <string>
#include <string_view>

#include "kube/value.hpp"

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

// `root` is the object; anything but a JSON object reads as not parsed.
ObjectMeta object_meta(const kube::Value& root);

// Annotations that name the person a Kubeflow component created an object for.
bool is_creator_annotation(std::string_view key);

}  // namespace mg::audit
