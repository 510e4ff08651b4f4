// pod_templates(): every kind that holds a pod, the field paths and lines of what it finds, and
// tolerance of wrong types. The Kubeflow examples are the shapes users really submit.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "kube/pod_template.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

using testing::kubeflow_example;
using testing::objects_of;

Object only(std::string_view yaml) {
  auto objects = objects_of(yaml);
  EXPECT_EQ(objects.size(), 1u);
  return objects.empty() ? Object{} : std::move(objects.front());
}

std::string joined(const ContainerView& container) {
  std::string out;
  for (const auto& word : container.command) out += (out.empty() ? "" : " ") + word;
  return out;
}

TEST(PodTemplates, PodWithEveryKindOfContainer) {
  const Object pod = only(R"(apiVersion: v1
kind: Pod
metadata:
  name: p
  namespace: team
  labels: {app: web}
spec:
  serviceAccountName: builder
  automountServiceAccountToken: false
  hostPID: true
  hostNetwork: true
  volumes:
  - name: sock
    hostPath:
      path: /var/run/docker.sock
  - name: scratch
    emptyDir: {}
  initContainers:
  - name: init
    image: busybox:1.36
    command: [sh, -c]
    args: [echo hi]
  containers:
  - name: main
    image: nginx:1.25
  ephemeralContainers:
  - name: debug
    image: busybox
)");
  ASSERT_TRUE(holds_pods(pod));
  const auto templates = pod_templates(pod);
  ASSERT_EQ(templates.size(), 1u);
  const auto& view = templates[0];
  EXPECT_EQ(view.owner, &pod);
  EXPECT_EQ(view.field, "spec");
  EXPECT_EQ(view.pod_spec_field, "spec");
  EXPECT_EQ(view.line, 7);
  EXPECT_EQ(view.namespace_, "team");
  EXPECT_EQ(view.service_account, "builder");
  EXPECT_EQ(view.service_account_field, "spec.serviceAccountName");
  EXPECT_EQ(view.automount_token, false);
  EXPECT_TRUE(view.host_pid);
  EXPECT_TRUE(view.host_network);
  EXPECT_FALSE(view.host_ipc);
  EXPECT_EQ(view.labels.at("app"), "web");
  ASSERT_EQ(view.host_paths.size(), 1u);
  EXPECT_EQ(view.host_paths[0].volume, "sock");
  EXPECT_EQ(view.host_paths[0].path, "/var/run/docker.sock");
  EXPECT_EQ(view.host_paths[0].field, "spec.volumes[0]");
  EXPECT_EQ(view.host_paths[0].line, 13);
  ASSERT_EQ(view.containers.size(), 3u);
  EXPECT_TRUE(view.containers[0].init);
  EXPECT_EQ(view.containers[0].field, "spec.initContainers[0]");
  EXPECT_EQ(view.containers[0].line, 19);
  EXPECT_EQ(joined(view.containers[0]), "sh -c echo hi");  // command, then args
  EXPECT_EQ(view.containers[1].name, "main");
  EXPECT_EQ(view.containers[1].field, "spec.containers[0]");
  EXPECT_EQ(view.containers[1].image, "nginx:1.25");
  ASSERT_NE(view.containers[1].spec, nullptr);
  EXPECT_EQ((*view.containers[1].spec)["image"].str(), "nginx:1.25");
  EXPECT_EQ(view.containers[2].field, "spec.ephemeralContainers[0]");
}

