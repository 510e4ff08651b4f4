#pragma once
// What Kubeflow's profile controller creates at run time for every Profile, and that a rendered
// install therefore never contains: the profile's Namespace, the ServiceAccounts default-editor and
// default-viewer, and the RoleBindings that give them (and the owner) Kubeflow's aggregated roles.
// Notebooks and pipeline runs execute as default-editor, so without these objects an audit of the
// manifests would miss the account that matters most.
#include <string_view>
#include <vector>

#include "kube/inventory.hpp"
#include "kube/object.hpp"

namespace mg::kube {

// Annotation on every synthesized object; its value names the source ("Profile kubeflow-user-example-com").
inline constexpr std::string_view kSynthesizedFromAnnotation = "minerguard.dev/synthesized-from";

// One set per Profile (kubeflow.org) in the inventory, skipping any object the inventory already
// holds (a live cluster's dump has them). Each object has the Profile's file, line and document.
std::vector<Object> profile_controller_objects(const Inventory& inventory);

// True for objects made by profile_controller_objects().
bool is_synthesized(const Object& object);

// The namespaces the Profiles in the inventory own (each Profile's name), in input order.
std::vector<std::string_view> profile_namespaces(const Inventory& inventory);

}  // namespace mg::kube
