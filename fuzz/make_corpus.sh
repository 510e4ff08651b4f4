#!/usr/bin/env bash
# Regenerates the seed corpora from images the test support builds (run after scripts/build).
set -euo pipefail
cd "$(dirname "$0")/.."
tool=${MG_MAKE_IMAGE:-build/tests/support/mg-make-image}
work=$(mktemp -d)
"$tool" --kind hidden --format oci --out "$work/layout" --compression gzip >/dev/null
"$tool" --kind miner --format oci --out "$work/plain" --compression none >/dev/null
"$tool" --kind miner --format oci --out "$work/zstd" --compression zstd >/dev/null
"$tool" --kind miner --format docker-archive --out "$work/docker.tar" >/dev/null
cp "$work/layout/index.json" fuzz/corpus/fuzz_manifest/index.json
tar -xOf "$work/docker.tar" manifest.json > fuzz/corpus/fuzz_manifest/docker-manifest.json
for blob in "$work"/layout/blobs/sha256/*; do
  size=$(stat -c %s "$blob")
  if [ "$size" -lt 8192 ]; then cp "$blob" "fuzz/corpus/fuzz_manifest/$(basename "$blob" | cut -c1-12)"; fi
done
# Small layers only: seeds should be quick to run.
for dir in layout plain zstd; do
  for blob in "$work/$dir"/blobs/sha256/*; do
    size=$(stat -c %s "$blob")
    if [ "$size" -ge 8192 ] && [ "$size" -lt 262144 ]; then cp "$blob" "fuzz/corpus/fuzz_layer/$dir-$(basename "$blob" | cut -c1-12)"; fi
  done
done
rm -rf "$work"
ls fuzz/corpus/*/ | head -40
