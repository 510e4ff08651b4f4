#include "kube/rbac.hpp"

#include <algorithm>
#include <array>
#include <deque>
#include <initializer_list>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace mg::kube {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;
using EffectiveRule = RbacEvaluator::EffectiveRule;

// ---- label selectors (aggregationRule.clusterRoleSelectors) -------------------------------------

struct Requirement {
  enum class Op : std::uint8_t { in, not_in, exists, does_not_exist };
  std::string key;
  Op op = Op::exists;
  std::vector<std::string> values;
};

struct Selector {
  Labels match_labels;
  std::vector<Requirement> expressions;
  bool valid = true;  // an operator we do not know selects nothing, as the API server rejects it
};

const std::string* label_value(const Labels& labels, std::string_view key) {
  for (const auto& [k, v] : labels) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool selects(const Selector& selector, const Labels& labels) {
  if (!selector.valid) return false;
  for (const auto& [key, value] : selector.match_labels) {
    const auto* have = label_value(labels, key);
    if (have == nullptr || *have != value) return false;
  }
  for (const auto& req : selector.expressions) {
    const auto* have = label_value(labels, req.key);
    const bool listed = have != nullptr && std::ranges::find(req.values, *have) != req.values.end();
    switch (req.op) {
      case Requirement::Op::in:
        if (!listed) return false;
        break;
      case Requirement::Op::not_in:
        if (listed) return false;
        break;
      case Requirement::Op::exists:
        if (have == nullptr) return false;
        break;
      case Requirement::Op::does_not_exist:
        if (have != nullptr) return false;
        break;
    }
  }
  return true;
}

// ---- reading objects ------------------------------------------------------------------------------

std::vector<std::string> strings_of(const Value& value) {
  std::vector<std::string> out;
  if (value.is_array()) {
    out.reserve(value.size());
    for (const auto& item : value.items()) {
      if (item.is_scalar() && !item.is_null()) out.emplace_back(item.str());
    }
  } else if (value.is_scalar() && !value.is_null()) {
    out.emplace_back(value.str());  // a lone string where a list belongs: what the author meant
  }
  return out;
}

Labels labels_of(const Value& labels) {
  Labels out;
  for (const auto& [key, value] : labels.members()) out.emplace_back(key, std::string(value.str()));
  return out;
}

PolicyRule parse_rule(const Value& value) {
  PolicyRule rule;
  rule.verbs = strings_of(value["verbs"]);
  rule.api_groups = strings_of(value["apiGroups"]);
  rule.resources = strings_of(value["resources"]);
  rule.resource_names = strings_of(value["resourceNames"]);
  rule.non_resource_urls = strings_of(value["nonResourceURLs"]);
  rule.line = value.line();
  return rule;
}

Selector parse_selector(const Value& value) {
  Selector selector;
  if (!value.is_object()) {
    selector.valid = false;
    return selector;
  }
  selector.match_labels = labels_of(value["matchLabels"]);
  for (const auto& item : value["matchExpressions"].items()) {
    Requirement req;
    req.key = std::string(item["key"].str());
    req.values = strings_of(item["values"]);
    const auto op = item["operator"].str();
    if (op == "In") {
      req.op = Requirement::Op::in;
    } else if (op == "NotIn") {
      req.op = Requirement::Op::not_in;
    } else if (op == "Exists") {
      req.op = Requirement::Op::exists;
    } else if (op == "DoesNotExist") {
      req.op = Requirement::Op::does_not_exist;
    } else {
      selector.valid = false;
    }
    selector.expressions.push_back(std::move(req));
  }
  return selector;
}

// ---- roles ----------------------------------------------------------------------------------------

struct Role {
  bool cluster = true;
  std::string namespace_;
  std::string name;
  const Object* object = nullptr;  // nullptr: built-in
  Labels labels;
  bool aggregates = false;
  std::vector<Selector> selectors;
  std::vector<PolicyRule> own;
  // Filled once every role is known: a dense index, the interned id of each own rule's content,
  // the ClusterRoles the selectors pick, whether a binding names the role, its effective rules.
  std::size_t index = 0;
  std::vector<std::size_t> rule_ids;
  std::vector<const Role*> members;
  bool bound = false;
  bool computed = false;
  std::vector<EffectiveRule> effective;
};

// Aggregation chains deeper than this are cut in the recorded chain (never in the rules found):
// real ones are three or four roles deep, and a crafted one must not cost memory per level.
constexpr std::size_t kMaxChain = 8;

// Per-root visit marks, reused across roots by bumping the generation instead of clearing.
struct Scratch {
  std::vector<std::uint32_t> roles;
  std::vector<std::uint32_t> rules;
  std::uint32_t generation = 0;
};

Role role_from(const Object& object) {
  Role role;
  role.cluster = object.kind() == "ClusterRole";
  role.namespace_ = role.cluster ? std::string() : std::string(object.namespace_());
  role.name = std::string(object.name());
  role.object = &object;
  role.labels = labels_of(object.labels());
  for (const auto& rule : object.root["rules"].items()) role.own.push_back(parse_rule(rule));
  if (role.cluster) {
    if (const auto* aggregation = object.root.find("aggregationRule"); aggregation != nullptr && aggregation->is_object()) {
      role.aggregates = true;
      for (const auto& selector : (*aggregation)["clusterRoleSelectors"].items()) {
        role.selectors.push_back(parse_selector(selector));
      }
    }
  }
  return role;
}

// ---- built-in ClusterRoles ------------------------------------------------------------------------
// Every cluster has them from the API server's bootstrap policy; manifests bind to them but never
// contain them. Upstream (kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy/
// testdata/cluster-roles.yaml, recent releases) aggregates admin, edit and view from
// system:aggregate-to-{admin,edit,view}; we fold those rules into admin, edit and view themselves
// and keep the aggregation labels and selectors, so view reaches edit and edit reaches admin, and
// third-party roles labelled aggregate-to-edit (Argo's) join them as they would in a cluster.

PolicyRule rule_of(std::initializer_list<const char*> verbs, std::initializer_list<const char*> groups,
                   std::initializer_list<const char*> resources) {
  PolicyRule rule;
  rule.verbs.assign(verbs.begin(), verbs.end());
  rule.api_groups.assign(groups.begin(), groups.end());
  rule.resources.assign(resources.begin(), resources.end());
  return rule;
}

constexpr std::string_view kAggregateToAdmin = "rbac.authorization.k8s.io/aggregate-to-admin";
constexpr std::string_view kAggregateToEdit = "rbac.authorization.k8s.io/aggregate-to-edit";
constexpr std::string_view kAggregateToView = "rbac.authorization.k8s.io/aggregate-to-view";

Role builtin(std::string name, std::vector<PolicyRule> rules, std::string_view label, std::string_view selects) {
  Role role;
  role.name = std::move(name);
  role.own = std::move(rules);
  if (!label.empty()) role.labels.emplace_back(std::string(label), "true");
  if (!selects.empty()) {
    role.aggregates = true;
    Selector selector;
    selector.match_labels.emplace_back(std::string(selects), "true");
    role.selectors.push_back(std::move(selector));
  }
  return role;
}

Role builtin_cluster_admin() {
  PolicyRule everything = rule_of({"*"}, {"*"}, {"*"});
  PolicyRule urls;
  urls.verbs = {"*"};
  urls.non_resource_urls = {"*"};
  return builtin("cluster-admin", {everything, urls}, {}, {});
}

Role builtin_admin() {
  return builtin("admin",
                 {rule_of({"create"}, {"authorization.k8s.io"}, {"localsubjectaccessreviews"}),
                  rule_of({"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"},
                          {"rbac.authorization.k8s.io"}, {"rolebindings", "roles"})},
                 {}, kAggregateToAdmin);
}

Role builtin_edit() {
  const std::initializer_list<const char*> write = {"create", "delete", "deletecollection", "patch", "update"};
  return builtin(
      "edit",
      {rule_of({"get", "list", "watch"}, {""},
               {"pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"}),
       rule_of({"impersonate"}, {""}, {"serviceaccounts"}),
       rule_of(write, {""}, {"pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy"}),
       rule_of({"create"}, {""}, {"pods/eviction"}),
       rule_of(write, {""},
               {"configmaps", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers/scale",
                "secrets", "serviceaccounts", "services", "services/proxy"}),
       rule_of({"create"}, {""}, {"serviceaccounts/token"}),
       rule_of(write, {"", "events.k8s.io"}, {"events"}),
       rule_of(write, {"apps"},
               {"daemonsets", "deployments", "deployments/rollback", "deployments/scale", "replicasets",
                "replicasets/scale", "statefulsets", "statefulsets/scale"}),
       rule_of(write, {"autoscaling"}, {"horizontalpodautoscalers"}),
       rule_of(write, {"batch"}, {"cronjobs", "jobs"}),
       rule_of(write, {"extensions"},
               {"daemonsets", "deployments", "deployments/rollback", "deployments/scale", "ingresses",
                "networkpolicies", "replicasets", "replicasets/scale", "replicationcontrollers/scale"}),
       rule_of(write, {"policy"}, {"poddisruptionbudgets"}),
       rule_of(write, {"networking.k8s.io"}, {"ingresses", "networkpolicies"}),
       rule_of({"create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"},
               {"coordination.k8s.io"}, {"leases"}),
       rule_of(write, {"resource.k8s.io"}, {"resourceclaims", "resourceclaimtemplates"})},
      kAggregateToAdmin, kAggregateToEdit);
}

Role builtin_view() {
  const std::initializer_list<const char*> read = {"get", "list", "watch"};
  return builtin(
      "view",
      {rule_of(read, {""},
               {"configmaps", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "pods",
                "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services",
                "services/status"}),
       rule_of(read, {""},
               {"bindings", "limitranges", "namespaces/status", "pods/log", "pods/status",
                "replicationcontrollers/status", "resourcequotas", "resourcequotas/status"}),
       rule_of(read, {""}, {"namespaces"}),
       rule_of(read, {"", "events.k8s.io"}, {"events"}),
       rule_of(read, {"discovery.k8s.io"}, {"endpointslices"}),
       rule_of(read, {"apps"},
               {"controllerrevisions", "daemonsets", "daemonsets/status", "deployments", "deployments/scale",
                "deployments/status", "replicasets", "replicasets/scale", "replicasets/status", "statefulsets",
                "statefulsets/scale", "statefulsets/status"}),
       rule_of(read, {"autoscaling"}, {"horizontalpodautoscalers", "horizontalpodautoscalers/status"}),
       rule_of(read, {"batch"}, {"cronjobs", "cronjobs/status", "jobs", "jobs/status"}),
       rule_of(read, {"extensions"},
               {"daemonsets", "daemonsets/status", "deployments", "deployments/scale", "deployments/status",
                "ingresses", "ingresses/status", "networkpolicies", "replicasets", "replicasets/scale",
                "replicasets/status", "replicationcontrollers/scale"}),
       rule_of(read, {"policy"}, {"poddisruptionbudgets", "poddisruptionbudgets/status"}),
       rule_of(read, {"networking.k8s.io"}, {"ingresses", "ingresses/status", "networkpolicies"}),
       rule_of(read, {"resource.k8s.io"}, {"resourceclaims", "resourceclaims/status", "resourceclaimtemplates"})},
      kAggregateToEdit, kAggregateToView);
}

// ---- helpers ----------------------------------------------------------------------------------------

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::ranges::any_of(list, [&](const std::string& item) { return item == "*" || item == value; });
}

