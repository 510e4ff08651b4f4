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

for tool in python3 /usr/bin/time cmake; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing (run scripts/setup)" >&2; exit 2; }
done

cache=$root/out/bench/audit
mkdir -p "$cache"
if [ "$quick" -eq 1 ]; then json_objects=5000 yaml_objects=500; else json_objects=50000 yaml_objects=5000; fi

# --- binaries ------------------------------------------------------------------------------
mg=${MG_BENCH_BINARY:-$root/build/minerguard}
floor=$root/build/bench/mg-parse-floor
have_mg=1
if [ "$build" -eq 1 ] && [ -z "${MG_BENCH_BINARY:-}" ]; then
  echo "bench: building minerguard (scripts/build release)" >&2
  if ! scripts/build release > "$cache/build.log" 2>&1; then
    echo "bench: scripts/build release failed (see $cache/build.log); minerguard is not measured" >&2
    have_mg=0
  fi
fi
if [ ! -x "$floor" ] || { [ "$build" -eq 1 ] && [ "$have_mg" -eq 0 ]; }; then
  # Only this target: it needs nothing of minerguard's sources.
  [ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build --target mg-parse-floor -j 2 >> "$cache/build.log" 2>&1 || {
    echo "bench: mg-parse-floor does not build (see $cache/build.log)" >&2; exit 2; }
fi
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
check() {  # check NAME MAX_OK_RC CMD...: output kept in $cache/check-NAME.out
  local name=$1 max=$2 rc; shift 2
  set +e
  "$@" > "$cache/check-$name.out" 2> "$cache/check-$name.err"
  rc=$?
  set -e
  if [ "$rc" -gt "$max" ]; then
    echo "bench: $name exited $rc: $*" >&2
    head -5 "$cache/check-$name.err" >&2
    return 1
  fi
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
raw=$cache/raw.tsv
printf 'tool\trun\tseconds\tmax_rss_kb\tuser_s\tsys_s\n' > "$raw"

# measure NAME RUN MAX_OK_RC CMD...: stdout to /dev/null; GNU time's wall, peak RSS, CPU.
measure() {
  local name=$1 run=$2 max=$3 rc; shift 3
  local tf=$cache/time.out
  set +e
  /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" > /dev/null 2> "$cache/last.err"
  rc=$?
  set -e
  if [ "$rc" -gt "$max" ]; then
    echo "bench: $name exited $rc: $*" >&2
    head -5 "$cache/last.err" >&2
    exit 1
  fi
  read -r wall rss user sys < <(tail -1 "$tf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$run" "$wall" "$rss" "$user" "$sys" >> "$raw"
}

run_mg-json() { measure mg-json "$1" 1 "$mg" "${mg_json_args[@]}" "$json"; }
run_mg-yaml() { measure mg-yaml "$1" 1 "$mg" "${mg_args[@]}" "$yaml"; }
run_startup() { measure startup "$1" 1 "$mg" "${mg_args[@]}" "$empty"; }
run_json() { measure json "$1" 0 "$floor" json "$json"; }
run_json-dom() { measure json-dom "$1" 0 "$floor" json-dom "$json"; }
run_yaml() { measure yaml "$1" 0 "$floor" yaml "$yaml"; }
run_yaml-events() { measure yaml-events "$1" 0 "$floor" yaml-events "$yaml"; }

tools=()
[ "$mg_json" -eq 1 ] && tools+=(mg-json)
tools+=(json json-dom)
[ "$mg_yaml" -eq 1 ] && tools+=(mg-yaml)
tools+=(yaml yaml-events)
[ "$mg_startup" -eq 1 ] && tools+=(startup)
loadavg_start=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 1; r <= runs; r++)); do
  # Rotate the order each repetition.
  k=$(( (r - 1) % ${#tools[@]} ))
  order=("${tools[@]:k}" "${tools[@]:0:k}")
  for t in "${order[@]}"; do
    echo "bench: run $r/$runs: $t" >&2
    "run_$t" "$r"
  done
done
loadavg_end=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report --------------------------------------------------------------------------------
export BENCH_QUICK=$quick BENCH_RUNS=$runs BENCH_RAW=$raw BENCH_CACHE=$cache BENCH_MG=$mg \
  BENCH_FLOOR=$floor BENCH_JSON=$json BENCH_YAML=$yaml BENCH_EMPTY=$empty \
  BENCH_LOAD="$loadavg_start → $loadavg_end"
python3 bench/audit_report.py > "$cache/results.md"
cat "$cache/results.md"
if [ "$write" -eq 1 ] && [ "$quick" -eq 0 ]; then
  if [ "$mg_json" -eq 1 ] || [ "$mg_yaml" -eq 1 ]; then
    python3 bench/audit_report.py --splice BENCHMARKS.md "$cache/results.md"
    echo "bench: results written into BENCHMARKS.md" >&2
  else
    echo "bench: minerguard was not measured; BENCHMARKS.md left as it was" >&2
  fi
fi
