#include "kube/rbac_checks.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "core/finding.hpp"
#include "kube/kubeflow_profiles.hpp"
#include "kube/object_finding.hpp"
#include "kube/pod_template.hpp"
#include "kube/rbac.hpp"

// Who is reported, and why (a Kubeflow operator must agree with every finding on a stock install):
//
//  - Accounts that run code users supply -- notebooks, pipeline steps, training jobs, Spark and
//    KServe workloads, anything in a Kubeflow profile namespace, and Kubeflow's own run-time
//    accounts (default-editor, pipeline-runner) -- are reported for every capability, high: their
//    token is in the hands of whoever writes a notebook cell or a pipeline component, and that is
//    the road a miner takes from one pod to many.
//  - Any account whose token can do everything cluster-wide (cluster-admin or `*` on `*`) is
//    reported, critical: no controller needs that, and one stolen token is the whole cluster.
//    (Stock Kubeflow: the profile controller, bound to cluster-admin.) Such a grant is reported
//    once, there, and not again as "can create pods", "can read secrets", ….
//  - Other workloads (controllers, web apps, gateways) are not reported for the rights their own
//    purpose-built roles give them: Argo's workflow-controller, the notebook and training
//    operators, the Spark operator and JobSet create pods by design, cert-manager and the Istio
//    gateways read secrets by design, and a finding an operator can only suppress teaches them to
//    ignore the tool. They are reported (medium) only for what no component role should carry:
//    the bind, escalate and impersonate verbs, and roles made for people (admin, edit,
//    cluster-admin in a namespace, kubeflow-admin, kubeflow-edit) bound to a workload's account.

