#pragma once
// All objects of one audit, indexed by kind and by (kind, namespace, name). Built once, read by
// every check; checks never modify it.
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "kube/object.hpp"

namespace mg::kube {

class Inventory {
 public:
  explicit Inventory(std::vector<Object> objects);
  Inventory(Inventory&&) noexcept = default;
  Inventory& operator=(Inventory&&) noexcept = default;

  // Appends objects (e.g. those Kubeflow's controllers create at runtime) and indexes them.
  // Pointers obtained earlier are invalid afterwards: add everything before the checks run.
  void add(std::vector<Object> more);

  std::span<const Object> objects() const { return objects_; }
  // Objects of a kind ("Service"), in input order. When `group` is given, only that API group
  // ("networking.istio.io"; "" is the core group).
  std::vector<const Object*> of_kind(std::string_view kind) const;
  std::vector<const Object*> of_kind(std::string_view kind, std::string_view group) const;
  // The object of that kind, namespace ("" for cluster-scoped) and name, or nullptr.
  const Object* find(std::string_view kind, std::string_view namespace_, std::string_view name) const;

 private:
  void index_from(std::size_t first);

  std::vector<Object> objects_;
  std::map<std::string, std::vector<std::size_t>, std::less<>> by_kind_;
  std::map<std::tuple<std::string, std::string, std::string>, std::size_t, std::less<>> by_name_;
};

}  // namespace mg::kube
