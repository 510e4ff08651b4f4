#pragma once
// Deterministic Kubernetes API-server audit traffic for the audit-log tests: a day of benign
// cluster and Kubeflow activity, with attack chains of the 2020/2021 Kubeflow crypto-mining
// campaign woven in (dashboard exposed, anonymous access, a notebook server running a miner
// image on GPU nodes, its service-account token then used to deploy more miners).
//
// Every event is an audit.k8s.io/v1 Event at stage ResponseComplete (pods/exec: ResponseStarted,
// code 101, as the API server logs an upgraded connection), built with nlohmann::ordered_json so
// the keys come in the API server's order and every string is escaped. Reads are logged at level
// Metadata, writes at RequestResponse with requestObject and responseObject.
//
// Same options → byte-identical output, on any platform (std::mt19937_64, no
// std::*_distribution, no clock, no locale).
//
// Shapes and their field mappings are documented in tests/data/k8s-audit-managed/SHAPES.md.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mg::audit::testing {

struct GeneratedEvent {
  std::string json;                         // one Event, one line, no trailing newline
  std::vector<std::string> expected_rules;  // sorted rule ids; empty for benign traffic
  int chain = -1;                           // 1..chains for attack steps; -1 for benign traffic
  std::string audit_id;
  // Added for tests: the attack step (1..9, see kChainSteps) or 0, and requestReceivedTimestamp
  // as microseconds since 1970 (the sort key).
  int step = 0;
  std::int64_t time_us = 0;
};

struct TrafficOptions {
  std::uint64_t seed = 1;
  int benign_events = 10000;
  int chains = 3;
  int hours = 24;  // hours of traffic
};

// Benign traffic starts at this instant (2024-06-03T00:00:00Z): the first event is exactly here,
// and every benign identity appears before kTrafficStartUs + 1 h. Benign events fall in
// [start, start + hours); attack chain c (1-based) starts at start + 2 h + (c - 1) * gap + jitter,
// gap >= 3 h 10 min, and its nine steps span less than 30 min (chains may run past the window
// when hours is small).
inline constexpr std::int64_t kTrafficStartUs = 1717372800LL * 1000000;
inline constexpr int kChainSteps = 9;

// Indicators the attack steps carry (tests can look for them verbatim in the JSON).
inline constexpr std::string_view kMinerImage = "ddsfdfsaadfs/dfsdf:99";
inline constexpr std::string_view kDropperImage = "tensorflow/tensorflow:2.15.0-gpu";
inline constexpr std::string_view kMinerDownloadUrl = "http://203.0.113.7/xmrig";
inline constexpr std::string_view kPoolHost = "pool.supportxmr.com";
// A 95-character Monero standard address (starts with 4); its checksum is not the point.
inline constexpr std::string_view kWallet =
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

// The profile namespace of chain c, and the identity its notebook's token gives the attacker.
std::string chain_namespace(int chain);  // "kubeflow-user-c<c>"
std::string chain_actor(int chain);      // "system:serviceaccount:kubeflow-user-c<c>:default-editor"

// Benign events (benign_events of them, clamped at 0) plus chains * kChainSteps attack events,
// sorted by requestReceivedTimestamp (stable: equal times keep generation order).
std::vector<GeneratedEvent> generate_traffic(const TrafficOptions& options);

// The events as JSON lines (what the API server's log backend writes): event + '\n' each.
std::string to_json_lines(std::span<const GeneratedEvent> events);

// AKS diagnostic settings → Event Hubs: one document {"records":[…]}, each record with
// category "kube-audit" and properties.log = the event as a JSON string ending in "\n". One line
// plus a final '\n'.
std::string wrap_aks(std::span<const GeneratedEvent> events);

// EKS control-plane logging → CloudWatch Logs, as `aws logs filter-log-events --output json`
// prints it: {"events":[{"logStreamName":"kube-apiserver-audit-…","timestamp":ms,"message":
// "<event>","ingestionTime":ms,"eventId":"…"}],"searchedLogStreams":[]}, indented by 4 like the
// AWS CLI (a multi-line document), then '\n'.
std::string wrap_eks(std::span<const GeneratedEvent> events);

// GKE → Cloud Logging: one LogEntry per line (what a log sink writes to Pub/Sub or to GCS),
// protoPayload = google.cloud.audit.AuditLog as documented in SHAPES.md. Lossy, like GKE itself:
// no groups, no requestURI (so no exec query string), one caller IP, google.rpc status codes.
// Events for non-resource URLs (/healthz, /version, /readyz, /livez) are left out, as GKE's audit
// policy drops or has no documented encoding for them; so the result holds fewer entries than
// `events` when benign traffic is included.
std::string wrap_gke(std::span<const GeneratedEvent> events);

}  // namespace mg::audit::testing
