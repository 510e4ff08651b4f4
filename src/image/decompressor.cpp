#include "image/decompressor.hpp"

#include <isa-l/igzip_lib.h>
#include <zstd.h>

#include <algorithm>
#include <limits>

namespace mg::image {
namespace {

constexpr unsigned char kGzipMagic[] = {0x1f, 0x8b};
constexpr unsigned char kZstdMagic[] = {0x28, 0xb5, 0x2f, 0xfd};

bool starts_with(std::string_view bytes, const unsigned char* magic, std::size_t n) {
  return bytes.size() >= n && std::equal(magic, magic + n, reinterpret_cast<const unsigned char*>(bytes.data()));
}

const char* isal_error_name(int code) {
  switch (code) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid back-reference distance";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unsupported gzip compression method";
    case ISAL_INCORRECT_CHECKSUM: return "gzip CRC or length check failed";
    default: return "inflate failed";
  }
}

core::Error corrupt(std::string_view what, std::string_view why, std::uint64_t offset) {
  return core::Error{core::ErrorCode::invalid_input,
                     std::string(what) + " stream corrupt at compressed offset " + std::to_string(offset) + ": " +
                         std::string(why)};
}

core::Error truncated(std::string_view what, std::uint64_t offset) {
  return core::Error{core::ErrorCode::invalid_input,
                     std::string(what) + " stream truncated at compressed offset " + std::to_string(offset)};
}

}  // namespace

struct Decompressor::Gzip {
  inflate_state state{};
  bool member_done = false;
  std::uint64_t members = 0;
};

struct Decompressor::Zstd {
  ZSTD_DStream* stream = nullptr;
  std::size_t last = 1;  // ZSTD_decompressStream's last return: 0 means a frame ended cleanly
  ~Zstd() { ZSTD_freeDStream(stream); }
};

Decompressor::Decompressor(ChunkReader& input) : input_(input) {}
Decompressor::~Decompressor() = default;

core::Result<bool> Decompressor::refill() {
  while (pending_.empty()) {
    if (input_eof_) return false;
    auto chunk = input_.next();
    if (!chunk) return std::unexpected(chunk.error());
    if (chunk->empty()) {
      input_eof_ = true;
      return false;
    }
    pending_ = *chunk;
  }
  return true;
}

core::Result<void> Decompressor::detect() {
  detected_ = true;
  // Gather at least four bytes; the first chunk is almost always larger, so copying is rare.
  auto more = refill();
  if (!more) return std::unexpected(more.error());
  if (pending_.size() < sizeof kZstdMagic && *more) {
    head_.assign(pending_);
    pending_ = {};
    while (head_.size() < sizeof kZstdMagic) {
      auto got = refill();
      if (!got) return std::unexpected(got.error());
      if (!*got) break;
      head_.append(pending_);
      pending_ = {};
    }
    pending_ = head_;
  }
  if (starts_with(pending_, kGzipMagic, sizeof kGzipMagic)) {
    compression_ = Compression::gzip;
    gzip_ = std::make_unique<Gzip>();
    isal_inflate_init(&gzip_->state);
    gzip_->state.crc_flag = ISAL_GZIP;
  } else if (starts_with(pending_, kZstdMagic, sizeof kZstdMagic)) {
    compression_ = Compression::zstd;
    zstd_ = std::make_unique<Zstd>();
    zstd_->stream = ZSTD_createDStream();
    if (zstd_->stream == nullptr) return core::fail(core::ErrorCode::internal, "zstd: cannot create a decoder");
    ZSTD_DCtx_setParameter(zstd_->stream, ZSTD_d_windowLogMax, kZstdWindowLogMax);
  } else {
    compression_ = Compression::none;
  }
  if (compression_ != Compression::none) out_ = std::make_unique<unsigned char[]>(kOutputChunk);
  return {};
}

core::Result<std::string_view> Decompressor::next() {
  if (done_) return std::string_view{};
  if (!detected_) {
    if (auto ok = detect(); !ok) return std::unexpected(ok.error());
  }
  switch (compression_) {
    case Compression::gzip: return next_gzip();
    case Compression::zstd: return next_zstd();
    case Compression::none: break;
  }
  return next_plain();
}

