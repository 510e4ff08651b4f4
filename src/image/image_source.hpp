#pragma once
// Image sources: where an image's manifest, config and layer blobs come from. A source reads
// only the small metadata up front and then streams each layer once, in the order its storage
// holds them (a docker-archive may store layers before its manifest).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mg::image {

enum class SourceKind { docker_archive, oci_layout, oci_archive };
std::string_view to_string(SourceKind kind);  // "docker-archive", "oci", "oci-archive"

// A target as the user wrote it, with skopeo's transport prefixes:
//   docker-archive:PATH   oci:DIR[:REF]   oci-archive:PATH[:REF]   or a bare PATH (detected).
struct TargetSpec {
  std::string text;        // as given
  std::string path;
  std::string reference;   // OCI ref name (org.opencontainers.image.ref.name) or docker tag; may be empty
  bool kind_given = false;
  SourceKind kind = SourceKind::docker_archive;
};
core::Result<TargetSpec> parse_target(std::string_view text);
// Looks at the file or directory to decide its kind when no prefix was given.
core::Result<SourceKind> detect_kind(const std::string& path);

enum class Compression { none, gzip, zstd };
std::string_view to_string(Compression compression);

struct LayerInfo {
  int index = 0;                 // position in the manifest, 0 = base
  std::string digest;            // "sha256:<hex>" of the blob as stored (compressed), or empty if unknown
  std::uint64_t size = 0;        // blob size the manifest states; 0 if unknown
  std::string diff_id;           // "sha256:<hex>" of the uncompressed tar (from the config), may be empty
  std::string media_type;
  Compression declared = Compression::none;  // from the media type; the bytes' magic decides
  std::string blob_path;         // member name or file path it is read from, for messages
};

struct ImageMetadata {
  std::string config_digest;     // sha256:…
  std::string config_json;       // raw bytes of the image config
  std::vector<LayerInfo> layers;
  std::vector<std::string> tags; // RepoTags / ref names
};

// A pull reader over a blob's bytes. next() returns the next chunk, an empty view at the end.
// The view stays valid until the next call.
class ChunkReader {
 public:
  virtual ~ChunkReader() = default;
  virtual core::Result<std::string_view> next() = 0;
};

class ImageSource {
 public:
  virtual ~ImageSource() = default;
  virtual SourceKind kind() const = 0;
  // The manifest and config, verified against their digests where the format has them.
  virtual const ImageMetadata& metadata() const = 0;
  // Calls `visit` once per layer with a reader over its stored (possibly compressed) bytes and
  // the number (0..workers-1) of the worker calling. Where the storage allows it (a directory),
  // up to `workers` layers are visited at once, from as many threads; a tar is read in order by
  // one. The reader is only valid during the call. A visit error stops the walk and is returned.
  using LayerVisitor = std::function<core::Result<void>(const LayerInfo&, ChunkReader&, int worker)>;
  virtual core::Result<void> for_each_layer(int workers, const LayerVisitor& visit) = 0;
};

core::Result<std::unique_ptr<ImageSource>> open_source(const TargetSpec& spec);

}  // namespace mg::image