bool resource_listed(const std::vector<std::string>& list, std::string_view resource) {
  const auto slash = resource.find('/');
  const auto sub = slash == std::string_view::npos ? std::string_view() : resource.substr(slash + 1);
  for (const auto& item : list) {
    if (item == "*" || item == resource) return true;
    // "*/scale" grants that subresource of every resource; "pods/*" is not Kubernetes syntax.
    if (!sub.empty() && item.size() == sub.size() + 2 && item.starts_with("*/") && item.ends_with(sub)) return true;
  }
  return false;
}

// A key of a rule's content, to drop the same rule reached twice (a live cluster's aggregated role
// already carries the rules of the roles it aggregates).
std::string rule_key(const PolicyRule& rule) {
  std::string key;
  for (const auto* list : {&rule.verbs, &rule.api_groups, &rule.resources, &rule.resource_names, &rule.non_resource_urls}) {
    for (const auto& item : *list) {
      key += item;
      key += '\x1f';
    }
    key += '\x1e';
  }
  return key;
}

std::string subject_key(Subject::Kind kind, std::string_view namespace_, std::string_view name) {
  std::string key;
  key += static_cast<char>('0' + static_cast<int>(kind));
  key += '\0';
  key += namespace_;
  key += '\0';
  key += name;
  return key;
}

