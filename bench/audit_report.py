#!/usr/bin/env python3
"""Turns bench/run_audit_bench.sh's raw measurements into the markdown of BENCHMARKS.md.

  audit_report.py                          markdown of the results on stdout (reads BENCH_* env)
  audit_report.py --splice FILE RESULTS    writes RESULTS between the audit-bench markers of FILE,
                                           adding the section "## Manifest audit: ..." (heading,
                                           what is measured, markers) at the end if it is not there
"""
import collections
import json
import os
import platform
import sys

import bench_common
from bench_common import (cpu_model, deb_version, load_raw, mem_gib, minerguard_version, read, sh, summary,
                          utc_now)

HEADING = "## Manifest audit: `minerguard audit` against the parse floor"
BEGIN = "<!-- audit-bench:begin -->"
END = "<!-- audit-bench:end -->"

# The section's fixed text, written once; the results block between the markers is rewritten by
# every run (as bench/report.py does for the scan).
INTRO = f"""{HEADING}

**Goal** (from the issue): audit a generated snapshot of 50,000 objects (JSON) and one of 5,000
(YAML); state objects per second, side by side with the cost of merely parsing the same bytes with
the same libraries (the floor).

**Reproduce:** `scripts/bench audit` (builds the Release binary with `scripts/build release`,
generates or reuses the snapshots under `out/bench/audit/`, measures, and rewrites the results
block below). `scripts/bench audit --quick` does the same on 5,000 JSON / 500 YAML objects to
check the machinery; its results are printed, not written here. `--runs N` (default 5),
`--no-build`.

**The snapshots** (`bench/make_snapshot.py`, deterministic, fixed seed; regenerated only when the
script changes): a multi-tenant Kubeflow cluster — one profile namespace per ~250 objects (200 for
50,000), each with the profile controller's ServiceAccounts, RoleBindings (to the aggregated
`kubeflow-admin/edit/view` ClusterRoles) and Istio AuthorizationPolicies, contributors,
ConfigMaps, Secrets (random bytes), Services (mostly ClusterIP, a few NodePort/LoadBalancer),
NetworkPolicies, Notebooks with their StatefulSet, Service, VirtualService, PVC and Pod, user
Deployments, and the bulk: pipeline runs — Argo Workflows with 2–5 templates and the Pods of
unfinished or failed runs, Jobs, TFJobs and PyTorchJobs with their Pods (1–3 containers each,
ghcr.io/kubeflow, docker.io, nvcr.io images, some by digest, `python -m …`, `sh -c "pip install …
&& python train.py"`, env, resources, volumes, securityContext, status). The platform
namespaces carry Kubeflow's, Istio's, cert-manager's and Knative's control plane, their
ClusterRoles and ClusterRoleBindings, the `kubeflow-gateway` Gateway and the VirtualServices.
Objects come out by type, then namespace and name, as kubectl lists them. A handful of objects are
shaped like the 2020/2021 Kubeflow mining attacks so the audit has findings to produce: the
`istio-ingressgateway` Service as a LoadBalancer with an external IP and no AuthorizationPolicy
in `istio-system`, a Notebook running `ddsfdfsaadfs/dfsdf:99`, a TFJob whose
`tensorflow/tensorflow:2.4.1-gpu` workers download and start XMRig, and a ClusterRoleBinding of
`cluster-admin` to a tenant's `default-editor`. The JSON is one `{{"apiVersion":"v1","items":[…],
"kind":"List"}}` — the shape `kubectl get -A -o json` gives, without managedFields — written
compact, as the API server sends it (kubectl's 4-space layout, `--indent 4`, about doubles the
bytes for the same values, which makes the byte-bound floors slower and the ratios smaller); the
YAML is a `---` separated stream in block style with sorted keys, as `kubectl get -o yaml` or
kustomize write it.

**What is measured**, in one run, each command repeated in a rotated order, median reported,
page cache warm for all:

| | command | notes |
|---|---|---|
| minerguard | `build/minerguard audit --quiet --format json --fail-on critical FILE > /dev/null` | one process: reads, builds the Value tree (On-Demand / yaml-cpp events), runs every check, renders the JSON report; exit 0 or 1 both count as an audit, 2 fails the benchmark. Default limits: a JSON List is bounded by `--max-input-bytes` (1 GiB) only |
| JSON floor | `build/bench/mg-parse-floor json FILE` | simdjson On-Demand as minerguard drives it (`iterate_many`, one batch), visiting every value: each field's key unescaped, each string unescaped, each number's raw token — On-Demand does no work for values nobody visits, so a floor that skipped them would be no floor |
| JSON context | `build/bench/mg-parse-floor json-dom FILE` | simdjson DOM `parse`: validates and builds the tape of the whole input (runtime-dispatched kernel) |
| YAML floor | `build/bench/mg-parse-floor yaml FILE` | `YAML::LoadAll` on the file's text, nothing else |
| YAML context | `build/bench/mg-parse-floor yaml-events FILE` | yaml-cpp's event parser with a handler that does nothing: what minerguard's YAML reader drives (it builds its tree from these events, not from `YAML::Node`s), so the tightest floor for it |
| start-up | `build/minerguard audit … EMPTY.json > /dev/null` on an empty `List` | minerguard's fixed cost (catalog load and compile), stated separately |

Wall time and peak RSS by GNU time (`/usr/bin/time -f '%e %M'`, 10 ms resolution; `%M` is the
largest resident set of the process), CPU seconds are user+sys. Objects/s is the snapshot's objects
divided by the median wall time — for the floors too, as the rate at which the bytes of that many
objects parse. The report goes to stdout, redirected to `/dev/null`: `--output /dev/null` is not
used, because `--output` writes a temporary file next to its target and renames it over the target,
which, run as root, would replace the `/dev/null` device with a regular file. The raw measurements
of the last run are in `out/bench/audit/raw.tsv`.
"""