namespace mg::kube {
namespace {

// ---- rule metadata ------------------------------------------------------------------------------

constexpr std::string_view kCreateWorkloads = "MG-KUBE-010";
constexpr std::string_view kExec = "MG-KUBE-011";
constexpr std::string_view kReadSecrets = "MG-KUBE-012";
constexpr std::string_view kEscalate = "MG-KUBE-013";
constexpr std::string_view kClusterAdmin = "MG-KUBE-014";
constexpr std::string_view kPublicBinding = "MG-KUBE-015";
constexpr std::string_view kUnneededToken = "MG-KUBE-016";

std::vector<core::RuleInfo> make_rules() {
  using core::Category;
  using core::Severity;
  return {
      {std::string(kCreateWorkloads), "ServiceAccountCanCreateWorkloads",
       "Service account token in a workload can create pods or pod-making objects",
       "A token mounted into a workload (or the account Kubeflow runs notebooks and pipeline steps as) may create "
       "pods or objects that make pods: Deployments, Jobs, Notebooks, Argo Workflows, training jobs, Spark "
       "applications, InferenceServices. Whoever runs code in that workload can start containers of any image "
       "wherever the grant reaches, which is how a miner spreads from one pod to a cluster's GPUs. High for "
       "accounts that run user code; medium when another workload holds a role made for people.",
       Severity::high, Category::privilege, {"MS-TA9016", "MS-TA9008", "T1610", "T1528"},
       "Remove create on pods and pod-making kinds from the account's roles, or give the workload an account "
       "with automountServiceAccountToken: false. In Kubeflow, cap profile namespaces with a ResourceQuota and "
       "give notebooks that need no API access a PodDefault that turns the token off."},
      {std::string(kExec), "ServiceAccountCanExecIntoPods",
       "Service account token in a workload can exec into or attach to pods",
       "A token mounted into a workload may use pods/exec or pods/attach (create, or get, which older clusters "
       "accepted for WebSocket exec): code in that workload can run commands in every pod the grant reaches, "
       "with those pods' own tokens, mounts and GPUs.",
       Severity::high, Category::privilege, {"MS-TA9006", "MS-TA9016", "T1609"},
       "Remove pods/exec and pods/attach from the account's roles, or disable the token on workloads that do not "
       "need the API (automountServiceAccountToken: false)."},
      {std::string(kReadSecrets), "ServiceAccountCanReadSecrets",
       "Service account token in a workload can read secrets",
       "A token mounted into a workload may get, list or watch Secrets: database and object-store credentials, "
       "registry pull secrets, other accounts' tokens. Listing returns every secret's content, so one leaked "
       "token exposes all the credentials in its reach.",
       Severity::high, Category::credential_access, {"MS-TA9025", "MS-TA9016", "T1552.007"},
       "Remove get/list/watch on secrets from the account's roles, or limit them with resourceNames to the "
       "secrets the workload reads."},
      {std::string(kEscalate), "ServiceAccountCanEscalate",
       "Service account token in a workload can grant rights, escalate roles or impersonate",
       "A token mounted into a workload may bind or escalate roles, write RoleBindings or ClusterRoleBindings, or "
       "impersonate users, groups or service accounts. It can hand its rights (or, with bind, escalate or "
       "impersonate, more than its rights) to any identity, and keep them after the workload is gone.",
       Severity::high, Category::privilege, {"MS-TA9019", "MS-TA9016", "T1098"},
       "Remove bind, escalate and impersonate, and write access to role bindings, from the account's roles; keep "
       "them for the few controllers that manage RBAC, in their own namespace."},
      {std::string(kClusterAdmin), "ServiceAccountIsClusterAdmin",
       "Service account token in a workload is cluster-admin",
       "A token mounted into a workload may do everything (`*` verbs on `*` resources in every API group) in "
       "every namespace, usually through a ClusterRoleBinding to cluster-admin. Anyone who gets code into that "
       "workload owns the cluster: every node, secret and GPU.",
       Severity::critical, Category::privilege, {"MS-TA9019", "MS-TA9016", "T1078", "T1528"},
       "Bind the account to a ClusterRole listing only the verbs and resources the workload uses, instead of "
       "cluster-admin."},
      {std::string(kPublicBinding), "BindingToAnonymousOrAllUsers",
       "Binding grants rights to anonymous users or to every authenticated identity",
       "A RoleBinding or ClusterRoleBinding names system:anonymous or system:unauthenticated (anyone who can reach "
       "the API server), or gives a powerful role to system:authenticated or system:serviceaccounts (every user "
       "and every pod's token in the cluster). Critical when anonymous users can create workloads or read "
       "secrets.",
       Severity::high, Category::exposure, {"MS-TA9005", "MS-TA9029", "T1133", "T1078"},
       "Remove the subject from the binding, and bind the role to the specific users, groups or service accounts "
       "that need it."},
      {std::string(kUnneededToken), "UnneededServiceAccountToken",
       "Workload mounts a service account token it has no use for",
       "The workload mounts its service account's API token (automountServiceAccountToken is not false on the pod "
       "spec nor on the ServiceAccount), but no binding gives that account any right. The token only helps an "
       "intruder: it authenticates to the API server and to anything that trusts Kubernetes tokens.",
       Severity::low, Category::credential_access, {"MS-TA9016", "T1528"},
       "Set automountServiceAccountToken: false on the pod template, or on the ServiceAccount if no workload "
       "using it calls the API."},
  };
}

const std::vector<core::RuleInfo>& rules() {
  static const std::vector<core::RuleInfo> all = make_rules();
  return all;
}

const core::RuleInfo& rule(std::string_view id) { return find_rule(rules(), id); }

// ---- what a grant allows ----------------------------------------------------------------------

enum class Capability { create_workloads, exec, read_secrets, escalate, cluster_admin };

std::string_view rule_id(Capability capability) {
  switch (capability) {
    case Capability::create_workloads:
      return kCreateWorkloads;
    case Capability::exec:
      return kExec;
    case Capability::read_secrets:
      return kReadSecrets;
    case Capability::escalate:
      return kEscalate;
    case Capability::cluster_admin:
      return kClusterAdmin;
  }
  return kClusterAdmin;
}

constexpr std::array kCapabilities{Capability::cluster_admin, Capability::create_workloads, Capability::exec,
                                   Capability::read_secrets, Capability::escalate};

struct Resource {
  std::string_view group;
  std::string_view resource;
};

// Kinds whose creation starts containers: the built-in controllers and the Kubeflow-family kinds
// (plus the serving and batch kinds Kubeflow installs ship with). extensions/v1beta1 workloads are
// left out: no supported API server serves them.
constexpr std::array<Resource, 28> kWorkloadKinds{{
    {"", "pods"},
    {"", "replicationcontrollers"},
    {"apps", "deployments"},
    {"apps", "replicasets"},
    {"apps", "statefulsets"},
    {"apps", "daemonsets"},
    {"batch", "jobs"},
    {"batch", "cronjobs"},
    {"kubeflow.org", "notebooks"},
    {"kubeflow.org", "tfjobs"},
    {"kubeflow.org", "pytorchjobs"},
    {"kubeflow.org", "mpijobs"},
    {"kubeflow.org", "xgboostjobs"},
    {"kubeflow.org", "paddlejobs"},
    {"kubeflow.org", "jaxjobs"},
    {"kubeflow.org", "experiments"},
    {"argoproj.io", "workflows"},
    {"argoproj.io", "cronworkflows"},
    {"trainer.kubeflow.org", "trainjobs"},
    {"sparkoperator.k8s.io", "sparkapplications"},
    {"sparkoperator.k8s.io", "scheduledsparkapplications"},
    {"serving.kserve.io", "inferenceservices"},
    {"serving.knative.dev", "services"},
    {"jobset.x-k8s.io", "jobsets"},
    {"leaderworkerset.x-k8s.io", "leaderworkersets"},
    {"ray.io", "rayclusters"},
    {"ray.io", "rayjobs"},
    {"ray.io", "rayservices"},
}};

// What one grant allows of a capability: "verb resource" pairs, and whether a verb that goes
// beyond the holder's own rights (bind, escalate, impersonate) is among them.
struct Match {
  std::vector<std::pair<std::string, std::string>> items;
  bool beyond_own_rights = false;
  bool empty() const { return items.empty(); }
};

std::string qualified(std::string_view group, std::string_view resource) {
  std::string out(resource);
  if (!group.empty()) {
    out += '.';
    out += group;
  }
  return out;
}

bool all_resources(const Grant& grant) {
  const auto star = [](const std::vector<std::string>& list) { return std::ranges::find(list, "*") != list.end(); };
  return star(grant.resources()) && star(grant.api_groups());
}

void try_add(Match& match, const Grant& grant, std::string_view verb, std::string_view group, std::string_view resource) {
  if (grant.allows(verb, group, resource)) match.items.emplace_back(std::string(verb), qualified(group, resource));
}

Match match_capability(const Grant& grant, Capability capability) {
  Match match;
  switch (capability) {
    case Capability::cluster_admin:
      if (grant.cluster_admin_equivalent()) match.items.emplace_back("all verbs on", "all resources");
      break;
    case Capability::create_workloads:
      if (all_resources(grant) && grant.allows("create", "", "pods")) {
        match.items.emplace_back("create", "every resource");
        break;
      }
      for (const auto& kind : kWorkloadKinds) try_add(match, grant, "create", kind.group, kind.resource);
      break;
    case Capability::exec:
      for (const auto* verb : {"create", "get"}) {
        try_add(match, grant, verb, "", "pods/exec");
        try_add(match, grant, verb, "", "pods/attach");
      }
      break;
    case Capability::read_secrets:
      for (const auto* verb : {"get", "list", "watch"}) try_add(match, grant, verb, "", "secrets");
      break;
    case Capability::escalate: {
      for (const auto* verb : {"bind", "escalate"}) {
        for (const auto* resource : {"roles", "clusterroles"}) try_add(match, grant, verb, "rbac.authorization.k8s.io", resource);
      }
      for (const Resource target : {Resource{"", "users"}, Resource{"", "groups"}, Resource{"", "serviceaccounts"},
                                    Resource{"authentication.k8s.io", "userextras"}, Resource{"authentication.k8s.io", "uids"}}) {
        try_add(match, grant, "impersonate", target.group, target.resource);
      }
      match.beyond_own_rights = !match.items.empty();
      for (const auto* verb : {"create", "update", "patch"}) {
        for (const auto* resource : {"rolebindings", "clusterrolebindings"}) {
          try_add(match, grant, verb, "rbac.authorization.k8s.io", resource);
        }
      }
      break;
    }
  }
  return match;
}

// "create pods, deployments.apps; get, list secrets": verbs with the same resources share them, at
// most five resources per entry, so the evidence stays on one line.
std::string describe(const Match& match) {
  using Entry = std::pair<std::vector<std::string>, std::vector<std::string>>;  // verbs, resources
  std::vector<Entry> by_verb;
  for (const auto& [verb, resource] : match.items) {
    auto it = std::ranges::find_if(by_verb, [&](const Entry& e) { return e.first.front() == verb; });
    if (it == by_verb.end()) {
      by_verb.push_back({{verb}, {}});
      it = std::prev(by_verb.end());
    }
    if (std::ranges::find(it->second, resource) == it->second.end()) it->second.push_back(resource);
  }
  std::vector<Entry> merged;
  for (auto& entry : by_verb) {
    auto same = std::ranges::find(merged, entry.second, &Entry::second);
    if (same != merged.end()) {
      same->first.push_back(entry.first.front());
    } else {
      merged.push_back(std::move(entry));
    }
  }
  const auto join = [](const std::vector<std::string>& list, std::size_t most) {
    std::string out = join_first(list, most, ", ");
    if (list.size() > most) out += " (+" + std::to_string(list.size() - most) + " more)";
    return out;
  };
  std::string out;
  for (const auto& [verbs, resources] : merged) {
    if (!out.empty()) out += "; ";
    out += join(verbs, verbs.size()) + " " + join(resources, 5);
  }
  return out;
}

// A grant's chain runs past add_evidence()'s 240 bytes once aggregation nests (binding, role,
// two aggregated roles, scope, what it allows): the chain is the evidence, so it gets more room.
void add_grant_evidence(core::Finding& finding, const std::string& value) {
  finding.evidence.push_back({"grant", core::printable(value, 480), std::nullopt});
}

// Roles written for people, not for a component: finding one bound to a workload's account is a
// mistake an operator fixes, whatever the workload is.
bool role_for_people(const Grant& grant) {
  static constexpr std::array<std::string_view, 5> kRoles{"ClusterRole cluster-admin", "ClusterRole admin",
                                                          "ClusterRole edit", "ClusterRole kubeflow-admin",
                                                          "ClusterRole kubeflow-edit"};
  return std::ranges::find(kRoles, grant.bound_role) != kRoles.end();
}

// ---- accounts whose tokens are in workloads -----------------------------------------------------

// Kinds whose pods run code their users supply (notebooks, pipeline steps, training and serving).
bool runs_user_code(std::string_view kind) {
  static constexpr std::array<std::string_view, 18> kKinds{
      "Notebook",   "Workflow",   "WorkflowTemplate", "CronWorkflow",     "ClusterWorkflowTemplate",
      "TFJob",      "PyTorchJob", "MPIJob",           "XGBoostJob",       "PaddleJob",
      "JAXJob",     "TrainJob",   "SparkApplication", "ScheduledSparkApplication",
      "Experiment", "InferenceService", "RayJob",     "RayCluster"};
  return std::ranges::find(kKinds, kind) != kKinds.end();
}

struct TokenMount {
  const Object* workload = nullptr;
  std::string namespace_;
  std::string service_account;
  std::string field;  // the pod spec's dotted path
  int line = 0;
};

// Workloads named as evidence per account: the `default` account can be mounted by thousands.
constexpr std::size_t kWorkloadsShown = 5;

struct Account {
  Subject subject;
  std::vector<std::string> notes;       // why Kubeflow runs code as this account
  std::vector<std::string> mounted_by;  // "mounted by Deployment kubeflow/x", at most kWorkloadsShown
  std::size_t more_workloads = 0;
  const Object* last_workload = nullptr;  // a workload's templates are consecutive: count it once
  bool user_code = false;                 // runs code users supply
};

std::string account_key(std::string_view namespace_, std::string_view name) {
  return std::string(namespace_) + "/" + std::string(name);
}

// Kubernetes' rule: the pod spec's automountServiceAccountToken wins, then the ServiceAccount's,
// and a token is mounted when neither says false.
bool token_mounted(const PodTemplateView& view, const Inventory& inventory) {
  if (view.automount_token.has_value()) return *view.automount_token;
  if (const auto* account = inventory.find("ServiceAccount", view.namespace_, view.service_account)) {
    if (auto automount = account->root["automountServiceAccountToken"].as_bool()) return *automount;
  }
  return true;
}

std::vector<TokenMount> token_mounts(const Inventory& inventory, const PodTemplateIndex& pods) {
  std::vector<TokenMount> out;
  for (const auto& object : inventory.objects()) {
    // A ClusterWorkflowTemplate's pods run in the namespace, and as the account, of the workflow
    // that uses it: it mounts nothing by itself.
    if (!holds_pods(object) || object.kind() == "ClusterWorkflowTemplate") continue;
    for (const auto& view : pods.of(object)) {
      if (view.service_account.empty() || !token_mounted(view, inventory)) continue;
      out.push_back({&object, view.namespace_, view.service_account, view.field, view.line});
    }
  }
  return out;
}

// The account KFP runs pipeline steps as in every profile namespace: the API server's
// DEFAULTPIPELINERUNNERSERVICEACCOUNT (kubeflow/manifests sets default-editor), from its ConfigMap;
// none when the input has no Kubeflow Pipelines.
std::optional<std::string> pipeline_runner_account(const Inventory& inventory) {
  for (const auto* config_map : inventory.of_kind("ConfigMap", "")) {
    const auto name = config_map->root["data"]["DEFAULTPIPELINERUNNERSERVICEACCOUNT"].str();
    if (!name.empty()) return std::string(name);
  }
  return std::nullopt;
}

void add_workload(Account& account, const Object& workload) {
  if (account.last_workload == &workload) return;
  account.last_workload = &workload;
  if (account.mounted_by.size() < kWorkloadsShown) {
    account.mounted_by.push_back("mounted by " + workload.ref());
  } else {
    ++account.more_workloads;
  }
}

void add_note(Account& account, std::string note) {
  if (std::ranges::find(account.notes, note) == account.notes.end()) account.notes.push_back(std::move(note));
}

// Every account whose token some workload holds, keyed "ns/name" (sorted: stable output).
std::map<std::string, Account> accounts_with_tokens(const Inventory& inventory, const std::vector<TokenMount>& mounts) {
  std::map<std::string, Account> accounts;
  const auto account_for = [&](std::string_view namespace_, std::string_view name) -> Account& {
    auto [it, added] = accounts.try_emplace(account_key(namespace_, name));
    if (added) it->second.subject = Subject::service_account(std::string(namespace_), std::string(name));
    return it->second;
  };
  const auto profiles = profile_namespaces(inventory);
  const auto in_profile = [&](std::string_view ns) { return std::ranges::find(profiles, ns) != profiles.end(); };

  for (const auto& mount : mounts) {
    auto& account = account_for(mount.namespace_, mount.service_account);
    add_workload(account, *mount.workload);
    if (runs_user_code(mount.workload->kind()) || in_profile(mount.namespace_)) account.user_code = true;
  }
  // Kubeflow's run-time accounts: nothing in a rendered install mounts them, yet every notebook the
  // Jupyter web app spawns (serviceAccount="default-editor" in its post_notebook route) and every
  // pipeline run of a profile uses them.
  const auto runner = pipeline_runner_account(inventory);
  for (const auto profile : profiles) {
    auto& editor = account_for(profile, "default-editor");
    editor.user_code = true;
    add_note(editor, "used by Kubeflow for notebooks in profile namespace " + std::string(profile) +
                        " (Jupyter web app default)");
    if (!runner) continue;
    auto& pipelines = account_for(profile, *runner);
    pipelines.user_code = true;
    add_note(pipelines, "used by Kubeflow Pipelines for runs in profile namespace " + std::string(profile) +
                           " (DEFAULTPIPELINERUNNERSERVICEACCOUNT)");
  }
  // KFP compiles workflows with serviceAccountName: pipeline-runner (the single-user default).
  for (const auto* account : inventory.of_kind("ServiceAccount", "")) {
    if (account->name() != "pipeline-runner") continue;
    auto& runner_account = account_for(account->namespace_(), account->name());
    runner_account.user_code = true;
    add_note(runner_account, "used by Kubeflow Pipelines: Argo workflows run as pipeline-runner");
  }
  return accounts;
}

// ---- MG-KUBE-010..014: one finding per (account, capability) -----------------------------------

struct Evidence {
  std::string chain;  // path + scope: one line per binding chain, whatever the number of rules
  Match match;
};

void merge(std::vector<Evidence>& evidence, const Grant& grant, const Match& match) {
  auto key = grant.path() + " (" + grant.scope() + ")";
  auto it = std::ranges::find(evidence, key, &Evidence::chain);
  if (it == evidence.end()) {
    evidence.push_back({std::move(key), match});
    return;
  }
  it->match.items.insert(it->match.items.end(), match.items.begin(), match.items.end());
}

// The severity at which this grant is reported for this account, or nothing.
std::optional<core::Severity> reported(const Account& account, const Grant& grant, Capability capability,
                                       const Match& match) {
  if (capability == Capability::cluster_admin) return core::Severity::critical;
  if (grant.cluster_admin_equivalent()) return std::nullopt;  // reported once, as MG-KUBE-014
  if (account.user_code) return core::Severity::high;
  if (capability == Capability::escalate && match.beyond_own_rights) return core::Severity::medium;
  if (role_for_people(grant)) return core::Severity::medium;
  return std::nullopt;
}

core::Finding located_on_account(const core::RuleInfo& info, const Inventory& inventory, const Subject& subject) {
  if (const auto* object = inventory.find("ServiceAccount", subject.namespace_, subject.name)) {
    return object_finding(info, *object);
  }
  return named_finding(info, "ServiceAccount", subject.namespace_, subject.name);
}

void add_uses(core::Finding& finding, const Account& account) {
  for (const auto& note : account.notes) add_evidence(finding, "token", note);
  for (const auto& workload : account.mounted_by) add_evidence(finding, "token", workload);
  if (account.more_workloads > 0) {
    add_evidence(finding, "token", "and " + std::to_string(account.more_workloads) + " more workloads");
  }
}

void check_account(const RbacEvaluator& rbac, const Inventory& inventory, const Account& account, Findings& findings) {
  const auto grants = rbac.grants_for(account.subject);
  if (grants.empty()) return;
  for (const auto capability : kCapabilities) {
    std::vector<Evidence> evidence;
    std::optional<core::Severity> severity;
    for (const auto& grant : grants) {
      auto match = match_capability(grant, capability);
      if (match.empty()) continue;
      const auto level = reported(account, grant, capability, match);
      if (!level) continue;
      severity = std::max(severity.value_or(core::Severity::info), *level);
      merge(evidence, grant, match);
    }
    if (!severity) continue;
    auto finding = located_on_account(rule(rule_id(capability)), inventory, account.subject);
    finding.severity = *severity;
    for (const auto& item : evidence) {
      add_grant_evidence(finding, item.chain + ": " + describe(item.match));
    }
    add_uses(finding, account);
    findings.push_back(std::move(finding));
  }
}

// ---- MG-KUBE-015: bindings to anonymous or to everyone -----------------------------------------

enum class Audience { none, anonymous, everyone };

Audience audience_of(const Value& subject) {
  const auto kind = subject["kind"].str();
  const auto name = subject["name"].str();
  if ((kind == "User" && name == "system:anonymous") || (kind == "Group" && name == "system:unauthenticated")) {
    return Audience::anonymous;
  }
  if (kind == "Group" && (name == "system:authenticated" || name == "system:serviceaccounts")) return Audience::everyone;
  return Audience::none;
}

// Paths every cluster serves to anyone (system:public-info-viewer): granting them says nothing.
bool public_info_url(std::string_view url) {
  for (const std::string_view path : {"/healthz", "/livez", "/readyz", "/version"}) {
    if (url == path || (url.starts_with(path) && url.size() > path.size() && url[path.size()] == '/')) return true;
  }
  return false;
}

bool grants_something(const Grant& grant) {
  if (!grant.resources().empty()) return !grant.verbs().empty();
  return std::ranges::any_of(grant.rule->non_resource_urls, [](const std::string& url) { return !public_info_url(url); });
}

std::string summarize(const Grant& grant) {
  const auto join = [](const std::vector<std::string>& list, std::size_t most) {
    std::string out;
    for (std::size_t i = 0; i < list.size() && i < most; ++i) {
      if (i > 0) out += ",";
      out += list[i];
    }
    if (list.size() > most) out += ",…";
    return out;
  };
  if (grant.resources().empty()) return join(grant.verbs(), 8) + " " + join(grant.rule->non_resource_urls, 5);
  std::string out = join(grant.verbs(), 8) + " " + join(grant.resources(), 5);
  if (!grant.resource_names().empty()) out += " named " + join(grant.resource_names(), 3);
  return out;
}

void check_binding(const RbacEvaluator& rbac, const Object& binding, Findings& findings) {
  std::vector<Grant> grants;
  bool evaluated = false;
  int index = 0;
  for (const auto& subject : binding.root["subjects"].items()) {
    const auto audience = audience_of(subject);
    const int subject_index = index++;
    if (audience == Audience::none) continue;
    if (!evaluated) {
      grants = rbac.grants_of(binding);
      evaluated = true;
    }
    bool workloads_or_secrets = false, cluster_admin = false;
    std::vector<std::string> lines;
    for (const auto& grant : grants) {
      if (!grants_something(grant)) continue;
      std::string what;
      for (const auto capability : kCapabilities) {
        const auto match = match_capability(grant, capability);
        if (match.empty()) continue;
        cluster_admin = cluster_admin || capability == Capability::cluster_admin;
        workloads_or_secrets = workloads_or_secrets || capability == Capability::create_workloads ||
                               capability == Capability::read_secrets || capability == Capability::cluster_admin;
        if (what.empty()) what = describe(match);
      }
      // Everyone-groups are reported for powerful grants only: Kubeflow hands every user read
      // access to a public ConfigMap or the cluster training runtimes, and that is intended.
      if (audience == Audience::everyone && what.empty()) continue;
      lines.push_back(grant.path() + " (" + grant.scope() + "): " + (what.empty() ? summarize(grant) : what));
    }
    if (lines.empty()) continue;
    auto finding = object_finding(rule(kPublicBinding), binding, "subjects[" + std::to_string(subject_index) + "]",
                                  subject.line());
    if (audience == Audience::anonymous) {
      finding.severity = workloads_or_secrets ? core::Severity::critical : core::Severity::high;
    } else {
      finding.severity = cluster_admin ? core::Severity::critical : core::Severity::medium;
    }
    add_evidence(finding, "subject", std::string(subject["kind"].str()) + " " + std::string(subject["name"].str()));
    for (const auto& line : lines) add_grant_evidence(finding, line);
    findings.push_back(std::move(finding));
  }
}

void check_public_bindings(const RbacEvaluator& rbac, const Inventory& inventory, Findings& findings) {
  for (const auto* kind : {"ClusterRoleBinding", "RoleBinding"}) {
    for (const auto* binding : inventory.of_kind(kind, "rbac.authorization.k8s.io")) {
      check_binding(rbac, *binding, findings);
    }
  }
}

// ---- MG-KUBE-016: tokens mounted for accounts without rights -----------------------------------

// Grants that speak for this account: bindings naming it or the service-account groups it is in.
// Grants to system:authenticated are left out: they are made for every user, say nothing about
// what this workload needs, and a workload that used only them would not need its own account.
bool has_own_grants(const RbacEvaluator& rbac, const Subject& subject) {
  if (!rbac.grants_naming(subject).empty()) return true;
  for (const auto& group : implied_groups(subject)) {
    if (group == "system:authenticated") continue;
    if (!rbac.grants_naming(Subject::group(group)).empty()) return true;
  }
  return false;
}

void check_unneeded_tokens(const RbacEvaluator& rbac, const std::vector<TokenMount>& mounts, Findings& findings) {
  std::unordered_map<std::string, bool> has_grants;  // per account, computed once
  const auto rightless = [&](const TokenMount& mount) {
    auto key = account_key(mount.namespace_, mount.service_account);
    auto it = has_grants.find(key);
    if (it == has_grants.end()) {
      it = has_grants.emplace(std::move(key), has_own_grants(rbac, Subject::service_account(mount.namespace_, mount.service_account))).first;
    }
    return !it->second;
  };
  // One finding per workload, on its first pod template that mounts a right-less token.
  for (std::size_t i = 0; i < mounts.size();) {
    const Object* workload = mounts[i].workload;
    std::size_t end = i;
    while (end < mounts.size() && mounts[end].workload == workload) ++end;
    std::optional<core::Finding> finding;
    std::set<std::string> named;
    for (std::size_t j = i; j < end; ++j) {
      const auto& mount = mounts[j];
      if (!rightless(mount)) continue;
      if (!finding) {
        finding = object_finding(rule(kUnneededToken), *workload, mount.field + ".automountServiceAccountToken", mount.line);
      }
      if (named.insert(mount.service_account).second) {
        add_evidence(*finding, "service account",
                     "ServiceAccount " + account_key(mount.namespace_, mount.service_account) +
                         ": no RoleBinding or ClusterRoleBinding grants it anything");
      }
    }
    if (finding) {
      add_evidence(*finding, "token", "automountServiceAccountToken is not false on the pod spec nor on the ServiceAccount");
      findings.push_back(std::move(*finding));
    }
    i = end;
  }
}

}  // namespace

std::vector<core::RuleInfo> rbac_rules() { return rules(); }

void check_rbac(const AuditContext& context, Findings& findings) {
  const auto& inventory = context.inventory;
  const RbacEvaluator rbac(inventory);  // roles indexed and aggregated once for every check below
  const auto mounts = token_mounts(inventory, context.pods);
  for (const auto& [key, account] : accounts_with_tokens(inventory, mounts)) {
    check_account(rbac, inventory, account, findings);
  }
  check_public_bindings(rbac, inventory, findings);
  check_unneeded_tokens(rbac, mounts, findings);
}

}  // namespace mg::kube
