// make_tar / make_zip through libarchive's write API, plus the FileSpec shorthands.
// libarchive writes member names verbatim (checked: "../evil", "/abs" and "a/./b" survive), so
// negative tests need no hand-made headers.
#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <stdexcept>

#include "image_builder.hpp"

namespace mg::testing {
namespace {

using ArchivePtr = std::unique_ptr<archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<archive_entry, decltype(&archive_entry_free)>;

la_ssize_t append_to_string(archive*, void* client, const void* buffer, size_t size) {
  static_cast<std::string*>(client)->append(static_cast<const char*>(buffer), size);
  return static_cast<la_ssize_t>(size);
}

void check(archive* a, int status, const std::string& what) {
  if (status < ARCHIVE_WARN) {
    const char* why = archive_error_string(a);
    throw std::runtime_error("libarchive: " + what + ": " + (why ? why : "unknown error"));
  }
}

// Fixed owner and time so the same spec always gives the same bytes (and digests).
EntryPtr make_entry(const FileSpec& spec) {
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  archive_entry_set_pathname(entry.get(), spec.path.c_str());
  archive_entry_set_perm(entry.get(), spec.mode & 07777);
  archive_entry_set_uid(entry.get(), 0);
  archive_entry_set_gid(entry.get(), 0);
  archive_entry_set_mtime(entry.get(), 1577836800, 0);  // 2020-01-01, the campaign's year
  switch (spec.type) {
    case FileSpec::file:
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      if (spec.sparse_size > 0) {
        if (spec.sparse_size < spec.content.size())
          throw std::runtime_error("sparse_size smaller than content for " + spec.path);
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(spec.sparse_size));
        if (!spec.content.empty())
          archive_entry_sparse_add_entry(entry.get(), 0,
                                         static_cast<la_int64_t>(spec.content.size()));
      } else {
        archive_entry_set_size(entry.get(), static_cast<la_int64_t>(spec.content.size()));
      }
      break;
    case FileSpec::dir:
      archive_entry_set_filetype(entry.get(), AE_IFDIR);
      archive_entry_set_size(entry.get(), 0);
      break;
    case FileSpec::symlink:
      archive_entry_set_filetype(entry.get(), AE_IFLNK);
      archive_entry_set_symlink(entry.get(), spec.link_target.c_str());
      archive_entry_set_size(entry.get(), 0);
      break;
    case FileSpec::hardlink:
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_set_hardlink(entry.get(), spec.link_target.c_str());
      archive_entry_set_size(entry.get(), 0);
      break;
  }
  return entry;
}

std::string write_archive(const std::vector<FileSpec>& files,
                          const std::function<int(archive*)>& set_format) {
  std::string out;
  ArchivePtr a(archive_write_new(), &archive_write_free);
  check(a.get(), set_format(a.get()), "set format");
  // No padding to 10 KiB records: blobs end right after the end-of-archive marker, like Docker's.
  check(a.get(), archive_write_set_bytes_in_last_block(a.get(), 1), "set last block");
  check(a.get(), archive_write_open(a.get(), &out, nullptr, append_to_string, nullptr), "open");
  for (const auto& spec : files) {
    EntryPtr entry = make_entry(spec);
    check(a.get(), archive_write_header(a.get(), entry.get()), "header of " + spec.path);
    if (spec.type == FileSpec::file && !spec.content.empty()) {
      // For a sparse member libarchive takes the bytes of its data regions only and pads the
      // rest itself (formats without sparse support get the zeros written out in full).
      const la_ssize_t written = archive_write_data(a.get(), spec.content.data(), spec.content.size());
      if (written < 0 || static_cast<size_t>(written) != spec.content.size())
        throw std::runtime_error("libarchive: short write of " + spec.path);
    }
  }
  check(a.get(), archive_write_close(a.get()), "close");
  return out;
}

}  // namespace

FileSpec file(std::string path, std::string content, std::uint32_t mode) {
  return FileSpec{std::move(path), std::move(content), mode, FileSpec::file, {}, 0};
}

FileSpec dir(std::string path, std::uint32_t mode) {
  return FileSpec{std::move(path), {}, mode, FileSpec::dir, {}, 0};
}

FileSpec symlink(std::string path, std::string target) {
  return FileSpec{std::move(path), {}, 0777, FileSpec::symlink, std::move(target), 0};
}

FileSpec hardlink(std::string path, std::string target) {
  return FileSpec{std::move(path), {}, 0644, FileSpec::hardlink, std::move(target), 0};
}

FileSpec sparse_file(std::string path, std::string content, std::uint64_t logical_size) {
  return FileSpec{std::move(path), std::move(content), 0644, FileSpec::file, {}, logical_size};
}

FileSpec whiteout(std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string parent = slash == std::string_view::npos ? "" : std::string(path.substr(0, slash + 1));
  const std::string name(slash == std::string_view::npos ? path : path.substr(slash + 1));
  return file(parent + ".wh." + name, "");
}

FileSpec opaque(std::string_view dir_path) {
  std::string path(dir_path);
  if (!path.empty() && path.back() != '/') path += '/';
  return file(path + ".wh..wh..opq", "");
}

std::string make_tar(const std::vector<FileSpec>& files, TarFormat format) {
  return write_archive(files, [format](archive* a) {
    switch (format) {
      case TarFormat::ustar: return archive_write_set_format_ustar(a);
      case TarFormat::gnutar: return archive_write_set_format_gnutar(a);
      case TarFormat::pax: break;
    }
    // "restricted" pax adds extended headers only when a member needs them, as Docker does.
    return archive_write_set_format_pax_restricted(a);
  });
}

std::string make_zip(const std::vector<FileSpec>& files) {
  return write_archive(files, [](archive* a) { return archive_write_set_format_zip(a); });
}

}  // namespace mg::testing
