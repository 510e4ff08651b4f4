#pragma once
// Runs another ChunkReader on a thread of its own, a few chunks ahead of the consumer. A layer
// is read as: stored bytes → SHA-256 → inflate → SHA-256 (diff_id) on this worker thread, the tar
// walk and the Hyperscan scan on the caller's, so the two halves of the work use two cores.
// Memory: `slots` copies of at most one inner chunk each (4 × 1 MiB by default).
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "image/image_source.hpp"

namespace mg::image {

class ReadAheadReader final : public ChunkReader {
 public:
  explicit ReadAheadReader(ChunkReader& inner, std::size_t slots = 4);
  ~ReadAheadReader() override;  // stops the worker and waits for it
  ReadAheadReader(const ReadAheadReader&) = delete;
  ReadAheadReader& operator=(const ReadAheadReader&) = delete;

  core::Result<std::string_view> next() override;

 private:
  void work();

  ChunkReader& inner_;
  std::vector<std::string> slots_;
  std::size_t head_ = 0;     // next slot the consumer takes
  std::size_t filled_ = 0;   // slots holding a chunk not yet taken
  bool holding_ = false;     // the consumer still uses the slot before head_
  bool ended_ = false;       // the worker has put the last chunk (or an error)
  bool stop_ = false;
  std::optional<core::Error> error_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::thread worker_;
};

}  // namespace mg::image