std::string role_key(std::string_view namespace_, std::string_view name) {
  std::string key(namespace_);
  key += '\0';
  key += name;
  return key;
}

}  // namespace

// ---- Subject --------------------------------------------------------------------------------------

Subject Subject::service_account(std::string namespace_, std::string name) {
  return Subject{Kind::service_account, std::move(namespace_), std::move(name)};
}
Subject Subject::user(std::string name) { return Subject{Kind::user, {}, std::move(name)}; }
Subject Subject::group(std::string name) { return Subject{Kind::group, {}, std::move(name)}; }

std::string Subject::ref() const {
  switch (kind) {
    case Kind::service_account:
      return "ServiceAccount " + namespace_ + "/" + name;
    case Kind::user:
      return "User " + name;
    case Kind::group:
      return "Group " + name;
  }
  return name;
}

std::vector<std::string> implied_groups(const Subject& subject) {
  switch (subject.kind) {
    case Subject::Kind::service_account:
      return {"system:serviceaccounts", "system:serviceaccounts:" + subject.namespace_, "system:authenticated"};
    case Subject::Kind::user:
      if (subject.name == "system:anonymous") return {"system:unauthenticated"};
      return {"system:authenticated"};
    case Subject::Kind::group:
      return {};
  }
  return {};
}

