#pragma once
// Turns a layer blob into its files: verifies the blob digest and diff_id as bytes pass,
// decompresses (gzip via ISA-L, zstd, or none, decided by magic bytes), and walks the tar with
// libarchive without writing anything to disk. Files are handed over as a stream of chunks.
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "image/image_source.hpp"

namespace mg::image {

struct LayerLimits {
  std::uint64_t max_uncompressed = 64ull << 30;  // bytes of tar one layer may inflate to
  std::uint64_t max_ratio = 1000;                // uncompressed/compressed beyond which it is a bomb…
  std::uint64_t ratio_floor = 1ull << 30;        // …once at least this much was inflated
  std::uint64_t max_entries = 2'000'000;
};

enum class EntryType { file, directory, symlink, hardlink, other };

struct TarEntry {
  std::string path;          // normalised: no leading "./" or "/", no trailing "/"
  EntryType type = EntryType::file;
  std::uint64_t size = 0;    // logical size (a sparse file's full size)
  std::string link_target;   // for symlinks and hard links
  std::uint32_t mode = 0;
  bool whiteout = false;     // ".wh.<name>": `path` is the deleted path
  bool opaque = false;       // ".wh..wh..opq": `path` is the directory made opaque
};

// Pulls one entry's data. Sparse holes are skipped, not materialised.
class EntryData {
 public:
  virtual ~EntryData() = default;
  // Next chunk and its offset in the file; empty view at the end.
  virtual core::Result<std::string_view> next(std::uint64_t& offset) = 0;
};

struct LayerStats {
  std::uint64_t compressed_bytes = 0;
  std::uint64_t uncompressed_bytes = 0;
  std::uint64_t entries = 0;
  Compression compression = Compression::none;
};

// Visits every entry. The visitor may read the data or leave it (it is skipped).
// Errors: corrupt or truncated compression or tar, digest/diff_id mismatch, a path with ".."
// components, a limit exceeded; each message names the layer ("layer 2 (sha256:…): …").
core::Result<LayerStats> read_layer(
    const LayerInfo& layer, ChunkReader& blob, const LayerLimits& limits,
    const std::function<core::Result<void>(const TarEntry&, EntryData&)>& visit);

}  // namespace mg::image
