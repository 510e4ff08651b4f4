#pragma once
// Streams one file's bytes through the indicator catalog, and opens nested archives (tar, tar.gz,
// zip, gz, …) to inspect the files inside them, up to a bounded depth and size. Nothing is
// written to disk; memory stays bounded by libarchive's buffers and one Hyperscan stream per level.
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "image/file_evidence.hpp"
#include "image/layer_reader.hpp"
#include "indicators/matcher.hpp"

namespace mg::image {

struct NestedLimits {
  int max_depth = 3;                          // archives inside archives inside a layer
  std::uint64_t max_bytes = 1ull << 30;       // inflated bytes read from one top-level file's archives
  std::uint64_t max_entries = 100'000;        // entries in one nested archive
};

class ContentInspector {
 public:
  static core::Result<ContentInspector> create(std::shared_ptr<const indicators::CompiledCatalog> catalog,
                                                 const NestedLimits& limits);
  ContentInspector(ContentInspector&&) noexcept;
  ~ContentInspector();

  // Reads `data` to its end. Appends evidence of the file and of files nested in it, for each
  // that has at least one hit or an incomplete inspection. Errors only from `data` itself (the
  // layer is corrupt); a nested archive that is corrupt is the file's own problem and is scanned
  // as raw bytes instead.
  core::Result<void> inspect(const TarEntry& entry, EntryData& data, std::vector<FileEvidence>& out);

  // Inspects an in-memory string (a config value, a command line).
  std::vector<indicators::Hit> scan(std::string_view bytes);

  std::uint64_t files_inspected() const;

 private:
  ContentInspector();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mg::image
