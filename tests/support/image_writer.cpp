// Lays an ImageSpec out as docker-archive (classic and Docker >= 25), OCI layout and OCI archive.
// Everything is computed as a map path -> bytes first, so tampering and the archive/dir choice
// are independent of the layout logic.
#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "image_builder.hpp"

namespace mg::testing {
namespace {

using nlohmann::json;

constexpr const char* kOciManifestType = "application/vnd.oci.image.manifest.v1+json";
constexpr const char* kOciIndexType = "application/vnd.oci.image.index.v1+json";
constexpr const char* kOciConfigType = "application/vnd.oci.image.config.v1+json";
constexpr const char* kCreated = "2020-06-01T00:00:00Z";

std::string compress(const std::string& tar, Compression compression) {
  switch (compression) {
    case Compression::gzip: return gzip(tar);
    case Compression::zstd: return zstd(tar);
    case Compression::none: break;
  }
  return tar;
}

struct BuiltLayer {
  std::string blob;        // bytes as stored
  std::string digest_hex;  // what the manifest claims (true digest unless tampered)
  std::uint64_t size = 0;  // what the manifest claims
  std::string diff_id_hex; // what the config claims
  std::string media_type;
};

std::vector<BuiltLayer> build_layers(const ImageSpec& spec, bool keep_compression) {
  std::vector<BuiltLayer> out;
  for (std::size_t i = 0; i < spec.layers.size(); ++i) {
    const LayerSpec& layer = spec.layers[i];
    BuiltLayer built;
    if (!layer.raw.empty()) {
      // A corrupt blob cannot be decompressed; its diff_id is the hash of what is stored.
      built.blob = layer.raw;
      built.diff_id_hex = sha256_hex(layer.raw);
      built.media_type = layer_media_type(keep_compression ? layer.compression : Compression::none);
    } else {
      const std::string tar = layer_tar(layer);
      built.diff_id_hex = sha256_hex(tar);
      const Compression compression = keep_compression ? layer.compression : Compression::none;
      built.blob = compress(tar, compression);
      built.media_type = layer_media_type(compression);
    }
    built.digest_hex = sha256_hex(built.blob);
    built.size = built.blob.size();
    const Tamper& t = spec.tamper;
    if (t.layer == i) {
      if (t.wrong_diff_id) built.diff_id_hex = sha256_hex("tampered diff_id " + std::to_string(i));
      if (t.wrong_layer_digest) built.digest_hex = sha256_hex("tampered digest " + std::to_string(i));
      if (t.wrong_layer_size) built.size += 1;
    }
    out.push_back(std::move(built));
  }
  return out;
}

json image_config(const ImageSpec& spec, const std::vector<BuiltLayer>& layers) {
  json config = json::object();
  if (!spec.env.empty()) config["Env"] = spec.env;
  if (!spec.entrypoint.empty()) config["Entrypoint"] = spec.entrypoint;
  if (!spec.cmd.empty()) config["Cmd"] = spec.cmd;
  if (!spec.labels.empty()) config["Labels"] = spec.labels;
  if (!spec.user.empty()) config["User"] = spec.user;
  if (!spec.working_dir.empty()) config["WorkingDir"] = spec.working_dir;

  json diff_ids = json::array();
  for (const auto& layer : layers) diff_ids.push_back("sha256:" + layer.diff_id_hex);

  json history = json::array();
  const std::size_t entries = std::max(spec.history.size(), layers.size());
  for (std::size_t i = 0; i < entries; ++i) {
    json entry = {{"created", kCreated}};
    if (i < spec.history.size()) {
      entry["created_by"] = spec.history[i];
    } else {
      entry["created_by"] = "/bin/sh -c #(nop) ADD file:" + layers[i].diff_id_hex + " in / ";
    }
    if (i >= layers.size()) entry["empty_layer"] = true;
    history.push_back(std::move(entry));
  }
  return json{{"architecture", "amd64"},
              {"os", "linux"},
              {"created", kCreated},
              {"config", config},
              {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
              {"history", history}};
}

std::string dump(const json& value) { return value.dump(); }

std::string blob_path(const std::string& hex) { return "blobs/sha256/" + hex; }

// The OCI manifest, config and layer blobs under blobs/sha256/, shared by OCI and Docker >= 25.
struct OciParts {
  std::string manifest;
  std::string manifest_hex;
  std::string config;
  std::string config_hex;
};

OciParts add_oci_blobs(const ImageSpec& spec, const std::vector<BuiltLayer>& layers, ImageFiles& files) {
  const Tamper& t = spec.tamper;
  OciParts parts;
  parts.config = t.config_text ? *t.config_text : dump(image_config(spec, layers));
  parts.config_hex = sha256_hex(parts.config);
  json layer_descriptors = json::array();
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const auto& layer = layers[i];
    layer_descriptors.push_back(
        {{"mediaType", layer.media_type}, {"digest", "sha256:" + layer.digest_hex}, {"size", layer.size}});
    if (!(t.missing_layer_blob && t.layer == i)) files[blob_path(layer.digest_hex)] = layer.blob;
  }
  json manifest = {{"schemaVersion", 2},
                   {"mediaType", kOciManifestType},
                   {"config", {{"mediaType", kOciConfigType},
                               {"digest", "sha256:" + parts.config_hex},
                               {"size", parts.config.size()}}},
                   {"layers", layer_descriptors}};
  parts.manifest = t.manifest_text ? *t.manifest_text : dump(manifest);
  parts.manifest_hex = sha256_hex(parts.manifest);
  files[blob_path(parts.config_hex)] = parts.config;
  files[blob_path(parts.manifest_hex)] = parts.manifest;
  files["oci-layout"] = R"({"imageLayoutVersion":"1.0.0"})";
  return parts;
}

std::string index_json(const ImageSpec& spec, const OciParts& parts, const json& annotations) {
  if (spec.tamper.index_text) return *spec.tamper.index_text;
  json index = {{"schemaVersion", 2},
                {"mediaType", kOciIndexType},
                {"manifests", json::array({{{"mediaType", kOciManifestType},
                                            {"digest", "sha256:" + parts.manifest_hex},
                                            {"size", parts.manifest.size()},
                                            {"annotations", annotations}}})}};
  return dump(index);
}

void finish(const ImageSpec& spec, ImageFiles& files) {
  if (spec.tamper.edit_files) spec.tamper.edit_files(files);
}

std::vector<FileSpec> as_tar_members(const ImageFiles& files) {
  std::vector<FileSpec> members;
  for (const auto& [path, bytes] : files) members.push_back(file(path, bytes));
  return members;
}

void write_bytes(const std::filesystem::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

std::string layer_media_type(Compression compression) {
  switch (compression) {
    case Compression::gzip: return "application/vnd.oci.image.layer.v1.tar+gzip";
    case Compression::zstd: return "application/vnd.oci.image.layer.v1.tar+zstd";
    case Compression::none: break;
  }
  return "application/vnd.oci.image.layer.v1.tar";
}

std::string layer_tar(const LayerSpec& layer) { return make_tar(layer.files); }

std::string layer_blob(const LayerSpec& layer) {
  if (!layer.raw.empty()) return layer.raw;
  return compress(layer_tar(layer), layer.compression);
}

ImageFiles oci_layout_files(const ImageSpec& spec, const std::string& ref_name) {
  ImageFiles files;
  const auto layers = build_layers(spec, /*keep_compression=*/true);
  const OciParts parts = add_oci_blobs(spec, layers, files);
  files["index.json"] = index_json(spec, parts, {{"org.opencontainers.image.ref.name", ref_name}});
  finish(spec, files);
  return files;
}

ImageFiles docker_archive_files(const ImageSpec& spec, const DockerArchiveOptions& options) {
  ImageFiles files;
  const Tamper& t = spec.tamper;
  const auto layers = build_layers(spec, options.keep_layer_compression);
  json layer_paths = json::array();
  std::string last_id;
  std::string config_path;
  if (options.layout == DockerLayout::oci_blobs) {
    const OciParts parts = add_oci_blobs(spec, layers, files);
    config_path = blob_path(parts.config_hex);
    for (const auto& layer : layers) layer_paths.push_back(blob_path(layer.digest_hex));
    files["index.json"] = index_json(spec, parts,
                                     {{"io.containerd.image.name", "docker.io/" + spec.repo_tag},
                                      {"org.opencontainers.image.ref.name", spec.repo_tag}});
  } else {
    const std::string config = t.config_text ? *t.config_text : dump(image_config(spec, layers));
    config_path = sha256_hex(config) + ".json";
    files[config_path] = config;
    // Classic v1 layer ids chain each layer to its parent, as docker save computes them.
    for (std::size_t i = 0; i < layers.size(); ++i) {
      const std::string id = sha256_hex(last_id + "\n" + layers[i].diff_id_hex);
      json v1 = {{"id", id}, {"created", kCreated}};
      if (!last_id.empty()) v1["parent"] = last_id;
      files[id + "/VERSION"] = "1.0";
      files[id + "/json"] = dump(v1);
      if (!(t.missing_layer_blob && t.layer == i)) files[id + "/layer.tar"] = layers[i].blob;
      layer_paths.push_back(id + "/layer.tar");
      last_id = id;
    }
  }
  json manifest = json::array({{{"Config", config_path},
                                {"RepoTags", json::array({spec.repo_tag})},
                                {"Layers", layer_paths}}});
  files["manifest.json"] = t.manifest_text ? *t.manifest_text : dump(manifest);
  if (options.layout == DockerLayout::classic && !last_id.empty()) {
    // The tag is after the last ':' that follows the last '/' (a registry may carry a port).
    auto colon = spec.repo_tag.rfind(':');
    const auto slash = spec.repo_tag.rfind('/');
    if (colon != std::string::npos && slash != std::string::npos && colon < slash) colon = std::string::npos;
    const std::string repo = spec.repo_tag.substr(0, colon);
    const std::string tag = colon == std::string::npos ? "latest" : spec.repo_tag.substr(colon + 1);
    files["repositories"] = dump(json{{repo, {{tag, last_id}}}});
  }
  finish(spec, files);
  return files;
}

void write_docker_archive(const ImageSpec& spec, const std::filesystem::path& out,
                          const DockerArchiveOptions& options) {
  write_bytes(out, make_tar(as_tar_members(docker_archive_files(spec, options))));
}

void write_oci_layout(const ImageSpec& spec, const std::filesystem::path& dir,
                      const std::string& ref_name) {
  for (const auto& [path, bytes] : oci_layout_files(spec, ref_name)) {
    const std::filesystem::path target = dir / path;
    std::filesystem::create_directories(target.parent_path());
    write_bytes(target, bytes);
  }
}

void write_oci_archive(const ImageSpec& spec, const std::filesystem::path& out,
                       const std::string& ref_name) {
  write_bytes(out, make_tar(as_tar_members(oci_layout_files(spec, ref_name))));
}

}  // namespace mg::testing
