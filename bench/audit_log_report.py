#!/usr/bin/env python3
"""Turns bench/run_audit_log_bench.sh's raw measurements into the markdown of BENCHMARKS.md.

  audit_log_report.py                          markdown of the results on stdout (reads BENCH_* env)
  audit_log_report.py --splice FILE RESULTS    writes RESULTS between the audit-log-bench markers of
                                               FILE, adding the section "## audit-log: ..." (heading,
                                               what is measured, markers) at the end if it is not there
"""
import collections
import json
import os
import platform
import statistics
import sys

import bench_common
from bench_common import (cpu_model, deb_version, load_raw, mem_gib, minerguard_version, read, sh, summary,
                          utc_now)

HEADING = "## audit-log: audit events per second"
BEGIN = "<!-- audit-log-bench:begin -->"
END = "<!-- audit-log-bench:end -->"
GOAL_RATE = 1_000_000  # events/s on one core
GOAL_RATIO = 2.0       # minerguard's wall time ÷ the floor's (the DOM parse)

# The section's fixed text, written once; the results block between the markers is rewritten by
# every run (as bench/report.py and bench/audit_report.py do for theirs).
INTRO = f"""{HEADING}

**Goal** (from the issue): 1,000,000 realistic audit events with the default rules; state events
per second on one core, side by side in one run with simdjson merely parsing the same file (the
floor). The goal is at least **{GOAL_RATE:,} events/s** and within **{GOAL_RATIO:g}× of the floor**.

**Reproduce:** `scripts/bench audit-log` (builds the Release binary with `scripts/build release`,
generates or reuses the log under `out/bench/audit-log/`, measures, and rewrites the results block
below). `scripts/bench audit-log --quick` does the same on 100,000 events to check the machinery;
its results are printed, not written here. `--runs N` (default 5), `--events N`, `--no-build`,
`--no-write`.

**The log** (`bench/make_audit_events.py N OUT.jsonl [--seed S]`, deterministic for a seed,
regenerated only when N, the seed or the script change): audit.k8s.io/v1 `Event`s, one compact
JSON object per line, as the API server's log backend writes them (keys in its order, empty
fields left out, increasing timestamps), from a busy multi-tenant Kubeflow cluster under a
GKE-like audit policy (Metadata for almost everything, Request for creates of workloads,
RequestResponse for Notebooks). Most events are Metadata-level get/list/watch/update/patch by the
control plane — kubelets renewing node Leases, patching nodes/status and pods/status, watching
their pods' ConfigMaps and Secrets; kube-controller-manager's `*-controller` ServiceAccounts;
kube-scheduler; leader election — and by Kubeflow's and its add-ons' controllers
(notebook-controller, training-operator, ml-pipeline, Argo, the profiles controller, istiod,
cert-manager, Knative, KServe, Katib, the web apps). Users (`alice@example.com`, …) and their
notebooks' `default-editor` ServiceAccounts read pods, logs and jobs. About 4 % are creates with a
`requestObject`: Notebooks (`kubeflownotebookswg/jupyter-scipy:v1.8.0` and others, with a
`responseObject`), their StatefulSets, Services, VirtualServices and Pods (ownerReferences),
TFJobs (`tensorflow/tensorflow:2.15.0-gpu`, `nvidia.com/gpu` limits) and their Pods and Services,
Argo Workflows and their step Pods. About 0.1 % are shaped like the 2020/2021 Kubeflow mining
attacks: Pods of `kubeflow-user-example-com:default-editor` running `ddsfdfsaadfs/dfsdf:99` or
downloading and starting XMRig (a documentation IP, a made-up wallet), `pods/exec` into a notebook,
the `istio-ingressgateway` Service patched to LoadBalancer, a ClusterRoleBinding of
`cluster-admin` to a tenant's `default-editor`, `system:anonymous` requests for Secrets and Pods.
The exact mix, sizes and verbs of the measured file are listed with each result.

**What is measured**, in one run, each command repeated in a rotated order, median reported, page
cache warm for all, **every command pinned to one core** (`taskset -c 0`: the process and any
threads it starts share that core, so events/s is per core):

| | command | notes |
|---|---|---|
| minerguard | `build/minerguard audit-log --quiet --format json --fail-on critical EVENTS.jsonl > /dev/null` | one process: reads the log, decodes every event, runs the default rules, renders the JSON report; exit 0 or 1 both count as an audit, 2 fails the benchmark |
| floor | `build/bench/mg-audit-log-floor dom EVENTS.jsonl` | simdjson's DOM parser on each line: validates the whole event and builds its tape, in place in one padded buffer of the file (lines split with `memchr`) — merely parsing |
| context | `build/bench/mg-audit-log-floor ondemand EVENTS.jsonl` | simdjson On-Demand on each line, every value visited (each key and string unescaped, each number's token): what a reader building a full tree pays. A reader that decodes only the fields it needs can be cheaper than this |
| start-up | `build/minerguard audit-log … ONE.jsonl > /dev/null` on a 1-event log | minerguard's fixed cost (rules load and compile), stated separately |

Both floors read the file the way simdjson offers (`padded_string::load`: one allocation, one
read) and print `events=<count> bytes=<n>`; the script checks that they counted every event of the
file. Wall time and peak RSS by GNU time (`/usr/bin/time -f '%e %M %U %S'`, 10 ms resolution; `%M`
is the largest resident set of the process); user and sys CPU seconds are given separately,
because reading a 1 GB file into a fresh buffer is mostly page faults (sys) on a VM. Events/s is
the file's events divided by the median wall time — for the floors too, as the rate at which the
bytes of that many events parse. The report goes to stdout, redirected to `/dev/null` (not
`--output /dev/null`, which would write a temporary file next to `/dev/null` and rename it over
it). The raw measurements of the last run are in `out/bench/audit-log/raw.tsv`.
"""


