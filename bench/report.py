#!/usr/bin/env python3
"""Turns bench/run_scan_bench.sh's raw measurements into the markdown of BENCHMARKS.md.

  report.py                          markdown of the results on stdout (reads BENCH_* env)
  report.py --splice FILE RESULTS    replaces FILE's text between the scan-bench markers
"""
import json
import os
import platform
import sys

import bench_common
from bench_common import load_raw, mem_gib, minerguard_version, sh, summary, utc_now

BEGIN = "<!-- scan-bench:begin -->"
END = "<!-- scan-bench:end -->"


def first_word_last(text):
    """The last word of the first line: the version in `tool --version` output."""
    lines = text.splitlines()
    return lines[0].split()[-1] if lines and lines[0].split() else "?"


def cpu_model():
    """lscpu's model name (bench_common.cpu_model reads /proc/cpuinfo, which names no model on some
    machines, e.g. ARM ones)."""
    for line in sh("lscpu").splitlines():
        if line.startswith("Model name:"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def splice(path, results_path):
    bench_common.splice(path, results_path, BEGIN, END)


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--splice":
        splice(sys.argv[2], sys.argv[3])
        return
    env = os.environ
    rows = load_raw(env["BENCH_RAW"])
    runs = int(env["BENCH_RUNS"])
    stored = int(env["BENCH_STORED"])
    raw_bytes = int(env["BENCH_RAWBYTES"])
    have_mg = env["BENCH_HAVE_MG"] == "1"
    cache = env["BENCH_CACHE"]
    image = env["BENCH_IMAGE"]
    threads = env["BENCH_YARA_THREADS"]

    med, cpu, rss, spread = summary(rows)

    oci = "out/bench/" + os.path.basename(image) + "/oci"
    mg = os.path.relpath(env.get("BENCH_MG", "build/minerguard"))
    commands = {
        "minerguard": f"{mg} scan --quiet --format json oci:{oci}:bench > /dev/null",
        "peer": f"for L in LAYERS; do mkdir T; tar -xzf $L -C T && "
                f"yara -C -r -N -f -w -p {threads} out/bench/catalog.yarc T > /dev/null; rm -rf T; done",
        "igzip": "igzip -dc LAYERS > /dev/null",
        "gzip": "gzip -dc LAYERS > /dev/null",
        "startup": f"{mg} scan --quiet --format json oci:out/bench/image-tiny/oci:bench > /dev/null",
    }
    label = {
        "minerguard": "minerguard scan",
        "peer": "peer: `tar -xzf` + `yara -r`",
        "igzip": "floor: `igzip -dc` (ISA-L)",
        "gzip": "context: `gzip -dc` (zlib)",
        "startup": "context: minerguard on a 2 MB image (start-up)",
    }

    out = []
    out.append(f"### Image scan, {utc_now()}")
    out.append("")
    out.append(f"Reproduce: `scripts/bench` (this table: {runs} run{'s' if runs > 1 else ''} "
               "of each, median; the order rotated every run).")
    out.append("")
    out.append(f"- Machine: {cpu_model()}, {os.cpu_count()} cores, {mem_gib():.0f} GiB RAM, "
               f"Linux {platform.release()}")
    tools = [
        ("minerguard", minerguard_version(mg, have_mg)),
        ("yara", sh("yara", "--version")),
        ("igzip", first_word_last(sh("igzip", "--version"))),
        ("gzip", first_word_last(sh("gzip", "--version"))),
        ("tar", first_word_last(sh("tar", "--version"))),
    ]
    out.append("- Tools: " + ", ".join(f"{n} {v}" for n, v in tools))
    with open(os.path.join(image, "layers.tsv")) as f:
        n_layers = len(f.readlines()) - 1
    out.append(f"- Image: {raw_bytes / 1e9:.2f} GB of real files of this machine (tar bytes) in "
               f"{n_layers} gzip -6 layers, {stored / 1e9:.2f} GB stored "
               f"(`bench/make_image.sh`, OCI layout)")
    with open(os.path.join(cache, "catalog_to_yara.log")) as f:
        cat_line = f.readline().strip().replace("catalog_to_yara: ", "")
    out.append(f"- Rules: the catalog's content patterns as YARA ({cat_line}); "
               f"`bench/catalog_to_yara.py`")
    mg_json = os.path.join(cache, "minerguard.json")
    if have_mg and os.path.exists(mg_json):
        try:
            with open(mg_json) as f:
                rep = json.load(f)
            stats = rep.get("stats", {})
            out.append(f"- minerguard's own report of the run: verdict `{rep.get('verdict')}`, "
                       f"{len(rep.get('findings', []))} findings, stats `{json.dumps(stats)}`")
        except (OSError, ValueError):
            pass
    out.append("")
    out.append("| | median s | min–max s | CPU s | MB/s (uncompressed) | peak RSS MiB | vs minerguard |")
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    for t in ("minerguard", "peer", "igzip", "gzip", "startup"):
        if t not in med:
            if t != "startup":
                out.append(f"| {label[t]} | not measured | | | | | |")
            continue
        ratio = f"{med[t] / med['minerguard']:.2f}×" if "minerguard" in med else "–"
        rate = f"{raw_bytes / 1e6 / med[t]:.0f}" if t != "startup" else "–"
        lo, hi = spread[t]
        out.append(f"| {label[t]} | {med[t]:.2f} | {lo:.2f}–{hi:.2f} | {cpu[t]:.2f} | "
                   f"{rate} | {rss[t] / 1024:.0f} | {ratio} |")
    out.append("")
    if "minerguard" in med:
        speedup = med["peer"] / med["minerguard"]
        floor = med["minerguard"] / med["igzip"]
        out.append(f"- **peer / minerguard = {speedup:.2f}×** (goal ≥ 5×: "
                   f"{'met' if speedup >= 5 else 'NOT met'})")
        out.append(f"- **minerguard / igzip floor = {floor:.2f}×** (goal ≤ 1.5×: "
                   f"{'met' if floor <= 1.5 else 'NOT met'})")
    else:
        out.append("- **minerguard was not measured in this run** (it did not build); the peer "
                   "and floor rows are measured numbers, the ratios to minerguard are missing.")
    if "startup" in med and "minerguard" in med:
        rest = med["minerguard"] - med["startup"]
        out.append(f"- minerguard's fixed start-up (the 2 MB image) is {med['startup']:.2f} s; "
                   f"the rest, {rest:.2f} s, is {raw_bytes / 1e6 / rest:.0f} MB/s over the layers "
                   f"= {rest / med['igzip']:.2f}× the igzip floor")
    out.append(f"- peer / igzip floor = {med['peer'] / med['igzip']:.2f}×; "
               f"gzip / igzip = {med['gzip'] / med['igzip']:.2f}×")
    out.append("- CPU s is user+sys (the peer's includes tar's gzip child and yara's "
               f"{threads} threads); peak RSS is the largest single process (GNU time `%M`).")
    out.append("")
    out.append("Commands (LAYERS = the image's layer blobs in manifest order):")
    out.append("")
    out.append("```")
    for t in ("minerguard", "peer", "igzip", "gzip", "startup"):
        out.append(commands[t])
    out.append("```")
    print("\n".join(out))


if __name__ == "__main__":
    main()
