#!/usr/bin/env python3
"""Helper of bench/make_image.sh (stdlib only).

  oci_image.py select MIN_BYTES LAYERS WORKDIR
      Walks real directories of this machine in a fixed order and writes WORKDIR/layer-N.list
      (NUL-separated paths relative to /, for `tar --null -T`) until the regular files listed
      add up to at least MIN_BYTES, split into LAYERS runs of roughly equal size. Each layer is
      a contiguous run of the walk, so it is "a set of directories" as a Dockerfile step would
      add them. Unreadable files and special files (sockets, devices, fifos) are left out.

  oci_image.py write OUT_DIR WORKDIR LAYERS
      Reads WORKDIR/layer-N.{digest,diffid,size,usize,roots} and writes the OCI image layout
      (oci-layout, index.json with ref name "bench", manifest, config) into OUT_DIR/oci and the
      docker-archive manifest.json into WORKDIR/docker/.
"""
import hashlib
import json
import os
import stat
import sys

# Order matters: the first roots give the mix a real image has (binaries, shared libraries,
# Python, data files); the later ones only fill up when the machine is small.
ROOTS = [
    "usr/bin", "usr/sbin", "usr/lib/x86_64-linux-gnu", "usr/lib/python3",
    "usr/lib/python3.11", "usr/share", "usr/include", "usr/lib", "usr/libexec",
    "usr/local", "opt", "var/lib/dpkg", "var/cache/apt",
]

# Not distribution content: this sandbox's package-name lists.
EXCLUDE = {"usr/share/package-lists"}


def walk(root, seen):
    """Yields (relpath, size, is_reg) in sorted, deterministic order; skips what was seen."""
    top = "/" + root
    if not os.path.isdir(top) or os.path.islink(top):
        return
    stack = [top]
    while stack:
        d = stack.pop()
        rel = d[1:]
        if rel in seen or rel in EXCLUDE:
            continue
        seen.add(rel)
        yield rel, 0, False
        try:
            names = sorted(os.listdir(d))
        except OSError:
            continue
        subdirs = []
        for n in names:
            p = os.path.join(d, n)
            if "\n" in p:
                continue
            try:
                st = os.lstat(p)
            except OSError:
                continue
            if stat.S_ISDIR(st.st_mode):
                subdirs.append(p)
            elif stat.S_ISREG(st.st_mode):
                if p[1:] in seen or not os.access(p, os.R_OK):
                    continue
                seen.add(p[1:])
                # tar stores a second hard link as a link without data: count its bytes once.
                inode = (st.st_dev, st.st_ino)
                size = 0 if inode in seen else st.st_size
                seen.add(inode)
                yield p[1:], size, True
            elif stat.S_ISLNK(st.st_mode):
                if p[1:] in seen:
                    continue
                seen.add(p[1:])
                yield p[1:], 0, False
        # Depth first, in name order: reverse so the smallest name is popped first.
        stack.extend(reversed(subdirs))


def select(min_bytes, layers, workdir):
    def entries():
        seen = set()
        for root in ROOTS:
            yield from walk(root, seen)

    source = entries()
    pending = None
    total = 0
    per_layer = min_bytes / layers
    for n in range(layers):
        out = []
        size_in_layer = 0
        while True:
            if n == layers - 1:
                if total >= min_bytes and size_in_layer >= per_layer / 2:
                    break
            elif size_in_layer >= per_layer:
                break
            if pending is None:
                pending = next(source, None)
                if pending is None:
                    sys.exit(f"make_image: only {total} bytes of readable files in "
                             f"{', '.join(ROOTS)}, fewer than the {min_bytes} asked for")
            rel, size, _ = pending
            # A large file that would overshoot this layer's share more than stopping short
            # does is left for the next layer (as a Dockerfile would add it in its own step).
            if (n < layers - 1 and size_in_layer > 0
                    and size_in_layer + size - per_layer > per_layer - size_in_layer):
                break
            out.append(rel)
            size_in_layer += size
            total += size
            pending = None
        with open(os.path.join(workdir, f"layer-{n}.list"), "wb") as f:
            f.write(b"".join(os.fsencode(p) + b"\0" for p in out))
        # A readable summary of what the layer holds, for the config's history.
        first, last = (out[0], out[-1]) if out else ("", "")
        with open(os.path.join(workdir, f"layer-{n}.roots"), "w") as f:
            f.write(f"{first} .. {last}")
    print(total)


def write(out_dir, workdir, layers):
    oci = os.path.join(out_dir, "oci")
    blobs = os.path.join(oci, "blobs", "sha256")
    os.makedirs(blobs, exist_ok=True)

    def read(n, ext):
        with open(os.path.join(workdir, f"layer-{n}.{ext}")) as f:
            return f.read().strip()

    def put_blob(obj):
        data = json.dumps(obj, indent=2, sort_keys=False).encode()
        digest = hashlib.sha256(data).hexdigest()
        with open(os.path.join(blobs, digest), "wb") as f:
            f.write(data)
        return "sha256:" + digest, len(data)

    layer_descs, diff_ids, history = [], [], []
    for n in range(layers):
        layer_descs.append({
            "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
            "digest": "sha256:" + read(n, "digest"),
            "size": int(read(n, "size")),
        })
        diff_ids.append("sha256:" + read(n, "diffid"))
        history.append({
            "created": "2024-01-01T00:00:00Z",
            "created_by": f"/bin/sh -c #(nop) ADD real files {read(n, 'roots')} in /",
        })
    config = {
        "created": "2024-01-01T00:00:00Z",
        "architecture": "amd64",
        "os": "linux",
        "config": {
            "Env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    "PYTHONUNBUFFERED=1"],
            "Entrypoint": ["/usr/bin/python3"],
            "Cmd": ["-m", "http.server", "8080"],
            "WorkingDir": "/",
            "Labels": {"org.opencontainers.image.title": "minerguard-bench"},
        },
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history,
    }
    cfg_digest, cfg_size = put_blob(config)
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json",
                   "digest": cfg_digest, "size": cfg_size},
        "layers": layer_descs,
    }
    man_digest, man_size = put_blob(manifest)
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "digest": man_digest, "size": man_size,
            "annotations": {"org.opencontainers.image.ref.name": "bench"},
        }],
    }
    with open(os.path.join(oci, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
    with open(os.path.join(oci, "oci-layout"), "w") as f:
        json.dump({"imageLayoutVersion": "1.0.0"}, f)

    # docker-archive: `docker save` (Docker >= 25) writes exactly an OCI layout plus this file.
    docker = os.path.join(workdir, "docker")
    os.makedirs(docker, exist_ok=True)
    with open(os.path.join(docker, "manifest.json"), "w") as f:
        json.dump([{
            "Config": "blobs/sha256/" + cfg_digest.split(":")[1],
            "RepoTags": ["minerguard-bench:latest"],
            "Layers": ["blobs/sha256/" + d["digest"].split(":")[1] for d in layer_descs],
        }], f, indent=2)


def main(argv):
    if len(argv) == 5 and argv[1] == "select":
        select(int(float(argv[2])), int(argv[3]), argv[4])
    elif len(argv) == 5 and argv[1] == "write":
        write(argv[2], argv[3], int(argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