core::Result<std::string_view> Decompressor::next_plain() {
  auto more = refill();
  if (!more) return std::unexpected(more.error());
  if (!*more) {
    done_ = true;
    return std::string_view{};
  }
  const std::string_view chunk = pending_;
  consumed_ += chunk.size();
  pending_ = {};
  return chunk;
}

// After a gzip member: another member may follow (pigz, parallel compressors and some image
// builders write several), or zero bytes that pad the blob; anything else is corruption.
core::Result<bool> Decompressor::between_gzip_members() {
  auto more = refill();
  if (!more) return std::unexpected(more.error());
  if (!*more) return false;
  if (static_cast<unsigned char>(pending_.front()) == kGzipMagic[0]) {
    isal_inflate_reset(&gzip_->state);
    gzip_->state.crc_flag = ISAL_GZIP;
    gzip_->member_done = false;
    return true;
  }
  while (true) {
    const auto nonzero = pending_.find_first_not_of('\0');
    if (nonzero != std::string_view::npos)
      return std::unexpected(corrupt("gzip", "unexpected bytes after gzip member " + std::to_string(gzip_->members),
                                     consumed_ + nonzero));
    consumed_ += pending_.size();
    pending_ = {};
    auto again = refill();
    if (!again) return std::unexpected(again.error());
    if (!*again) return false;
  }
}

core::Result<std::string_view> Decompressor::next_gzip() {
  auto& st = gzip_->state;
  st.next_out = out_.get();
  st.avail_out = static_cast<std::uint32_t>(kOutputChunk);
  while (true) {
    if (gzip_->member_done) {
      if (st.avail_out != kOutputChunk) break;  // hand out what this member produced first
      auto another = between_gzip_members();
      if (!another) return std::unexpected(another.error());
      if (!*another) {
        done_ = true;
        return std::string_view{};
      }
    }
    auto more = refill();
    if (!more) return std::unexpected(more.error());
    const auto given = static_cast<std::uint32_t>(
        std::min<std::size_t>(pending_.size(), std::numeric_limits<std::uint32_t>::max() / 2));
    st.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(pending_.data()));
    st.avail_in = given;
    const std::uint32_t out_before = st.avail_out;
    const int rc = isal_inflate(&st);
    const std::uint32_t used = given - st.avail_in;
    pending_.remove_prefix(used);
    consumed_ += used;
    if (rc < 0) return std::unexpected(corrupt("gzip", isal_error_name(rc), consumed_));
    if (st.block_state == ISAL_BLOCK_FINISH) {
      gzip_->member_done = true;
      ++gzip_->members;
      continue;
    }
    if (st.avail_out == 0) break;
    if (!*more && used == 0 && st.avail_out == out_before) {
      // Input is exhausted, nothing more came out and the member never ended.
      if (st.avail_out != kOutputChunk) break;
      return std::unexpected(truncated("gzip", consumed_));
    }
  }
  return std::string_view(reinterpret_cast<const char*>(out_.get()), kOutputChunk - st.avail_out);
}

core::Result<std::string_view> Decompressor::next_zstd() {
  ZSTD_outBuffer out{out_.get(), kOutputChunk, 0};
  while (out.pos < out.size) {
    auto more = refill();
    if (!more) return std::unexpected(more.error());
    if (!*more && zstd_->last == 0) break;  // clean end after a complete frame
    ZSTD_inBuffer in{pending_.data(), pending_.size(), 0};
    const std::size_t out_before = out.pos;
    const std::size_t rc = ZSTD_decompressStream(zstd_->stream, &out, &in);
    pending_.remove_prefix(in.pos);
    consumed_ += in.pos;
    if (ZSTD_isError(rc)) return std::unexpected(corrupt("zstd", ZSTD_getErrorName(rc), consumed_));
    zstd_->last = rc;
    if (!*more && out.pos == out_before) {
      if (out.pos != 0) break;
      return std::unexpected(truncated("zstd", consumed_));
    }
  }
  if (out.pos == 0) {
    done_ = true;
    return std::string_view{};
  }
  return std::string_view(reinterpret_cast<const char*>(out_.get()), out.pos);
}

}  // namespace mg::image
