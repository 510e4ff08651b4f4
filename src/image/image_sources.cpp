// open_source: reads an image's manifest and config from its storage, verifies them, and
// streams its layers. One class serves the three storage kinds; they differ only in where the
// files are (StoredFiles) and which manifest names them.
#include <algorithm>

#include "image/blob_digest.hpp"
#include "image/image_source.hpp"
#include "image/manifest_parser.hpp"
#include "image/path_rules.hpp"
#include "image/stored_files.hpp"

namespace mg::image {
namespace {

Compression declared_compression(std::string_view media_type) {
  if (media_type.ends_with("+gzip") || media_type.ends_with(".tar.gzip") || media_type.ends_with("tar.gzip"))
    return Compression::gzip;
  if (media_type.ends_with("+zstd")) return Compression::zstd;
  return Compression::none;
}

class StoredImageSource final : public ImageSource {
 public:
  StoredImageSource(SourceKind kind, std::unique_ptr<StoredFiles> files, ImageMetadata meta)
      : kind_(kind), files_(std::move(files)), meta_(std::move(meta)) {}

  SourceKind kind() const override { return kind_; }
  const ImageMetadata& metadata() const override { return meta_; }

  core::Result<void> for_each_layer(int workers, const LayerVisitor& visit) override {
    // A blob listed twice (two identical layers) is streamed once, for its first index.
    std::map<std::string, int> wanted;
    for (const auto& layer : meta_.layers) wanted.emplace(layer.blob_path, layer.index);
    return files_->stream(wanted, workers, [&](const std::string& path, ChunkReader& reader, int worker) {
      return visit(meta_.layers[static_cast<std::size_t>(wanted.at(path))], reader, worker);
    });
  }

