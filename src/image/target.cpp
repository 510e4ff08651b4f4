// parse_target, detect_kind and the names of source kinds and compressions.
#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <filesystem>

#include "image/image_source.hpp"

namespace mg::image {
namespace {

namespace fs = std::filesystem;

// "PATH[:REF]": the last ':' starts a reference only when what follows has no '/' and the
// whole text is not itself an existing path (paths may contain ':').
void split_reference(std::string_view rest, TargetSpec& spec) {
  spec.path = std::string(rest);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return;
  std::error_code ec;
  if (fs::exists(fs::path(std::string(rest)), ec)) return;
  const auto reference = rest.substr(colon + 1);
  if (reference.empty() || reference.find('/') != std::string_view::npos) return;
  spec.path = std::string(rest.substr(0, colon));
  spec.reference = std::string(reference);
}

}  // namespace

std::string_view to_string(SourceKind kind) {
  switch (kind) {
    case SourceKind::docker_archive: return "docker-archive";
    case SourceKind::oci_layout: return "oci";
    case SourceKind::oci_archive: return "oci-archive";
  }
  return "unknown";
}

std::string_view to_string(Compression compression) {
  switch (compression) {
    case Compression::none: return "none";
    case Compression::gzip: return "gzip";
    case Compression::zstd: return "zstd";
  }
  return "unknown";
}

core::Result<TargetSpec> parse_target(std::string_view text) {
  TargetSpec spec;
  spec.text = std::string(text);
  struct Prefix {
    std::string_view name;
    SourceKind kind;
  };
  for (const Prefix prefix : {Prefix{"docker-archive:", SourceKind::docker_archive}, Prefix{"oci:", SourceKind::oci_layout},
                              Prefix{"oci-archive:", SourceKind::oci_archive}}) {
    if (text.starts_with(prefix.name)) {
      spec.kind = prefix.kind;
      spec.kind_given = true;
      split_reference(text.substr(prefix.name.size()), spec);
      break;
    }
  }
  if (!spec.kind_given) {
    if (text.starts_with("docker://") || text.starts_with("registry:")) {
      return core::fail(core::ErrorCode::unsupported,
                        std::string(text) + ": registry targets are not supported yet; save the image first "
                                            "(docker save, skopeo copy to oci-archive:)");
    }
    spec.path = std::string(text);
  }
  if (spec.path.empty()) return core::fail(core::ErrorCode::invalid_usage, std::string(text) + ": no path given");
  std::error_code ec;
  if (!fs::exists(spec.path, ec)) {
    return core::fail(core::ErrorCode::io, std::string(text) + ": no such file or directory");
  }
  if (!spec.kind_given) {
    auto kind = detect_kind(spec.path);
    if (!kind) return std::unexpected(kind.error());
    spec.kind = *kind;
  }
  return spec;
}

core::Result<SourceKind> detect_kind(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    if (fs::exists(fs::path(path) / "oci-layout", ec) && fs::exists(fs::path(path) / "index.json", ec))
      return SourceKind::oci_layout;
    return core::fail(core::ErrorCode::invalid_input,
                      path + ": a directory without oci-layout and index.json is not an OCI image layout");
  }
  struct archive* archive = archive_read_new();
  archive_read_support_format_tar(archive);
  archive_read_support_format_gnutar(archive);
  if (archive_read_open_filename(archive, path.c_str(), 1 << 16) != ARCHIVE_OK) {
    std::string why = archive_error_string(archive) ? archive_error_string(archive) : "unreadable";
    archive_read_free(archive);
    return core::fail(core::ErrorCode::invalid_input, path + ": not a tar archive (" + why + ")");
  }
  bool manifest = false, layout = false, index = false;
  struct archive_entry* entry = nullptr;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(archive, &entry)) >= ARCHIVE_WARN && rc != ARCHIVE_EOF) {
    std::string_view name = archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "";
    if (name.starts_with("./")) name.remove_prefix(2);
    manifest |= name == "manifest.json";
    layout |= name == "oci-layout";
    index |= name == "index.json";
    if (manifest) break;
  }
  std::string why = rc < ARCHIVE_WARN && archive_error_string(archive) ? archive_error_string(archive) : "";
  archive_read_free(archive);
  // Docker >= 25 writes both an OCI layout and manifest.json; manifest.json names the tags.
  if (manifest) return SourceKind::docker_archive;
  if (layout && index) return SourceKind::oci_archive;
  if (!why.empty()) return core::fail(core::ErrorCode::invalid_input, path + ": not a tar archive (" + why + ")");
  return core::fail(core::ErrorCode::invalid_input,
                    path + ": not a docker-archive, OCI layout or OCI archive (no manifest.json or index.json)");
}

}  // namespace mg::image
