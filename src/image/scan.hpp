#pragma once
// The image module's door: scan one image target for miners, layer by layer.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "core/report.hpp"
#include "image/content_inspector.hpp"
#include "image/layer_reader.hpp"
#include "indicators/matcher.hpp"

namespace mg::image {

struct ScanProgress {
  const std::string& target;
  int layer_index;        // the layer being read (0-based)
  int layer_count;
  int layers_done;
  std::uint64_t bytes;    // stored bytes read so far, all layers
  std::uint64_t total;    // stored bytes of all layers, when the manifest states sizes (else 0)
};

struct ScanOptions {
  LayerLimits layer;
  NestedLimits nested;
  int workers = 2;        // layers inspected at once where the storage allows (an OCI layout)
  std::function<void(const ScanProgress&)> progress;  // called every few MB, from any worker; may be empty
};

struct ImageScan {
  core::TargetResult target;
  std::vector<core::Finding> findings;
};

// Scans `target` (docker-archive:, oci:, oci-archive: or a bare path). Any error (unreadable,
// malformed, digest mismatch, limit) is returned as one line naming the target and the layer.
core::Result<ImageScan> scan_image(const std::string& target,
                                   const std::shared_ptr<const indicators::CompiledCatalog>& catalog,
                                   const ScanOptions& options);

}  // namespace mg::image
