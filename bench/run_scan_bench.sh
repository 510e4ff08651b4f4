#!/usr/bin/env bash
# The image-scan benchmark: minerguard against its peer (`tar -xzf` + `yara -r` with the
# catalog's patterns) and the decompression floor (`igzip -dc`), side by side in ONE run.
#
#   bench/run_scan_bench.sh [--quick] [--runs N] [--no-build] [--partial] [--no-write]
#
#   --quick     a ~200 MB image instead of ~1.2 GB, to check the machinery fast (never written
#               into BENCHMARKS.md)
#   --runs N    repetitions of each measurement (default 3); the median is reported
#   --no-build  use build/minerguard as it is
#   --partial   if minerguard does not build, still write the peer and floor numbers into
#               BENCHMARKS.md, marked as such
#   --no-write  only print the results (out/bench/results.md)
#   MG_BENCH_CATALOG=DIR  catalog to translate for yara (default data/indicators)
#   MG_BENCH_BINARY=PATH  a minerguard binary built elsewhere (then nothing is built)
#
# Measured, each repetition in a rotated order so no tool always runs first or last:
#   minerguard  build/minerguard scan --quiet --format json oci:IMAGE:bench > /dev/null
#   peer        per layer: tar -xzf LAYER -C TMP && yara -C -r -N -f -w -p 2 RULES TMP > /dev/null
#               (rm -rf TMP afterwards, outside the timing)
#   igzip       igzip -dc LAYER... > /dev/null          the decompression floor (ISA-L)
#   gzip        gzip -dc LAYER... > /dev/null           zlib, for context
#   startup     minerguard on a ~2 MB one-layer image: its fixed cost before the first layer
# Wall time by the clock, peak RSS by GNU time (%M: the largest single process of the command).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
. bench/bench_lib.sh

quick=0 runs=3 build=1 partial=0 write=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --runs) runs=$2; shift ;;
    --no-build) build=0 ;;
    --partial) partial=1 ;;
    --no-write) write=0 ;;
    *) echo "usage: bench/run_scan_bench.sh [--quick] [--runs N] [--no-build] [--partial] [--no-write]" >&2
       exit 2 ;;
  esac
  shift
done

bench_require tar gzip igzip yara yarac python3 /usr/bin/time

cache=$root/out/bench
mkdir -p "$cache"
if [ "$quick" -eq 1 ]; then image=$cache/image-quick min_bytes=2e8; else image=$cache/image min_bytes=1.2e9; fi
layers=5
yara_threads=$(nproc)

# --- minerguard --------------------------------------------------------------------------
mg=${MG_BENCH_BINARY:-$root/build/minerguard}
have_mg=1
bench_build_minerguard || have_mg=0
[ -x "$mg" ] || have_mg=0
if [ "$have_mg" -eq 0 ] && [ "$build" -eq 0 ]; then
  echo "bench: $mg does not exist; minerguard is not measured" >&2
fi

# --- image, rules ------------------------------------------------------------------------
bench/make_image.sh "$image" "$min_bytes" "$layers"
# A ~2 MB image: minerguard's time on it is its fixed start-up cost (catalog compile etc.).
tiny=$cache/image-tiny
bench/make_image.sh "$tiny" 1e6 1
oci=$image/oci
mapfile -t layer_files < <(tail -n +2 "$image/layers.tsv" | cut -f2 | sed "s|^sha256:|$oci/blobs/sha256/|")
stored_bytes=$(tail -n +2 "$image/layers.tsv" | awk -F'\t' '{s += $3} END {print s}')
raw_bytes=$(tail -n +2 "$image/layers.tsv" | awk -F'\t' '{s += $4} END {print s}')

python3 bench/catalog_to_yara.py --catalog "${MG_BENCH_CATALOG:-data/indicators}" -o "$cache/catalog.yar" 2> "$cache/catalog_to_yara.log" || {
  cat "$cache/catalog_to_yara.log" >&2; exit 2; }
head -1 "$cache/catalog_to_yara.log" >&2
# Compiled once, outside the timing (minerguard compiles its catalog inside its own run).
yarac -w "$cache/catalog.yar" "$cache/catalog.yarc"

