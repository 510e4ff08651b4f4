// check_namespaces(): GPU quotas (ResourceQuota and Kubeflow Profile), GPU node targeting, and
// egress limits (NetworkPolicy, Istio outbound policy) of the namespaces users run code in.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "kube/namespace_checks.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

using namespace testing;
using core::Severity;

Findings run(std::vector<Object> objects, ProfileObjects profiles = ProfileObjects::none) {
  return run_check(check_namespaces, std::move(objects), {}, profiles);
}

Findings run(std::string_view yaml) { return run(objects_of(yaml)); }

TEST(NamespaceRules, EveryRuleIsDescribed) {
  const auto rules = namespace_rules();
  ASSERT_EQ(rules.size(), 3u);
  EXPECT_EQ(rules[0].id, kRuleGpuWithoutQuota);
  EXPECT_EQ(rules[1].id, kRuleNoEgressLimit);
  EXPECT_EQ(rules[2].id, kRuleGpuNodeTargeting);
  for (const auto& info : rules) {
    EXPECT_FALSE(info.name.empty());
    EXPECT_GT(info.description.size(), 80u);
    EXPECT_FALSE(info.remediation.empty());
    EXPECT_FALSE(info.techniques.empty());
  }
}

// --- MG-KUBE-027 GPU quota --------------------------------------------------------------------

constexpr std::string_view kGpuNotebook = R"(apiVersion: kubeflow.org/v1
kind: Notebook
metadata: {name: gpu-nb, namespace: team}
spec:
  template:
    spec:
      containers:
      - name: nb
        image: jupyter:1
        resources:
          limits: {nvidia.com/gpu: "2", cpu: "4"}
)";

TEST(GpuQuota, GpuRequestWithoutQuota) {
  const auto findings = of_rule(run(kGpuNotebook), kRuleGpuWithoutQuota);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(where(findings[0]).kind, "Notebook");
  EXPECT_EQ(where(findings[0]).field, "spec.template.spec.containers[0].resources.limits");
  EXPECT_EQ(where(findings[0]).line, 11);
  EXPECT_TRUE(has_evidence(findings[0], "nvidia.com/gpu: 2 (limits, container nb)"));
  EXPECT_TRUE(has_evidence(findings[0], "namespace team"));
}

TEST(GpuQuota, ResourceQuotaOrProfileCapsIt) {
  for (std::string_view quota : {
           R"(apiVersion: v1
kind: ResourceQuota
metadata: {name: gpu, namespace: team}
spec: {hard: {requests.nvidia.com/gpu: "4"}}
)",
           R"(apiVersion: v1
kind: ResourceQuota
metadata: {name: gpu, namespace: team}
spec: {hard: {limits.nvidia.com/gpu: "0"}}
)",
           R"(apiVersion: kubeflow.org/v1
kind: Profile
metadata: {name: team}
spec:
  owner: {kind: User, name: a@example.com}
  resourceQuotaSpec: {hard: {requests.nvidia.com/gpu: "1", cpu: "8"}}
)"}) {
    const auto findings = run(std::string(kGpuNotebook) + "---\n" + std::string(quota));
    EXPECT_TRUE(of_rule(findings, kRuleGpuWithoutQuota).empty()) << quota << describe(findings);
  }
}

TEST(GpuQuota, QuotasThatDoNotCapIt) {
  for (std::string_view quota : {
           // Another namespace.
           R"(apiVersion: v1
kind: ResourceQuota
metadata: {name: gpu, namespace: other}
spec: {hard: {requests.nvidia.com/gpu: "4"}}
)",
           // Another resource.
           R"(apiVersion: v1
kind: ResourceQuota
metadata: {name: cpu, namespace: team}
spec: {hard: {requests.cpu: "4", requests.amd.com/gpu: "1"}}
)",
           // Scoped: pods outside the priority class are not counted.
           R"(apiVersion: v1
kind: ResourceQuota
metadata: {name: gpu, namespace: team}
spec:
  hard: {requests.nvidia.com/gpu: "4"}
  scopeSelector: {matchExpressions: [{scopeName: PriorityClass, operator: In, values: [high]}]}
)"}) {
    const auto findings = run(std::string(kGpuNotebook) + "---\n" + std::string(quota));
    EXPECT_EQ(of_rule(findings, kRuleGpuWithoutQuota).size(), 1u) << quota << describe(findings);
  }
}

