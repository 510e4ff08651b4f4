#include "audit/identity_book.hpp"

#include <fnmatch.h>

#include <algorithm>

namespace mg::audit {

std::string_view to_string(ActorKind kind) {
  switch (kind) {
    case ActorKind::user: return "user";
    case ActorKind::service_account: return "serviceaccount";
    case ActorKind::node: return "node";
    case ActorKind::anonymous: return "anonymous";
    case ActorKind::system: return "system";
  }
  return "user";
}

ActorKind actor_kind(std::string_view username) {
  if (username == "system:anonymous") return ActorKind::anonymous;
  if (username.starts_with("system:serviceaccount:")) return ActorKind::service_account;
  if (username.starts_with("system:node:")) return ActorKind::node;
  if (username.starts_with("system:")) return ActorKind::system;
  return ActorKind::user;
}

std::string_view service_account_namespace(std::string_view username) {
  constexpr std::string_view prefix = "system:serviceaccount:";
  if (!username.starts_with(prefix)) return {};
  const std::string_view rest = username.substr(prefix.size());
  const auto colon = rest.find(':');
  return colon == std::string_view::npos ? std::string_view() : rest.substr(0, colon);
}

IdentityBook::IdentityBook(std::vector<std::string> controller_globs, IdentityLimits limits)
    : globs_(std::move(controller_globs)), limits_(limits) {}

void IdentityBook::saw(std::string_view username, std::int64_t time_us) {
  if (time_us != 0 && (log_start_us_ == 0 || time_us < log_start_us_)) log_start_us_ = time_us;
  if (username.empty()) return;
  auto it = first_seen_.find(username);
  if (it != first_seen_.end()) {
    if (time_us != 0 && (it->second == 0 || time_us < it->second)) it->second = time_us;
    return;
  }
  if (first_seen_.size() >= limits_.max_actors && !actor_order_.empty()) {
    first_seen_.erase(actor_order_.front());
    actor_order_.pop_front();
  }
  first_seen_.emplace(std::string(username), time_us);
  actor_order_.emplace_back(username);
}

bool IdentityBook::is_new(std::string_view username, std::int64_t time_us, std::int64_t after_us) const {
  auto it = first_seen_.find(username);
  if (it == first_seen_.end() || it->second == 0 || time_us == 0 || log_start_us_ == 0) return false;
  return it->second - log_start_us_ > after_us && time_us - it->second <= after_us;
}

bool IdentityBook::listed(std::string_view username) const {
  if (auto it = listed_cache_.find(username); it != listed_cache_.end()) return it->second;
  std::string name(username);
  const bool match = std::any_of(globs_.begin(), globs_.end(),
                                 [&](const std::string& glob) { return fnmatch(glob.c_str(), name.c_str(), 0) == 0; });
  if (listed_cache_.size() < limits_.max_actors) listed_cache_.emplace(std::move(name), match);
  return match;
}

bool IdentityBook::is_controller(std::string_view username) const {
  if (username.empty()) return false;
  if (learned_.contains(username)) return true;
  return listed(username);
}

void IdentityBook::learn_controller(std::string_view username) {
  if (username.empty() || learned_.size() >= limits_.max_actors) return;
  // Anonymous requests and people do not become controllers by setting ownerReferences.
  const ActorKind kind = actor_kind(username);
  if (kind == ActorKind::anonymous || kind == ActorKind::user) return;
  learned_.emplace(username);
}

std::string IdentityBook::key(std::string_view kind, std::string_view ns, std::string_view name) {
  std::string k;
  k.reserve(kind.size() + ns.size() + name.size() + 2);
  k.append(kind).append("/").append(ns).append("/").append(name);
  return k;
}

void IdentityBook::created(const ObjectMeta& meta, std::string_view namespace_, std::string_view actor,
                           std::string_view audit_id) {
  if (meta.kind.empty() || meta.name.empty()) return;
  std::string k = key(meta.kind, meta.namespace_.empty() ? namespace_ : meta.namespace_, meta.name);
  if (objects_.size() >= limits_.max_objects && !object_order_.empty()) {
    objects_.erase(object_order_.front());
    object_order_.pop_front();
  }
  Created entry{std::string(actor), meta.creator,
                meta.owner.kind.empty() ? std::string() : key(meta.owner.kind, meta.namespace_.empty() ? namespace_ : meta.namespace_, meta.owner.name),
                std::string(audit_id)};
  auto [it, inserted] = objects_.insert_or_assign(k, std::move(entry));
  if (inserted) object_order_.push_back(std::move(k));
}

bool IdentityBook::created_by_other(std::string_view kind, std::string_view ns, std::string_view name,
                                    std::string_view actor) const {
  auto it = objects_.find(key(kind, ns, name));
  return it != objects_.end() && it->second.actor != actor;
}

IdentityBook::Attribution IdentityBook::attribute(std::string_view actor, const ObjectMeta& meta,
                                                  std::string_view namespace_) const {
  if (!meta.creator.empty()) return {meta.creator, "annotation on the object"};
  if (!is_controller(actor)) return {std::string(actor), ""};
  std::string owner = meta.owner.kind.empty() ? std::string()
                                              : key(meta.owner.kind, meta.namespace_.empty() ? namespace_ : meta.namespace_, meta.owner.name);
  // Owner chains are short (Pod → ReplicaSet → Deployment; Pod → StatefulSet → Notebook); a bound
  // keeps a crafted cycle from looping.
  for (int hop = 0; hop < 8 && !owner.empty(); ++hop) {
    auto it = objects_.find(owner);
    if (it == objects_.end()) break;
    const Created& c = it->second;
    if (!c.annotated_creator.empty()) return {c.annotated_creator, owner + " (creator annotation)"};
    if (!is_controller(c.actor)) return {c.actor, owner + " (created by)"};
    owner = c.owner_key;
  }
  return {std::string(actor), ""};
}

}  // namespace mg::audit
