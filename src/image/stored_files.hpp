#pragma once
// Where an image's files are stored: a directory (OCI layout) or a tar (docker-archive, OCI
// archive). Small metadata files are read whole; layer blobs are streamed, each once, in the
// order the storage holds them, so a tar is read front to back twice at most and never seeks
// back or extracts to disk.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "image/image_source.hpp"

namespace mg::image {

// Manifests, indexes and configs larger than this are refused: real ones are kilobytes.
inline constexpr std::uint64_t kMaxMetadataBytes = 16ull << 20;

class StoredFiles {
 public:
  virtual ~StoredFiles() = default;
  // A metadata file, whole. Errors name the file: missing, too large, unreadable.
  virtual core::Result<std::string> read_small(const std::string& path) = 0;
  virtual bool contains(const std::string& path) = 0;
  // Streams every file named in `wanted`, each once, calling visit(path, reader). A wanted path
  // that is not stored is an error naming it.
  // A directory streams up to `workers` files at once from as many threads (worker 0..n-1).
  using Visitor = std::function<core::Result<void>(const std::string&, ChunkReader&, int worker)>;
  virtual core::Result<void> stream(const std::map<std::string, int>& wanted, int workers, const Visitor& visit) = 0;
};

core::Result<std::unique_ptr<StoredFiles>> open_directory(const std::string& dir);
core::Result<std::unique_ptr<StoredFiles>> open_tar(const std::string& file);

}  // namespace mg::image