 private:
  SourceKind kind_;
  std::unique_ptr<StoredFiles> files_;
  ImageMetadata meta_;
};

// Reads a blob by digest from blobs/<alg>/<hex>, checking digest and size.
core::Result<std::string> read_blob(StoredFiles& files, const Descriptor& descriptor, std::string_view what) {
  auto digest = parse_digest(descriptor.digest);
  if (!digest) return std::unexpected(core::with_context(digest.error(), what));
  auto bytes = files.read_small(blob_path_of(*digest));
  if (!bytes) return std::unexpected(core::with_context(bytes.error(), what));
  if (bytes->size() != descriptor.size)
    return core::fail(core::ErrorCode::digest_mismatch,
                      std::string(what) + " " + short_digest(descriptor.digest) + ": size " +
                          std::to_string(bytes->size()) + " but the descriptor says " + std::to_string(descriptor.size));
  if (auto actual = sha256_digest(*bytes); actual != descriptor.digest)
    return core::fail(core::ErrorCode::digest_mismatch, std::string(what) + ": digest mismatch: expected " +
                                                            descriptor.digest + ", content is " + actual);
  return bytes;
}

core::Result<ImageMetadata> docker_metadata(StoredFiles& files, const TargetSpec& spec) {
  auto manifest_text = files.read_small("manifest.json");
  if (!manifest_text) return std::unexpected(manifest_text.error());
  auto entry = parse_docker_manifest(*manifest_text, spec.reference);
  if (!entry) return std::unexpected(entry.error());
  ImageMetadata meta;
  auto config = files.read_small(entry->config);
  if (!config) return std::unexpected(core::with_context(config.error(), "config"));
  meta.config_digest = sha256_digest(*config);
  // The config's name is its digest ("<hex>.json" classic, "blobs/sha256/<hex>" since Docker 25).
  if (auto named = digest_from_blob_path(entry->config); !named.empty() && named != meta.config_digest)
    return core::fail(core::ErrorCode::digest_mismatch, "config " + entry->config + ": digest mismatch: named " +
                                                            named + ", content is " + meta.config_digest);
  auto diff_ids = parse_diff_ids(*config, "config " + short_digest(meta.config_digest));
  if (!diff_ids) return std::unexpected(diff_ids.error());
  if (diff_ids->size() != entry->layers.size())
    return core::fail(core::ErrorCode::invalid_input,
                      "manifest.json lists " + std::to_string(entry->layers.size()) + " layers but the config has " +
                          std::to_string(diff_ids->size()) + " diff_ids");
  for (std::size_t i = 0; i < entry->layers.size(); ++i) {
    LayerInfo layer;
    layer.index = static_cast<int>(i);
    layer.blob_path = entry->layers[i];
    layer.digest = digest_from_blob_path(layer.blob_path);
    layer.diff_id = (*diff_ids)[i];
    if (!files.contains(layer.blob_path))
      return core::fail(core::ErrorCode::invalid_input,
                        "layer " + std::to_string(i) + " (" + layer.blob_path + "): missing from the image");
    meta.layers.push_back(std::move(layer));
  }
  meta.config_json = std::move(*config);
  meta.tags = entry->repo_tags;
  return meta;
}

core::Result<ImageMetadata> oci_metadata(StoredFiles& files, const TargetSpec& spec) {
  auto layout = files.read_small("oci-layout");
  if (!layout) return std::unexpected(layout.error());
  if (layout->find("imageLayoutVersion") == std::string::npos)
    return core::fail(core::ErrorCode::invalid_input, "oci-layout: no imageLayoutVersion");
  auto index_text = files.read_small("index.json");
  if (!index_text) return std::unexpected(index_text.error());
  auto index = parse_oci_index(*index_text, "index.json");
  if (!index) return std::unexpected(index.error());
  if (index->empty()) return core::fail(core::ErrorCode::invalid_input, "index.json: lists no manifest");

  const Descriptor* chosen = nullptr;
  if (!spec.reference.empty()) {
    for (const auto& d : *index) {
      if (d.ref_name == spec.reference || d.image_name == spec.reference) chosen = &d;
    }
    if (chosen == nullptr)
      return core::fail(core::ErrorCode::invalid_input, "index.json: no manifest named '" + spec.reference + "'");
  } else if (index->size() == 1) {
    chosen = &index->front();
  } else {
    std::string names;
    for (const auto& d : *index) names += (names.empty() ? "" : ", ") + d.ref_name;
    return core::fail(core::ErrorCode::invalid_input,
                      "index.json: " + std::to_string(index->size()) + " manifests; name one as oci:DIR:REF (" + names + ")");
  }
  ImageMetadata meta;
  for (const auto& name : {chosen->image_name, chosen->ref_name}) {
    if (!name.empty()) meta.tags.push_back(name);
  }
  Descriptor manifest_descriptor = *chosen;
  // An image index (multi-platform): follow it to linux/amd64, else its first manifest.
  for (int depth = 0; is_index_media_type(manifest_descriptor.media_type); ++depth) {
    if (depth == 4) return core::fail(core::ErrorCode::invalid_input, "image index nested too deeply");
    auto nested_text = read_blob(files, manifest_descriptor, "image index");
    if (!nested_text) return std::unexpected(nested_text.error());
    auto nested = parse_oci_index(*nested_text, "image index " + short_digest(manifest_descriptor.digest));
    if (!nested) return std::unexpected(nested.error());
    if (nested->empty()) return core::fail(core::ErrorCode::invalid_input, "image index lists no manifest");
    auto amd64 = std::find_if(nested->begin(), nested->end(),
                              [](const Descriptor& d) { return d.os == "linux" && d.architecture == "amd64"; });
    manifest_descriptor = amd64 != nested->end() ? *amd64 : nested->front();
  }
  auto manifest_text = read_blob(files, manifest_descriptor, "manifest");
  if (!manifest_text) return std::unexpected(manifest_text.error());
  auto manifest = parse_oci_manifest(*manifest_text, "manifest " + short_digest(manifest_descriptor.digest));
  if (!manifest) return std::unexpected(manifest.error());
  auto config = read_blob(files, manifest->config, "config");
  if (!config) return std::unexpected(config.error());
  meta.config_digest = manifest->config.digest;
  auto diff_ids = parse_diff_ids(*config, "config " + short_digest(meta.config_digest));
  if (!diff_ids) return std::unexpected(diff_ids.error());
  if (diff_ids->size() != manifest->layers.size())
    return core::fail(core::ErrorCode::invalid_input,
                      "manifest lists " + std::to_string(manifest->layers.size()) + " layers but the config has " +
                          std::to_string(diff_ids->size()) + " diff_ids");
  for (std::size_t i = 0; i < manifest->layers.size(); ++i) {
    const auto& d = manifest->layers[i];
    LayerInfo layer;
    layer.index = static_cast<int>(i);
    auto digest = parse_digest(d.digest);
    if (!digest)
      return std::unexpected(core::with_context(digest.error(), "layer " + std::to_string(i)));
    layer.digest = d.digest;
    layer.size = d.size;
    layer.media_type = d.media_type;
    layer.declared = declared_compression(d.media_type);
    layer.diff_id = (*diff_ids)[i];
    layer.blob_path = blob_path_of(*digest);
    if (!files.contains(layer.blob_path))
      return core::fail(core::ErrorCode::invalid_input,
                        "layer " + std::to_string(i) + " (" + short_digest(d.digest) + "): blob missing from the image");
    meta.layers.push_back(std::move(layer));
  }
  meta.config_json = std::move(*config);
  return meta;
}

}  // namespace

core::Result<std::unique_ptr<ImageSource>> open_source(const TargetSpec& spec) {
  auto files = spec.kind == SourceKind::oci_layout ? open_directory(spec.path) : open_tar(spec.path);
  if (!files) return std::unexpected(core::with_context(files.error(), spec.text));
  auto meta = spec.kind == SourceKind::docker_archive ? docker_metadata(**files, spec) : oci_metadata(**files, spec);
  if (!meta) return std::unexpected(core::with_context(meta.error(), spec.text));
  return std::make_unique<StoredImageSource>(spec.kind, std::move(*files), std::move(*meta));
}

}  // namespace mg::image
