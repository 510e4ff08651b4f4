#include "image/manifest_parser.hpp"

#include <simdjson.h>

#include "image/json_fields.hpp"

namespace mg::image {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::object;

core::Error bad(std::string_view where, std::string_view what) {
  return core::Error{core::ErrorCode::invalid_input, std::string(where) + ": " + std::string(what)};
}

core::Result<element> parse(simdjson::dom::parser& parser, std::string_view json, std::string_view where) {
  element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error != simdjson::SUCCESS)
    return std::unexpected(bad(where, std::string("malformed JSON: ") + simdjson::error_message(error)));
  return root;
}

core::Result<std::string> required_string(element parent, std::string_view key, std::string_view where) {
  std::string_view text;
  if (parent[key].get_string().get(text) != simdjson::SUCCESS)
    return std::unexpected(bad(where, std::string(key) + " is missing or not a string"));
  return std::string(text);
}

core::Result<Descriptor> descriptor(element value, std::string_view where) {
  if (!value.is_object()) return std::unexpected(bad(where, "descriptor is not an object"));
  Descriptor out;
  out.media_type = optional_string(value, "mediaType");
  auto digest = required_string(value, "digest", where);
  if (!digest) return std::unexpected(digest.error());
  out.digest = std::move(*digest);
  std::int64_t size = 0;
  if (value["size"].get_int64().get(size) != simdjson::SUCCESS || size < 0)
    return std::unexpected(bad(where, "size is missing or not a non-negative integer"));
  out.size = static_cast<std::uint64_t>(size);
  element annotations;
  if (value["annotations"].get(annotations) == simdjson::SUCCESS && annotations.is_object()) {
    out.ref_name = optional_string(annotations, "org.opencontainers.image.ref.name");
    out.image_name = optional_string(annotations, "io.containerd.image.name");
  }
  element platform;
  if (value["platform"].get(platform) == simdjson::SUCCESS && platform.is_object()) {
    out.os = optional_string(platform, "os");
    out.architecture = optional_string(platform, "architecture");
  }
  return out;
}

}  // namespace

bool is_index_media_type(std::string_view media_type) {
  return media_type == "application/vnd.oci.image.index.v1+json" ||
         media_type == "application/vnd.docker.distribution.manifest.list.v2+json";
}

core::Result<DockerManifestEntry> parse_docker_manifest(std::string_view json, std::string_view reference) {
  constexpr std::string_view where = "manifest.json";
  simdjson::dom::parser parser;
  auto root = parse(parser, json, where);
  if (!root) return std::unexpected(root.error());
  array entries;
  if (root->get_array().get(entries) != simdjson::SUCCESS) return std::unexpected(bad(where, "not a JSON array"));
  std::vector<DockerManifestEntry> parsed;
  for (element item : entries) {
    if (!item.is_object()) return std::unexpected(bad(where, "an entry is not an object"));
    DockerManifestEntry entry;
    auto config = required_string(item, "Config", where);
    if (!config) return std::unexpected(config.error());
    entry.config = std::move(*config);
    auto layers = string_list(item, "Layers", where);
    if (!layers) return std::unexpected(layers.error());
    entry.layers = std::move(*layers);
    auto tags = string_list(item, "RepoTags", where);
    if (!tags) return std::unexpected(tags.error());
    entry.repo_tags = std::move(*tags);
    parsed.push_back(std::move(entry));
  }
  if (parsed.empty()) return std::unexpected(bad(where, "lists no image"));
  if (reference.empty()) {
    if (parsed.size() == 1) return parsed.front();
    return std::unexpected(bad(where, "holds " + std::to_string(parsed.size()) +
                                          " images; name one as docker-archive:PATH:TAG"));
  }
  for (auto& entry : parsed) {
    for (const auto& tag : entry.repo_tags) {
      const auto colon = tag.rfind(':');
      if (tag == reference || (colon != std::string::npos && tag.substr(colon + 1) == reference)) return entry;
    }
  }
  return std::unexpected(bad(where, "no image tagged '" + std::string(reference) + "'"));
}

core::Result<std::vector<Descriptor>> parse_oci_index(std::string_view json, std::string_view where) {
  simdjson::dom::parser parser;
  auto root = parse(parser, json, where);
  if (!root) return std::unexpected(root.error());
  if (!root->is_object()) return std::unexpected(bad(where, "not a JSON object"));
  array manifests;
  if ((*root)["manifests"].get_array().get(manifests) != simdjson::SUCCESS)
    return std::unexpected(bad(where, "manifests is missing or not an array"));
  std::vector<Descriptor> out;
  std::size_t i = 0;
  for (element item : manifests) {
    auto parsed = descriptor(item, std::string(where) + " manifests[" + std::to_string(i++) + "]");
    if (!parsed) return std::unexpected(parsed.error());
    out.push_back(std::move(*parsed));
  }
  return out;
}

core::Result<OciManifest> parse_oci_manifest(std::string_view json, std::string_view where) {
  simdjson::dom::parser parser;
  auto root = parse(parser, json, where);
  if (!root) return std::unexpected(root.error());
  if (!root->is_object()) return std::unexpected(bad(where, "not a JSON object"));
  OciManifest out;
  element config;
  if ((*root)["config"].get(config) != simdjson::SUCCESS) return std::unexpected(bad(where, "config is missing"));
  auto parsed_config = descriptor(config, std::string(where) + " config");
  if (!parsed_config) return std::unexpected(parsed_config.error());
  out.config = std::move(*parsed_config);
  array layers;
  if ((*root)["layers"].get_array().get(layers) != simdjson::SUCCESS)
    return std::unexpected(bad(where, "layers is missing or not an array"));
  std::size_t i = 0;
  for (element item : layers) {
    auto layer = descriptor(item, std::string(where) + " layers[" + std::to_string(i++) + "]");
    if (!layer) return std::unexpected(layer.error());
    out.layers.push_back(std::move(*layer));
  }
  return out;
}

core::Result<std::vector<std::string>> parse_diff_ids(std::string_view config_json, std::string_view where) {
  simdjson::dom::parser parser;
  auto root = parse(parser, config_json, where);
  if (!root) return std::unexpected(root.error());
  element rootfs;
  if (!root->is_object() || (*root)["rootfs"].get(rootfs) != simdjson::SUCCESS || !rootfs.is_object())
    return std::unexpected(bad(where, "rootfs is missing"));
  return string_list(rootfs, "diff_ids", std::string(where) + " rootfs");
}

}  // namespace mg::image