// ---- matching -------------------------------------------------------------------------------------

bool rule_allows(const PolicyRule& rule, std::string_view verb, std::string_view group, std::string_view resource,
                 std::string_view name) {
  if (rule.resources.empty()) return false;  // a nonResourceURLs rule
  if (!listed(rule.verbs, verb) || !listed(rule.api_groups, group) || !resource_listed(rule.resources, resource)) {
    return false;
  }
  if (rule.resource_names.empty()) return true;
  return !name.empty() && std::ranges::find(rule.resource_names, name) != rule.resource_names.end();
}

bool is_cluster_scoped(std::string_view group, std::string_view resource) {
  struct Kind {
    std::string_view group, resource;
  };
  // The built-in cluster-scoped resources a posture question can be about, plus Kubeflow's Profile.
  static constexpr std::array<Kind, 31> kinds{{
      {"", "namespaces"},
      {"", "nodes"},
      {"", "persistentvolumes"},
      {"", "componentstatuses"},
      {"", "users"},
      {"", "groups"},
      {"authentication.k8s.io", "userextras"},
      {"authentication.k8s.io", "uids"},
      {"authentication.k8s.io", "tokenreviews"},
      {"authentication.k8s.io", "selfsubjectreviews"},
      {"authorization.k8s.io", "subjectaccessreviews"},
      {"authorization.k8s.io", "selfsubjectaccessreviews"},
      {"authorization.k8s.io", "selfsubjectrulesreviews"},
      {"rbac.authorization.k8s.io", "clusterroles"},
      {"rbac.authorization.k8s.io", "clusterrolebindings"},
      {"apiextensions.k8s.io", "customresourcedefinitions"},
      {"apiregistration.k8s.io", "apiservices"},
      {"admissionregistration.k8s.io", "mutatingwebhookconfigurations"},
      {"admissionregistration.k8s.io", "validatingwebhookconfigurations"},
      {"admissionregistration.k8s.io", "validatingadmissionpolicies"},
      {"admissionregistration.k8s.io", "validatingadmissionpolicybindings"},
      {"storage.k8s.io", "storageclasses"},
      {"storage.k8s.io", "csidrivers"},
      {"storage.k8s.io", "csinodes"},
      {"storage.k8s.io", "volumeattachments"},
      {"scheduling.k8s.io", "priorityclasses"},
      {"node.k8s.io", "runtimeclasses"},
      {"certificates.k8s.io", "certificatesigningrequests"},
      {"networking.k8s.io", "ingressclasses"},
      {"flowcontrol.apiserver.k8s.io", "flowschemas"},
      {"kubeflow.org", "profiles"},
  }};
  const auto base = resource.substr(0, resource.find('/'));
  return std::ranges::any_of(kinds, [&](const Kind& k) { return k.group == group && k.resource == base; });
}