def splice(path, results_path):
    bench_common.splice(path, results_path, BEGIN, END, INTRO)


def pct(part, whole):
    return f"{100.0 * part / whole:.1f} %" if whole else "–"


def events_line(meta, path):
    n = meta["events"]
    size = meta["event_bytes"]
    levels = "; ".join(f"{k} {pct(v, n)} (average {meta['level_mean_bytes'][k]:,} B)" for k, v in meta["levels"].items())
    groups = ", ".join(f"{k} {pct(v, n)}" for k, v in meta["groups"].items())
    verbs = ", ".join(f"{k} {pct(v, n)}" for k, v in meta["verbs"].items())
    return (f"`{os.path.relpath(path)}`: **{n:,} events, {meta['bytes'] / 1e6:,.1f} MB, average "
            f"{size['mean']:,} bytes per event** (median {size['median']:,}, 10–90 % {size['p10']:,}–{size['p90']:,}, "
            f"max {size['max']:,}); levels: {levels}; who: {groups}; verbs: {verbs}; seed {meta['seed']}, "
            f"{meta['start']} to {meta['end']}, generated in {meta['generate_seconds']} s")


def floor_counts(text):
    """The key=value pairs a floor printed."""
    out = {}
    for word in text.split():
        if "=" in word:
            k, v = word.split("=", 1)
            out[k] = v
    return out


