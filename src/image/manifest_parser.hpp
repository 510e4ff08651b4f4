#pragma once
// Parsers for the JSON documents that describe an image: docker-archive's manifest.json, OCI
// index.json / image indexes, OCI image manifests, and the rootfs.diff_ids of a config. Inputs
// are untrusted: every wrong type or missing field is an error naming the document and field.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace mg::image {

struct DockerManifestEntry {
  std::string config;                 // member path of the config
  std::vector<std::string> layers;    // member paths of the layers, base first
  std::vector<std::string> repo_tags;
};

// Picks the entry whose RepoTags hold `reference` (a full "repo:tag" or just the tag), or the
// only entry when `reference` is empty.
core::Result<DockerManifestEntry> parse_docker_manifest(std::string_view json, std::string_view reference);

struct Descriptor {
  std::string media_type;
  std::string digest;
  std::uint64_t size = 0;
  std::string ref_name;        // org.opencontainers.image.ref.name
  std::string image_name;      // io.containerd.image.name (full repository:tag)
  std::string os, architecture;
};

bool is_index_media_type(std::string_view media_type);

// The descriptors of an OCI index (index.json or a nested image index), `where` names it.
core::Result<std::vector<Descriptor>> parse_oci_index(std::string_view json, std::string_view where);

struct OciManifest {
  Descriptor config;
  std::vector<Descriptor> layers;
};
core::Result<OciManifest> parse_oci_manifest(std::string_view json, std::string_view where);

core::Result<std::vector<std::string>> parse_diff_ids(std::string_view config_json, std::string_view where);

}  // namespace mg::image
