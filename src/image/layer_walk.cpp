// read_layer: stored bytes → digest check → inflate → diff_id check and bomb limits (on a
// worker thread, ReadAheadReader) → libarchive tar walk → entries for the visitor.
#include <archive.h>
#include <archive_entry.h>

#include "image/archive_block.hpp"
#include "image/blob_digest.hpp"
#include "image/decompressor.hpp"
#include "image/layer_reader.hpp"
#include "image/path_rules.hpp"
#include "image/read_ahead_reader.hpp"

namespace mg::image {
namespace {

// Hashes and counts the stored blob; at its end checks the size and digest the manifest states.
class StoredBlobCheck final : public ChunkReader {
 public:
  StoredBlobCheck(ChunkReader& inner, const LayerInfo& layer) : inner_(inner), layer_(layer) {}
  core::Result<std::string_view> next() override {
    auto chunk = inner_.next();
    if (!chunk) return chunk;
    if (!chunk->empty()) {
      bytes_ += chunk->size();
      if (layer_.size != 0 && bytes_ > layer_.size)
        return core::fail(core::ErrorCode::digest_mismatch,
                          "blob is larger than the " + std::to_string(layer_.size) + " bytes its descriptor states");
      if (!layer_.digest.empty()) sha_.update(*chunk);
      return chunk;
    }
    if (layer_.size != 0 && bytes_ != layer_.size)
      return core::fail(core::ErrorCode::digest_mismatch, "blob has " + std::to_string(bytes_) + " bytes, its descriptor states " +
                                                              std::to_string(layer_.size) + " (truncated?)");
    if (!layer_.digest.empty()) {
      if (auto actual = sha_.finish(); actual != layer_.digest)
        return core::fail(core::ErrorCode::digest_mismatch,
                          "digest mismatch: manifest says " + layer_.digest + ", content is " + actual);
    }
    return chunk;
  }
  std::uint64_t bytes() const { return bytes_; }

 private:
  ChunkReader& inner_;
  const LayerInfo& layer_;
  Sha256 sha_;
  std::uint64_t bytes_ = 0;
};

// Hashes and counts the inflated tar; enforces the size and ratio limits; checks the diff_id.
class InflatedCheck final : public ChunkReader {
 public:
  InflatedCheck(Decompressor& inner, const StoredBlobCheck& stored, const LayerInfo& layer, const LayerLimits& limits)
      : inner_(inner), stored_(stored), layer_(layer), limits_(limits) {}
  core::Result<std::string_view> next() override {
    auto chunk = inner_.next();
    if (!chunk) return chunk;
    if (!chunk->empty()) {
      bytes_ += chunk->size();
      if (bytes_ > limits_.max_uncompressed)
        return core::fail(core::ErrorCode::limit_exceeded, "inflates to more than " +
                                                               std::to_string(limits_.max_uncompressed) +
                                                               " bytes (limit --max-layer-bytes)");
      const auto stored = std::max<std::uint64_t>(stored_.bytes(), 1);
      if (bytes_ >= limits_.ratio_floor && bytes_ / stored > limits_.max_ratio)
        return core::fail(core::ErrorCode::limit_exceeded,
                          "decompression bomb: " + std::to_string(bytes_) + " bytes from " + std::to_string(stored) +
                              " (ratio " + std::to_string(bytes_ / stored) + ":1, limit " +
                              std::to_string(limits_.max_ratio) + ":1)");
      if (!layer_.diff_id.empty()) sha_.update(*chunk);
      return chunk;
    }
    if (!layer_.diff_id.empty()) {
      if (auto actual = sha_.finish(); actual != layer_.diff_id)
        return core::fail(core::ErrorCode::digest_mismatch,
                          "diff_id mismatch: config says " + layer_.diff_id + ", uncompressed content is " + actual);
    }
    return chunk;
  }
  std::uint64_t bytes() const { return bytes_; }

 private:
  Decompressor& inner_;
  const StoredBlobCheck& stored_;
  const LayerInfo& layer_;
  const LayerLimits& limits_;
  Sha256 sha_;
  std::uint64_t bytes_ = 0;
};

// libarchive pulls the inflated tar from here; our own error is kept to report instead of
// libarchive's generic one.
struct TarFeed {
  ChunkReader& reader;
  std::optional<core::Error> error;
  bool ended = false;
};

la_ssize_t feed_read(struct archive* archive, void* client, const void** buffer) {
  auto* feed = static_cast<TarFeed*>(client);
  if (feed->ended) return 0;
  auto chunk = feed->reader.next();
  if (!chunk) {
    feed->error = chunk.error();
    archive_set_error(archive, EIO, "%s", chunk.error().message.c_str());
    return -1;
  }
  if (chunk->empty()) feed->ended = true;
  *buffer = chunk->data();
  return static_cast<la_ssize_t>(chunk->size());
}

class TarEntryData final : public EntryData {
 public:
  explicit TarEntryData(struct archive* archive) : archive_(archive) {}
  core::Result<std::string_view> next(std::uint64_t& offset) override {
    return next_data_block(archive_, offset, "tar");
  }