// ---- Grant ----------------------------------------------------------------------------------------

bool Grant::allows(std::string_view verb, std::string_view group, std::string_view resource,
                   std::string_view request_namespace, std::string_view name) const {
  if (!rule_allows(*rule, verb, group, resource, name)) return false;
  if (cluster_wide()) return true;
  if (is_cluster_scoped(group, resource)) return false;  // a RoleBinding never reaches these
  if (request_namespace == kAnyNamespace) return true;
  // "" (across all namespaces) needs a cluster-wide grant, whatever namespace the binding has.
  return !request_namespace.empty() && request_namespace == namespace_;
}

bool Grant::cluster_admin_equivalent() const {
  const auto star = [](const std::vector<std::string>& list) { return std::ranges::find(list, "*") != list.end(); };
  return cluster_wide() && rule->resource_names.empty() && star(rule->verbs) && star(rule->api_groups) &&
         star(rule->resources);
}

std::string Grant::path() const {
  std::string out;
  for (const auto& step : chain) {
    if (!out.empty()) out += " -> ";
    out += step;
  }
  return out;
}

std::string Grant::scope() const {
  if (cluster_wide()) return "cluster-wide";
  // A manifest may leave the namespace to `kubectl apply -n`: the grant still stays in one.
  return namespace_.empty() ? "in the namespace it is applied to" : "in namespace " + namespace_;
}

// ---- RbacEvaluator --------------------------------------------------------------------------------

struct RbacEvaluator::Impl {
  struct Binding {
    const Object* object = nullptr;
    const Role* role = nullptr;   // nullptr: the roleRef names nothing we know
    bool cluster = false;         // a ClusterRoleBinding
    std::string scope;            // the RoleBinding's namespace; empty for ClusterRoleBindings
    std::string label;            // "RoleBinding ns/name", "ClusterRoleBinding name"
    std::string bound_role;       // "ClusterRole kubeflow-edit", "Role pipeline-runner"
  };
  struct Entry {
    std::size_t binding = 0;
    int subject_index = 0;
  };

  std::deque<Role> roles;  // stable addresses: effective rules point into other roles' own rules
  std::unordered_map<std::string, Role*> cluster_roles;     // by name
  std::unordered_map<std::string, Role*> namespaced_roles;  // by role_key(ns, name)
  std::vector<Role*> cluster_role_order;                     // input order, built-ins last
  std::unordered_map<std::string, std::vector<Role*>> by_label;  // "key=value" -> ClusterRoles
  std::size_t rule_count = 0;                                // distinct rule contents
  std::vector<Binding> bindings;
  std::unordered_map<const Object*, std::size_t> binding_index;
  std::unordered_map<std::string, std::vector<Entry>> by_subject;

  void add_roles(const Inventory& inventory);
  void add_builtins();
  void intern_rules();
  void index_labels();
  void link_members();
  void add_bindings(const Inventory& inventory);
  void aggregate_bound();
  std::vector<const Role*> members_of(const Role& role) const;
  void aggregate(const Role& root, Scratch& scratch, std::vector<EffectiveRule>& out) const;
  void append_grants(std::size_t binding, int subject_index, std::vector<Grant>& out) const;
  void append_for_key(const std::string& key, std::vector<Grant>& out) const;
};

