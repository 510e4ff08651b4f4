#!/usr/bin/env python3
"""What the benchmark report writers (bench/report.py, bench/audit_report.py,
bench/audit_log_report.py) share: reading the raw measurements (bench/bench_lib.sh's raw.tsv),
describing the machine and the minerguard measured, and replacing their section of BENCHMARKS.md."""
import datetime
import os
import platform
import statistics
import subprocess


def sh(*cmd):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
        return r.stdout.strip() if r.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return ""


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def mem_gib():
    with open("/proc/meminfo") as f:
        return int(f.readline().split()[1]) / 1024 / 1024


def deb_version(package):
    return sh("dpkg-query", "-W", "-f=${Version}", package).split("+")[0].split("-")[0] or "?"


def utc_now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def minerguard_version(mg, built=True):
    """MG's version (the first line of `MG --version` without the name; "not built" without one, or
    when BUILT is false) and the tree it was measured at, if this is a git checkout."""
    version = sh(mg, "--version").splitlines()[:1] if built else []
    commit = sh("git", "rev-parse", "--short", "HEAD")
    if commit and sh("git", "status", "--porcelain", "--untracked-files=no"):
        commit += " + uncommitted changes"
    return ((version[0].removeprefix("minerguard ") if version else "not built") +
            (f" (tree at {commit})" if commit else ""))


def load_raw(path):
    """The runs of each tool in PATH (tool, run, seconds, max_rss_kb, user_s, sys_s): wall seconds
    "s", peak RSS "rss" (KiB), CPU seconds "user", "sys" and "cpu" (user+sys)."""
    rows = {}
    with open(path) as f:
        next(f)
        for line in f:
            tool, run, sec, rss, user, sys_s = line.rstrip("\n").split("\t")
            rows.setdefault(tool, []).append({"s": float(sec), "rss": int(rss), "user": float(user),
                                              "sys": float(sys_s), "cpu": float(user) + float(sys_s)})
    return rows


def summary(rows):
    """Of each tool's runs (load_raw): the median wall seconds, the median CPU seconds, the largest
    peak RSS and the (shortest, longest) wall seconds."""
    med = {t: statistics.median(r["s"] for r in v) for t, v in rows.items()}
    cpu = {t: statistics.median(r["cpu"] for r in v) for t, v in rows.items()}
    rss = {t: max(r["rss"] for r in v) for t, v in rows.items()}
    spread = {t: (min(r["s"] for r in v), max(r["s"] for r in v)) for t, v in rows.items()}
    return med, cpu, rss, spread


def splice(path, results_path, begin, end, intro=None):
    """Writes the text of RESULTS_PATH between the markers BEGIN and END of PATH. When PATH does
    not have them, appends INTRO (the section's heading and fixed text, if any) and the marked
    block at the end."""
    with open(results_path) as f:
        block = f.read().strip()
    text = open(path).read() if os.path.exists(path) else ""
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        text = f"{head}{begin}\n{block}\n{end}{tail}"
    else:
        text = f"{text.rstrip()}\n\n" + (f"{intro}\n" if intro else "") + f"{begin}\n{block}\n{end}\n"
    with open(path, "w") as f:
        f.write(text)