TEST(PodTemplates, BuiltInControllers) {
  const auto objects = objects_of(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: a}
spec:
  template:
    metadata:
      annotations: {sidecar.istio.io/inject: "false"}
    spec:
      containers: [{name: c, image: x:1}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: s}
spec: {template: {spec: {containers: [{name: c, image: x:1}]}}}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds}
spec: {template: {spec: {containers: [{name: c, image: x:1}]}}}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: rs}
spec: {template: {spec: {containers: [{name: c, image: x:1}]}}}
---
apiVersion: batch/v1
kind: Job
metadata: {name: j}
spec: {template: {spec: {serviceAccount: legacy, containers: [{name: c, image: x:1}]}}}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: cj}
spec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: x:1}]}}}}}
---
apiVersion: v1
kind: ReplicationController
metadata: {name: rc}
spec: {template: {spec: {containers: [{name: c, image: x:1}]}}}
)");
  ASSERT_EQ(objects.size(), 7u);
  for (const auto& object : objects) {
    SCOPED_TRACE(object.ref());
    EXPECT_TRUE(holds_pods(object));
    const auto templates = pod_templates(object);
    ASSERT_EQ(templates.size(), 1u);
    ASSERT_EQ(templates[0].containers.size(), 1u);
    const std::string expected = object.kind() == "CronJob" ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
    EXPECT_EQ(templates[0].field, expected);
    EXPECT_EQ(templates[0].containers[0].field, expected + ".containers[0]");
  }
  EXPECT_EQ(pod_templates(objects[0])[0].annotations.at("sidecar.istio.io/inject"), "false");
  EXPECT_EQ(pod_templates(objects[1])[0].service_account, "default");
  EXPECT_EQ(pod_templates(objects[1])[0].service_account_field, "");
  EXPECT_EQ(pod_templates(objects[4])[0].service_account, "legacy");  // the deprecated alias
  EXPECT_EQ(pod_templates(objects[4])[0].service_account_field, "spec.template.spec.serviceAccount");
}

TEST(PodTemplates, KindsWithoutPodsOrOfAnotherGroup) {
  const auto objects = objects_of(R"(apiVersion: v1
kind: Service
metadata: {name: s}
spec: {template: {spec: {containers: [{name: c, image: x}]}}}
---
apiVersion: example.com/v1
kind: Deployment
metadata: {name: not-apps}
spec: {template: {spec: {containers: [{name: c, image: x}]}}}
---
apiVersion: argoproj.io/v1alpha1
kind: Experiment
metadata: {name: argo-rollouts-experiment}
spec: {trialTemplate: {trialSpec: {apiVersion: v1, kind: Pod, spec: {containers: [{name: c, image: x}]}}}}
)");
  for (const auto& object : objects) {
    EXPECT_FALSE(holds_pods(object)) << object.ref();
    EXPECT_TRUE(pod_templates(object).empty()) << object.ref();
  }
}

TEST(PodTemplates, WrongTypesYieldNoTemplateNotACrash) {
  const auto objects = objects_of(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: a}
spec: {template: "a string"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b}
spec: {template: {spec: [1, 2]}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: c}
spec:
  template:
    spec:
      hostPID: "yes"
      volumes: {not: a list}
      containers: ["a string", 7, {name: ok, image: x:1, command: "not a list", args: [--a, 3, {no: map}]}]
---
apiVersion: kubeflow.org/v1
kind: TFJob
metadata: {name: d}
spec: {tfReplicaSpecs: {Worker: "x", Chief: {template: 5}}}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: e}
spec: {templates: ["x", {name: t, container: "not a map"}, {name: u, script: 3}]}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: f}
spec: {predictor: "x", transformer: [1]}
---
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata: {name: g}
spec: {driver: "x", executor: {image: e:1}}
---
apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata: {name: h}
spec: {trialTemplate: {trialSpec: "x"}}
---
apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: i}
spec: {trainer: [1], podTemplateOverrides: ["x", {spec: 3}]}
)");
  ASSERT_EQ(objects.size(), 9u);
  EXPECT_TRUE(pod_templates(objects[0]).empty());
  EXPECT_TRUE(pod_templates(objects[1]).empty());
  const auto c = pod_templates(objects[2]);
  ASSERT_EQ(c.size(), 1u);
  EXPECT_FALSE(c[0].host_pid);  // "yes" is not a boolean the API server accepts
  EXPECT_TRUE(c[0].host_paths.empty());
  ASSERT_EQ(c[0].containers.size(), 1u);
  EXPECT_EQ(c[0].containers[0].field, "spec.template.spec.containers[2]");
  EXPECT_EQ(joined(c[0].containers[0]), "--a 3");
  EXPECT_TRUE(pod_templates(objects[3]).empty());
  // A template whose container has the wrong type runs nothing we can read.
  for (const auto& view : pod_templates(objects[4])) EXPECT_TRUE(view.containers.empty());
  EXPECT_TRUE(pod_templates(objects[5]).empty());
  const auto spark = pod_templates(objects[6]);
  ASSERT_EQ(spark.size(), 1u);  // the driver of the wrong type is skipped, the executor is not
  EXPECT_EQ(spark[0].role, "executor");
  EXPECT_TRUE(pod_templates(objects[7]).empty());
  const auto train = pod_templates(objects[8]);
  ASSERT_EQ(train.size(), 1u);
  EXPECT_TRUE(train[0].containers.empty());
  EXPECT_EQ(train[0].service_account, "default");
}

