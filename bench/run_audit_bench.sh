#!/usr/bin/env bash
# The manifest-audit benchmark: `minerguard audit` on a generated cluster snapshot against the
# floor — merely parsing the same bytes with the same libraries — side by side in ONE run.
#
#   bench/run_audit_bench.sh [--quick] [--runs N] [--no-build] [--no-write]
#
#   --quick     5,000 JSON / 500 YAML objects instead of 50,000 / 5,000, to check the machinery
#               fast (printed, never written into BENCHMARKS.md)
#   --runs N    repetitions of each measurement (default 5); the median is reported
#   --no-build  use build/minerguard as it is (build/bench/mg-parse-floor is built if missing)
#   --no-write  only print the results (out/bench/audit/results.md)
#   MG_BENCH_BINARY=PATH  a minerguard binary built elsewhere (then nothing is built)
#
# Snapshots (bench/make_snapshot.py, cached under out/bench/audit/): a `kind: List` of 50,000
# objects as JSON and a multi-document stream of 5,000 objects as YAML, plus an empty List.
# Measured, each repetition in a rotated order so no command always runs first or last:
#   mg-json      build/minerguard audit --quiet --format json --fail-on critical
#                  LIST.json > /dev/null
#                (the reader holds a whole JSON List to the per-document limit, 64 MiB by default,
#                which the 50,000-object List is over: raised to the input limit, 1 GiB)
#   json         build/bench/mg-parse-floor json LIST.json         On-Demand, every value visited
#   json-dom     build/bench/mg-parse-floor json-dom LIST.json     DOM: validate + tape
#   mg-yaml      build/minerguard audit ... STREAM.yaml > /dev/null
#   yaml         build/bench/mg-parse-floor yaml STREAM.yaml       YAML::LoadAll
#   yaml-events  build/bench/mg-parse-floor yaml-events STREAM.yaml  yaml-cpp's event parser alone
#   startup      build/minerguard audit ... EMPTY.json > /dev/null  fixed cost (catalog load)
# minerguard must exit 0 (clean) or 1 (findings at or above --fail-on), never 2 (a failure).
# Wall time and peak RSS by GNU time (-f '%e %M', plus %U %S for CPU seconds).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/bench_lib.sh

quick=0 runs=5 build=1 write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --no-build) build=0 ;;
    --no-write) write=0 ;;
    *) echo "usage: bench/run_audit_bench.sh [--quick] [--runs N] [--no-build] [--no-write]" >&2
       exit 2 ;;
  esac
  shift
done

bench_require python3 /usr/bin/time cmake

cache=$root/out/bench/audit
mkdir -p "$cache"
if [ "$quick" -eq 1 ]; then json_objects=5000 yaml_objects=500; else json_objects=50000 yaml_objects=5000; fi

# --- binaries ------------------------------------------------------------------------------
mg=${MG_BENCH_BINARY:-$root/build/minerguard}
floor=$root/build/bench/mg-parse-floor
have_mg=1
bench_build_minerguard || have_mg=0
bench_build_floor mg-parse-floor
[ -x "$mg" ] || have_mg=0
[ "$have_mg" -eq 1 ] || echo "bench: $mg is not there; minerguard is not measured" >&2

# --- snapshots -----------------------------------------------------------------------------
echo "bench: snapshots (bench/make_snapshot.py; generated once, then cached)" >&2
json=$(python3 bench/make_snapshot.py --format json --objects "$json_objects" --out-dir "$cache")
yaml=$(python3 bench/make_snapshot.py --format yaml --objects "$yaml_objects" --out-dir "$cache")
empty=$(python3 bench/make_snapshot.py --format json --objects 0 --out-dir "$cache")
# Page cache warm for everyone: every command reads the same bytes from memory.
cat "$json" "$yaml" "$empty" > /dev/null

mg_args=(audit --quiet --format json --fail-on critical)
mg_json_args=("${mg_args[@]}")

# --- one check run of each: minerguard must audit, not fail; the floors must parse --------
check() {  # check NAME MAX_OK_RC CMD...: bench_check, saying why when it fails
  bench_check "$@" && return
  echo "bench: $1 exited $check_rc: ${*:3}" >&2
  head -5 "$cache/check-$1.err" >&2
  return 1
}
check json 0 "$floor" json "$json" || exit 2
check json-dom 0 "$floor" json-dom "$json" || exit 2
check yaml 0 "$floor" yaml "$yaml" || exit 2
check yaml-events 0 "$floor" yaml-events "$yaml" || exit 2
mg_json=0 mg_yaml=0 mg_startup=0
if [ "$have_mg" -eq 1 ]; then
  check mg-json 1 "$mg" "${mg_json_args[@]}" "$json" && mg_json=1
  check mg-yaml 1 "$mg" "${mg_args[@]}" "$yaml" && mg_yaml=1
  check startup 1 "$mg" "${mg_args[@]}" "$empty" && mg_startup=1
fi

# --- measurements --------------------------------------------------------------------------
bench_start_raw

run_mg-json() { bench_measure mg-json "$1" 1 "$mg" "${mg_json_args[@]}" "$json"; }
run_mg-yaml() { bench_measure mg-yaml "$1" 1 "$mg" "${mg_args[@]}" "$yaml"; }
run_startup() { bench_measure startup "$1" 1 "$mg" "${mg_args[@]}" "$empty"; }
run_json() { bench_measure json "$1" 0 "$floor" json "$json"; }
run_json-dom() { bench_measure json-dom "$1" 0 "$floor" json-dom "$json"; }
run_yaml() { bench_measure yaml "$1" 0 "$floor" yaml "$yaml"; }
run_yaml-events() { bench_measure yaml-events "$1" 0 "$floor" yaml-events "$yaml"; }

tools=()
[ "$mg_json" -eq 1 ] && tools+=(mg-json)
tools+=(json json-dom)
[ "$mg_yaml" -eq 1 ] && tools+=(mg-yaml)
tools+=(yaml yaml-events)
[ "$mg_startup" -eq 1 ] && tools+=(startup)
bench_rotate "$runs" "${tools[@]}"

# --- report --------------------------------------------------------------------------------
export BENCH_QUICK=$quick BENCH_RUNS=$runs BENCH_RAW=$raw BENCH_CACHE=$cache BENCH_MG=$mg \
  BENCH_FLOOR=$floor BENCH_JSON=$json BENCH_YAML=$yaml BENCH_EMPTY=$empty \
  BENCH_LOAD="$bench_load"
bench_report bench/audit_report.py $((mg_json || mg_yaml))