void RbacEvaluator::Impl::add_roles(const Inventory& inventory) {
  for (const auto* object : inventory.of_kind("ClusterRole", "rbac.authorization.k8s.io")) {
    auto& role = roles.emplace_back(role_from(*object));
    // The first of duplicates wins, as in Inventory::find.
    if (cluster_roles.try_emplace(role.name, &role).second) {
      cluster_role_order.push_back(&role);
    } else {
      roles.pop_back();
    }
  }
  for (const auto* object : inventory.of_kind("Role", "rbac.authorization.k8s.io")) {
    auto& role = roles.emplace_back(role_from(*object));
    if (!namespaced_roles.try_emplace(role_key(role.namespace_, role.name), &role).second) roles.pop_back();
  }
}

void RbacEvaluator::Impl::add_builtins() {
  for (auto make : {builtin_cluster_admin, builtin_admin, builtin_edit, builtin_view}) {
    Role role = make();
    if (cluster_roles.contains(role.name)) continue;  // the input's own copy (a live cluster) wins
    auto& stored = roles.emplace_back(std::move(role));
    cluster_roles.emplace(stored.name, &stored);
    cluster_role_order.push_back(&stored);
  }
}

// Equal rules get one id, so aggregation drops a rule reached twice (a live cluster's aggregated
// role already carries copies of its members' rules) with an array lookup.
void RbacEvaluator::Impl::intern_rules() {
  std::unordered_map<std::string, std::size_t> ids;
  std::size_t index = 0;
  for (auto& role : roles) {
    role.index = index++;
    role.rule_ids.reserve(role.own.size());
    for (const auto& rule : role.own) role.rule_ids.push_back(ids.try_emplace(rule_key(rule), ids.size()).first->second);
  }
  rule_count = ids.size();
}

void RbacEvaluator::Impl::index_labels() {
  for (auto* role : cluster_role_order) {
    for (const auto& [key, value] : role->labels) by_label[key + "=" + value].push_back(role);
  }
}

std::vector<const Role*> RbacEvaluator::Impl::members_of(const Role& role) const {
  std::vector<const Role*> out;
  std::unordered_set<const Role*> added;
  for (const auto& selector : role.selectors) {
    // A matchLabels pair narrows the candidates through the label index; only a selector of bare
    // expressions (or an empty one, which selects every ClusterRole) scans them all.
    const std::vector<Role*>* candidates = nullptr;
    if (!selector.match_labels.empty()) {
      const auto& [key, value] = selector.match_labels.front();
      auto it = by_label.find(key + "=" + value);
      if (it == by_label.end()) continue;
      candidates = &it->second;
    } else {
      candidates = &cluster_role_order;
    }
    for (const auto* candidate : *candidates) {
      if (candidate != &role && selects(selector, candidate->labels) && added.insert(candidate).second) {
        out.push_back(candidate);
      }
    }
  }
  return out;
}

void RbacEvaluator::Impl::link_members() {
  for (auto* role : cluster_role_order) {
    if (role->aggregates) role->members = members_of(*role);
  }
}

