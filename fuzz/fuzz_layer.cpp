// Feeds arbitrary bytes as a layer blob through the layer reader (magic-byte decompression,
// digest checks, libarchive tar walk, whiteouts, path rules) and the content inspector (nested
// archives, the indicator catalog), with small limits so the fuzzer explores rather than waits.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "image/content_inspector.hpp"
#include "image/layer_reader.hpp"
#include "indicators/catalog.hpp"

namespace {

class BytesReader final : public mg::image::ChunkReader {
 public:
  explicit BytesReader(std::string_view bytes) : bytes_(bytes) {}
  mg::core::Result<std::string_view> next() override {
    // Odd chunk sizes exercise the boundaries of every stage.
    auto chunk = bytes_.substr(0, 4093);
    bytes_.remove_prefix(chunk.size());
    return chunk;
  }

 private:
  std::string_view bytes_;
};

mg::image::ContentInspector& inspector() {
  static auto instance = [] {
    auto catalog = mg::indicators::compiled_builtin_catalog();
    mg::image::NestedLimits limits;
    limits.max_bytes = 8 << 20;
    limits.max_entries = 1000;
    return std::make_unique<mg::image::ContentInspector>(std::move(*mg::image::ContentInspector::create(*catalog, limits)));
  }();
  return *instance;
}

}  // namespace

// Loads the catalog before the first input, so its start-up is not charged to an input.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  (void)inspector();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  mg::image::LayerInfo layer;
  layer.index = 0;
  layer.blob_path = "fuzz";
  mg::image::LayerLimits limits;
  limits.max_uncompressed = 64 << 20;
  limits.ratio_floor = 1 << 20;
  limits.max_ratio = 200;
  limits.max_entries = 10'000;
  BytesReader reader(bytes);
  std::vector<mg::image::FileEvidence> evidence;
  (void)mg::image::read_layer(layer, reader, limits,
                              [&](const mg::image::TarEntry& entry, mg::image::EntryData& entry_data) {
                                if (entry.type != mg::image::EntryType::file) return mg::core::Result<void>{};
                                return inspector().inspect(entry, entry_data, evidence);
                              });
  return 0;
}
