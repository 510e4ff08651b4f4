// Attack chains woven into a day of benign traffic (controllers, kubelets, people working in
// notebooks), in the plain schema and in the AKS, EKS and GKE wrappings: every step detected, one
// incident per chain holding that chain's steps only, nothing benign above low.
#include <gtest/gtest.h>

#include <map>
#include <ostream>
#include <span>
#include <set>
#include <unordered_map>

#include "audit_test_support.hpp"
#include "traffic_generator.hpp"

namespace mg::audit::testing {
namespace {

struct Outcome {
  std::unordered_map<std::string, std::set<std::string>> rules_by_audit_id;
  std::unordered_map<std::string, core::Severity> worst_by_audit_id;
  std::vector<core::Finding> incidents;
  LogStats stats;
};

Outcome analyse(std::string_view text) {
  auto run = run_default(text, "traffic");
  Outcome out;
  for (const auto& f : run.findings) {
    const auto& at = event_of(f);
    out.rules_by_audit_id[at.audit_id].insert(f.rule_id);
    auto& worst = out.worst_by_audit_id[at.audit_id];
    worst = std::max(worst, f.severity);
  }
  out.incidents = std::move(run.incidents);
  out.stats = run.stats;
  return out;
}

// The auditIDs of an incident's steps, from its timeline.
std::set<std::string> audit_ids_of(const core::Finding& incident) {
  std::set<std::string> ids;
  for (const auto& e : incident.evidence) {
    const auto at = e.value.find("auditID ");
    if (at != std::string::npos) ids.insert(e.value.substr(at + 8, e.value.find(',', at) - at - 8));
  }
  return ids;
}

// The chains an incident's steps belong to (-1: a benign event).
std::set<int> chains_of(const core::Finding& incident, const std::unordered_map<std::string, int>& chain_of) {
  std::set<int> chains;
  for (const auto& id : audit_ids_of(incident)) {
    auto it = chain_of.find(id);
    chains.insert(it == chain_of.end() ? -1 : it->second);
  }
  return chains;
}

void expect_detected(const std::vector<GeneratedEvent>& events, const Outcome& outcome, int chains,
                     std::set<std::string> lost = {}) {
  std::unordered_map<std::string, int> chain_of;
  std::size_t steps = 0;
  for (const auto& event : events) {
    if (event.chain < 0) {
      auto it = outcome.worst_by_audit_id.find(event.audit_id);
      if (it != outcome.worst_by_audit_id.end()) {
        EXPECT_LE(it->second, core::Severity::low) << "benign event raised more than low: " << event.json.substr(0, 300);
      }
      continue;
    }
    ++steps;
    chain_of[event.audit_id] = event.chain;
    auto it = outcome.rules_by_audit_id.find(event.audit_id);
    const std::set<std::string> found = it == outcome.rules_by_audit_id.end() ? std::set<std::string>{} : it->second;
    for (const auto& rule : event.expected_rules) {
      if (lost.contains(rule)) continue;
      // Every chain's notebook is created for anonymous@kubeflow.org (Kubeflow's user when no
      // authentication is in front of it): after the first chain that creator is not new.
      if (rule == "MG-AUD-013" && event.step == 3 && event.chain > 1) continue;
      // MG-AUD-003 reports each untrusted image once (once_per): the miner image on its first use,
      // chain 1's Notebook; TensorFlow's image is used by benign TFJobs before any chain.
      if (rule == "MG-AUD-003" && !(event.chain == 1 && event.step == 3)) continue;
      EXPECT_TRUE(found.contains(rule)) << "chain " << event.chain << " step " << event.step << " missed " << rule;
    }
  }
  EXPECT_EQ(steps, static_cast<std::size_t>(chains * kChainSteps));
  ASSERT_EQ(outcome.incidents.size(), static_cast<std::size_t>(chains)) << "one incident per chain";
  std::set<int> seen;
  for (const auto& incident : outcome.incidents) {
    const auto in = chains_of(incident, chain_of);
    EXPECT_EQ(in.size(), 1u) << incident.title;
    if (!in.empty()) seen.insert(*in.begin());
    EXPECT_EQ(incident.severity, core::Severity::critical) << incident.title;
    EXPECT_EQ(incident.category, core::Category::miner) << incident.title;
    EXPECT_NE(incident.title.find("exposure"), std::string::npos) << incident.title;
    EXPECT_NE(incident.title.find("execution"), std::string::npos) << incident.title;
    EXPECT_NE(incident.title.find("lateral-movement"), std::string::npos) << incident.title;
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(chains)) << "each chain its own incident";
  // Every step of a chain is in its incident's timeline (each raises something at medium or above).
  for (const auto& incident : outcome.incidents) {
    const auto listed = audit_ids_of(incident);
    const auto in = chains_of(incident, chain_of);
    if (in.size() != 1) continue;
    for (const auto& event : events) {
      if (event.chain == *in.begin() && !(lost.contains("MG-AUD-007") && event.step == 9 && event.expected_rules.size() == 1)) {
        EXPECT_TRUE(listed.contains(event.audit_id)) << "chain " << event.chain << " step " << event.step << " not in " << incident.title;
      }
    }
  }
  EXPECT_FALSE(seen.contains(-1)) << "a benign event in an incident";
}

// One traffic and the shape it is written in. GKE's Cloud Logging keeps no requestURI, so the
// command of a pods/exec (MG-AUD-007) is not there: the only rule a shape may lose.
struct Shape {
  const char* name;
  TrafficOptions traffic;
  std::string (*write)(std::span<const GeneratedEvent>);
  bool lossy = false;   // GKE: fewer entries (no non-resource requests), no exec command
};

// gtest prints a parameter it cannot print as its bytes; ctest then shows them in each test's name.
void PrintTo(const Shape& shape, std::ostream* out) { *out << shape.name; }

class GeneratedTraffic : public ::testing::TestWithParam<Shape> {};

TEST_P(GeneratedTraffic, EveryStepDetectedOneIncidentPerChainNothingBenignAboveLow) {
  const Shape& shape = GetParam();
  const auto events = generate_traffic(shape.traffic);
  const auto outcome = analyse(shape.write(events));
  if (!shape.lossy) {
    EXPECT_EQ(outcome.stats.events, events.size());
  }
  EXPECT_EQ(outcome.stats.malformed, 0u);
  expect_detected(events, outcome, shape.traffic.chains, shape.lossy ? std::set<std::string>{"MG-AUD-007"}
                                                                    : std::set<std::string>{});
}

INSTANTIATE_TEST_SUITE_P(
    Shapes, GeneratedTraffic,
    ::testing::Values(
        Shape{"DayOfJsonLines", {.seed = 7, .benign_events = 10000, .chains = 3, .hours = 24}, to_json_lines},
        Shape{"AtScale", {.seed = 11, .benign_events = 40000, .chains = 5, .hours = 24}, to_json_lines},
        Shape{"AksDiagnosticRecords", {.seed = 3, .benign_events = 3000, .chains = 2, .hours = 12}, wrap_aks},
        Shape{"EksCloudWatchExport", {.seed = 4, .benign_events = 3000, .chains = 2, .hours = 12}, wrap_eks},
        Shape{"GkeCloudLogging", {.seed = 5, .benign_events = 3000, .chains = 2, .hours = 12}, wrap_gke, true}),
    [](const ::testing::TestParamInfo<Shape>& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace mg::audit::testing
