#!/usr/bin/env bash
# Builds a benchmark container image from REAL files of this machine (binaries, shared
# libraries, Python, /usr/share data), as an OCI image layout and a docker-archive tar.
#
#   bench/make_image.sh OUT_DIR [MIN_BYTES] [LAYERS]
#
# MIN_BYTES (default 1.2e9) of regular files, split into LAYERS (default 5) gzip layers; each
# layer is a plain `tar` (relative paths, -C /) of a contiguous run of directories, compressed
# with `gzip -6 -n` (the level Docker/BuildKit use), layers compressed in parallel on all cores.
#
# Writes:  OUT_DIR/oci/        OCI image layout, index.json ref name "bench"  → oci:OUT_DIR/oci:bench
#          OUT_DIR/image.tar   docker-archive of the same blobs               → docker-archive:OUT_DIR/image.tar
#          OUT_DIR/layers.tsv  per layer: digest, stored bytes, uncompressed bytes
# Reuses OUT_DIR when it already holds a complete image made with the same parameters.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: bench/make_image.sh OUT_DIR [MIN_BYTES] [LAYERS]}
mkdir -p "$out"
out=$(cd "$out" && pwd)
min_bytes=$(python3 -c "import sys; print(int(float(sys.argv[1])))" "${2:-1.2e9}")
layers=${3:-5}
# The parameters include the scripts' own hash: a changed script rebuilds the image.
params="min_bytes=$min_bytes layers=$layers gzip=-6 scripts=$(cat "$here/make_image.sh" "$here/oci_image.py" | sha256sum | cut -c1-16)"

if [ -f "$out/COMPLETE" ] && [ "$(cat "$out/COMPLETE")" = "$params" ]; then
  echo "make_image: reusing $out ($params)" >&2
  exit 0
fi

# Only ever delete a directory this script made (or an empty one).
if [ -n "$(ls -A "$out")" ] && [ ! -e "$out/COMPLETE" ] && [ ! -d "$out/work" ]; then
  echo "make_image: $out is not empty and not a bench image; refusing to overwrite it" >&2
  exit 2
fi
rm -rf "$out/oci" "$out/work" "$out/image.tar" "$out/layers.tsv" "$out/COMPLETE"
mkdir -p "$out/work" "$out/oci/blobs/sha256"
work="$out/work"

echo "make_image: selecting $min_bytes bytes of real files in $layers layers" >&2
total=$(python3 "$here/oci_image.py" select "$min_bytes" "$layers" "$work")

# One layer: tar → (sha256 of the tar = diff_id, byte count) → gzip -6 → blob.
build_layer() {
  local n=$1 f1="$work/layer-$n.fifo1" f2="$work/layer-$n.fifo2" blob="$work/layer-$n.tar.gz"
  mkfifo "$f1" "$f2"
  sha256sum < "$f1" | cut -d' ' -f1 > "$work/layer-$n.diffid" &
  local p1=$!
  wc -c < "$f2" > "$work/layer-$n.usize" &
  local p2=$!
  local rc=0
  # GNU tar exits 1 when a file changed while read ("file changed as we read it"): harmless here.
  { tar -C / -cf - --null --verbatim-files-from --no-recursion --ignore-failed-read \
        --warning=no-file-changed --warning=no-failed-read -T "$work/layer-$n.list" || [ $? -eq 1 ]; } \
    | tee "$f1" "$f2" | gzip -6 -n > "$blob" || rc=$?
  wait "$p1" "$p2"
  rm -f "$f1" "$f2"
  [ "$rc" -eq 0 ] || { echo "make_image: layer $n failed" >&2; return 1; }
  local digest
  digest=$(sha256sum "$blob" | cut -d' ' -f1)
  echo "$digest" > "$work/layer-$n.digest"
  stat -c %s "$blob" > "$work/layer-$n.size"
  mv "$blob" "$out/oci/blobs/sha256/$digest"
  echo "make_image: layer $n: $(cat "$work/layer-$n.usize") bytes → $(cat "$work/layer-$n.size") gzip" >&2
}

jobs=$(nproc)
pids=()
for ((n = 0; n < layers; n++)); do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  build_layer "$n" &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=1; done
[ "$failed" -eq 0 ] || { echo "make_image: failed" >&2; exit 1; }

python3 "$here/oci_image.py" write "$out" "$work" "$layers"

# docker-archive: the OCI layout's files plus manifest.json (what `docker save` writes).
tar -cf "$out/image.tar" -C "$out/oci" oci-layout index.json blobs -C "$work/docker" manifest.json

{
  printf 'layer\tdigest\tstored_bytes\tuncompressed_bytes\n'
  for ((n = 0; n < layers; n++)); do
    printf '%d\tsha256:%s\t%s\t%s\n' "$n" "$(cat "$work/layer-$n.digest")" \
      "$(cat "$work/layer-$n.size")" "$(cat "$work/layer-$n.usize")"
  done
} > "$out/layers.tsv"
rm -rf "$work"
echo "$params" > "$out/COMPLETE"
echo "make_image: done: $total bytes of files → $out (oci:$out/oci:bench, docker-archive:$out/image.tar)" >&2
