// pod_templates() read straight from parsed JSON (audit-log's request objects) finds what it
// finds in a tree read from the same JSON: the same templates, fields, containers and container
// texts, for every kind that holds pods, the Kubeflow examples and the stock install.
#include <gtest/gtest.h>

#include <simdjson.h>

#include <string>
#include <vector>

#include "kube/container_evidence.hpp"
#include "kube/json_node.hpp"
#include "kube/pod_template.hpp"
#include "kube/reader.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

using testing::kubeflow_example;
using testing::kubeflow_install;
using testing::objects_of;

// Where a ref points, as text: what the two kinds of view must agree on.
std::string shown(const Value* value) { return value == nullptr ? "<unset>" : to_json(*value, 1u << 20); }
std::string shown(const JsonNode& node) {
  if (node == nullptr) return "<unset>";
  // Read back through a tree, so that both sides print the same way.
  auto tree = read_json_value(simdjson::to_string(simdjson::dom::element(node.element())), "node", {},
                              {.padded = false, .count_lines = false});
  return tree ? to_json(*tree, 1u << 20) : "<unreadable>";
}

template <class Ref>
std::string describe(const BasicContainerView<Ref>& c) {
  std::string out = c.name + "|" + c.image + "|" + c.field + "|" + std::to_string(c.line) + "|" + (c.init ? "init" : "") +
                    "|" + shown(c.spec) + "|";
  for (const auto& word : c.command) out += word + "\x1f";
  for (const auto& text : container_texts(c)) out += "\n  text " + text.field + ":" + std::to_string(text.line) + " " + text.text;
  return out;
}

template <class Ref>
std::string describe(const BasicPodTemplateView<Ref>& v) {
  std::string out = v.field + "|" + std::to_string(v.line) + "|ns " + v.namespace_ + "|role " + v.role + "|sa " +
                    v.service_account + " at " + v.service_account_field + "|automount " +
                    (v.automount_token ? (*v.automount_token ? "true" : "false") : "unset") + "|host " +
                    std::to_string(v.host_pid) + std::to_string(v.host_network) + std::to_string(v.host_ipc) + "|pod " +
                    v.pod_spec_field + " " + shown(v.pod_spec);
  for (const auto* field : {&v.node_selector, &v.affinity, &v.tolerations}) out += "|" + field->field + " " + shown(field->value);
  for (const auto& path : v.host_paths) out += "|hostPath " + path.volume + " " + path.path + " " + path.field;
  for (const auto& [key, value] : v.labels) out += "|label " + key + "=" + value;
  for (const auto& [key, value] : v.annotations) out += "|annotation " + key + "=" + value;
  for (const auto& container : v.containers) out += "\n container " + describe(container);
  return out;
}

template <class Views>
std::vector<std::string> describe_all(const Views& views) {
  std::vector<std::string> out;
  for (const auto& view : views) out.push_back(describe(view));
  return out;
}

// The object as JSON, read both ways: a tree (as `minerguard audit` reads a JSON manifest) and
// simdjson's DOM; the templates found must be the same.
void expect_same_templates(const Object& object) {
  const std::string json = to_json(object.root, 64u << 20);
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  ASSERT_EQ(parser.parse(json).get(element), simdjson::SUCCESS) << object.ref();
  Object tree_object;
  ASSERT_TRUE(read_json_value_into(tree_object.root, element, "object").has_value());
  const auto from_tree = describe_all(pod_templates(tree_object));
  const auto from_json = describe_all(pod_templates(JsonNode(element), "", "", ""));
  EXPECT_EQ(from_tree, from_json) << object.ref();
}

TEST(PodTemplatesFromJson, KubeflowExamplesAsFromATree) {
  std::size_t templates = 0;
  for (const char* name : {"argo-workflow-kfp-hello-world.yaml", "katib-experiment-grid.yaml",
                           "notebook-kubeflow-user-example-com.yaml", "notebook-v1-sample.yaml", "pytorchjob-simple.yaml",
                           "sparkapplication-pi-python.yaml", "tfjob-simple.yaml", "trainjob-multi-node.yaml"}) {
    for (const auto& object : objects_of(kubeflow_example(name), name)) {
      expect_same_templates(object);
      templates += pod_templates(object).size();
    }
  }
  EXPECT_GE(templates, 10u);   // every example holds pods
}

TEST(PodTemplatesFromJson, StockInstallAsFromATree) {
  std::size_t with_pods = 0;
  for (const auto& object : kubeflow_install()) {
    if (!holds_pods(object)) continue;
    ++with_pods;
    expect_same_templates(object);
  }
  EXPECT_GT(with_pods, 50u);
}