TEST(PodTemplates, NotebookExamples) {
  const Object notebook = only(kubeflow_example("notebook-kubeflow-user-example-com.yaml"));
  ASSERT_TRUE(holds_pods(notebook));
  const auto templates = pod_templates(notebook);
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].field, "spec.template.spec");
  EXPECT_EQ(templates[0].namespace_, "kubeflow-user-example-com");
  EXPECT_EQ(templates[0].service_account, "default-editor");
  EXPECT_EQ(templates[0].service_account_field, "spec.template.spec.serviceAccountName");
  ASSERT_EQ(templates[0].containers.size(), 1u);
  EXPECT_EQ(templates[0].containers[0].image, "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:v1.10.0");
  EXPECT_EQ(templates[0].containers[0].line, 17);

  const Object sample = only(kubeflow_example("notebook-v1-sample.yaml"));
  const auto sample_templates = pod_templates(sample);
  ASSERT_EQ(sample_templates.size(), 1u);
  EXPECT_EQ(sample_templates[0].namespace_, "");
  EXPECT_EQ(sample_templates[0].service_account, "default");
  EXPECT_EQ(sample_templates[0].containers.at(0).image, "ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter:latest");
}

TEST(PodTemplates, TrainingOperatorReplicaSpecs) {
  const Object tfjob = only(kubeflow_example("tfjob-simple.yaml"));
  auto templates = pod_templates(tfjob);
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].role, "Worker");
  EXPECT_EQ(templates[0].field, "spec.tfReplicaSpecs.Worker.template.spec");
  ASSERT_EQ(templates[0].containers.size(), 1u);
  EXPECT_EQ(templates[0].containers[0].field, "spec.tfReplicaSpecs.Worker.template.spec.containers[0]");
  EXPECT_EQ(joined(templates[0].containers[0]), "python /var/tf_mnist/mnist_with_summaries.py");

  const Object pytorch = only(kubeflow_example("pytorchjob-simple.yaml"));
  templates = pod_templates(pytorch);
  ASSERT_EQ(templates.size(), 2u);
  EXPECT_EQ(templates[0].role, "Master");
  EXPECT_EQ(templates[1].role, "Worker");
  EXPECT_EQ(templates[1].field, "spec.pytorchReplicaSpecs.Worker.template.spec");
  EXPECT_EQ(templates[1].labels.at("sidecar.istio.io/inject"), "false");

  const auto others = objects_of(R"(apiVersion: kubeflow.org/v2beta1
kind: MPIJob
metadata: {name: m}
spec:
  mpiReplicaSpecs:
    Launcher: {replicas: 1, template: {spec: {containers: [{name: l, image: mpi:1, command: [mpirun, python, train.py]}]}}}
    Worker: {replicas: 2, template: {spec: {containers: [{name: w, image: mpi:1}]}}}
---
apiVersion: kubeflow.org/v1
kind: XGBoostJob
metadata: {name: x}
spec: {xgbReplicaSpecs: {Master: {template: {spec: {containers: [{name: c, image: xgb:1}]}}}}}
---
apiVersion: kubeflow.org/v1
kind: PaddleJob
metadata: {name: p}
spec: {paddleReplicaSpecs: {Worker: {template: {spec: {containers: [{name: c, image: paddle:1}]}}}}}
)");
  ASSERT_EQ(others.size(), 3u);
  templates = pod_templates(others[0]);
  ASSERT_EQ(templates.size(), 2u);
  EXPECT_EQ(templates[0].role, "Launcher");
  EXPECT_EQ(templates[0].field, "spec.mpiReplicaSpecs.Launcher.template.spec");
  EXPECT_EQ(joined(templates[0].containers.at(0)), "mpirun python train.py");
  EXPECT_EQ(pod_templates(others[1]).at(0).field, "spec.xgbReplicaSpecs.Master.template.spec");
  EXPECT_EQ(pod_templates(others[2]).at(0).field, "spec.paddleReplicaSpecs.Worker.template.spec");
}

