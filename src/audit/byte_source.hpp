#pragma once
// The bytes of a log file or of stdin, gunzipped on the way when they start with gzip's magic
// (concatenated members too, as logrotate and `cat a.gz b.gz` make them). Internal to src/audit.
#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <zlib.h>

#include "core/error.hpp"

namespace mg::audit::detail {

class ByteSource {
 public:
  // "-" is stdin. Errors name the file.
  static core::Result<std::unique_ptr<ByteSource>> open(const std::string& path);
  ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  // Up to `size` bytes; 0 at the end (for now: a growing file may have more later).
  core::Result<std::size_t> read(char* out, std::size_t size);

  bool compressed() const { return gzip_; }
  bool is_stdin() const { return path_ == "-"; }
  const std::string& path() const { return path_; }
  // For --follow: the file was replaced (rotated) or truncated since it was opened; reopen().
  bool replaced_or_truncated() const;
  core::Result<void> reopen();

 private:
  ByteSource() = default;
  core::Result<std::size_t> raw_read(char* out, std::size_t size);   // sniffed bytes first
  core::Result<std::size_t> fd_read(char* out, std::size_t size);
  core::Result<std::size_t> inflate_read(char* out, std::size_t size);

  std::string path_;
  int fd_ = -1;
  bool own_fd_ = false;
  bool started_ = false;
  bool gzip_ = false;
  bool stream_done_ = false;
  std::uint64_t offset_ = 0;        // raw bytes consumed (for truncation)
  dev_t dev_ = 0;
  ino_t ino_ = 0;
  std::vector<char> pending_;       // raw bytes read while sniffing the magic
  std::size_t pending_at_ = 0;
  std::vector<unsigned char> in_;   // compressed input buffer
  z_stream z_{};
  std::optional<core::Error> deferred_;   // a failure after output: reported on the next read
  bool z_ready_ = false;
};

}  // namespace mg::audit::detail