TEST(GpuQuota, TrainJobSparkAndKServeRequests) {
  const auto findings = of_rule(run(R"(apiVersion: trainer.kubeflow.org/v1alpha1
kind: TrainJob
metadata: {name: t, namespace: team}
spec:
  trainer:
    image: pytorch/pytorch:2.10.0
    resourcesPerNode: {limits: {nvidia.com/gpu: 8}}
---
apiVersion: sparkoperator.k8s.io/v1beta2
kind: SparkApplication
metadata: {name: s, namespace: team}
spec:
  image: spark:3.5.2
  executor: {instances: 2, gpu: {name: nvidia.com/gpu, quantity: 1}}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata: {name: i}
spec:
  predictor:
    model:
      modelFormat: {name: huggingface}
      resources: {requests: {amd.com/gpu: "1"}, limits: {amd.com/gpu: "1"}}
---
apiVersion: v1
kind: Pod
metadata: {name: zero, namespace: team}
spec: {containers: [{name: c, image: x, resources: {limits: {nvidia.com/gpu: 0}}}]}
)"),
                                kRuleGpuWithoutQuota);
  ASSERT_EQ(findings.size(), 3u) << describe(findings);
  EXPECT_EQ(where(findings[0]).field, "spec.trainer.resourcesPerNode.limits");
  EXPECT_EQ(where(findings[1]).field, "spec.executor.gpu");
  EXPECT_EQ(where(findings[2]).field, "spec.predictor.model.resources.limits");  // one per resource
  EXPECT_TRUE(has_evidence(findings[2], "namespace default"));
}

// --- MG-KUBE-029 GPU targeting ----------------------------------------------------------------

TEST(GpuTargeting, GpuNodesWithoutAGpuRequest) {
  const auto findings = of_rule(run(R"(apiVersion: kubeflow.org/v1
kind: TFJob
metadata: {name: miner, namespace: u}
spec:
  tfReplicaSpecs:
    Worker:
      template:
        spec:
          nodeSelector: {cloud.google.com/gke-accelerator: nvidia-tesla-t4}
          containers: [{name: tensorflow, image: tf:2}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: affinity, namespace: u}
spec:
  template:
    spec:
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
            - matchExpressions: [{key: nvidia.com/gpu.present, operator: In, values: ["true"]}]
      containers: [{name: c, image: x:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: toleration, namespace: u}
spec:
  tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
  containers: [{name: c, image: x:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: instance, namespace: u}
spec:
  nodeSelector: {node.kubernetes.io/instance-type: p3.8xlarge}
  containers: [{name: c, image: x:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: bypass, namespace: u}
spec:
  containers:
  - name: c
    image: x:1
    env: [{name: NVIDIA_VISIBLE_DEVICES, value: all}]
)"),
                                kRuleGpuNodeTargeting);
  ASSERT_EQ(findings.size(), 5u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::low);
  EXPECT_EQ(where(findings[0]).field, "spec.tfReplicaSpecs.Worker.template.spec.nodeSelector");
  EXPECT_TRUE(has_evidence(findings[0], "cloud.google.com/gke-accelerator=nvidia-tesla-t4"));
  EXPECT_EQ(where(findings[1]).field,
            "spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0]");
  EXPECT_EQ(where(findings[2]).field, "spec.tolerations[0]");
  EXPECT_EQ(where(findings[3]).name, "instance");
  EXPECT_EQ(findings[4].severity, Severity::medium);
  EXPECT_EQ(where(findings[4]).field, "spec.containers[0].env[0]");
}

TEST(GpuTargeting, NothingWhenTheGpuIsRequestedOrTheNodesAreOrdinary) {
  const auto findings = run(R"(apiVersion: v1
kind: Pod
metadata: {name: honest, namespace: u}
spec:
  nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4}
  containers: [{name: c, image: x:1, resources: {limits: {nvidia.com/gpu: 1}}}]
---
apiVersion: v1
kind: Pod
metadata: {name: linux, namespace: u}
spec:
  nodeSelector: {kubernetes.io/os: linux, node.kubernetes.io/instance-type: m5.large}
  tolerations: [{operator: Exists}]
  containers: [{name: c, image: x:1, env: [{name: NVIDIA_VISIBLE_DEVICES, value: void}]}]
)");
  EXPECT_TRUE(of_rule(findings, kRuleGpuNodeTargeting).empty()) << describe(findings);
}

// --- MG-KUBE-028 egress -----------------------------------------------------------------------

constexpr std::string_view kProfile = R"(apiVersion: kubeflow.org/v1
kind: Profile
metadata: {name: alice}
spec: {owner: {kind: User, name: alice@example.com}}
)";

constexpr std::string_view kNotebook = R"(apiVersion: kubeflow.org/v1
kind: Notebook
metadata: {name: nb, namespace: alice}
spec:
  template:
    metadata: {labels: {app: nb}}
    spec: {containers: [{name: nb, image: jupyter:1}]}
)";