TEST(PodTemplates, KfpCompiledWorkflowYieldsDriverLauncherAndComponent) {
  const Object workflow = only(kubeflow_example("argo-workflow-kfp-hello-world.yaml"));
  ASSERT_TRUE(holds_pods(workflow));
  const auto templates = pod_templates(workflow);
  // Three templates start pods (two drivers, the executor); dag templates do not. The fourth is
  // the component implementation the workflow carries as a parameter.
  ASSERT_EQ(templates.size(), 4u);
  EXPECT_EQ(templates[0].role, "system-container-driver");
  EXPECT_EQ(templates[0].field, "spec.templates[0]");
  EXPECT_EQ(templates[0].pod_spec_field, "spec");
  EXPECT_EQ(templates[0].service_account, "pipeline-runner");
  EXPECT_EQ(templates[0].service_account_field, "spec.serviceAccountName");
  ASSERT_EQ(templates[0].containers.size(), 1u);
  EXPECT_EQ(templates[0].containers[0].field, "spec.templates[0].container");
  EXPECT_EQ(templates[0].containers[0].image, "ghcr.io/kubeflow/kfp-driver:latest");
  EXPECT_EQ(templates[0].containers[0].command.front(), "driver");
  EXPECT_TRUE(joined(templates[0].containers[0]).starts_with("driver --type CONTAINER --pipeline_name echo"));
  EXPECT_EQ(templates[0].annotations.at("pipelines.kubeflow.org/runtime-role"), "driver");
  EXPECT_EQ(templates[0].labels.at("pipelines.kubeflow.org/v2_component"), "true");  // from podMetadata

  const auto& impl = templates[1];
  EXPECT_EQ(impl.role, "system-container-impl");
  EXPECT_EQ(impl.field, "spec.templates[2]");
  ASSERT_EQ(impl.containers.size(), 2u);
  EXPECT_TRUE(impl.containers[0].init);
  EXPECT_EQ(impl.containers[0].field, "spec.templates[2].initContainers[0]");
  EXPECT_EQ(joined(impl.containers[0]), "launcher-v2 --copy /kfp-launcher/launch");
  EXPECT_EQ(impl.containers[1].field, "spec.templates[2].container");
  EXPECT_EQ(impl.containers[1].image, "gcr.io/ml-pipeline/should-be-overridden-during-runtime");

  EXPECT_EQ(templates[2].role, "system-dag-driver");
  EXPECT_EQ(templates[2].field, "spec.templates[4]");
  EXPECT_EQ(templates[2].containers.at(0).command.front(), "driver");

  const auto& component = templates[3];
  EXPECT_EQ(component.role, "kfp-component");
  EXPECT_EQ(component.field, "spec.arguments.parameters[1]");
  EXPECT_EQ(component.service_account, "pipeline-runner");
  ASSERT_EQ(component.containers.size(), 1u);
  EXPECT_EQ(component.containers[0].image, "registry.access.redhat.com/ubi9/python-311:latest");
  EXPECT_EQ(joined(component.containers[0]), "echo hello world");
  EXPECT_EQ(component.containers[0].field, "spec.arguments.parameters[1].value");
  EXPECT_EQ(component.line, 10);
  EXPECT_EQ(component.containers[0].line, 11);
  EXPECT_EQ(component.containers[0].spec, nullptr);
}