// The root's effective rules: depth first through its members (each role once, so cycles and
// diamonds end), deepest first -- in a live cluster an aggregated role's stored rules are copies
// of its members' and the member is the better explanation -- then the root's own rules.
// Iterative: a crafted chain of thousands of roles must not exhaust the stack.
void RbacEvaluator::Impl::aggregate(const Role& root, Scratch& scratch, std::vector<EffectiveRule>& out) const {
  scratch.roles.resize(roles.size(), 0);
  scratch.rules.resize(rule_count, 0);
  const std::uint32_t stamp = ++scratch.generation;
  // The path is kept as roles and spelled out only for rules that are added: most visits add
  // nothing (a role reached again through another member, or rules already seen).
  std::vector<const Role*> path;
  const auto spelled = [&] {
    std::vector<std::string> via;
    for (std::size_t i = 0; i < path.size() && i < kMaxChain; ++i) via.push_back("aggregates ClusterRole " + path[i]->name);
    if (path.size() > kMaxChain) via.emplace_back("aggregates ... (deeper ClusterRoles)");
    return via;
  };
  const auto add_own = [&](const Role& role) {
    std::optional<std::vector<std::string>> via;
    for (std::size_t i = 0; i < role.own.size(); ++i) {
      auto& mark = scratch.rules[role.rule_ids[i]];
      if (mark == stamp) continue;
      mark = stamp;
      if (!via) via = spelled();
      out.push_back({&role.own[i], role.object, *via});
    }
  };

  struct Frame {
    const Role* role;
    std::size_t next;
  };
  std::vector<Frame> stack{{&root, 0}};
  scratch.roles[root.index] = stamp;
  while (stack.size() > 1 || stack.back().next < root.members.size()) {
    auto& frame = stack.back();
    if (frame.next < frame.role->members.size()) {
      const Role* member = frame.role->members[frame.next++];
      if (scratch.roles[member->index] == stamp) continue;
      scratch.roles[member->index] = stamp;
      path.push_back(member);
      stack.push_back({member, 0});
      continue;
    }
    add_own(*frame.role);
    stack.pop_back();
    path.pop_back();
  }
  // Kubernetes' aggregation controller overwrites an aggregated role's own rules; a manifest that
  // writes some anyway is taken at its word (the union), which can only over-report.
  add_own(root);
}

void RbacEvaluator::Impl::aggregate_bound() {
  Scratch scratch;
  for (auto& role : roles) {
    if (!role.bound) continue;  // only roles a binding names can grant anything
    aggregate(role, scratch, role.effective);
    role.computed = true;
  }
}

void RbacEvaluator::Impl::add_bindings(const Inventory& inventory) {
  for (const auto* kind : {"ClusterRoleBinding", "RoleBinding"}) {
    const bool cluster = std::string_view(kind) == "ClusterRoleBinding";
    for (const auto* object : inventory.of_kind(kind, "rbac.authorization.k8s.io")) {
      Binding binding;
      binding.object = object;
      binding.cluster = cluster;
      // A ClusterRoleBinding is cluster-scoped even when a manifest gives it a namespace.
      binding.scope = cluster ? std::string() : std::string(object->namespace_());
      binding.label = std::string(kind) + " " + (binding.scope.empty() ? "" : binding.scope + "/") + std::string(object->name());
      const auto& ref = object->root["roleRef"];
      const auto ref_kind = ref["kind"].str();
      const auto ref_name = ref["name"].str();
      binding.bound_role = std::string(ref_kind) + " " + std::string(ref_name);
      if (ref_kind == "ClusterRole") {
        if (auto it = cluster_roles.find(std::string(ref_name)); it != cluster_roles.end()) {
          it->second->bound = true;
          binding.role = it->second;
        }
      } else if (ref_kind == "Role" && !cluster) {
        if (auto it = namespaced_roles.find(role_key(binding.scope, ref_name)); it != namespaced_roles.end()) {
          it->second->bound = true;
          binding.role = it->second;
        }
      }
      const std::size_t index = bindings.size();
      binding_index.emplace(object, index);
      bindings.push_back(std::move(binding));

      int subject_index = 0;
      for (const auto& subject : object->root["subjects"].items()) {
        const auto subject_kind = subject["kind"].str();
        const auto name = subject["name"].str();
        std::string key;
        if (subject_kind == "ServiceAccount") {
          // RoleBinding subjects may leave the namespace out (it defaults to the binding's);
          // a ClusterRoleBinding's must name one, and the API server rejects it otherwise.
          // A manifest without namespaces leaves both empty; they still match each other.
          auto ns = subject["namespace"].str(cluster ? std::string_view() : std::string_view(bindings[index].scope));
          if (!ns.empty() || !cluster) key = subject_key(Subject::Kind::service_account, ns, name);
        } else if (subject_kind == "User") {
          key = subject_key(Subject::Kind::user, {}, name);
        } else if (subject_kind == "Group") {
          key = subject_key(Subject::Kind::group, {}, name);
        }
        if (!key.empty() && !name.empty()) by_subject[key].push_back({index, subject_index});
        ++subject_index;
      }
    }
  }
}

