#pragma once
// What Istio's security policies do to a request that arrives from outside the mesh at one
// workload (a gateway, or a pod exposed directly), evaluated as Istio applies them: CUSTOM
// (ext-authz) first, then DENY, then ALLOW; policies of the workload's namespace and of the
// root namespace whose selector matches its pods (no selector: every workload there).
//
// Two requests are asked about, because the stock Kubeflow policies treat them differently:
//   * a request with no Authorization header and no token (a browser that has not logged in);
//   * a request carrying an arbitrary `Authorization: x` header that holds no JWT Istio can
//     extract. The stock CUSTOM oauth2-proxy policy applies only `when
//     request.headers[authorization] notValues ["*"]`, so this request skips oauth2-proxy; only
//     the DENY policy requiring a request principal stops it.
// A request from outside has no peer identity (principals, namespaces never match) and no
// validated JWT (requestPrincipals never match, notRequestPrincipals always do).
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/error.hpp"
#include "kube/inventory.hpp"

namespace mg::kube {

// Parses YAML kept inside a string field (the mesh config's `mesh`, a Dex `config.yaml`) into a
// Value whose lines are lines of the file: `first_line` is the file line of the text's first
// line. The text is untrusted: size, nesting and node count (aliases expanded) are bounded.
core::Result<Value> parse_embedded_yaml(std::string_view text, int first_line);

enum class AuthState {
  authenticated,    // both requests are sent to ext-authz or need a validated JWT
  denied,           // neither gets through, but only because no ALLOW/DENY rule admits it
  bypassable,       // the request without a header must log in; `Authorization: x` skips it
  unauthenticated,  // a request without any credential gets through
};
std::string_view to_string(AuthState state);

// Where the policies are evaluated: a workload's pods (namespace + labels), or a Gateway API
// Gateway (policies may name it in targetRef/targetRefs).
struct AuthTarget {
  std::string_view namespace_;
  const Value* labels = nullptr;
  std::string_view gateway_api_name;  // "" unless the target is a gateway.networking.k8s.io Gateway
};

// What happens to one of the two requests.
struct RequestOutcome {
  enum class Kind { passes, ext_authz, jwt_required, denied };
  Kind kind = Kind::passes;
  const Object* policy = nullptr;  // the policy that decides (nullptr: no policy applies)
  std::string why;                 // one line for evidence
};

struct AuthVerdict {
  AuthState state = AuthState::unauthenticated;
  RequestOutcome without_header;       // no Authorization header
  RequestOutcome with_header;          // `Authorization: x`
  // The CUSTOM policy that sends header-less requests to ext-authz, when one does.
  const Object* custom_policy = nullptr;
  // RequestAuthentications selecting the target (they validate the JWT a DENY/ALLOW relies on).
  std::vector<const Object*> request_authentications;
};

// The mesh configuration that matters here: extension providers and the root namespace.
struct MeshConfig {
  const Object* source = nullptr;      // ConfigMap istio-system/istio (or istio-<revision>)
  std::vector<std::string> providers;  // extensionProviders[].name
  std::string root_namespace = "istio-system";
  bool known() const { return source != nullptr; }
  bool defines(std::string_view provider) const;
};

// Reads the mesh config from ConfigMaps named "istio" or "istio-<revision>" with a `mesh` key
// (YAML inside a string), in the istio-system namespace or any namespace when none is there.
MeshConfig read_mesh_config(const Inventory& inventory);

// Whether a workload's pods get an Istio sidecar: the pod template's sidecar.istio.io/inject
// label or annotation, else the Namespace's istio-injection / istio.io/rev label; nullopt when
// the Namespace is not in the input. Without a sidecar no AuthorizationPolicy applies.
std::optional<bool> has_istio_sidecar(const Object& workload, const Inventory& inventory);

class IstioAuth {
 public:
  explicit IstioAuth(const Inventory& inventory);
  IstioAuth(const IstioAuth&) = delete;
  IstioAuth& operator=(const IstioAuth&) = delete;

  // The verdict for requests to paths under `path_prefix` (a VirtualService's match prefix;
  // notPaths exclusions of sub-paths, like /dex/* under /, belong to other routes).
  AuthVerdict evaluate(const AuthTarget& target, std::string_view path_prefix = "/") const;

  const MeshConfig& mesh() const { return mesh_; }
  // Enforced AuthorizationPolicies (not dry-run), all namespaces, input order.
  const std::vector<const Object*>& authorization_policies() const { return policies_; }

 private:
  std::vector<const Object*> applicable(const std::vector<const Object*>& pool, const AuthTarget& target) const;
  RequestOutcome outcome(const std::vector<const Object*>& policies, bool authorization_header,
                         std::string_view path_prefix) const;

  MeshConfig mesh_;
  std::vector<const Object*> policies_;
  std::unordered_map<std::string, std::vector<const Object*>> policies_by_namespace_;
  std::unordered_map<std::string, std::vector<const Object*>> request_authn_by_namespace_;
};

}  // namespace mg::kube
