#include "audit/byte_source.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace mg::audit::detail {
namespace {

std::string why(int error) { return std::strerror(error); }

}  // namespace

core::Result<std::unique_ptr<ByteSource>> ByteSource::open(const std::string& path) {
  std::unique_ptr<ByteSource> source(new ByteSource());
  source->path_ = path;
  if (path == "-") {
    source->fd_ = STDIN_FILENO;
  } else {
    source->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (source->fd_ < 0) return core::fail(core::ErrorCode::io, path + ": cannot open: " + why(errno));
    source->own_fd_ = true;
    struct stat st{};
    if (::fstat(source->fd_, &st) == 0) {
      if (S_ISDIR(st.st_mode)) return core::fail(core::ErrorCode::io, path + ": is a directory, not an audit log");
      source->dev_ = st.st_dev;
      source->ino_ = st.st_ino;
    }
  }
  return source;
}

ByteSource::~ByteSource() {
  if (z_ready_) inflateEnd(&z_);
  if (own_fd_ && fd_ >= 0) ::close(fd_);
}

core::Result<std::size_t> ByteSource::raw_read(char* out, std::size_t size) {
  if (pending_at_ < pending_.size()) {
    const std::size_t n = std::min(size, pending_.size() - pending_at_);
    std::memcpy(out, pending_.data() + pending_at_, n);
    pending_at_ += n;
    return n;
  }
  return fd_read(out, size);
}

core::Result<std::size_t> ByteSource::fd_read(char* out, std::size_t size) {
  for (;;) {
    const ssize_t n = ::read(fd_, out, size);
    if (n >= 0) {
      offset_ += static_cast<std::uint64_t>(n);
      return static_cast<std::size_t>(n);
    }
    if (errno != EINTR) return core::fail(core::ErrorCode::io, path_ + ": read failed: " + why(errno));
  }
}

core::Result<std::size_t> ByteSource::read(char* out, std::size_t size) {
  if (!started_) {
    // Sniff the magic without losing the bytes: stdin cannot seek back.
    started_ = true;
    pending_.resize(2);
    std::size_t have = 0;
    while (have < 2) {
      auto n = fd_read(pending_.data() + have, 2 - have);
      if (!n) return n;
      if (*n == 0) break;
      have += *n;
    }
    pending_.resize(have);
    pending_at_ = 0;
    gzip_ = have == 2 && static_cast<unsigned char>(pending_[0]) == 0x1f && static_cast<unsigned char>(pending_[1]) == 0x8b;
    if (gzip_) {
      if (inflateInit2(&z_, 15 + 16) != Z_OK) return core::fail(core::ErrorCode::internal, path_ + ": zlib init failed");
      z_ready_ = true;
      in_.resize(1 << 16);
    }
  }
  return gzip_ ? inflate_read(out, size) : raw_read(out, size);
}

core::Result<std::size_t> ByteSource::inflate_read(char* out, std::size_t size) {
  if (deferred_) {
    auto error = std::move(*deferred_);
    deferred_.reset();
    return std::unexpected(std::move(error));
  }
  if (size == 0) return std::size_t{0};
  // What was inflated before a failure is handed out first, so its events are read.
  auto fail_after_output = [&](core::Error error) -> core::Result<std::size_t> {
    const std::size_t produced = size - z_.avail_out;
    if (produced == 0) return std::unexpected(std::move(error));
    deferred_ = std::move(error);
    return produced;
  };
  z_.next_out = reinterpret_cast<Bytef*>(out);
  z_.avail_out = static_cast<uInt>(std::min<std::size_t>(size, 1u << 30));
  while (z_.avail_out > 0) {
    if (z_.avail_in == 0) {
      auto n = raw_read(reinterpret_cast<char*>(in_.data()), in_.size());
      if (!n) return std::unexpected(n.error());
      if (*n == 0) {
        if (!stream_done_ && z_.total_in > 0)
          return fail_after_output(core::Error{core::ErrorCode::invalid_input,
                                               path_ + ": gzip: truncated (the compressed stream ends early)"});
        break;
      }
      z_.next_in = in_.data();
      z_.avail_in = static_cast<uInt>(*n);
    }
    if (stream_done_) {
      // Another member follows (concatenated gzip files).
      if (inflateReset(&z_) != Z_OK) return core::fail(core::ErrorCode::internal, path_ + ": zlib reset failed");
      stream_done_ = false;
    }
    const int rc = inflate(&z_, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      stream_done_ = true;
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR) {
      std::string message = path_;
      message.append(": gzip: ").append(z_.msg != nullptr ? z_.msg : "corrupt data");
      message.append(" near compressed byte ").append(std::to_string(z_.total_in));
      return fail_after_output(core::Error{core::ErrorCode::invalid_input, std::move(message)});
    }
  }
  return size - z_.avail_out;
}

bool ByteSource::replaced_or_truncated() const {
  if (!own_fd_) return false;
  struct stat now{};
  if (::stat(path_.c_str(), &now) != 0) return false;  // moved away and not yet recreated: wait
  if (now.st_dev != dev_ || now.st_ino != ino_) return true;
  return static_cast<std::uint64_t>(now.st_size) < offset_;
}

core::Result<void> ByteSource::reopen() {
  if (own_fd_ && fd_ >= 0) ::close(fd_);
  fd_ = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) return core::fail(core::ErrorCode::io, path_ + ": cannot reopen: " + why(errno));
  struct stat st{};
  if (::fstat(fd_, &st) == 0) {
    dev_ = st.st_dev;
    ino_ = st.st_ino;
  }
  offset_ = 0;
  return {};
}

}  // namespace mg::audit::detail
