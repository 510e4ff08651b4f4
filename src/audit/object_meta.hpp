#pragma once
// What the engine learns from the object in a create request, read from simdjson's DOM of the
// requestObject without building a tree: its kind and name, its controller owner, and the
// creator annotations Kubeflow's web apps write for the user who asked. The event context parses
// the requestObject once; the rules that need its tree build it from the same DOM.
#include <string>
#include <string_view>

namespace simdjson::dom {
class element;
}

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

// `object` as simdjson's DOM parser read it; parsed is false unless it is a JSON object.
ObjectMeta read_object_meta(const simdjson::dom::element& object);

// Annotations that name the person a Kubeflow component created an object for.
bool is_creator_annotation(std::string_view key);

}  // namespace mg::audit
