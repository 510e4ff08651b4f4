#!/usr/bin/env bash
# What the benchmark scripts (bench/run_scan_bench.sh, bench/run_audit_bench.sh,
# bench/run_audit_log_bench.sh) share. Sourced by them from the repository root:
#
#   . bench/bench_lib.sh
#
# The functions use the calling script's variables: its options build, quick and write (0 or 1),
# cache (its directory under out/bench/), floor (its floor binary), have_mg (0 once minerguard is
# not measured), raw (set by bench_start_raw) and pin (the command every measured command runs
# under: empty, or `taskset -c N` in bench/run_audit_log_bench.sh).

pin=()

# bench_require TOOL...: exits 2 unless every TOOL is there.
bench_require() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "bench: $tool is missing (run scripts/setup)" >&2; exit 2; }
  done
}

# bench_build_minerguard: `scripts/build release` (output in $cache/build.log), unless --no-build
# or MG_BENCH_BINARY; fails when the build does.
bench_build_minerguard() {
  [ "$build" -eq 1 ] && [ -z "${MG_BENCH_BINARY:-}" ] || return 0
  echo "bench: building minerguard (scripts/build release)" >&2
  if ! scripts/build release > "$cache/build.log" 2>&1; then
    echo "bench: scripts/build release failed (see $cache/build.log); minerguard is not measured" >&2
    return 1
  fi
}

# bench_build_floor TARGET: builds $floor (cmake target TARGET) when it is missing, or when
# minerguard was to be built and was not; exits 2 if it does not build.
bench_build_floor() {
  [ ! -x "$floor" ] || { [ "$build" -eq 1 ] && [ "$have_mg" -eq 0 ]; } || return 0
  # Only this target: it needs nothing of minerguard's sources.
  [ -f build/build.ninja ] || cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release > /dev/null
  cmake --build build --target "$1" -j 2 >> "$cache/build.log" 2>&1 || {
    echo "bench: $1 does not build (see $cache/build.log)" >&2; exit 2; }
}

# bench_check NAME MAX_OK_RC CMD...: one check run of CMD, under $pin; output kept in
# $cache/check-NAME.out and .err, exit code in $check_rc; fails if that is above MAX_OK_RC.
bench_check() {
  local name=$1 max=$2; shift 2
  set +e
  "${pin[@]}" "$@" > "$cache/check-$name.out" 2> "$cache/check-$name.err"
  check_rc=$?
  set -e
  [ "$check_rc" -le "$max" ]
}

# bench_start_raw: $raw, $cache/raw.tsv, with only its header; the measurements are appended to it
# (tool, run, wall seconds, peak RSS KiB, user and sys CPU seconds), bench/bench_common.py reads it.
bench_start_raw() {
  raw=$cache/raw.tsv
  printf 'tool\trun\tseconds\tmax_rss_kb\tuser_s\tsys_s\n' > "$raw"
}

# bench_measure NAME RUN MAX_OK_RC CMD...: under $pin; stdout to /dev/null; GNU time's wall,
# peak RSS, CPU appended to $raw. Exits 1 if CMD exits above MAX_OK_RC.
bench_measure() {
  local name=$1 run=$2 max=$3 rc; shift 3
  local tf=$cache/time.out
  set +e
  /usr/bin/time -f '%e %M %U %S' -o "$tf" "${pin[@]}" "$@" > /dev/null 2> "$cache/last.err"
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

# bench_rotate RUNS TOOL...: RUNS repetitions of `run_TOOL REPETITION` for each TOOL, the order
# rotated each repetition so no tool always runs first or last; the load average before and after
# in $bench_load.
bench_rotate() {
  local runs=$1 r k t order; shift
  local tools=("$@") load_start
  load_start=$(cut -d' ' -f1-3 /proc/loadavg)
  for ((r = 1; r <= runs; r++)); do
    k=$(( (r - 1) % ${#tools[@]} ))
    order=("${tools[@]:k}" "${tools[@]:0:k}")
    for t in "${order[@]}"; do
      echo "bench: run $r/$runs: $t" >&2
      "run_$t" "$r"
    done
  done
  bench_load="$load_start → $(cut -d' ' -f1-3 /proc/loadavg)"
}

# bench_report REPORT_PY MEASURED [NOTE]: REPORT_PY's markdown into $cache/results.md and on
# stdout; spliced into BENCHMARKS.md (not with --quick or --no-write) if MEASURED is 1 (minerguard
# was measured), else NOTE ends the message that it was left as it was.
bench_report() {
  local report=$1 measured=$2 note=${3:-}
  python3 "$report" > "$cache/results.md"
  cat "$cache/results.md"
  [ "$write" -eq 1 ] && [ "$quick" -eq 0 ] || return 0
  if [ "$measured" -eq 1 ]; then
    python3 "$report" --splice BENCHMARKS.md "$cache/results.md"
    echo "bench: results written into BENCHMARKS.md" >&2
  else
    echo "bench: minerguard was not measured; BENCHMARKS.md left as it was$note" >&2
  fi
}
