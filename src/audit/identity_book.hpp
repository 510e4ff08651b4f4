#pragma once
// What the engine remembers between events: when each identity was first seen, which identities
// are controllers, and who created which object. Bounded: past the limits the oldest entries are
// forgotten first, so a hostile or endless log cannot grow it without end.
#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "audit/object_meta.hpp"

namespace mg::audit {

enum class ActorKind : std::uint8_t { user, service_account, node, anonymous, system };
std::string_view to_string(ActorKind kind);
ActorKind actor_kind(std::string_view username);
// "kubeflow-user" for system:serviceaccount:kubeflow-user:default-editor; empty for others.
std::string_view service_account_namespace(std::string_view username);

struct IdentityLimits {
  std::size_t max_actors = 1'000'000;
  std::size_t max_objects = 1'000'000;
};

class IdentityBook {
 public:
  // `controller_globs`: identities that act for others (the rules' controller_identities list and
  // the user's --controller entries, glob patterns over user.username).
  IdentityBook(std::vector<std::string> controller_globs, IdentityLimits limits = {});

  // Every event's actor, in log order. Returns whether this actor counts as new at this time: first
  // seen more than `after_us` after the log began, and within `after_us` of now.
  void saw(std::string_view username, std::int64_t time_us);
  bool is_new(std::string_view username, std::int64_t time_us, std::int64_t after_us) const;

  // Controllers: listed, learned (it created an object a controller owns), or told (from the
  // cluster's own objects).
  bool is_controller(std::string_view username) const;
  void learn_controller(std::string_view username);
  std::size_t learned_controllers() const { return learned_.size(); }

  // A successful create: who made it, for attribution of what it creates later.
  void created(const ObjectMeta& meta, std::string_view namespace_, std::string_view actor, std::string_view audit_id);

  // Whether this log saw the object created, by someone other than `actor`.
  bool created_by_other(std::string_view kind, std::string_view ns, std::string_view name, std::string_view actor) const;

  struct Attribution {
    std::string creator;     // the person or non-controller identity behind the request
    std::string via;         // "Notebook kubeflow-user/miner (annotation notebooks.kubeflow.org/creator)"
  };
  // Who asked for an object created now by `actor` with owner `owner`: the owner chain is followed
  // through objects whose creators are controllers, up to a person, a creator annotation, or a
  // non-controller identity; otherwise the actor itself.
  Attribution attribute(std::string_view actor, const ObjectMeta& meta, std::string_view namespace_) const;

 private:
  struct Created {
    std::string actor;
    std::string annotated_creator;
    std::string owner_key;   // "Kind/ns/name" of its controller owner, empty when none
    std::string audit_id;
  };
  static std::string key(std::string_view kind, std::string_view ns, std::string_view name);
  bool listed(std::string_view username) const;

  std::vector<std::string> globs_;
  IdentityLimits limits_;
  std::int64_t log_start_us_ = 0;
  // Looked up by string_view for every event: transparent hashing spares a string per lookup.
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  template <class V>
  using Map = std::unordered_map<std::string, V, Hash, std::equal_to<>>;
  Map<std::int64_t> first_seen_;
  std::deque<std::string> actor_order_;
  std::unordered_set<std::string, Hash, std::equal_to<>> learned_;
  mutable Map<bool> listed_cache_;
  std::unordered_map<std::string, Created> objects_;
  std::deque<std::string> object_order_;
};

}  // namespace mg::audit
