// Feeds arbitrary bytes to every parser of image metadata: docker-archive manifest.json, OCI
// index and manifest, config diff_ids and the config's run settings.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "image/image_config.hpp"
#include "image/manifest_parser.hpp"
#include "image/path_rules.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)mg::image::parse_docker_manifest(bytes, "");
  (void)mg::image::parse_docker_manifest(bytes, "latest");
  (void)mg::image::parse_oci_index(bytes, "index.json");
  (void)mg::image::parse_oci_manifest(bytes, "manifest");
  (void)mg::image::parse_diff_ids(bytes, "config");
  (void)mg::image::parse_image_config(bytes, "config");
  (void)mg::image::parse_digest(bytes);
  (void)mg::image::normalize_entry_path(bytes);
  return 0;
}
