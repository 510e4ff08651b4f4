#pragma once
// `audit --probe URL`: one HTTP(S) GET, redirects not followed, that proves or disproves an
// exposure: the Kubeflow dashboard served to a client with no credentials, or a login demanded
// (a redirect to Dex/oauth2-proxy, 401/403). The answer becomes evidence in a finding.
#include <chrono>
#include <string>

#include "core/finding.hpp"
#include "core/rule_info.hpp"

namespace mg::kube {

struct ProbeOptions {
  std::chrono::seconds timeout{10};
  bool insecure = false;           // do not verify the server's TLS certificate (self-signed gateways)
};

enum class ProbeOutcome {
  exposed,          // content served without any login (Kubeflow recognised, or any 2xx page)
  login_required,   // redirect to a login, 401/403, or a login form
  unreachable,      // no HTTP answer (connection refused, DNS, TLS, timeout)
  inconclusive,     // an answer that shows neither (5xx, 404, …)
};

struct ProbeResult {
  std::string url;
  ProbeOutcome outcome = ProbeOutcome::inconclusive;
  long status = 0;               // HTTP status, 0 when there was none
  std::string location;          // Location header of a redirect
  std::string title;             // <title> of an HTML answer
  bool kubeflow = false;         // the body is Kubeflow's dashboard, Pipelines UI or API
  std::string reason;            // one line: why this outcome
};

// Never fails: a network error is an `unreachable` result with curl's message as the reason.
ProbeResult probe(const std::string& url, const ProbeOptions& options);

// Decides the outcome from what came back (separate from the network so it is tested alone).
ProbeResult classify(std::string url, long status, std::string location, std::string_view body);

// MG-KUBE-007 (exposure confirmed: critical; login demanded: info; other: low).
core::Finding probe_finding(const ProbeResult& result);
std::vector<core::RuleInfo> probe_rules();

}  // namespace mg::kube