# Page cache warm for everyone: every tool reads the same blobs from memory.
cat "${layer_files[@]}" > /dev/null

# --- one check run of minerguard: it must scan, not fail --------------------------------
mg_cmd=("$mg" scan --quiet --format json "oci:$oci:bench")
if [ "$have_mg" -eq 1 ]; then
  set +e
  "${mg_cmd[@]}" > "$cache/minerguard.json" 2> "$cache/minerguard.stderr"
  rc=$?
  set -e
  if [ "$rc" -gt 1 ]; then
    echo "bench: minerguard exited $rc on the bench image:" >&2
    head -5 "$cache/minerguard.stderr" >&2
    have_mg=0
  fi
fi

# --- measurements ------------------------------------------------------------------------
bench_start_raw
peer_tmp=$cache/peer-tmp

now() { date +%s.%N; }

# measure NAME RUN CMD...: wall time, peak RSS, CPU of CMD; exit codes above $ok_rc fail.
ok_rc=0
measure() {
  local name=$1 run=$2; shift 2
  local tf=$cache/time.out t0 t1 rc
  t0=$(now)
  set +e
  /usr/bin/time -f '%M %U %S' -o "$tf" "$@"
  rc=$?
  set -e
  t1=$(now)
  if [ "$rc" -gt "$ok_rc" ]; then
    echo "bench: $name exited $rc: $*" >&2
    exit 1
  fi
  read -r rss user sys < <(tail -1 "$tf")
  python3 -c "import sys; print('%s\t%s\t%.3f\t%s\t%s\t%s' % (sys.argv[1], sys.argv[2], float(sys.argv[4]) - float(sys.argv[3]), *sys.argv[5:]))" \
    "$name" "$run" "$t0" "$t1" "$rss" "$user" "$sys" >> "$raw"
}

run_minerguard() {
  ok_rc=1 measure minerguard "$1" sh -c '"$@" > /dev/null 2>&1' sh "${mg_cmd[@]}"
}

# The peer, as users run it: extract each layer to disk, then scan the tree with yara.
# Times and CPU of the layers are summed; the peak RSS is the largest of them.
run_peer() {
  local run=$1 n=0 layer
  local part=$cache/peer.parts
  : > "$part"
  for layer in "${layer_files[@]}"; do
    rm -rf "$peer_tmp"
    mkdir -p "$peer_tmp"
    raw_save=$raw raw=$part
    measure peer "$run" sh -c 'tar -xzf "$1" -C "$2" && yara -C -r -N -f -w -p "$4" "$3" "$2" > /dev/null' \
      sh "$layer" "$peer_tmp" "$cache/catalog.yarc" "$yara_threads"
    raw=$raw_save
    n=$((n + 1))
  done
  rm -rf "$peer_tmp"
  awk -F'\t' -v run="$run" '{s += $3; u += $5; y += $6; if ($4 > m) m = $4}
    END {printf "peer\t%s\t%.3f\t%d\t%.2f\t%.2f\n", run, s, m, u, y}' "$part" >> "$raw"
}

run_startup() {
  ok_rc=1 measure startup "$1" sh -c '"$@" > /dev/null 2>&1' sh "$mg" scan --quiet --format json "oci:$tiny/oci:bench"
}

run_igzip() { measure igzip "$1" sh -c 'igzip -dc "$@" > /dev/null' sh "${layer_files[@]}"; }
run_gzip() { measure gzip "$1" sh -c 'gzip -dc "$@" > /dev/null' sh "${layer_files[@]}"; }

tools=(peer igzip gzip)
[ "$have_mg" -eq 1 ] && tools=(minerguard "${tools[@]}" startup)
bench_rotate "$runs" "${tools[@]}"

# --- report ------------------------------------------------------------------------------
export BENCH_QUICK=$quick BENCH_RUNS=$runs BENCH_HAVE_MG=$have_mg BENCH_RAW=$raw \
  BENCH_STORED=$stored_bytes BENCH_RAWBYTES=$raw_bytes BENCH_LAYERS=$layers \
  BENCH_YARA_THREADS=$yara_threads BENCH_CACHE=$cache BENCH_IMAGE=$image BENCH_MG=$mg
bench_report bench/report.py $((have_mg || partial)) " (--partial writes anyway)"