TEST(PodTemplates, ArgoTemplatesOverrideTheWorkflow) {
  const auto objects = objects_of(R"(apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata: {name: w, namespace: team}
spec:
  serviceAccountName: runner
  hostNetwork: true
  nodeSelector: {pool: cpu}
  volumes:
  - {name: host, hostPath: {path: /var/log}}
  templates:
  - name: py
    serviceAccountName: special
    nodeSelector: {pool: gpu}
    volumes:
    - {name: own, hostPath: {path: /etc}}
    script:
      image: python:3.12
      command: [python]
      source: |
        print("hello")
    sidecars:
    - {name: side, image: envoy:1}
  - name: set
    containerSet:
      containers:
      - {name: a, image: a:1, command: [a]}
      - {name: b, image: b:1, command: [b]}
  - name: steps
    steps: [[{name: s, template: py}]]
---
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: cw}
spec:
  schedule: "* * * * *"
  workflowSpec:
    templates:
    - {name: main, container: {image: alpine:3, command: [date]}}
---
apiVersion: argoproj.io/v1alpha1
kind: ClusterWorkflowTemplate
metadata: {name: cwt}
spec: {templates: [{name: main, container: {image: alpine:3}}]}
)");
  ASSERT_EQ(objects.size(), 3u);
  const auto templates = pod_templates(objects[0]);
  ASSERT_EQ(templates.size(), 2u);
  const auto& py = templates[0];
  EXPECT_EQ(py.role, "py");
  EXPECT_EQ(py.service_account, "special");
  EXPECT_EQ(py.service_account_field, "spec.templates[0].serviceAccountName");
  EXPECT_TRUE(py.host_network);
  ASSERT_NE(py.node_selector.value, nullptr);
  EXPECT_EQ(py.node_selector.field, "spec.templates[0].nodeSelector");
  EXPECT_EQ((*py.node_selector.value)["pool"].str(), "gpu");
  ASSERT_EQ(py.host_paths.size(), 2u);
  EXPECT_EQ(py.host_paths[0].field, "spec.volumes[0]");
  EXPECT_EQ(py.host_paths[1].field, "spec.templates[0].volumes[0]");
  ASSERT_EQ(py.containers.size(), 2u);
  EXPECT_EQ(py.containers[0].field, "spec.templates[0].script");
  EXPECT_EQ(joined(py.containers[0]), "python print(\"hello\")\n");  // the source is what runs
  EXPECT_EQ(py.containers[1].field, "spec.templates[0].sidecars[0]");

  const auto& set = templates[1];
  EXPECT_EQ(set.service_account, "runner");
  EXPECT_EQ(set.service_account_field, "spec.serviceAccountName");
  EXPECT_EQ(set.node_selector.field, "spec.nodeSelector");
  ASSERT_EQ(set.containers.size(), 2u);
  EXPECT_EQ(set.containers[1].field, "spec.templates[1].containerSet.containers[1]");

  const auto cron = pod_templates(objects[1]);
  ASSERT_EQ(cron.size(), 1u);
  EXPECT_EQ(cron[0].field, "spec.workflowSpec.templates[0]");
  EXPECT_EQ(cron[0].pod_spec_field, "spec.workflowSpec");
  EXPECT_EQ(cron[0].containers.at(0).field, "spec.workflowSpec.templates[0].container");
  EXPECT_EQ(pod_templates(objects[2]).size(), 1u);
}

TEST(PodTemplates, KatibTrialSpecIsFollowed) {
  const Object experiment = only(kubeflow_example("katib-experiment-grid.yaml"));
  ASSERT_TRUE(holds_pods(experiment));
  auto templates = pod_templates(experiment);
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].owner, &experiment);
  EXPECT_EQ(templates[0].namespace_, "kubeflow-user-example-com");
  EXPECT_EQ(templates[0].field, "spec.trialTemplate.trialSpec.spec.template.spec");
  EXPECT_EQ(templates[0].annotations.at("sidecar.istio.io/inject"), "false");
  ASSERT_EQ(templates[0].containers.size(), 1u);
  EXPECT_EQ(templates[0].containers[0].field, "spec.trialTemplate.trialSpec.spec.template.spec.containers[0]");
  EXPECT_TRUE(joined(templates[0].containers[0]).starts_with("python3 /opt/pytorch-mnist/mnist.py --epochs=1"));

  const Object tf_trial = only(R"(apiVersion: kubeflow.org/v1beta1
kind: Experiment
metadata: {name: tf, namespace: u}
spec:
  trialTemplate:
    trialSpec:
      apiVersion: kubeflow.org/v1
      kind: TFJob
      spec:
        tfReplicaSpecs:
          Worker: {template: {spec: {containers: [{name: tensorflow, image: tf:2}]}}}
)");
  templates = pod_templates(tf_trial);
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].role, "Worker");
  EXPECT_EQ(templates[0].field, "spec.trialTemplate.trialSpec.spec.tfReplicaSpecs.Worker.template.spec");
}

