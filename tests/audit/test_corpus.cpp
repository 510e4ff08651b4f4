// The real audit events of tests/data/k8s-audit (Falco's trace files, audit2rbac's demo log,
// AKS diagnostic records) and the managed-cluster samples of tests/data/k8s-audit-managed: every
// attack-shaped event that matters for this threat is detected, the benign ones raise nothing
// above low, the malformed record is counted with its line.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "audit_test_support.hpp"

namespace mg::audit::testing {
namespace {

std::vector<std::string> rules_in_file(const std::string& relative, LogStats* stats = nullptr) {
  auto run = run_default(read_file(data_path(relative)), relative);
  if (stats != nullptr) *stats = run.stats;
  return rule_ids(run.findings);
}

core::Severity worst(const std::vector<core::Finding>& findings) {
  core::Severity out = core::Severity::info;
  for (const auto& f : findings) out = std::max(out, f.severity);
  return out;
}

// Falco's attack-shaped traces and what each must raise. The rest of the trace files (config
// maps, secrets, service accounts, roles, deletions) are not steps of this threat: nothing above
// low is allowed for them.
const std::map<std::string, std::vector<std::string>> kExpected = {
    {"anonymous_creates_namespace_foo.json", {"MG-AUD-009", "MG-AUD-012"}},
    {"attach_cluster_admin_role.json", {"MG-AUD-010"}},
    {"attach_pod.json", {"MG-AUD-006"}},
    {"exec_pod.json", {"MG-AUD-006"}},
    {"create_nginx_pod_hostnetwork.json", {"MG-AUD-015"}},
    {"create_nginx_pod_privileged.json", {"MG-AUD-015"}},
    {"create_nginx_pod_privileged_2nd_container.json", {"MG-AUD-015"}},
    {"create_nginx_pod_no_secctx_1st_container_privileged_2nd_container.json", {"MG-AUD-015"}},
    {"create_nginx_pod_sensitive_mount.json", {"MG-AUD-015"}},
    {"create_nginx_pod_sensitive_mount_2nd_container.json", {"MG-AUD-015"}},
    {"create_nginx_service_nodeport.json", {"MG-AUD-014"}},
};

TEST(Corpus, EachFalcoAttackTraceRaisesItsRules) {
  for (const auto& [file, expected] : kExpected) {
    const auto found = rules_in_file("k8s-audit/falco-trace-files/" + file);
    for (const auto& id : expected)
      EXPECT_TRUE(std::find(found.begin(), found.end(), id) != found.end()) << file << " should raise " << id;
  }
}

TEST(Corpus, TheOtherFalcoTracesRaiseNothingAboveLow) {
  for (const auto& entry : std::filesystem::directory_iterator(data_path("k8s-audit/falco-trace-files"))) {
    const std::string file = entry.path().filename().string();
    if (kExpected.contains(file) || file == "fal_01_003.json") continue;
    auto run = run_default(read_file(entry.path().string()), file);
    EXPECT_LE(worst(run.findings), core::Severity::low) << file;
    EXPECT_TRUE(run.incidents.empty()) << file;
  }
}

TEST(Corpus, TheUnprivilegedTwinsOfThePrivilegedPodsRaiseNothingAboveLow) {
  for (const char* file : {"create_nginx_pod_unprivileged.json", "create_nginx_pod_nohostnetwork.json",
                           "create_nginx_pod_unsensitive_mount.json", "create_nginx_service_nonodeport.json"}) {
    auto run = run_default(read_file(data_path(std::string("k8s-audit/falco-trace-files/") + file)), file);
    EXPECT_LE(worst(run.findings), core::Severity::low) << file;
  }
}

TEST(Corpus, TheMalformedRecordIsCountedWithItsLine) {
  LogStats stats;
  rules_in_file("k8s-audit/falco-trace-files/fal_01_003.json", &stats);
  EXPECT_EQ(stats.events, 0u);
  EXPECT_EQ(stats.malformed, 1u);
  ASSERT_EQ(stats.problems.size(), 1u);
  EXPECT_EQ(stats.problems[0], "k8s-audit/falco-trace-files/fal_01_003.json:1: kind: expected a string");
}

TEST(Corpus, Audit2rbacDemoLogIsBenign) {
  auto run = run_default(read_file(data_path("k8s-audit/audit2rbac/demo.log")));
  EXPECT_EQ(run.stats.events, 37u);
  EXPECT_EQ(run.stats.malformed, 0u);
  EXPECT_LE(worst(run.findings), core::Severity::low);
}

TEST(Corpus, AksDiagnosticRecordsDecodeAndAreBenign) {
  const std::map<std::string, std::uint64_t> counts = {
      {"event.json", 22}, {"sample_EventHubs_event.json", 1}, {"sample_KubeAuditLog_event.json", 1}};
  for (const auto& [file, events] : counts) {
    auto run = run_default(read_file(data_path("k8s-audit/sysdiglabs-aks-audit-log/" + file)), file);
    EXPECT_EQ(run.stats.events, events) << file;
    EXPECT_EQ(run.stats.malformed, 0u) << file;
    EXPECT_LE(worst(run.findings), core::Severity::low) << file;
  }
}

TEST(Corpus, All112EventsOfTheCorpus) {
  std::uint64_t events = 0, malformed = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_path("k8s-audit"))) {
    const auto ext = entry.path().extension();
    if (!entry.is_regular_file() || (ext != ".json" && ext != ".log")) continue;
    auto decoded = decode_text(read_file(entry.path().string()));
    events += decoded.stats.events;
    malformed += decoded.stats.malformed;
  }
  EXPECT_EQ(events, 112u);
  EXPECT_EQ(malformed, 1u);
}

TEST(Corpus, GkeSamplesDecodeAndOtherGoogleServicesAreSkipped) {
  auto activity = decode_text(read_file(data_path("k8s-audit-managed/gke/otel-auditlog-activity.json")));
  ASSERT_EQ(activity.events.size(), 1u);
  EXPECT_EQ(activity.events[0].verb, "update");
  EXPECT_EQ(activity.events[0].resource, "leases");
  EXPECT_EQ(activity.events[0].code, 200);
  auto other = decode_text(read_file(data_path("k8s-audit-managed/gke/otel-auditlog-data_access.json")));
  EXPECT_EQ(other.events.size(), 0u);
  EXPECT_EQ(other.stats.malformed, 0u);
  auto create = decode_text(read_file(data_path("k8s-audit-managed/gke/khi-container_recorder_test_1_1.derived.json")));
  ASSERT_EQ(create.events.size(), 1u);
  EXPECT_EQ(create.events[0].verb, "create");
  EXPECT_EQ(create.events[0].resource, "pods");
  EXPECT_FALSE(create.events[0].namespace_.empty());
  EXPECT_FALSE(create.events[0].request_object.empty());
  auto status = decode_text(read_file(data_path("k8s-audit-managed/gke/khi-container_recorder_test_1_2.derived.json")));
  ASSERT_EQ(status.events.size(), 1u);
  EXPECT_EQ(status.events[0].subresource, "status");
}

}  // namespace
}  // namespace mg::audit::testing