Findings egress(std::initializer_list<std::string_view> documents) {
  std::string yaml;
  for (auto document : documents) yaml += std::string(document) + "---\n";
  return of_rule(run(yaml), kRuleNoEgressLimit);
}

TEST(EgressLimit, ProfileNamespaceWithoutAnyLimit) {
  const auto findings = egress({kProfile});
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(where(findings[0]).kind, "Namespace");
  EXPECT_EQ(where(findings[0]).name, "alice");
  EXPECT_EQ(where(findings[0]).namespace_, "");
  EXPECT_TRUE(has_evidence(findings[0], "Kubeflow Profile alice (t.yaml:1)"));
  EXPECT_TRUE(has_evidence(findings[0], "none in alice has policyTypes Egress"));
  EXPECT_TRUE(has_evidence(findings[0], "ALLOW_ANY"));
}

TEST(EgressLimit, LocatedOnTheNamespaceObjectWhenPresent) {
  const auto findings = egress({kNotebook, R"(apiVersion: v1
kind: Namespace
metadata: {name: alice}
)"});
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(where(findings[0]).file, "t.yaml");
  EXPECT_EQ(where(findings[0]).line, 9);
  EXPECT_TRUE(has_evidence(findings[0], "Notebook alice/nb"));
}

TEST(EgressLimit, DefaultDenyEgressPolicies) {
  // Deny all egress; allow DNS only; allow the cluster and one external range.
  for (std::string_view policy : {
           R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: alice}
spec: {podSelector: {}, policyTypes: [Egress]}
)",
           R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: dns, namespace: alice}
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
  egress:
  - ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]
  - to: [{namespaceSelector: {}}]
  - to: [{ipBlock: {cidr: 203.0.113.0/24}}]
    ports: [{port: 443}]
)"}) {
    EXPECT_TRUE(egress({kProfile, kNotebook, policy}).empty()) << policy;
  }
}

TEST(EgressLimit, PoliciesThatDoNotLimitEgress) {
  for (std::string_view policy : {
           // Ingress only.
           R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: ingress, namespace: alice}
spec: {podSelector: {}, policyTypes: [Ingress], egress: []}
)",
           // Egress allowed to anywhere.
           R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: open, namespace: alice}
spec: {podSelector: {}, policyTypes: [Egress], egress: [{}]}
)",
           // Anywhere on 443: pools listen there too.
           R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: https, namespace: alice}