 private:
  struct archive* archive_;
};

std::string layer_label(const LayerInfo& layer) {
  const std::string& id = !layer.digest.empty() ? layer.digest : !layer.diff_id.empty() ? layer.diff_id : layer.blob_path;
  return "layer " + std::to_string(layer.index) + " (" + (id.starts_with("sha256:") ? short_digest(id) : id) + ")";
}

// Fills `entry` from libarchive's header; whiteout names become the paths they delete.
core::Result<void> describe(struct archive_entry* header, TarEntry& entry) {
  const char* raw = archive_entry_pathname(header);
  auto path = normalize_entry_path(raw != nullptr ? raw : "");
  if (!path) return std::unexpected(path.error());
  entry = TarEntry{};
  entry.path = std::move(*path);
  entry.size = static_cast<std::uint64_t>(archive_entry_size(header));
  entry.mode = archive_entry_perm(header);
  if (const char* hard = archive_entry_hardlink(header); hard != nullptr) {
    entry.type = EntryType::hardlink;
    entry.link_target = hard;
  } else {
    switch (archive_entry_filetype(header)) {
      case AE_IFREG: entry.type = EntryType::file; break;
      case AE_IFDIR: entry.type = EntryType::directory; break;
      case AE_IFLNK:
        entry.type = EntryType::symlink;
        entry.link_target = archive_entry_symlink(header) ? archive_entry_symlink(header) : "";
        break;
      default: entry.type = EntryType::other; break;
    }
  }
  const auto slash = entry.path.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : entry.path.substr(0, slash);
  const std::string_view base = std::string_view(entry.path).substr(slash == std::string::npos ? 0 : slash + 1);
  if (base == ".wh..wh..opq") {
    entry.opaque = true;
    entry.path = dir;
  } else if (base.starts_with(".wh.")) {
    entry.whiteout = true;
    entry.path = (dir.empty() ? "" : dir + "/") + std::string(base.substr(4));
  }
  return {};
}

}  // namespace

core::Result<LayerStats> read_layer(const LayerInfo& layer, ChunkReader& blob, const LayerLimits& limits,
                                    const std::function<core::Result<void>(const TarEntry&, EntryData&)>& visit) {
  const std::string label = layer_label(layer);
  StoredBlobCheck stored(blob, layer);
  Decompressor inflater(stored);
  InflatedCheck inflated(inflater, stored, layer, limits);
  LayerStats stats;
  std::optional<core::Error> failure;
  {
    ReadAheadReader ahead(inflated);  // inflate and hash on a second core
    TarFeed feed{ahead, std::nullopt, false};
    struct archive* archive = archive_read_new();
    archive_read_support_format_tar(archive);
    archive_read_support_format_gnutar(archive);
    if (archive_read_open(archive, &feed, nullptr, feed_read, nullptr) != ARCHIVE_OK) {
      failure = feed.error ? *feed.error
                           : core::Error{core::ErrorCode::invalid_input,
                                         std::string("not a tar layer: ") +
                                             (archive_error_string(archive) ? archive_error_string(archive) : "")};
    }
    while (!failure) {
      struct archive_entry* header = nullptr;
      const int rc = archive_read_next_header(archive, &header);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        const char* why = archive_error_string(archive);
        failure = feed.error ? *feed.error
                             : core::Error{core::ErrorCode::invalid_input,
                                           "tar corrupt at uncompressed offset " +
                                               std::to_string(archive_filter_bytes(archive, -1)) + ": " +
                                               (why ? why : "unreadable header")};
        break;
      }
      if (++stats.entries > limits.max_entries) {
        failure = core::Error{core::ErrorCode::limit_exceeded,
                              "more than " + std::to_string(limits.max_entries) + " entries"};
        break;
      }
      TarEntry entry;
      if (auto described = describe(header, entry); !described) {
        failure = described.error();
        break;
      }
      TarEntryData data(archive);
      if (auto visited = visit(entry, data); !visited) {
        failure = feed.error ? *feed.error : visited.error();
        break;
      }
    }
    // The tar ends before its blob does (padding, trailing blocks): read on so that the digest,
    // size and diff_id checks run over every byte.
    while (!failure && !feed.ended) {
      auto chunk = ahead.next();
      if (!chunk) failure = chunk.error();
      else if (chunk->empty()) feed.ended = true;
    }
    archive_read_free(archive);
  }
  if (failure) return std::unexpected(core::with_context(*failure, label));
  stats.compressed_bytes = stored.bytes();
  stats.uncompressed_bytes = inflated.bytes();
  stats.compression = inflater.compression();
  return stats;
}

}  // namespace mg::image
