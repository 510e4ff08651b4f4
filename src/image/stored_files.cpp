#include "image/stored_files.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "image/archive_block.hpp"
#include "image/path_rules.hpp"

namespace mg::image {
namespace {

namespace fs = std::filesystem;
constexpr std::size_t kReadChunk = 1 << 20;
// Small tar members kept from the first pass; beyond this total, metadata is read again on demand.
constexpr std::uint64_t kMaxKeptBytes = 64ull << 20;

std::string strip_dot_slash(std::string_view name) {
  while (name.starts_with("./")) name.remove_prefix(2);
  return std::string(name);
}

// Reads a regular file in fixed chunks.
class FileChunkReader final : public ChunkReader {
 public:
  FileChunkReader(int fd, std::string name) : fd_(fd), name_(std::move(name)), buffer_(kReadChunk) {}
  ~FileChunkReader() override { ::close(fd_); }
  core::Result<std::string_view> next() override {
    for (;;) {
      const ssize_t n = ::read(fd_, buffer_.data(), buffer_.size());
      if (n >= 0) return std::string_view(buffer_.data(), static_cast<std::size_t>(n));
      if (errno != EINTR) return core::fail(core::ErrorCode::io, name_ + ": read failed: " + std::strerror(errno));
    }
  }

 private:
  int fd_;
  std::string name_;
  std::vector<char> buffer_;
};

class DirectoryFiles final : public StoredFiles {
 public:
  explicit DirectoryFiles(std::string dir) : dir_(std::move(dir)) {}

  bool contains(const std::string& path) override {
    std::error_code ec;
    return fs::is_regular_file(fs::path(dir_) / path, ec);
  }

  core::Result<std::string> read_small(const std::string& path) override {
    const auto full = fs::path(dir_) / path;
    std::error_code ec;
    if (!fs::is_regular_file(full, ec)) return core::fail(core::ErrorCode::invalid_input, path + ": missing from the image");
    const auto size = fs::file_size(full, ec);
    if (ec || size > kMaxMetadataBytes)
      return core::fail(core::ErrorCode::limit_exceeded, path + ": larger than " + std::to_string(kMaxMetadataBytes) +
                                                             " bytes, not image metadata");
    auto reader = open(path);
    if (!reader) return std::unexpected(reader.error());
    std::string out;
    for (;;) {
      auto chunk = (*reader)->next();
      if (!chunk) return std::unexpected(chunk.error());
      if (chunk->empty()) return out;
      out.append(*chunk);
      if (out.size() > kMaxMetadataBytes) return core::fail(core::ErrorCode::limit_exceeded, path + ": grew while read");
    }
  }

  core::Result<void> stream(const std::map<std::string, int>& wanted, int workers, const Visitor& visit) override {
    // Layers in manifest order: a directory has no storage order of its own. Each worker takes
    // the next layer not yet taken; the first error stops the others at their next layer.
    std::vector<std::pair<int, std::string>> order;
    for (const auto& [path, index] : wanted) order.emplace_back(index, path);
    std::sort(order.begin(), order.end());
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    std::optional<std::pair<int, core::Error>> first_error;  // the lowest layer's error wins
    auto work = [&](int worker) {
      for (std::size_t i = next++; i < order.size() && !stop; i = next++) {
        const auto& [index, path] = order[i];
        auto reader = open(path);
        auto visited = reader ? visit(path, **reader, worker) : core::Result<void>(std::unexpected(reader.error()));
        if (!visited) {
          std::lock_guard lock(mutex);
          if (!first_error || index < first_error->first) first_error.emplace(index, visited.error());
          stop = true;
        }
      }
    };
    const int threads = std::clamp(workers, 1, static_cast<int>(std::max<std::size_t>(order.size(), 1)));
    std::vector<std::thread> pool;
    for (int worker = 1; worker < threads; ++worker) pool.emplace_back(work, worker);
    work(0);
    for (auto& thread : pool) thread.join();
    if (first_error) return std::unexpected(first_error->second);
    return {};
  }

 private:
  core::Result<std::unique_ptr<ChunkReader>> open(const std::string& path) {
    const auto full = (fs::path(dir_) / path).string();
    const int fd = ::open(full.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return core::fail(core::ErrorCode::io, path + ": cannot open: " + std::strerror(errno));
    return std::make_unique<FileChunkReader>(fd, path);
  }
  std::string dir_;
};

// Reads the current tar member's data through libarchive.
class MemberReader final : public ChunkReader {
 public:
  explicit MemberReader(struct archive* archive) : archive_(archive) {}
  core::Result<std::string_view> next() override {
    std::uint64_t offset = 0;
    return next_data_block(archive_, offset, "image tar");
  }