spec:
  podSelector: {}
  egress: [{to: [{ipBlock: {cidr: 0.0.0.0/0, except: [10.0.0.0/8]}}], ports: [{port: 443}]}]
)",
           // Selects other pods.
           R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: other, namespace: alice}
spec: {podSelector: {matchLabels: {app: web}}, policyTypes: [Egress]}
)",
           // Another namespace.
           R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny, namespace: bob}
spec: {podSelector: {}, policyTypes: [Egress]}
)"}) {
    const auto findings = egress({kProfile, kNotebook, policy});
    EXPECT_EQ(findings.size(), 1u) << policy << describe(findings);
  }
}

TEST(EgressLimit, PolicySelectingTheWorkloads) {
  constexpr std::string_view kSelecting = R"(apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: nb, namespace: alice}
spec:
  podSelector: {matchExpressions: [{key: app, operator: In, values: [nb, lab]}]}
  policyTypes: [Egress]
)";
  // The Notebook is covered; so is a namespace that holds only it.
  EXPECT_TRUE(egress({kNotebook, kSelecting}).empty());
  // With the Profile the namespace itself is a user namespace, but every workload in it is
  // covered: the policy does what the namespace needs today.
  EXPECT_TRUE(egress({kProfile, kNotebook, kSelecting}).empty());
  // A second workload the policy does not select is open.
  const auto findings = egress({kNotebook, kSelecting, R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: pt, namespace: alice}
spec: {pytorchReplicaSpecs: {Master: {template: {spec: {containers: [{name: p, image: pt:1}]}}}}}
)"});
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(evidence_of(findings[0], "workloads with no egress limit"), "PyTorchJob alice/pt (Master)")
      << describe(findings);
}

TEST(EgressLimit, IstioRegistryOnly) {
  constexpr std::string_view kMeshRegistryOnly = R"(apiVersion: v1
kind: ConfigMap
metadata: {name: istio, namespace: istio-system}
data:
  mesh: |-
    rootNamespace: istio-system
    outboundTrafficPolicy:
      mode: REGISTRY_ONLY
)";
  constexpr std::string_view kRootSidecar = R"(apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: istio-system}
spec: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}
)";
  constexpr std::string_view kNamespaceSidecar = R"(apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: alice}
spec: {outboundTrafficPolicy: {mode: REGISTRY_ONLY}}
)";
  constexpr std::string_view kNamespaceAllowAny = R"(apiVersion: networking.istio.io/v1