TEST(PodTemplates, KatibEmbeddingIsBounded) {
  // An Experiment whose trial is an Experiment whose trial is …: followed a few levels, then not.
  std::string yaml = "apiVersion: kubeflow.org/v1beta1\nkind: Experiment\nmetadata: {name: deep}\nspec:\n";
  std::string trial = "{apiVersion: v1, kind: Pod, spec: {containers: [{name: c, image: x}]}}";
  for (int i = 0; i < 6; ++i) {
    trial = "{apiVersion: kubeflow.org/v1beta1, kind: Experiment, spec: {trialTemplate: {trialSpec: " + trial + "}}}";
  }
  yaml += "  trialTemplate: {trialSpec: " + trial + "}\n";
  EXPECT_TRUE(pod_templates(only(yaml)).empty());
}

TEST(PodTemplates, KServeComponentsAndModelSpecs) {
  const Object isvc = only(R"(apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llm
  namespace: team
  annotations: {sidecar.istio.io/inject: "true"}
spec:
  predictor:
    serviceAccountName: sa-s3
    nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
    model:
      modelFormat: {name: huggingface}
      storageUri: hf://meta-llama/Llama-3.2-1B
      resources:
        limits: {nvidia.com/gpu: "1"}
    workerSpec:
      containers:
      - {name: worker, image: kserve/huggingfaceserver:v0.16.0}
  transformer:
    containers:
    - name: kserve-container
      image: example/transformer:1
      command: [python, -m, transformer]
  explainer:
    art:
      type: SquareAttack
)");
  ASSERT_TRUE(holds_pods(isvc));
  const auto templates = pod_templates(isvc);
  ASSERT_EQ(templates.size(), 4u);
  EXPECT_EQ(templates[0].role, "predictor");
  EXPECT_EQ(templates[0].field, "spec.predictor");
  EXPECT_EQ(templates[0].service_account, "sa-s3");
  EXPECT_EQ(templates[0].node_selector.field, "spec.predictor.nodeSelector");
  EXPECT_EQ(templates[0].annotations.at("sidecar.istio.io/inject"), "true");
  ASSERT_EQ(templates[0].containers.size(), 1u);
  EXPECT_EQ(templates[0].containers[0].name, "model");
  EXPECT_EQ(templates[0].containers[0].field, "spec.predictor.model");
  EXPECT_EQ(templates[0].containers[0].image, "");  // the serving runtime supplies it
  EXPECT_EQ(templates[1].role, "predictor-worker");
  EXPECT_EQ(templates[1].containers.at(0).field, "spec.predictor.workerSpec.containers[0]");
  EXPECT_EQ(templates[2].role, "transformer");
  EXPECT_EQ(joined(templates[2].containers.at(0)), "python -m transformer");
  EXPECT_EQ(templates[3].role, "explainer");
  EXPECT_TRUE(templates[3].containers.empty());  // {type} only: the runtime's container runs

  const auto objects = objects_of(R"(apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: sk}
spec:
  predictor:
    sklearn:
      storageUri: gs://bucket/model
      image: custom/sklearn:1
      args: [--workers, "2"]
)");
  const auto sk = pod_templates(objects.at(0));
  ASSERT_EQ(sk.size(), 1u);
  ASSERT_EQ(sk[0].containers.size(), 1u);
  EXPECT_EQ(sk[0].containers[0].name, "sklearn");
  EXPECT_EQ(sk[0].containers[0].image, "custom/sklearn:1");
  EXPECT_EQ(joined(sk[0].containers[0]), "--workers 2");
}

TEST(PodTemplates, TrainJobExampleAndOverrides) {
  const Object job = only(kubeflow_example("trainjob-multi-node.yaml"));
  ASSERT_TRUE(holds_pods(job));
  auto templates = pod_templates(job);
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].role, "trainer");
  EXPECT_EQ(templates[0].field, "spec.trainer");
  EXPECT_EQ(templates[0].service_account, "default");
  ASSERT_EQ(templates[0].containers.size(), 1u);
  const auto& trainer = templates[0].containers[0];
  EXPECT_EQ(trainer.field, "spec.trainer");
  EXPECT_EQ(trainer.image, "");  // the runtime's image
  ASSERT_GE(trainer.command.size(), 5u);
  EXPECT_EQ(trainer.command[0], "torchrun");
  EXPECT_NE(trainer.command[4].find("dist.init_process_group"), std::string::npos);

  const Object overridden = only(R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: t, namespace: team}
