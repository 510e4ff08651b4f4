#pragma once
// A chunk-pull decompressor: pulls stored (possibly compressed) blob bytes from a ChunkReader
// and yields uncompressed chunks. The format is decided by the first bytes, not by what the
// manifest says: 1f 8b is gzip (ISA-L igzip, multi-member, trailing zero padding allowed),
// 28 b5 2f fd is zstd (one or more frames), anything else is passed through untouched.
//
// It owns no thread and no global state, so a caller may run it on a thread of its own and
// hand the chunks over a queue. Memory: one 1 MiB output buffer plus the codec's state (ISA-L
// ~40 KiB; zstd up to its window, capped at 2^27 = 128 MiB by kZstdWindowLogMax).
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "image/image_source.hpp"

namespace mg::image {

class Decompressor final : public ChunkReader {
 public:
  static constexpr std::size_t kOutputChunk = 1u << 20;
  static constexpr int kZstdWindowLogMax = 27;

  explicit Decompressor(ChunkReader& input);
  ~Decompressor() override;
  Decompressor(const Decompressor&) = delete;
  Decompressor& operator=(const Decompressor&) = delete;

  // Next uncompressed chunk, empty at the end. Errors (truncated or corrupt stream) name the
  // compressed offset; the caller prefixes the layer. Valid until the next call.
  core::Result<std::string_view> next() override;

  // Known after the first next().
  Compression compression() const { return compression_; }
  // Stored bytes consumed so far (the offset errors refer to).
  std::uint64_t compressed_offset() const { return consumed_; }

 private:
  core::Result<void> detect();
  core::Result<bool> refill();  // false at end of input
  core::Result<std::string_view> next_gzip();
  core::Result<std::string_view> next_zstd();
  core::Result<std::string_view> next_plain();
  core::Result<bool> between_gzip_members();  // false at the clean end of the stream

  ChunkReader& input_;
  Compression compression_ = Compression::none;
  bool detected_ = false;
  bool input_eof_ = false;
  bool done_ = false;
  std::string head_;          // first bytes, when the first chunk was too short to see the magic
  std::string_view pending_;  // unconsumed input
  std::uint64_t consumed_ = 0;
  std::unique_ptr<unsigned char[]> out_;
  struct Gzip;
  struct Zstd;
  std::unique_ptr<Gzip> gzip_;
  std::unique_ptr<Zstd> zstd_;
};

}  // namespace mg::image
