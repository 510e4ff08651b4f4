#!/usr/bin/env bash
# The audit-log benchmark: `minerguard audit-log` on a generated Kubernetes audit log (JSON lines)
# against the floor — simdjson merely parsing the same file — side by side in ONE run, events per
# second on ONE core.
#
#   bench/run_audit_log_bench.sh [--quick] [--runs N] [--events N] [--no-build] [--no-write]
#
#   --quick     100,000 events instead of 1,000,000, to check the machinery fast (printed, never
#               written into BENCHMARKS.md)
#   --runs N    repetitions of each measurement (default 5); the median is reported
#   --events N  events in the log (default 1,000,000; 100,000 with --quick)
#   --no-build  use build/minerguard as it is (build/bench/mg-audit-log-floor is built if missing)
#   --no-write  only print the results (out/bench/audit-log/results.md)
#   MG_BENCH_BINARY=PATH  a minerguard binary built elsewhere (then minerguard is not built)
#   MG_BENCH_FLOOR=PATH   an mg-audit-log-floor built elsewhere (then it is not built)
#   MG_BENCH_CPU=N        the core every measured command is pinned to (default 0)
#   MG_BENCH_SEED=S       the log's seed (default 20261207, bench/make_audit_events.py's)
#
# The log (bench/make_audit_events.py, cached under out/bench/audit-log/ by N and seed): N
# audit.k8s.io/v1 Events of a Kubeflow cluster, one per line, ~1.1 KB on average; and a 1-event log.
# Measured, each repetition in a rotated order so no command always runs first or last, EVERY
# command pinned to one core with `taskset -c 0` (the process and any thread it starts share that
# core: events/s on one core, whatever the machine has):
#   mg        build/minerguard audit-log --quiet --format json --fail-on critical EVENTS.jsonl
#               > /dev/null
#   dom       build/bench/mg-audit-log-floor dom EVENTS.jsonl       the floor: DOM parse, each line
#   ondemand  build/bench/mg-audit-log-floor ondemand EVENTS.jsonl  On-Demand, every value visited
#   startup   build/minerguard audit-log ... ONE.jsonl > /dev/null  fixed cost (rules load)
# minerguard must exit 0 (clean) or 1 (findings at or above --fail-on), never 2 (a failure). If its
# check run fails (e.g. a binary without the `audit-log` subcommand), the floors are still measured
# and reported, nothing is written into BENCHMARKS.md, and the script exits 1.
# The floors must count every event of the log (they print `events=<count> bytes=<n>`).
# Wall time and peak RSS by GNU time (-f '%e %M', plus %U %S for CPU seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/bench_lib.sh

quick=0 runs=5 events='' build=1 write=1
usage="usage: bench/run_audit_log_bench.sh [--quick] [--runs N] [--events N] [--no-build] [--no-write]"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --runs|--events)
      [ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
      if [ "$1" = --runs ]; then runs=$2; else events=$2; fi
      shift ;;
    --no-build) build=0 ;;
    --no-write) write=0 ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
  shift
done
case "$runs$events" in *[!0-9]*) echo "$usage" >&2; exit 2 ;; esac
[ "$runs" -ge 1 ] || { echo "$usage" >&2; exit 2; }
if [ -z "$events" ]; then
  if [ "$quick" -eq 1 ]; then events=100000; else events=1000000; fi
fi
[ "$events" -ge 1 ] || { echo "$usage" >&2; exit 2; }

bench_require python3 /usr/bin/time cmake taskset
cpu=${MG_BENCH_CPU:-0}
taskset -c "$cpu" true 2>/dev/null || { echo "bench: cannot pin to core $cpu (taskset -c $cpu)" >&2; exit 2; }
pin=(taskset -c "$cpu")

cache=$root/out/bench/audit-log
mkdir -p "$cache"
rm -f "$cache"/check-*.out "$cache"/check-*.err  # nothing of an earlier run reaches the report
seed=${MG_BENCH_SEED:-20261207}

# --- binaries ------------------------------------------------------------------------------
mg=${MG_BENCH_BINARY:-$root/build/minerguard}
floor=${MG_BENCH_FLOOR:-$root/build/bench/mg-audit-log-floor}
have_mg=1 mg_status=""
: > "$cache/build.log"
bench_build_minerguard || have_mg=0 mg_status="scripts/build release failed (out/bench/audit-log/build.log)"
if [ -z "${MG_BENCH_FLOOR:-}" ]; then
  bench_build_floor mg-audit-log-floor
fi
[ -x "$floor" ] || { echo "bench: $floor is not there" >&2; exit 2; }
if [ "$have_mg" -eq 1 ] && [ ! -x "$mg" ]; then
  have_mg=0 mg_status="$(realpath --relative-to="$root" "$mg") is not there"