kind: Sidecar
metadata: {name: default, namespace: alice}
spec: {outboundTrafficPolicy: {mode: ALLOW_ANY}}
)";
  EXPECT_TRUE(egress({kProfile, kNotebook, kMeshRegistryOnly}).empty());
  EXPECT_TRUE(egress({kProfile, kNotebook, kRootSidecar}).empty());
  EXPECT_TRUE(egress({kProfile, kNotebook, kNamespaceSidecar}).empty());
  // The namespace's own Sidecar overrides the root one.
  EXPECT_EQ(egress({kProfile, kNotebook, kRootSidecar, kNamespaceAllowAny}).size(), 1u);

  // Istio limits only pods with a sidecar: a Katib trial or a PyTorchJob that turns injection
  // off goes straight out.
  const auto findings = egress({kProfile, kNotebook, kMeshRegistryOnly, R"(apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata: {name: pt, namespace: alice}
spec:
  pytorchReplicaSpecs:
    Master:
      template:
        metadata: {labels: {sidecar.istio.io/inject: "false"}}
        spec: {containers: [{name: p, image: pt:1}]}
)"});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_TRUE(has_evidence(findings[0], "some pods run without an Istio sidecar")) << describe(findings);
  EXPECT_TRUE(has_evidence(findings[0], "PyTorchJob alice/pt (Master)"));
  // A namespace without injection gets no sidecars at all.
  EXPECT_EQ(egress({kProfile, kMeshRegistryOnly, R"(apiVersion: v1
kind: Namespace
metadata: {name: alice, labels: {istio-injection: disabled}}
)"}).size(),
            1u);
}

TEST(EgressLimit, OnlyUserWorkloadNamespaces) {
  const auto findings = egress({R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec: {template: {spec: {containers: [{name: c, image: x:1}]}}}
)"});
  EXPECT_TRUE(findings.empty()) << describe(findings);
  // A workload without a namespace runs in "default".
  const auto defaulted = egress({R"(apiVersion: kubeflow.org/v1
kind: Notebook
metadata: {name: nb}
spec: {template: {spec: {containers: [{name: nb, image: jupyter:1}]}}}
)"});
  ASSERT_EQ(defaulted.size(), 1u);
  EXPECT_EQ(where(defaulted[0]).name, "default");
}

// --- the stock Kubeflow install ---------------------------------------------------------------

TEST(KubeflowInstallNamespaces, OnlyTheProfileNamespaceIsOpen) {
  const auto findings = run(kubeflow_install());
  std::set<std::tuple<std::string, std::string, std::string>> got;
  for (const auto& finding : findings) {
    if (finding.severity < Severity::low) continue;
    got.emplace(finding.rule_id, where(finding).kind, where(finding).namespace_ + "/" + where(finding).name);
  }
  const std::set<std::tuple<std::string, std::string, std::string>> expected{
      // Profile kubeflow-user-example-com is where user@example.com runs notebooks and pipelines.
      // The install has 40 NetworkPolicies, all Ingress-only (none in that namespace, which the
      // profile controller creates at run time), the Istio mesh config leaves
      // outboundTrafficPolicy at ALLOW_ANY, and the istio-system Sidecar only narrows which
      // services the proxies know. A notebook there can download XMRig and reach any pool: an
      // operator agrees this namespace needs an egress policy.
      {"MG-KUBE-028", "Namespace", "/kubeflow-user-example-com"},
  };
  EXPECT_EQ(got, expected) << describe(findings);
  // No workload in the install requests a GPU (the GPU runtimes are ClusterTrainingRuntimes,
  // not pods) or selects GPU nodes.
  EXPECT_TRUE(of_rule(findings, kRuleGpuWithoutQuota).empty());
  EXPECT_TRUE(of_rule(findings, kRuleGpuNodeTargeting).empty());
}

TEST(KubeflowInstallNamespaces, WithTheProfileControllersObjects) {
  // As `minerguard audit` runs it: the Namespace the profile controller creates (labelled
  // istio-injection=enabled) exists, and the finding is located on it, at the Profile's line.
  const auto findings = of_rule(run(kubeflow_install(), ProfileObjects::added), kRuleNoEgressLimit);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(where(findings[0]).kind, "Namespace");
  EXPECT_EQ(where(findings[0]).name, "kubeflow-user-example-com");
  EXPECT_EQ(where(findings[0]).file, "kubeflow-install.yaml");
  EXPECT_EQ(where(findings[0]).line, 214859);
}

TEST(KubeflowExamplesNamespaces, UserNamespacesOfTheExamples) {
  std::vector<Object> objects = kubeflow_install();
  for (const char* name : {"notebook-kubeflow-user-example-com.yaml", "katib-experiment-grid.yaml", "tfjob-simple.yaml"}) {
    for (auto& object : objects_of(kubeflow_example(name), name)) objects.push_back(std::move(object));
  }
  const auto findings = of_rule(run(std::move(objects)), kRuleNoEgressLimit);
  std::set<std::string> names;
  for (const auto& finding : findings) names.insert(where(finding).name);
  // The TFJob example runs in `kubeflow`, which then holds user code; its NetworkPolicies are
  // Ingress-only too. The Notebook and the Experiment run in the profile namespace.
  EXPECT_EQ(names, (std::set<std::string>{"kubeflow", "kubeflow-user-example-com"})) << describe(findings);
}

}  // namespace
}  // namespace mg::kube