// The kinds and shapes the examples do not have: KServe with a model and workers, CronJob,
// CronWorkflow with a script, a KFP v2 component parameter, a scheduled Spark application, a
// Katib trial that embeds a TFJob, env and exec probes, numbers where strings belong, wrong types.
TEST(PodTemplatesFromJson, EveryShapeAsFromATree) {
  const auto objects = objects_of(R"yaml(apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: isvc, namespace: team, labels: {a: b}}
spec:
  predictor:
    serviceAccountName: sa
    nodeSelector: {nvidia.com/gpu.present: "true"}
    model: {modelFormat: {name: sklearn}, image: "xmrig/xmrig", args: [--threads, 4], env: [{name: POOL, value: "pool.example:3333"}]}
    workerSpec: {containers: [{name: w, image: worker, command: [run]}]}
  transformer: {containers: [{name: t, image: tr, livenessProbe: {exec: {command: [sh, -c, check]}}}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec:
  jobTemplate:
    spec:
      template:
        spec:
          hostNetwork: "true"
          tolerations: [{key: nvidia.com/gpu, operator: Exists}]
          containers:
          - {name: c, image: busybox, command: [sh, -c, "curl x | sh"], lifecycle: {postStart: {exec: {command: [a, b]}}, preStop: {exec: {command: [c]}}}}
---
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: cw, namespace: ns}
spec:
  workflowSpec:
    serviceAccountName: wf-sa
    podMetadata: {labels: {x: y}}
    volumes: [{name: host, hostPath: {path: /}}]
    arguments:
      parameters:
      - {name: comp, value: '{"image": "python:3.11", "command": ["python", "-c"], "args": ["import os"]}'}
      - {name: plain, value: "not json"}
    templates:
    - name: s
      script: {image: python, command: [python], source: "print(1)"}
      metadata: {annotations: {k: v}}
    - name: steps
      steps: [[{name: a, template: s}]]
    - name: set
      containerSet: {containers: [{name: one, image: one}]}
      sidecars: [{name: side, image: side}]
---
apiVersion: sparkoperator.k8s.io/v1beta2
kind: ScheduledSparkApplication
metadata: {name: ssa}
spec:
  template:
    image: spark:3.5
    mainApplicationFile: local:///app.py
    arguments: [--x, 1]
    driver: {serviceAccount: spark, envVars: {A: "1"}}
    executor: {instances: 2, image: exec-image}
---
apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata: {name: exp}
spec:
  trialTemplate:
    trialSpec:
      apiVersion: kubeflow.org/v1
      kind: TFJob
      spec:
        tfReplicaSpecs:
          Worker:
            template:
              spec:
                containers: [{name: tensorflow, image: tf, command: [python, train.py]}]
---
apiVersion: v1
kind: Pod
metadata: {name: odd}
spec:
  containers: "not a list"
  initContainers: [7, {name: i, image: 12, command: [1, true, null, x]}]
  volumes: {not: a list}
  affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: []}}}
---
apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: tj}
spec:
  trainer: {image: trainer, command: [torchrun]}
  podTemplateOverrides: [{metadata: {labels: {l: v}}, spec: {serviceAccountName: o, volumes: [{name: h, hostPath: {path: /var}}]}}]
  podSpecOverrides: ["wrong"]
)yaml");
  ASSERT_EQ(objects.size(), 7u);
  for (const auto& object : objects) {
    EXPECT_FALSE(pod_templates(object).empty()) << object.ref();
    expect_same_templates(object);
  }
}

TEST(PodTemplatesFromJson, KindVersionAndNamespaceFromTheCallerWhenTheObjectLeavesThemOut) {
  simdjson::dom::parser parser;
  simdjson::dom::element element;
  ASSERT_EQ(parser.parse(std::string(R"({"spec": {"containers": [{"name": "c", "image": "xmrig"}]}})")).get(element),
            simdjson::SUCCESS);
  const JsonNode patch(element);
  EXPECT_TRUE(pod_templates(patch, "", "", "").empty());   // no kind: no idea where the pods are
  const auto templates = pod_templates(patch, "Pod", "v1", "team");
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].namespace_, "team");
  ASSERT_EQ(templates[0].containers.size(), 1u);
  EXPECT_EQ(templates[0].containers[0].image, "xmrig");
  EXPECT_TRUE(templates[0].owner == nullptr);
  // A Deployment needs its group: "v1" alone is not apps/v1.
  EXPECT_TRUE(pod_templates(patch, "Deployment", "v1", "").empty());
  // The object's own kind wins over the caller's.
  ASSERT_EQ(parser.parse(std::string(R"({"kind": "Service", "apiVersion": "v1", "spec": {"containers": [{"image": "x"}]}})"))
                .get(element),
            simdjson::SUCCESS);
  EXPECT_TRUE(pod_templates(JsonNode(element), "Pod", "v1", "").empty());
}

TEST(PodTemplatesFromJson, NotAnObjectHoldsNoTemplates) {
  simdjson::dom::parser parser;
  for (const std::string json : {"[]", "\"Pod\"", "null", "7"}) {
    simdjson::dom::element element;
    ASSERT_EQ(parser.parse(json).get(element), simdjson::SUCCESS);
    EXPECT_TRUE(pod_templates(JsonNode(element), "Pod", "v1", "").empty()) << json;
  }
  EXPECT_TRUE(pod_templates(JsonNode(), "Pod", "v1", "").empty());
}

}  // namespace
}  // namespace mg::kube