 private:
  struct archive* archive_;
};

class TarFiles final : public StoredFiles {
 public:
  static core::Result<std::unique_ptr<TarFiles>> open(const std::string& file) {
    auto files = std::unique_ptr<TarFiles>(new TarFiles(file));
    // First pass: learn the member names and keep the small ones (manifests, configs).
    auto pass = files->walk([&](const std::string& name, struct archive_entry* entry, struct archive* archive)
                                -> core::Result<bool> {
      const auto size = static_cast<std::uint64_t>(archive_entry_size(entry));
      files->sizes_[name] = size;
      if (size <= kMaxMetadataBytes && files->kept_bytes_ + size <= kMaxKeptBytes) {
        MemberReader reader(archive);
        std::string bytes;
        for (;;) {
          auto chunk = reader.next();
          if (!chunk) return std::unexpected(chunk.error());
          if (chunk->empty()) break;
          bytes.append(*chunk);
        }
        files->kept_bytes_ += bytes.size();
        files->kept_[name] = std::move(bytes);
      }
      return true;
    });
    if (!pass) return std::unexpected(pass.error());
    return files;
  }

  bool contains(const std::string& path) override { return sizes_.contains(path); }

  core::Result<std::string> read_small(const std::string& path) override {
    if (auto it = kept_.find(path); it != kept_.end()) return it->second;
    auto size = sizes_.find(path);
    if (size == sizes_.end()) return core::fail(core::ErrorCode::invalid_input, path + ": missing from the image");
    return core::fail(core::ErrorCode::limit_exceeded,
                      path + ": " + std::to_string(size->second) + " bytes, too large for image metadata");
  }

  core::Result<void> stream(const std::map<std::string, int>& wanted, int /*workers: a tar is read in order*/,
                            const Visitor& visit) override {
    for (const auto& [path, index] : wanted) {
      if (!sizes_.contains(path)) return core::fail(core::ErrorCode::invalid_input, path + ": missing from the image");
    }
    std::map<std::string, bool> done;
    auto pass = walk([&](const std::string& name, struct archive_entry*, struct archive* archive) -> core::Result<bool> {
      if (!wanted.contains(name) || done[name]) return true;
      done[name] = true;
      MemberReader reader(archive);
      if (auto visited = visit(name, reader, 0); !visited) return std::unexpected(visited.error());
      return done.size() < wanted.size();
    });
    if (!pass) return std::unexpected(pass.error());
    return {};
  }

 private:
  explicit TarFiles(std::string file) : file_(std::move(file)) {}

  // Calls on_member for each regular member until it returns false or an error.
  core::Result<void> walk(
      const std::function<core::Result<bool>(const std::string&, struct archive_entry*, struct archive*)>& on_member) {
    struct archive* archive = archive_read_new();
    archive_read_support_format_tar(archive);
    archive_read_support_format_gnutar(archive);
    auto close = [&] { archive_read_free(archive); };
    if (archive_read_open_filename(archive, file_.c_str(), kReadChunk) != ARCHIVE_OK) {
      std::string why = archive_error_string(archive) ? archive_error_string(archive) : "unreadable";
      close();
      return core::fail(core::ErrorCode::invalid_input, "not a tar archive (" + why + ")");
    }
    for (;;) {
      struct archive_entry* entry = nullptr;
      const int rc = archive_read_next_header(archive, &entry);
      if (rc == ARCHIVE_EOF) break;
      if (rc < ARCHIVE_WARN) {
        std::string why = archive_error_string(archive) ? archive_error_string(archive) : "corrupt";
        close();
        return core::fail(core::ErrorCode::invalid_input, "image tar corrupt: " + why);
      }
      if (archive_entry_filetype(entry) != AE_IFREG) continue;
      const std::string name = strip_dot_slash(archive_entry_pathname(entry) ? archive_entry_pathname(entry) : "");
      auto more = on_member(name, entry, archive);
      if (!more) {
        close();
        return std::unexpected(more.error());
      }
      if (!*more) break;
    }
    close();
    return {};
  }

  std::string file_;
  std::map<std::string, std::uint64_t> sizes_;
  std::map<std::string, std::string> kept_;
  std::uint64_t kept_bytes_ = 0;
};

}  // namespace

core::Result<std::unique_ptr<StoredFiles>> open_directory(const std::string& dir) {
  return std::make_unique<DirectoryFiles>(dir);
}

core::Result<std::unique_ptr<StoredFiles>> open_tar(const std::string& file) {
  auto files = TarFiles::open(file);
  if (!files) return std::unexpected(files.error());
  return std::unique_ptr<StoredFiles>(std::move(*files));
}

}  // namespace mg::image