void RbacEvaluator::Impl::append_grants(std::size_t index, int subject_index, std::vector<Grant>& out) const {
  const auto& binding = bindings[index];
  if (binding.role == nullptr) return;
  for (const auto& effective : binding.role->effective) {
    Grant grant;
    grant.rule = effective.rule;
    grant.cluster = binding.cluster;
    grant.namespace_ = binding.scope;
    grant.chain.reserve(2 + effective.via.size());
    grant.chain.push_back(binding.label);
    grant.chain.push_back(binding.bound_role);
    grant.chain.insert(grant.chain.end(), effective.via.begin(), effective.via.end());
    grant.binding = binding.object;
    grant.subject_index = subject_index;
    grant.role = effective.holder;
    grant.bound_role = binding.bound_role;
    out.push_back(std::move(grant));
  }
}

void RbacEvaluator::Impl::append_for_key(const std::string& key, std::vector<Grant>& out) const {
  auto it = by_subject.find(key);
  if (it == by_subject.end()) return;
  for (const auto& entry : it->second) append_grants(entry.binding, entry.subject_index, out);
}

RbacEvaluator::RbacEvaluator(const Inventory& inventory) : impl_(std::make_unique<Impl>()) {
  impl_->add_roles(inventory);
  impl_->add_builtins();
  impl_->intern_rules();
  impl_->index_labels();
  impl_->link_members();
  impl_->add_bindings(inventory);
  impl_->aggregate_bound();  // once, here: every query after this is a lookup
}

RbacEvaluator::~RbacEvaluator() = default;
RbacEvaluator::RbacEvaluator(RbacEvaluator&&) noexcept = default;
RbacEvaluator& RbacEvaluator::operator=(RbacEvaluator&&) noexcept = default;

std::vector<Grant> RbacEvaluator::grants_naming(const Subject& subject) const {
  std::vector<Grant> out;
  impl_->append_for_key(subject_key(subject.kind, subject.namespace_, subject.name), out);
  return out;
}

std::vector<Grant> RbacEvaluator::grants_for(const Subject& subject) const {
  std::vector<Grant> out = grants_naming(subject);
  for (const auto& group : implied_groups(subject)) {
    impl_->append_for_key(subject_key(Subject::Kind::group, {}, group), out);
  }
  return out;
}

std::vector<Grant> RbacEvaluator::grants_of(const Object& binding) const {
  std::vector<Grant> out;
  if (auto it = impl_->binding_index.find(&binding); it != impl_->binding_index.end()) {
    impl_->append_grants(it->second, -1, out);
  }
  return out;
}

std::vector<Grant> RbacEvaluator::allowing(const Subject& subject, std::string_view verb, std::string_view group,
                                           std::string_view resource, std::string_view namespace_) const {
  auto grants = grants_for(subject);
  std::erase_if(grants, [&](const Grant& grant) { return !grant.allows(verb, group, resource, namespace_); });
  return grants;
}

std::vector<RbacEvaluator::EffectiveRule> RbacEvaluator::effective_rules(std::string_view namespace_,
                                                                        std::string_view name) const {
  const Role* role = nullptr;
  if (namespace_.empty()) {
    if (auto it = impl_->cluster_roles.find(std::string(name)); it != impl_->cluster_roles.end()) role = it->second;
  } else if (auto it = impl_->namespaced_roles.find(role_key(namespace_, name)); it != impl_->namespaced_roles.end()) {
    role = it->second;
  }
  if (role == nullptr) return {};
  if (role->computed) return role->effective;
  std::vector<EffectiveRule> out;  // a role no binding names: computed on demand
  Scratch scratch;
  impl_->aggregate(*role, scratch, out);
  return out;
}

bool RbacEvaluator::is_builtin_cluster_role(std::string_view name) const {
  auto it = impl_->cluster_roles.find(std::string(name));
  return it != impl_->cluster_roles.end() && it->second->object == nullptr;
}

}  // namespace mg::kube