fi
[ "$have_mg" -eq 1 ] || echo "bench: $mg is not there; minerguard is not measured" >&2

# --- the logs ------------------------------------------------------------------------------
echo "bench: audit logs (bench/make_audit_events.py; generated once, then cached)" >&2
events_file=$(python3 bench/make_audit_events.py "$events" "$cache/events-$events-s$seed.jsonl" --seed "$seed")
one_file=$(python3 bench/make_audit_events.py 1 "$cache/events-1-s$seed.jsonl" --seed "$seed")
# Page cache warm for everyone: every command reads the same bytes from memory.
cat "$events_file" "$one_file" > /dev/null

mg_args=(audit-log --quiet --format json --fail-on critical)

# --- one check run of each: minerguard must audit, not fail; the floors must count every event --
for mode in dom ondemand; do
  if ! bench_check "$mode" 0 "$floor" "$mode" "$events_file"; then
    echo "bench: mg-audit-log-floor $mode exited $check_rc on $events_file:" >&2
    head -5 "$cache/check-$mode.err" >&2
    exit 2
  fi
  counted=$(sed -n 's/^events=\([0-9]*\) .*/\1/p' "$cache/check-$mode.out")
  if [ "$counted" != "$events" ]; then
    echo "bench: mg-audit-log-floor $mode counted '${counted}' events in $events_file, not $events" >&2
    exit 2
  fi
done
mg_failed=0
describe_mg_failure() {  # describe_mg_failure NAME FILE: why minerguard's check run failed, one line
  local err first
  err=$cache/check-$1.err
  first=$(grep -m1 -v '^[[:space:]]*$' "$err" || true)
  if [ "$check_rc" -eq 2 ] && ! "$mg" --help 2>&1 | grep -qw "audit-log"; then
    echo "$(realpath --relative-to="$root" "$mg") has no \`audit-log\` subcommand (exit 2: ${first:-no message})"
  else
    echo "minerguard audit-log exited $check_rc on $(realpath --relative-to="$root" "$2") (a failure: 0 or 1 expected): ${first:-no message}"
  fi
}
if [ "$have_mg" -eq 1 ]; then
  for name in mg startup; do
    if [ "$name" = mg ]; then file=$events_file; else file=$one_file; fi
    if ! bench_check "$name" 1 "$mg" "${mg_args[@]}" "$file"; then
      mg_status=$(describe_mg_failure "$name" "$file")
      echo "bench: $mg_status" >&2
      sed 's/^/bench:   /' "$cache/check-$name.err" | head -5 >&2
      echo "bench: minerguard is NOT measured; measuring the floors only" >&2
      have_mg=0 mg_failed=1
      break
    fi
  done
fi

# --- measurements --------------------------------------------------------------------------
bench_start_raw

# Each pinned to the core (bench_measure runs under $pin).
run_mg() { bench_measure mg "$1" 1 "$mg" "${mg_args[@]}" "$events_file"; }
run_startup() { bench_measure startup "$1" 1 "$mg" "${mg_args[@]}" "$one_file"; }
run_dom() { bench_measure dom "$1" 0 "$floor" dom "$events_file"; }
run_ondemand() { bench_measure ondemand "$1" 0 "$floor" ondemand "$events_file"; }

tools=()
[ "$have_mg" -eq 1 ] && tools+=(mg)
tools+=(dom ondemand)
[ "$have_mg" -eq 1 ] && tools+=(startup)
bench_rotate "$runs" "${tools[@]}"

# --- report --------------------------------------------------------------------------------
reproduce="scripts/bench audit-log"
[ "$quick" -eq 1 ] && reproduce+=" --quick"
[ "$runs" -ne 5 ] && reproduce+=" --runs $runs"
if { [ "$quick" -eq 1 ] && [ "$events" -ne 100000 ]; } || { [ "$quick" -eq 0 ] && [ "$events" -ne 1000000 ]; }; then
  reproduce+=" --events $events"
fi
export BENCH_QUICK=$quick BENCH_RUNS=$runs BENCH_RAW=$raw BENCH_CACHE=$cache BENCH_MG=$mg \
  BENCH_FLOOR=$floor BENCH_EVENTS=$events_file BENCH_ONE=$one_file BENCH_CPU=$cpu \
  BENCH_MG_STATUS="$mg_status" BENCH_REPRODUCE="$reproduce" BENCH_LOAD="$bench_load"
bench_report bench/audit_log_report.py "$have_mg"
if [ "$mg_failed" -eq 1 ]; then
  echo "bench: FAILED: $mg_status" >&2
  exit 1
fi