def mg_event_count(stats):
    """The number of events minerguard's report says it read, if its stats name one."""
    for key in ("events", "events_read", "events_total", "events_decoded"):
        if isinstance(stats.get(key), int):
            return key, stats[key]
    for key, value in stats.items():
        if "event" in key and isinstance(value, int):
            return key, value
    return None, None


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--splice":
        splice(sys.argv[2], sys.argv[3])
        return
    env = os.environ
    rows = load_raw(env["BENCH_RAW"])
    runs = int(env["BENCH_RUNS"])
    cache = env["BENCH_CACHE"]
    cpu_pin = env.get("BENCH_CPU", "0")
    mg = os.path.relpath(env["BENCH_MG"])
    floor = os.path.relpath(env["BENCH_FLOOR"])
    events_path, one_path = env["BENCH_EVENTS"], env["BENCH_ONE"]
    meta = json.loads(read(events_path + ".meta.json"))
    n = meta["events"]
    mb = meta["bytes"] / 1e6
    quick = env.get("BENCH_QUICK") == "1"
    mg_status = env.get("BENCH_MG_STATUS", "")

    med, cpu, rss, spread = summary(rows)
    # User and sys CPU separately (summary gives their sum).
    user = {t: statistics.median(r["user"] for r in v) for t, v in rows.items()}
    system = {t: statistics.median(r["sys"] for r in v) for t, v in rows.items()}

    ev, one = os.path.relpath(events_path), os.path.relpath(one_path)
    pin = f"taskset -c {cpu_pin}"
    mg_args = "audit-log --quiet --format json --fail-on critical"
    commands = {
        "mg": f"{pin} {mg} {mg_args} {ev} > /dev/null",
        "dom": f"{pin} {floor} dom {ev}",
        "ondemand": f"{pin} {floor} ondemand {ev}",
        "startup": f"{pin} {mg} {mg_args} {one} > /dev/null",
    }
    label = {
        "mg": "**minerguard audit-log**",
        "dom": "floor: simdjson DOM parse, each line",
        "ondemand": "context: simdjson On-Demand, every value, each line",
        "startup": "context: minerguard on a 1-event log (start-up)",
    }

    out = []
    out.append(f"### audit-log, {utc_now()}" + (" (--quick: not written)" if quick else ""))
    out.append("")
    reproduce = env.get("BENCH_REPRODUCE", "scripts/bench audit-log")
    out.append(f"Reproduce: `{reproduce}` (this table: {runs} run{'s' if runs > 1 else ''} of each, median; the order "
               f"rotated every run; every command pinned to core {cpu_pin} with `{pin}`).")
    out.append("")
    out.append(f"- Machine: {cpu_model()}, `nproc` {sh('nproc') or '?'} ({os.cpu_count()} CPUs), {mem_gib():.0f} GiB RAM, "
               f"Linux {platform.release()}, transparent huge pages `{read('/sys/kernel/mm/transparent_hugepage/enabled') or '?'}`; "
               f"load average over the run {env.get('BENCH_LOAD', '?')} (the machine is shared)")
    out.append(f"- Tools: minerguard {minerguard_version(mg)}, simdjson {deb_version('libsimdjson-dev')}, "
               f"{(sh('c++', '--version').splitlines() or ['?'])[0]}; git commit {sh('git', 'rev-parse', 'HEAD') or '?'}")
    out.append(f"- Events: {events_line(meta, events_path)}")
    counted = {t: read(os.path.join(cache, f"check-{t}.out")) for t in ("dom", "ondemand")}
    out.append("- What the floors counted: " + "; ".join(f"`{v}`" for v in counted.values() if v))
    report = read(os.path.join(cache, "check-mg.out")) if "mg" in med else ""
    if report:
        try:
            rep = json.loads(report)
        except ValueError:
            rep = None
        if isinstance(rep, dict):
            findings = rep.get("findings", []) or []
            sev = collections.Counter(f.get("severity") for f in findings if isinstance(f, dict))
            rules = collections.Counter(f.get("rule_id") for f in findings if isinstance(f, dict))
            stats = rep.get("stats", {}) if isinstance(rep.get("stats"), dict) else {}
            line = (f"- minerguard's own report: verdict `{rep.get('verdict')}`, {len(findings):,} findings "
                    f"({', '.join(f'{s} {c:,}' for s, c in sev.most_common())}; "
                    f"rules {', '.join(f'{r} {c:,}' for r, c in rules.most_common(8))}), "
                    f"stats `{json.dumps(stats, sort_keys=True)}`")
            key, seen = mg_event_count(stats)
            if seen is not None and seen != n:
                line += f" — **its `{key}` ({seen:,}) is not the file's {n:,} events**"
            elif seen is not None:
                line += f" — `{key}` = the file's {n:,} events"
            out.append(line)
    out.append("")

    out.append(f"**{n:,} events, {mb:,.1f} MB**")
    out.append("")
    out.append("| | median s | min–max s | user s | sys s | events/s | MB/s | peak RSS MiB | minerguard ÷ this (wall) | (CPU) |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for t in ("mg", "dom", "ondemand", "startup"):
        if t not in med:
            out.append(f"| {label[t]} | not measured | | | | | | | | |")
            continue
        lo, hi = spread[t]
        bulk = t != "startup" and med[t] > 0
        rate = f"{n / med[t]:,.0f}" if bulk else "–"
        mbs = f"{mb / med[t]:,.0f}" if bulk else "–"
        ok = "mg" in med and t not in ("mg", "startup")
        ratio = f"{med['mg'] / med[t]:.2f}×" if ok and med[t] > 0 else "–"
        ratio_cpu = f"{cpu['mg'] / cpu[t]:.2f}×" if ok and cpu[t] > 0 else "–"
        out.append(f"| {label[t]} | {med[t]:.2f} | {lo:.2f}–{hi:.2f} | {user[t]:.2f} | {system[t]:.2f} | {rate} | {mbs} | "
                   f"{rss[t] / 1024:.0f} | {ratio} | {ratio_cpu} |")
    out.append("")

    if "mg" not in med:
        out.append(f"- **minerguard was not measured in this run**: {mg_status or 'it did not build or failed on the log'}. "
                   "The goals cannot be judged; the floor rows are measured numbers.")
        if "dom" in med and med["dom"] > 0:
            out.append(f"  - For scale: the floor alone parses {n / med['dom']:,.0f} events/s on this core; "
                       f"≥ {GOAL_RATE:,} events/s needs minerguard at ≤ {n / GOAL_RATE:.2f} s, "
                       f"within {GOAL_RATIO:g}× of the floor needs ≤ {GOAL_RATIO * med['dom']:.2f} s.")
    else:
        rate = n / med["mg"]
        met = rate >= GOAL_RATE
        out.append(f"- **Goal ≥ {GOAL_RATE:,} events/s on one core: {'met' if met else 'NOT met'}** — minerguard audits "
                   f"{rate:,.0f} events/s ({mb / med['mg']:,.0f} MB/s)")
        start = med.get("startup", 0.0)
        if start and med["mg"] > start:
            rest = med["mg"] - start
            out.append(f"  - without its fixed start-up ({start:.2f} s): {rest:.2f} s, {n / rest:,.0f} events/s")
        if "dom" in med and med["dom"] > 0:
            ratio = med["mg"] / med["dom"]
            out.append(f"- **Goal within {GOAL_RATIO:g}× of the floor (the DOM parse): {'met' if ratio <= GOAL_RATIO else 'NOT met'}** "
                       f"— minerguard ÷ floor = {ratio:.2f}× wall (CPU {cpu['mg'] / cpu['dom']:.2f}×)"
                       + (f"; ÷ On-Demand, every value = {med['mg'] / med['ondemand']:.2f}× "
                          f"(CPU {cpu['mg'] / cpu['ondemand']:.2f}×)" if med.get("ondemand") else ""))
            if n / med["dom"] < GOAL_RATE:
                out.append(f"  - the floor itself parses {n / med['dom']:,.0f} events/s on this core, below the "
                           f"{GOAL_RATE:,} events/s goal: meeting that goal here takes less work per event than a "
                           "full DOM parse of each line read into one buffer")
    out.append("- CPU s (for the CPU ratios) is user+sys, the median of the runs; on a shared machine it is the steadier of "
               "the two measures (wall time includes waiting for the core), so ratios are given for both. Peak RSS is GNU "
               "time's `%M`, the largest of the runs.")
    out.append("")
    out.append("Commands:")
    out.append("")
    out.append("```")
    for t in ("mg", "dom", "ondemand", "startup"):
        out.append(commands[t])
    out.append("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()
