#include "kube/credential_checks.hpp"

#include <crypt.h>

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <set>
#include <unordered_set>

#include "kube/exposure.hpp"
#include "kube/istio_auth.hpp"
#include "kube/object_finding.hpp"
#include "kube/pod_template.hpp"

namespace mg::kube {
namespace {

// Passwords people leave: the one kubeflow/manifests documents for user@example.com, and the
// one Dex's own examples use.
constexpr std::array<std::string_view, 2> kKnownPasswords{"12341234", "password"};
constexpr int kMaxBcryptCost = 12;  // Kubeflow ships cost 12; each step doubles the time
constexpr std::string_view kDefaultHashEnv = "DEX_USER_PASSWORD";

const core::RuleInfo& rule(std::string_view id) {
  static const std::vector<core::RuleInfo> kRules = credential_rules();
  return find_rule(kRules, id);
}

// A hash in evidence shows its algorithm, cost and six characters of the 22-character salt
// ("$2y$12$4K/Vkm…"), enough to recognise it, never the hash itself.
std::string truncated_hash(std::string_view hash) {
  return std::string(hash.substr(0, std::min<std::size_t>(hash.size(), 13))) + "…";
}

std::optional<int> bcrypt_cost(std::string_view hash) {
  if (hash.size() != 60 || hash[0] != '$' || hash[1] != '2' || hash[3] != '$' || hash[6] != '$') return std::nullopt;
  if (hash[2] != 'a' && hash[2] != 'b' && hash[2] != 'y') return std::nullopt;
  if (hash[4] < '0' || hash[4] > '9' || hash[5] < '0' || hash[5] > '9') return std::nullopt;
  return (hash[4] - '0') * 10 + (hash[5] - '0');
}

bool verifies(std::string_view password, const std::string& hash) {
  // crypt_data is ~32 KiB: on the heap, zeroed as crypt_r requires before first use.
  auto data = std::make_unique<crypt_data>();
  const std::string pw(password);
  const char* result = crypt_r(pw.c_str(), hash.c_str(), data.get());
  return result != nullptr && result[0] != '*' && hash == result;
}

std::optional<std::string> base64_decode(std::string_view text) {
  auto value_of = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+' || c == '-') return 62;
    if (c == '/' || c == '_') return 63;
    return -1;
  };
  std::string out;
  out.reserve(text.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=' || c == '\n' || c == '\r' || c == ' ') continue;
    const int v = value_of(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  return out;
}

std::string_view trimmed(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\n' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

// --- Dex configuration ----------------------------------------------------------------------

struct StaticUser {
  std::string email;
  std::string hash;          // staticPasswords[].hash, when written inline
  std::string hash_from_env; // staticPasswords[].hashFromEnv
  int line = 0;              // line of the hash in the file (0: unknown)
};

struct DexConfig {
  const Object* object = nullptr;  // the ConfigMap or Secret holding config.yaml
  std::string field;               // data."config.yaml" / stringData."config.yaml"
  int line = 0;
  bool lines_known = false;        // false when the text was base64 (lines mean nothing)
  std::vector<StaticUser> users;
};

std::optional<DexConfig> read_dex_config(const Object& holder, std::string_view section) {
  const Value* text = holder.root[section].find("config.yaml");
  if (text == nullptr || !text->is_string()) return std::nullopt;
  std::string content(text->str());
  const bool encoded = holder.kind() == "Secret" && section == "data";
  if (encoded) {
    auto decoded = base64_decode(content);
    if (!decoded) return std::nullopt;
    content = std::move(*decoded);
  }
  if (content.find("staticPasswords") == std::string::npos) return std::nullopt;
  // A block scalar's text starts on the line after its key.
  auto parsed = parse_embedded_yaml(content, encoded ? 0 : text->line() + 1);
  if (!parsed) return std::nullopt;  // Dex would not start with it either
  DexConfig config;
  config.object = &holder;
  config.field = std::string(section) + ".\"config.yaml\"";
  config.line = text->line();
  config.lines_known = !encoded;
  for (const auto& entry : (*parsed)["staticPasswords"].items()) {
    StaticUser user;
    user.email = std::string(entry["email"].str());
    user.hash = std::string(trimmed(entry["hash"].str()));
    user.hash_from_env = std::string(entry["hashFromEnv"].str());
    user.line = encoded ? 0 : entry["hash"].line();
    config.users.push_back(std::move(user));
  }
  return config;
}

std::vector<DexConfig> dex_configs(const Inventory& inventory) {
  std::vector<DexConfig> out;
  for (const Object* map : inventory.of_kind("ConfigMap", "")) {
    if (auto config = read_dex_config(*map, "data")) out.push_back(std::move(*config));
  }
  // The Dex Helm chart keeps config.yaml in a Secret.
  for (const Object* secret : inventory.of_kind("Secret", "")) {
    for (std::string_view section : {"stringData", "data"}) {
      if (auto config = read_dex_config(*secret, section)) out.push_back(std::move(*config));
    }
  }
  return out;
}

struct Exposure {
  bool exposed = false;
  bool world = false;
  std::string hop;
};

// Whether the Kubeflow login (and what it protects) is reachable from outside the cluster.
Exposure kubeflow_exposure(const ExposureModel& model) {
  Exposure out;
  for (const Route& route : model.graph.routes) {
    if (!route.kubeflow && !route.login_endpoint) continue;
    const EntryPoint& entry = model.graph.entries[route.entry];
    if (!out.exposed || (entry.world && !out.world)) out.hop = entry.hop;
    out.exposed = true;
    out.world = out.world || entry.world;
  }
  return out;
}

std::string password_text(std::string_view hash, std::string_view password) {
  if (hash == kKubeflowShippedDexHash) {
    return "the hash kubeflow/manifests ships (user@example.com / 12341234, documented in its README)";
  }
  return "verifies against the well-known password \"" + std::string(password) + "\"";
}

void report_dex(core::Finding finding, const Exposure& exposure, std::string_view email, std::string_view hash,
                std::string_view password, std::string_view where_to_change, Findings& out) {
  finding.severity = exposure.exposed ? core::Severity::critical : core::Severity::high;
  if (!email.empty()) add_evidence(finding, "user", email);
  add_evidence(finding, "hash", truncated_hash(hash));
  add_evidence(finding, "password", password_text(hash, password));
  add_evidence(finding, "exposure", exposure.exposed ? "Kubeflow is reachable from outside the cluster through " +
                                                           exposure.hop
                                                     : "no exposure found in the input: anyone inside the cluster "
                                                       "(or with a port-forward) can log in");
  finding.remediation = "Set a new password: put a bcrypt hash of a strong password (htpasswd -nbBC 12 '' "
                        "'<password>' | cut -d: -f2) in " + std::string(where_to_change) +
                        " and restart Dex; better, connect Dex to your identity provider and set enablePasswordDB: "
                        "false.";
  out.push_back(std::move(finding));
}

void check_dex_passwords(const AuditContext& context, const Exposure& exposure, Findings& out) {
  PasswordBudget budget;
  const auto configs = dex_configs(context.inventory);
  // Environment variables Dex reads hashes from, and the user each belongs to.
  std::vector<std::pair<std::string, std::string>> env_users{{std::string(kDefaultHashEnv), ""}};
  for (const auto& config : configs) {
    for (const auto& user : config.users) {
      if (user.hash_from_env.empty()) continue;
      auto it = std::find_if(env_users.begin(), env_users.end(),
                             [&](const auto& pair) { return pair.first == user.hash_from_env; });
      if (it == env_users.end()) {
        env_users.emplace_back(user.hash_from_env, user.email);
      } else if (it->second.empty()) {
        it->second = user.email;
      }
    }
  }

  for (const auto& config : configs) {
    for (const auto& user : config.users) {
      if (user.hash.empty()) continue;
      const std::string password = known_password_of(user.hash, budget);
      if (password.empty()) continue;
      core::Finding finding = object_finding(rule(kRuleDexDefaultPassword), *config.object, config.field,
                                             config.lines_known && user.line > 0 ? user.line : config.line);
      report_dex(std::move(finding), exposure, user.email, user.hash, password,
                 config.object->ref() + " " + config.field + " staticPasswords[].hash", out);
    }
  }

  for (const Object* secret : context.inventory.of_kind("Secret", "")) {
    for (std::string_view section : {"stringData", "data"}) {
      for (const auto& [env, email] : env_users) {
        const Value* value = secret->root[section].find(env);
        if (value == nullptr || !value->is_string()) continue;
        std::string hash(trimmed(value->str()));
        if (section == "data") {
          auto decoded = base64_decode(hash);
          if (!decoded) continue;
          hash = std::string(trimmed(*decoded));
        }
        const std::string password = known_password_of(hash, budget);
        if (password.empty()) continue;
        const std::string field = std::string(section) + "." + env;
        core::Finding finding = object_finding(rule(kRuleDexDefaultPassword), *secret, field, value->line());
        report_dex(std::move(finding), exposure, email, hash, password, secret->ref() + " " + field, out);
      }
    }
  }
}

// --- dashboards without login -----------------------------------------------------------------

struct Flag {
  std::string value;  // "true" for a bare boolean flag
  std::string field;  // "….args[3]"
  int line = 0;
};

// A flag in a container's command or args: "--name", "--name=value", "-name=value", or for
// string flags "--name value".
std::vector<Flag> find_flag(const ContainerView& container, std::string_view name, bool takes_value) {
  std::vector<Flag> out;
  if (container.spec == nullptr) return out;
  for (std::string_view list : {"command", "args"}) {
    const Value& items = (*container.spec)[list];
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::string_view text = items[i].str();
      if (text.starts_with("--")) {
        text.remove_prefix(2);
      } else if (text.starts_with("-")) {
        text.remove_prefix(1);
      } else {
        continue;
      }
      if (!text.starts_with(name)) continue;
      text.remove_prefix(name.size());
      Flag flag{{}, container.field + "." + std::string(list) + "[" + std::to_string(i) + "]", items[i].line()};
      if (text.starts_with('=')) {
        flag.value = std::string(text.substr(1));
      } else if (!text.empty()) {
        continue;  // a longer flag that starts with this name
      } else if (takes_value) {
        if (i + 1 >= items.size()) continue;
        flag.value = std::string(items[i + 1].str());
      } else {
        flag.value = "true";
      }
      out.push_back(std::move(flag));
    }
  }
  return out;
}

bool image_has(const ContainerView& container, std::initializer_list<std::string_view> parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [&](std::string_view part) { return container.image.find(part) != std::string::npos; });
}

std::string env_value(const ContainerView& container, std::string_view name) {
  if (container.spec == nullptr) return {};
  for (const auto& env : (*container.spec)["env"].items()) {
    if (env["name"].str() == name) return std::string(env["value"].str());
  }
  return {};
}

// Workloads a route from outside the cluster reaches without a login on the way (a dashboard
// behind an authenticating gateway still asks for one first).
std::unordered_set<const Object*> exposed_workloads(const ExposureModel& model) {
  std::unordered_set<const Object*> out;
  for (const Route& route : model.graph.routes) {
    if (route.workloads.empty() || route_auth(model, route).state < AuthState::bypassable) continue;
    out.insert(route.workloads.begin(), route.workloads.end());
  }
  return out;
}

// `setting` is the evidence of what was found ("--enable-skip-login", "ENABLE_AUTHZ unset").
core::Finding dashboard_finding(const PodTemplateView& pod, const ContainerView& container, const Flag& flag,
                                std::string_view what, std::string_view setting, std::string_view consequence,
                                bool exposed, std::string remediation) {
  core::Finding finding = object_finding(rule(kRuleDashboardWithoutLogin), *pod.owner, flag.field,
                                         flag.line > 0 ? flag.line : container.line);
  finding.title = std::string(what);
  add_evidence(finding, "container", container.name + " (" + container.image + ")");
  add_evidence(finding, "setting", setting);
  add_evidence(finding, "effect", consequence);
  add_evidence(finding, "exposure", exposed ? "reachable from outside the cluster (see MG-KUBE-001/003)"
                                            : "no exposure found in the input");
  finding.remediation = std::move(remediation);
  return finding;
}

void check_kubernetes_dashboard(const PodTemplateView& pod, const ContainerView& container, bool exposed, Findings& out) {
  if (!image_has(container, {"kubernetesui/dashboard", "kubernetes-dashboard"})) return;
  struct Switch {
    std::string_view flag;
    std::string_view consequence;
  };
  static constexpr std::array<Switch, 3> kSwitches{{
      {"enable-skip-login", "the login page offers \"Skip\": anyone reaching it acts with the dashboard's own "
                            "service account"},
      {"enable-insecure-login", "login is allowed over plain HTTP, so tokens travel in clear text"},
      {"disable-settings-authorizer", "any user, even unauthenticated, can change the dashboard's settings"},
  }};
  for (const auto& item : kSwitches) {
    for (const Flag& flag : find_flag(container, item.flag, false)) {
      if (flag.value == "false") continue;
      core::Finding finding = dashboard_finding(
          pod, container, flag, "Kubernetes Dashboard started with --" + std::string(item.flag),
          flag.field + " = --" + std::string(item.flag) + (flag.value == "true" ? "" : "=" + flag.value),
          item.consequence, exposed, "Remove --" + std::string(item.flag) + " from " + flag.field + " of " + pod.owner->ref() +
                       " and keep the dashboard behind kubectl proxy or an authenticating proxy.");
      finding.severity = item.flag == "enable-skip-login" && exposed ? core::Severity::critical : core::Severity::high;
      out.push_back(std::move(finding));
    }
  }
}

void check_argo_server(const PodTemplateView& pod, const ContainerView& container, bool exposed, Findings& out) {
  if (!image_has(container, {"argoproj/argocli", "argo-server"})) return;
  for (const Flag& flag : find_flag(container, "auth-mode", true)) {
    if (flag.value != "server") continue;
    core::Finding finding = dashboard_finding(
        pod, container, flag, "Argo Server accepts requests without client authentication (--auth-mode=server)",
        flag.field + " = --auth-mode=server", "every request runs with the Argo Server's service account: anyone reaching it can submit workflows",
        exposed, "Set --auth-mode=client (or sso) in " + flag.field + " of " + pod.owner->ref() + ".");
    finding.severity = exposed ? core::Severity::critical : core::Severity::high;
    out.push_back(std::move(finding));
  }
  if (!exposed) return;
  for (const Flag& flag : find_flag(container, "secure", false)) {
    if (flag.value != "false") continue;
    out.push_back(dashboard_finding(
        pod, container, flag, "Argo Server exposed over plain HTTP (--secure=false)",
        flag.field + " = --secure=false", "tokens and workflow contents cross the network unencrypted", exposed,
        "Remove --secure=false from " + flag.field + " of " + pod.owner->ref() + " or terminate TLS in front of it."));
  }
}

void check_pipelines_ui(const PodTemplateView& pod, const ContainerView& container, bool exposed, Findings& out) {
  const bool kfp_ui = image_has(container, {"kfp-frontend", "ml-pipeline/frontend"}) || container.name == "ml-pipeline-ui";
  if (!kfp_ui || env_value(container, "ENABLE_AUTHZ") == "true") return;
  // Standalone Kubeflow Pipelines has no login at all: whoever reaches the UI runs pipelines.
  const Value* env = container.spec != nullptr ? container.spec->find("env") : nullptr;
  Flag where{"(unset)", container.field + (env ? ".env" : ""), env ? env->line() : container.line};
  core::Finding finding = dashboard_finding(
      pod, container, where, "Kubeflow Pipelines UI runs without authorization (standalone mode)",
      "env ENABLE_AUTHZ is not \"true\"", "the UI serves every visitor, who can upload and run pipelines (containers)",
      exposed,
      "Keep " + pod.owner->ref() + " reachable only through an authenticating gateway (the multi-user Kubeflow "
      "install: Istio, oauth2-proxy, Dex) or through kubectl port-forward; never as a LoadBalancer or NodePort.");
  finding.severity = exposed ? core::Severity::high : core::Severity::medium;
  out.push_back(std::move(finding));
}

void check_dashboards(const AuditContext& context, const ExposureModel& model, Findings& out) {
  const auto exposed = exposed_workloads(model);
  for (const Object& object : context.inventory.objects()) {
    if (!holds_pods(object)) continue;
    for (const PodTemplateView& pod : context.pods.of(object)) {
      if (pod.owner == nullptr) continue;
      const bool reachable = exposed.contains(pod.owner);
      for (const ContainerView& container : pod.containers) {
        if (container.init) continue;
        check_kubernetes_dashboard(pod, container, reachable, out);
        check_argo_server(pod, container, reachable, out);
        check_pipelines_ui(pod, container, reachable, out);
      }
    }
  }
}

}  // namespace

std::string known_password_of(std::string_view hash, PasswordBudget& budget) {
  if (hash == kKubeflowShippedDexHash) return "12341234";
  const auto cost = bcrypt_cost(hash);
  if (!cost || *cost > kMaxBcryptCost || budget.remaining <= 0) return {};
  --budget.remaining;
  const std::string stored(hash);
  for (std::string_view password : kKnownPasswords) {
    if (verifies(password, stored)) return std::string(password);
  }
  return {};
}

void check_credentials(const AuditContext& context, Findings& out) {
  const ExposureModel model(context.inventory);
  check_dex_passwords(context, kubeflow_exposure(model), out);
  check_dashboards(context, model, out);
}

std::vector<core::RuleInfo> credential_rules() {
  using core::Category;
  using core::Severity;
  // Technique ids: T1078.001 Valid Accounts: Default Accounts (MITRE ATT&CK); MS-TA9005
  // Exposed sensitive interfaces (Microsoft Threat Matrix for Kubernetes); T1133 External
  // Remote Services.
  return {
      {std::string(kRuleDexDefaultPassword), "DexDefaultStaticPassword", "Dex static password left at the shipped default",
       "Dex's password database holds a static user whose bcrypt hash is the one kubeflow/manifests ships "
       "(user@example.com / 12341234) or verifies against another well-known password. Whoever reaches the "
       "Kubeflow login signs in as that user and can run notebooks and pipelines in its profile.",
       Severity::high, Category::credential_access, {"T1078.001"},
       "Replace the hash (Secret auth/dex-passwords DEX_USER_PASSWORD, or staticPasswords[].hash in the Dex "
       "config) with a bcrypt hash of a strong password and restart Dex; better, connect Dex to your identity "
       "provider and set enablePasswordDB: false."},
      {std::string(kRuleDashboardWithoutLogin), "DashboardWithoutLogin", "Dashboard started with its login switched off",
       "A Kubernetes Dashboard runs with --enable-skip-login (or insecure login, or without the settings "
       "authorizer), an Argo Server with --auth-mode=server, or a standalone Kubeflow Pipelines UI without "
       "authorization. Anyone who reaches it acts with the dashboard's own service account: exposed dashboards "
       "like these were the entry point of cryptojacking campaigns (Tesla 2018, Argo Workflows 2021).",
       Severity::high, Category::exposure, {"MS-TA9005", "T1133"},
       "Remove the flag named (or set --auth-mode=client for Argo Server, ENABLE_AUTHZ for Pipelines) and keep the "
       "dashboard behind kubectl proxy/port-forward or an authenticating proxy."},
  };
}

}  // namespace mg::kube
