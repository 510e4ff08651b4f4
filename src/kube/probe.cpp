#include "kube/probe.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "kube/object_finding.hpp"

namespace mg::kube {
namespace {

constexpr std::size_t kMaxBody = 256 * 1024;  // enough for a dashboard's index.html

const core::RuleInfo& probe_rule() {
  static const core::RuleInfo rule{
      "MG-KUBE-007",
      "ProbedEndpointServesWithoutLogin",
      "Endpoint probed: served without authentication",
      "A single HTTP GET without credentials to the URL given with --probe was answered with content rather "
      "than a login: anyone who can reach it can use it, as the 2020 and 2021 Kubeflow miners did. When a "
      "login was demanded, the finding is informational and records the proof.",
      core::Severity::critical,
      core::Category::exposure,
      {"MS-TA9005", "T1133", "T1190"},
      "Put authentication in front of the endpoint (oauth2-proxy/Dex ext-authz on the Istio gateway) or stop "
      "exposing it outside the cluster (Service type ClusterIP, kubectl port-forward)."};
  return rule;
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

std::string html_title(std::string_view body_lower, std::string_view body) {
  const auto open = body_lower.find("<title>");
  if (open == std::string_view::npos) return {};
  const auto close = body_lower.find("</title>", open);
  if (close == std::string_view::npos) return {};
  return core::printable(body.substr(open + 7, std::min<std::size_t>(close - open - 7, 120)), 120);
}

// Where login systems send an anonymous browser: Dex, oauth2-proxy, Keycloak, generic /login.
bool login_redirect(std::string_view location_lower) {
  for (std::string_view marker : {"/dex/auth", "/oauth2/", "/login", "/signin", "/sign_in", "/auth/realms/",
                                  "/authorize", "/saml"}) {
    if (contains(location_lower, marker)) return true;
  }
  return false;
}

// Kubeflow's central dashboard, the Pipelines UI and API: what the attackers used.
bool kubeflow_body(std::string_view body_lower) {
  for (std::string_view marker : {"kubeflow central dashboard", "centraldashboard", "kubeflow pipelines",
                                  "ml-pipeline", "/pipeline/", "kubeflow"}) {
    if (contains(body_lower, marker)) return true;
  }
  return false;
}

bool login_form(std::string_view body_lower) {
  return contains(body_lower, "<form") && contains(body_lower, "type=\"password\"");
}

std::once_flag curl_once;

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto& body = *static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (body.size() < kMaxBody) body.append(data, std::min(n, kMaxBody - body.size()));
  return n;  // the rest is not needed; keep reading so the status is final
}

}  // namespace

ProbeResult classify(std::string url, long status, std::string location, std::string_view body) {
  ProbeResult result;
  result.url = std::move(url);
  result.status = status;
  result.location = core::printable(location, 200);
  const std::string body_lower = ascii_lower(body);
  result.title = html_title(body_lower, body);
  result.kubeflow = kubeflow_body(body_lower);
  const std::string code = "HTTP " + std::to_string(status);
  if (status >= 300 && status < 400) {
    if (login_redirect(ascii_lower(location))) {
      result.outcome = ProbeOutcome::login_required;
      result.reason = code + " redirect to a login: " + result.location;
    } else {
      result.outcome = ProbeOutcome::inconclusive;
      result.reason = code + " redirect to " + (result.location.empty() ? "nowhere" : result.location) +
                      ", not a login; probe that URL";
    }
  } else if (status == 401 || status == 403 || status == 407) {
    result.outcome = ProbeOutcome::login_required;
    result.reason = code + ": credentials demanded or access denied";
  } else if (status >= 200 && status < 300) {
    if (login_form(body_lower)) {
      result.outcome = ProbeOutcome::login_required;
      result.reason = code + " with a login form";
    } else {
      result.outcome = ProbeOutcome::exposed;
      result.reason = code + " served without credentials" +
                      (result.kubeflow ? std::string(", Kubeflow content") : std::string()) +
                      (result.title.empty() ? std::string() : ", title \"" + result.title + "\"");
    }
  } else {
    result.outcome = ProbeOutcome::inconclusive;
    result.reason = code + ": neither content nor a login";
  }
  return result;
}

ProbeResult probe(const std::string& url, const ProbeOptions& options) {
  std::call_once(curl_once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  ProbeResult failed;
  failed.url = url;
  failed.outcome = ProbeOutcome::unreachable;
  CURL* curl = curl_easy_init();
  if (curl == nullptr) {
    failed.reason = "cannot initialise libcurl";
    return failed;
  }
  std::string body;
  char error[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);  // the redirect itself is the evidence
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "minerguard-audit-probe");
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(16 << 20));
  if (options.insecure) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  const CURLcode code = curl_easy_perform(curl);
  if (code != CURLE_OK) {
    failed.reason = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(code));
    curl_easy_cleanup(curl);
    return failed;
  }
  long status = 0;
  char* location = nullptr;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_getinfo(curl, CURLINFO_REDIRECT_URL, &location);
  ProbeResult result = classify(url, status, location != nullptr ? location : "", body);
  curl_easy_cleanup(curl);
  return result;
}

core::Finding probe_finding(const ProbeResult& result) {
  core::Finding finding = named_finding(probe_rule(), "Endpoint", "", result.url);
  std::get<core::ObjectLocation>(finding.location).file = result.url;  // the probe is its own target
  switch (result.outcome) {
    case ProbeOutcome::exposed:
      finding.title = result.kubeflow ? "Kubeflow served without authentication (probed)"
                                      : "Endpoint served without authentication (probed)";
      finding.severity = result.kubeflow ? core::Severity::critical : core::Severity::high;
      break;
    case ProbeOutcome::login_required:
      finding.title = "Endpoint demands a login (probed)";
      finding.severity = core::Severity::info;
      finding.category = core::Category::policy;
      break;
    case ProbeOutcome::unreachable:
    case ProbeOutcome::inconclusive:
      finding.title = result.outcome == ProbeOutcome::unreachable ? "Endpoint could not be probed"
                                                                   : "Probe inconclusive";
      finding.severity = core::Severity::low;
      finding.category = core::Category::policy;
      break;
  }
  add_evidence(finding, "probe", "GET " + result.url + " → " + result.reason);
  if (!result.location.empty()) add_evidence(finding, "Location", result.location);
  return finding;
}

std::vector<core::RuleInfo> probe_rules() { return {probe_rule()}; }

}  // namespace mg::kube
