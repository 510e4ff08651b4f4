#include "kube/inventory.hpp"

namespace mg::kube {

Inventory::Inventory(std::vector<Object> objects) : objects_(std::move(objects)) { index_from(0); }

void Inventory::add(std::vector<Object> more) {
  const std::size_t first = objects_.size();
  objects_.reserve(first + more.size());
  for (auto& object : more) objects_.push_back(std::move(object));
  index_from(first);
}

void Inventory::index_from(std::size_t first) {
  for (std::size_t i = first; i < objects_.size(); ++i) {
    const auto& object = objects_[i];
    auto kind = std::string(object.kind());
    by_kind_[kind].push_back(i);
    // The first of duplicates wins, as `kubectl apply` of a stream would keep the last: a
    // stream with duplicates is unusual, and every copy is still visited through of_kind().
    by_name_.try_emplace({std::move(kind), std::string(object.namespace_()), std::string(object.name())}, i);
  }
}

std::vector<const Object*> Inventory::of_kind(std::string_view kind) const {
  std::vector<const Object*> out;
  auto it = by_kind_.find(kind);
  if (it == by_kind_.end()) return out;
  out.reserve(it->second.size());
  for (auto index : it->second) out.push_back(&objects_[index]);
  return out;
}

std::vector<const Object*> Inventory::of_kind(std::string_view kind, std::string_view group) const {
  std::vector<const Object*> out;
  auto it = by_kind_.find(kind);
  if (it == by_kind_.end()) return out;
  for (auto index : it->second) {
    if (objects_[index].api_group() == group) out.push_back(&objects_[index]);
  }
  return out;
}

const Object* Inventory::find(std::string_view kind, std::string_view namespace_, std::string_view name) const {
  auto it = by_name_.find(std::make_tuple(std::string(kind), std::string(namespace_), std::string(name)));
  return it == by_name_.end() ? nullptr : &objects_[it->second];
}

}  // namespace mg::kube