spec:
  runtimeRef: {name: torch-distributed}
  trainer:
    image: pytorch/pytorch:2.10.0
    command: [python, train.py]
    args: [--epochs, "3"]
    resourcesPerNode: {limits: {nvidia.com/gpu: 4}}
  podTemplateOverrides:
  - targetJobs: [{name: node}]
    metadata: {labels: {team: ml}}
    spec:
      serviceAccountName: trainer-sa
      nodeSelector: {accelerator: a100}
      volumes: [{name: h, hostPath: {path: /data}}]
)");
  templates = pod_templates(overridden);
  ASSERT_EQ(templates.size(), 1u);
  EXPECT_EQ(templates[0].service_account, "trainer-sa");
  EXPECT_EQ(templates[0].service_account_field, "spec.podTemplateOverrides[0].spec.serviceAccountName");
  EXPECT_EQ(templates[0].node_selector.field, "spec.podTemplateOverrides[0].spec.nodeSelector");
  EXPECT_EQ(templates[0].labels.at("team"), "ml");
  ASSERT_EQ(templates[0].host_paths.size(), 1u);
  EXPECT_EQ(templates[0].host_paths[0].field, "spec.podTemplateOverrides[0].spec.volumes[0]");
  EXPECT_EQ(joined(templates[0].containers.at(0)), "python train.py --epochs 3");
  EXPECT_EQ(templates[0].containers[0].image, "pytorch/pytorch:2.10.0");
}

TEST(PodTemplates, SparkApplicationDriverAndExecutor) {
  const Object app = only(kubeflow_example("sparkapplication-pi-python.yaml"));
  ASSERT_TRUE(holds_pods(app));
  const auto templates = pod_templates(app);
  ASSERT_EQ(templates.size(), 2u);
  const auto& driver = templates[0];
  EXPECT_EQ(driver.role, "driver");
  EXPECT_EQ(driver.field, "spec.driver");
  EXPECT_EQ(driver.service_account, "default-editor");
  EXPECT_EQ(driver.service_account_field, "spec.driver.serviceAccount");
  ASSERT_EQ(driver.containers.size(), 1u);
  EXPECT_EQ(driver.containers[0].image, "spark:3.5.2");
  EXPECT_EQ(joined(driver.containers[0]), "local:///opt/spark/examples/src/main/python/pi.py");
  ASSERT_NE(driver.containers[0].spec, nullptr);
  EXPECT_TRUE((*driver.containers[0].spec)["securityContext"].is_object());
  const auto& executor = templates[1];
  EXPECT_EQ(executor.role, "executor");
  EXPECT_EQ(executor.service_account, "default-editor");  // Spark's default: the driver's account
  EXPECT_EQ(executor.containers.at(0).image, "spark:3.5.2");
  EXPECT_TRUE(executor.containers[0].command.empty());

  const Object scheduled = only(R"(apiVersion: sparkoperator.k8s.io/v1beta2
kind: ScheduledSparkApplication
metadata: {name: nightly}
spec:
  schedule: "@daily"
  template:
    image: spark:3.5.2
    mainApplicationFile: local:///job.py
    arguments: [--day, today]
    driver: {image: custom/driver:1, hostNetwork: true}
    volumes: [{name: h, hostPath: {path: /}}]
)");
  const auto nightly = pod_templates(scheduled);
  ASSERT_EQ(nightly.size(), 2u);
  EXPECT_EQ(nightly[0].field, "spec.template.driver");
  EXPECT_TRUE(nightly[0].host_network);
  EXPECT_FALSE(nightly[1].host_network);
  EXPECT_EQ(nightly[0].containers.at(0).image, "custom/driver:1");
  EXPECT_EQ(nightly[1].containers.at(0).image, "spark:3.5.2");
  EXPECT_EQ(joined(nightly[0].containers[0]), "local:///job.py --day today");
  EXPECT_EQ(nightly[1].host_paths.at(0).field, "spec.template.volumes[0]");
}

}  // namespace
}  // namespace mg::kube
