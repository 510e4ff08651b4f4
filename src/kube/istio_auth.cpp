#include "kube/istio_auth.hpp"

#include <algorithm>
#include <cctype>

#include "kube/exposure.hpp"
#include "kube/object_finding.hpp"
#include "kube/reader.hpp"

namespace mg::kube {
namespace {

// --- embedded YAML -------------------------------------------------------------------------

// A mesh config or a Dex config is a few KiB; anything far larger is not one.
ReadLimits embedded_limits() {
  ReadLimits limits;
  limits.max_document_bytes = 4u << 20;
  limits.max_nodes_per_document = 200'000;
  limits.max_depth = 64;
  return limits;
}

// --- policy rules --------------------------------------------------------------------------

// How much of the traffic in question a condition matches. `sometimes` is anything we cannot
// decide from the manifests (source IPs, ports, a specific header value): it neither protects
// (a CUSTOM/DENY rule must match every request to stop it) nor is ruled out (an ALLOW rule that
// sometimes matches may admit the request).
enum class Match { never = 0, sometimes = 1, always = 2 };

Match both(Match a, Match b) { return std::min(a, b); }
Match either(Match a, Match b) { return std::max(a, b); }

struct Request {
  bool authorization_header = false;  // carries `Authorization: x` (no extractable JWT)
  std::string_view path_prefix = "/";
};

struct RuleMatch {
  Match match = Match::always;
  bool jwt = false;  // the rule reads request principals or JWT claims
};

bool contains_text(const Value& list, std::string_view text) {
  for (const auto& item : list.items()) {
    if (item.str() == text) return true;
  }
  return false;
}

bool has_items(const Value* list) { return list != nullptr && list->is_array() && list->size() > 0; }

bool any_open_range(const Value& list) {
  return contains_text(list, "0.0.0.0/0") || contains_text(list, "::/0");
}

// A path pattern of Istio: exact, "prefix*", "*suffix", "*", and the newer templates
// ("/dex/**", "/{*}/x") whose trailing "**" or "{**}" acts as a prefix.
struct PathPattern {
  enum class Kind { any, prefix, suffix, exact } kind;
  std::string_view text;
};

PathPattern classify_path(std::string_view pattern) {
  if (pattern == "*" || pattern == "/*" || pattern == "/**" || pattern == "/{**}") return {PathPattern::Kind::any, {}};
  if (pattern.ends_with("{**}")) return {PathPattern::Kind::prefix, pattern.substr(0, pattern.size() - 4)};
  if (pattern.ends_with('*')) {
    while (pattern.ends_with('*')) pattern.remove_suffix(1);
    return {PathPattern::Kind::prefix, pattern};
  }
  if (pattern.starts_with('*')) return {PathPattern::Kind::suffix, pattern};
  if (pattern.find('{') != std::string_view::npos) return {PathPattern::Kind::suffix, pattern};
  return {PathPattern::Kind::exact, pattern};
}

// How many of the paths under `prefix` one pattern matches.
Match path_match(std::string_view pattern, std::string_view prefix) {
  const auto p = classify_path(pattern);
  switch (p.kind) {
    case PathPattern::Kind::any:
      return Match::always;
    case PathPattern::Kind::prefix:
      if (prefix.starts_with(p.text)) return Match::always;
      return p.text.starts_with(prefix) ? Match::sometimes : Match::never;
    case PathPattern::Kind::suffix:
      return Match::sometimes;
    case PathPattern::Kind::exact:
      return p.text.starts_with(prefix) ? Match::sometimes : Match::never;
  }
  return Match::sometimes;
}

Match paths_match(const Value& patterns, std::string_view prefix) {
  Match out = Match::never;
  for (const auto& pattern : patterns.items()) out = either(out, path_match(pattern.str(), prefix));
  return out;
}

// notPaths: the route is excluded only when a pattern covers all of it. Patterns that cover a
// part of it (/dex/* under /) name sub-paths that other routes serve (the login endpoints).
Match not_paths_match(const Value& patterns, std::string_view prefix) {
  for (const auto& pattern : patterns.items()) {
    if (path_match(pattern.str(), prefix) == Match::always) return Match::never;
  }
  return Match::always;
}

Match star_or_sometimes(const Value& list) { return contains_text(list, "*") ? Match::always : Match::sometimes; }

Match source_match(const Value& source, RuleMatch& rule) {
  Match m = Match::always;
  for (const auto& [key, list] : source.members()) {
    if (!has_items(&list)) continue;
    if (key == "principals" || key == "namespaces") {
      m = both(m, Match::never);  // outside the mesh there is no peer identity
    } else if (key == "notPrincipals" || key == "notNamespaces") {
      m = both(m, Match::always);
    } else if (key == "requestPrincipals") {
      rule.jwt = true;
      m = both(m, Match::never);  // no validated JWT
    } else if (key == "notRequestPrincipals") {
      rule.jwt = true;
      m = both(m, Match::always);
    } else if (key == "ipBlocks" || key == "remoteIpBlocks") {
      m = both(m, any_open_range(list) ? Match::always : Match::sometimes);
    } else if (key == "notIpBlocks" || key == "notRemoteIpBlocks") {
      m = both(m, any_open_range(list) ? Match::never : Match::sometimes);
    } else {
      m = both(m, Match::sometimes);
    }
  }
  return m;
}

Match operation_match(const Value& operation, const Request& request) {
  Match m = Match::always;
  for (const auto& [key, list] : operation.members()) {
    if (!has_items(&list)) continue;
    if (key == "paths") {
      m = both(m, paths_match(list, request.path_prefix));
    } else if (key == "notPaths") {
      m = both(m, not_paths_match(list, request.path_prefix));
    } else if (key == "methods" || key == "hosts") {
      // The client chooses the method and the Host header.
      m = both(m, star_or_sometimes(list));
    } else {
      m = both(m, Match::sometimes);
    }
  }
  return m;
}

// One `when` condition: {key, values, notValues}.
Match condition_match(const Value& condition, const Request& request, RuleMatch& rule) {
  const std::string key = ascii_lower(condition["key"].str());
  const Value* values = condition.find("values");
  const Value* not_values = condition.find("notValues");
  const bool positive = has_items(values);
  const bool negative = has_items(not_values);
  if (!positive && !negative) return Match::always;

  // What the request holds under this key: nothing, or a value the client chose.
  bool present = false;
  bool client_chosen = false;
  if (key.starts_with("request.headers[")) {
    present = client_chosen = request.authorization_header && key == "request.headers[authorization]";
  } else if (key.starts_with("request.auth.")) {
    rule.jwt = true;  // claims, principal, audiences, presenter: no validated JWT here
  } else if (key == "source.principal" || key == "source.namespace" || key.starts_with("connection.")) {
    // no peer identity
  } else {
    return Match::sometimes;  // source.ip, remote.ip, destination.port, …: not decidable here
  }
  Match m = Match::always;
  if (positive) {
    if (!present) {
      m = both(m, Match::never);
    } else {
      m = both(m, contains_text(*values, "*") ? Match::always : (client_chosen ? Match::sometimes : Match::never));
    }
  }
  if (negative) {
    if (present) {
      m = both(m, contains_text(*not_values, "*") ? Match::never : Match::sometimes);
    }
    // Absent: Istio turns notValues into a negated match, which an absent value satisfies.
  }
  return m;
}

RuleMatch rule_match(const Value& rule, const Request& request) {
  RuleMatch out;
  if (const Value* from = rule.find("from"); has_items(from)) {
    Match any = Match::never;
    for (const auto& item : from->items()) any = either(any, source_match(item["source"], out));
    out.match = both(out.match, any);
  }
  if (const Value* to = rule.find("to"); has_items(to)) {
    Match any = Match::never;
    for (const auto& item : to->items()) any = either(any, operation_match(item["operation"], request));
    out.match = both(out.match, any);
  }
  if (const Value* when = rule.find("when"); has_items(when)) {
    for (const auto& condition : when->items()) out.match = both(out.match, condition_match(condition, request, out));
  }
  return out;
}

std::string_view action_of(const Object& policy) {
  const auto action = policy.spec()["action"].str();
  return action.empty() ? std::string_view("ALLOW") : action;
}

std::string describe(const Object& policy) {
  return "AuthorizationPolicy " + std::string(effective_namespace(policy)) + "/" + std::string(policy.name());
}

bool refs_gateway(const Value& ref, std::string_view name) {
  const auto kind = ref["kind"].str();
  return kind == "Gateway" && ref["name"].str() == name;
}

bool selector_applies(const Value& spec, const AuthTarget& target) {
  const Value& selector = spec["selector"]["matchLabels"];
  if (selector.size() == 0) return true;  // no selector: every workload of the namespace
  return target.labels != nullptr && labels_contain(*target.labels, selector);
}

bool target_refs_apply(const Value& spec, const AuthTarget& target) {
  if (target.gateway_api_name.empty()) return false;
  if (refs_gateway(spec["targetRef"], target.gateway_api_name)) return true;
  for (const auto& ref : spec["targetRefs"].items()) {
    if (refs_gateway(ref, target.gateway_api_name)) return true;
  }
  return false;
}

bool has_target_refs(const Value& spec) {
  return spec["targetRef"].is_object() || has_items(spec.find("targetRefs"));
}

}  // namespace

// --- public --------------------------------------------------------------------------------

std::string_view to_string(AuthState state) {
  switch (state) {
    case AuthState::authenticated: return "authenticated";
    case AuthState::denied: return "denied";
    case AuthState::bypassable: return "bypassable";
    case AuthState::unauthenticated: return "unauthenticated";
  }
  return "unknown";
}

core::Result<Value> parse_embedded_yaml(std::string_view text, int first_line) {
  // The manifest readers' parser, with their limits and yaml-cpp workarounds, on smaller bounds.
  return read_yaml_value(text, "embedded YAML", first_line, embedded_limits());
}

bool MeshConfig::defines(std::string_view provider) const {
  return std::find(providers.begin(), providers.end(), provider) != providers.end();
}

MeshConfig read_mesh_config(const Inventory& inventory) {
  MeshConfig out;
  std::vector<const Object*> candidates;
  for (const Object* map : inventory.of_kind("ConfigMap")) {
    const auto name = map->name();
    if (name != "istio" && !name.starts_with("istio-")) continue;
    if (!map->root["data"]["mesh"].is_string()) continue;
    candidates.push_back(map);
  }
  // The control plane reads the mesh config from its own namespace; prefer istio-system.
  std::stable_partition(candidates.begin(), candidates.end(),
                        [](const Object* map) { return map->namespace_() == "istio-system"; });
  for (const Object* map : candidates) {
    const Value& text = map->root["data"]["mesh"];
    auto mesh = parse_embedded_yaml(text.str(), text.line() + 1);
    if (!mesh || !mesh->is_object()) continue;  // an unreadable mesh config tells us nothing
    if (out.source == nullptr) {
      out.source = map;
      if (auto root = (*mesh)["rootNamespace"].str(); !root.empty()) out.root_namespace = std::string(root);
    }
    for (const auto& provider : (*mesh)["extensionProviders"].items()) {
      if (auto name = provider["name"].str(); !name.empty()) out.providers.emplace_back(name);
    }
  }
  return out;
}

std::optional<bool> has_istio_sidecar(const Object& workload, const Inventory& inventory) {
  // Pod-level settings win over the namespace's (the injector reads the label, then the
  // annotation, then the namespace).
  const bool pod = workload.kind() == "Pod";
  const Value& metadata = pod ? workload.metadata() : workload.spec()["template"]["metadata"];
  for (const Value* holder : {&metadata["labels"], &metadata["annotations"]}) {
    if (auto inject = (*holder)["sidecar.istio.io/inject"].as_bool()) return *inject;
  }
  const Object* ns = inventory.find("Namespace", "", effective_namespace(workload));
  if (ns == nullptr) return std::nullopt;
  const Value& labels = ns->labels();
  if (auto injection = labels["istio-injection"].str(); !injection.empty()) return injection == "enabled";
  return labels.find("istio.io/rev") != nullptr;
}

IstioAuth::IstioAuth(const Inventory& inventory) : mesh_(read_mesh_config(inventory)) {
  for (const Object* policy : inventory.of_kind("AuthorizationPolicy", "security.istio.io")) {
    // Dry-run policies are only logged by Envoy, never enforced.
    if (policy->annotations()["istio.io/dry-run"].as_bool().value_or(false)) continue;
    policies_.push_back(policy);
    policies_by_namespace_[std::string(effective_namespace(*policy))].push_back(policy);
  }
  for (const Object* authn : inventory.of_kind("RequestAuthentication", "security.istio.io")) {
    request_authn_by_namespace_[std::string(effective_namespace(*authn))].push_back(authn);
  }
}

std::vector<const Object*> IstioAuth::applicable(const std::vector<const Object*>& pool,
                                                 const AuthTarget& target) const {
  std::vector<const Object*> out;
  for (const Object* policy : pool) {
    const Value& spec = policy->spec();
    // A policy naming targets applies to those alone (and only in its own namespace).
    const bool applies = has_target_refs(spec)
                             ? effective_namespace(*policy) == target.namespace_ && target_refs_apply(spec, target)
                             : selector_applies(spec, target);
    if (applies) out.push_back(policy);
  }
  return out;
}

RequestOutcome IstioAuth::outcome(const std::vector<const Object*>& policies, bool authorization_header,
                                  std::string_view path_prefix) const {
  const Request request{authorization_header, path_prefix};
  // CUSTOM: a rule that matches every such request sends it to the provider.
  for (const Object* policy : policies) {
    if (action_of(*policy) != "CUSTOM") continue;
    for (const auto& rule : policy->spec()["rules"].items()) {
      if (rule_match(rule, request).match != Match::always) continue;
      const std::string provider(policy->spec()["provider"]["name"].str());
      if (mesh_.known() && !mesh_.defines(provider)) {
        // Istio fails closed: a CUSTOM policy whose provider is missing becomes a DENY of the
        // requests it matches (istiod: "deny-due-to-bad-CUSTOM-action").
        return {RequestOutcome::Kind::denied, policy,
                describe(*policy) + " (CUSTOM) names provider '" + provider +
                    "', which the mesh config does not define: Istio denies what it matches"};
      }
      return {RequestOutcome::Kind::ext_authz, policy,
              describe(*policy) + " (CUSTOM) sends it to ext-authz provider '" + provider + "'"};
    }
  }
  // DENY: a rule that matches every such request stops it.
  for (const Object* policy : policies) {
    if (action_of(*policy) != "DENY") continue;
    for (const auto& rule : policy->spec()["rules"].items()) {
      const RuleMatch m = rule_match(rule, request);
      if (m.match != Match::always) continue;
      if (m.jwt) {
        return {RequestOutcome::Kind::jwt_required, policy,
                describe(*policy) + " (DENY) refuses requests without a validated JWT (request principal)"};
      }
      return {RequestOutcome::Kind::denied, policy, describe(*policy) + " (DENY) refuses it"};
    }
  }
  // ALLOW: with no ALLOW policy everything passes; with some, only what a rule matches.
  bool any_allow = false, jwt_rule = false;
  for (const Object* policy : policies) {
    if (action_of(*policy) != "ALLOW") continue;
    any_allow = true;
    for (const auto& rule : policy->spec()["rules"].items()) {
      const RuleMatch m = rule_match(rule, request);
      if (m.match != Match::never) {
        return {RequestOutcome::Kind::passes, policy, describe(*policy) + " (ALLOW) admits it"};
      }
      jwt_rule = jwt_rule || m.jwt;
    }
  }
  if (!any_allow) return {RequestOutcome::Kind::passes, nullptr, "no AuthorizationPolicy stops it"};
  if (jwt_rule) {
    return {RequestOutcome::Kind::jwt_required, nullptr, "the ALLOW policies admit only requests with a validated JWT"};
  }
  return {RequestOutcome::Kind::denied, nullptr, "no ALLOW policy rule admits a request from outside the mesh"};
}

AuthVerdict IstioAuth::evaluate(const AuthTarget& target, std::string_view path_prefix) const {
  std::vector<const Object*> policies;
  auto gather = [&](std::string_view ns) {
    if (auto it = policies_by_namespace_.find(std::string(ns)); it != policies_by_namespace_.end()) {
      auto found = applicable(it->second, target);
      policies.insert(policies.end(), found.begin(), found.end());
    }
  };
  gather(target.namespace_);
  if (mesh_.root_namespace != target.namespace_) gather(mesh_.root_namespace);

  AuthVerdict verdict;
  verdict.without_header = outcome(policies, false, path_prefix);
  verdict.with_header = outcome(policies, true, path_prefix);
  if (verdict.without_header.kind == RequestOutcome::Kind::ext_authz) verdict.custom_policy = verdict.without_header.policy;

  using Kind = RequestOutcome::Kind;
  const auto is_auth = [](Kind kind) { return kind == Kind::ext_authz || kind == Kind::jwt_required; };
  if (verdict.without_header.kind == Kind::passes) {
    verdict.state = AuthState::unauthenticated;
  } else if (verdict.with_header.kind == Kind::passes) {
    verdict.state = AuthState::bypassable;
  } else if (is_auth(verdict.without_header.kind) || is_auth(verdict.with_header.kind)) {
    verdict.state = AuthState::authenticated;
  } else {
    verdict.state = AuthState::denied;
  }

  std::vector<const Object*> authn_pool;
  for (std::string_view ns : {target.namespace_, std::string_view(mesh_.root_namespace)}) {
    if (auto it = request_authn_by_namespace_.find(std::string(ns)); it != request_authn_by_namespace_.end()) {
      auto found = applicable(it->second, target);
      for (const Object* authn : found) {
        if (std::find(verdict.request_authentications.begin(), verdict.request_authentications.end(), authn) ==
            verdict.request_authentications.end()) {
          verdict.request_authentications.push_back(authn);
        }
      }
    }
    if (mesh_.root_namespace == target.namespace_) break;
  }
  return verdict;
}

}  // namespace mg::kube