def splice(path, results_path):
    bench_common.splice(path, results_path, BEGIN, END, INTRO)


def snapshot_line(meta, path):
    kinds = meta["kinds"]
    top = ", ".join(f"{k} {v:,}" for k, v in list(kinds.items())[:8])
    rest = sum(list(kinds.values())[8:])
    sizes = meta.get("object_bytes", {})
    layout = meta.get("layout", "")
    return (f"`{os.path.relpath(path)}`: **{meta['objects']:,} objects, {meta['bytes'] / 1e6:.1f} MB** "
            f"({layout}; object size median {sizes.get('median', 0):,} B, 10–90 % "
            f"{sizes.get('p10', 0):,}–{sizes.get('p90', 0):,} B), {meta['profile_namespaces']} profile "
            f"namespaces of {meta['namespaces']}; {top}, {len(kinds) - 8} more kinds {rest:,}")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--splice":
        splice(sys.argv[2], sys.argv[3])
        return
    env = os.environ
    rows = load_raw(env["BENCH_RAW"])
    runs = int(env["BENCH_RUNS"])
    cache = env["BENCH_CACHE"]
    mg = os.path.relpath(env["BENCH_MG"])
    floor = os.path.relpath(env["BENCH_FLOOR"])
    paths = {"json": env["BENCH_JSON"], "yaml": env["BENCH_YAML"], "empty": env["BENCH_EMPTY"]}
    meta = {k: json.loads(read(p + ".meta.json")) for k, p in paths.items()}

    med, cpu, rss, spread = summary(rows)

    rel = {k: os.path.relpath(p) for k, p in paths.items()}
    commands = {
        "mg-json": f"{mg} audit --quiet --format json --fail-on critical "
                   f"{rel['json']} > /dev/null",
        "json": f"{floor} json {rel['json']}",
        "json-dom": f"{floor} json-dom {rel['json']}",
        "mg-yaml": f"{mg} audit --quiet --format json --fail-on critical {rel['yaml']} > /dev/null",
        "yaml": f"{floor} yaml {rel['yaml']}",
        "yaml-events": f"{floor} yaml-events {rel['yaml']}",
        "startup": f"{mg} audit --quiet --format json --fail-on critical {rel['empty']} > /dev/null",
    }
    label = {
        "mg-json": "**minerguard audit**",
        "json": "floor: simdjson On-Demand, every value",
        "json-dom": "context: simdjson DOM parse (tape)",
        "mg-yaml": "**minerguard audit**",
        "yaml": "floor: yaml-cpp `YAML::LoadAll`",
        "yaml-events": "context: yaml-cpp event parse, no-op handler",
        "startup": "context: minerguard on an empty List (start-up)",
    }

    out = []
    quick = env.get("BENCH_QUICK") == "1"
    out.append(f"### Manifest audit, {utc_now()}" + (" (--quick: not written)" if quick else ""))
    out.append("")
    out.append(f"Reproduce: `scripts/bench audit` (this table: {runs} run{'s' if runs > 1 else ''} of each, "
               "median; the order rotated every run).")
    out.append("")
    out.append(f"- Machine: {cpu_model()}, {os.cpu_count()} cores (`nproc` {sh('nproc') or '?'}), "
               f"{mem_gib():.0f} GiB RAM, Linux {platform.release()}; load average over the run "
               f"{env.get('BENCH_LOAD', '?')} (the machine is shared)")
    out.append(f"- Tools: minerguard {minerguard_version(mg)}, simdjson {deb_version('libsimdjson-dev')}, "
               f"yaml-cpp {deb_version('libyaml-cpp-dev')}, "
               f"{(sh('c++', '--version').splitlines() or ['?'])[0]}; git commit {sh('git', 'rev-parse', 'HEAD') or '?'}")
    for k in ("json", "yaml"):
        out.append(f"- {k.upper()} snapshot: {snapshot_line(meta[k], paths[k])}")
    floor_out = {t: read(os.path.join(cache, f"check-{t}.out")) for t in ("json", "json-dom", "yaml", "yaml-events")}
    out.append("- What the floors counted: " + "; ".join(f"`{v}`" for v in floor_out.values() if v))
    for k in ("json", "yaml"):
        report = read(os.path.join(cache, f"check-mg-{k}.out"))
        if f"mg-{k}" not in med or not report:
            continue
        try:
            rep = json.loads(report)
        except ValueError:
            continue
        sev = collections.Counter(f.get("severity") for f in rep.get("findings", []))
        rules = collections.Counter(f.get("rule_id") for f in rep.get("findings", []))
        out.append(f"- minerguard's own report on the {k.upper()} snapshot: verdict `{rep.get('verdict')}`, "
                   f"{len(rep.get('findings', []))} findings ({', '.join(f'{s} {n}' for s, n in sev.most_common())}; "
                   f"rules {', '.join(f'{r} {n}' for r, n in rules.most_common(8))}), "
                   f"stats `{json.dumps(rep.get('stats', {}), sort_keys=True)}`")
    out.append("")

    def table(title, objects, mg_key, keys):
        out.append(f"**{title}** ({objects:,} objects)")
        out.append("")
        out.append("| | median s | min–max s | CPU s | objects/s | peak RSS MiB | minerguard ÷ this (wall) | (CPU) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for t in [mg_key] + keys:
            if t not in med:
                out.append(f"| {label[t]} | not measured | | | | | | |")
                continue
            lo, hi = spread[t]
            rate = f"{objects / med[t]:,.0f}" if t != "startup" and med[t] > 0 else "–"
            ok = mg_key in med and t != "startup"
            ratio = f"{med[mg_key] / med[t]:.2f}×" if ok and med[t] > 0 else "–"
            ratio_cpu = f"{cpu[mg_key] / cpu[t]:.2f}×" if ok and cpu[t] > 0 else "–"
            out.append(f"| {label[t]} | {med[t]:.2f} | {lo:.2f}–{hi:.2f} | {cpu[t]:.2f} | {rate} | "
                       f"{rss[t] / 1024:.0f} | {ratio} | {ratio_cpu} |")
        out.append("")

    n_json, n_yaml = meta["json"]["objects"], meta["yaml"]["objects"]
    table("JSON: one `kind: List`", n_json, "mg-json", ["json", "json-dom", "startup"])
    table("YAML: a multi-document stream", n_yaml, "mg-yaml", ["yaml", "yaml-events", "startup"])

    start = med.get("startup", 0.0)
    for k, n, floors in (("json", n_json, ("json", "json-dom")), ("yaml", n_yaml, ("yaml", "yaml-events"))):
        key = f"mg-{k}"
        if key not in med:
            out.append(f"- **{k.upper()}: minerguard was not measured in this run** (it did not build or failed "
                       "on the snapshot); the floor rows are measured numbers.")
            continue
        parts = [f"{label[f].split(': ', 1)[1]} {med[key] / med[f]:.2f}× (CPU {cpu[key] / cpu[f]:.2f}×)"
                 for f in floors if f in med and med[f] > 0 and cpu[f] > 0]
        out.append(f"- **{k.upper()}: minerguard audits {n / med[key]:,.0f} objects/s; minerguard ÷ floor = "
                   + "; ".join(parts) + "**")
        if start and med[key] > start:
            rest = med[key] - start
            out.append(f"  - without its fixed start-up ({start:.2f} s): {rest:.2f} s, {n / rest:,.0f} objects/s = "
                       + "; ".join(f"{rest / med[f]:.2f}× {label[f].split(': ', 1)[1]}" for f in floors if f in med))
    out.append("- CPU s is user+sys, the median of the runs; on a shared machine it is the steadier of the two "
               "measures (wall time includes waiting for a core), so ratios are given for both. Peak RSS is "
               "GNU time's `%M` (the largest resident set of the process), the largest of the runs.")
    out.append("")
    out.append("Commands:")
    out.append("")
    out.append("```")
    for t in ("mg-json", "json", "json-dom", "mg-yaml", "yaml", "yaml-events", "startup"):
        out.append(commands[t])
    out.append("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()
