#include "image/read_ahead_reader.hpp"

namespace mg::image {

ReadAheadReader::ReadAheadReader(ChunkReader& inner, std::size_t slots)
    : inner_(inner), slots_(slots < 2 ? 2 : slots) {
  worker_ = std::thread([this] { work(); });
}

ReadAheadReader::~ReadAheadReader() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  changed_.notify_all();
  worker_.join();
}

void ReadAheadReader::work() {
  std::size_t tail = 0;
  for (;;) {
    {
      // A slot is free when it is neither filled nor still held by the consumer.
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stop_ || filled_ + (holding_ ? 1 : 0) < slots_.size(); });
      if (stop_) return;
    }
    auto chunk = inner_.next();
    std::lock_guard lock(mutex_);
    if (!chunk) {
      error_ = chunk.error();
      ended_ = true;
    } else {
      // The slot at `tail` is free: the wait above guaranteed it, and only this thread fills.
      slots_[tail].assign(chunk->data(), chunk->size());
      tail = (tail + 1) % slots_.size();
      ++filled_;
      if (chunk->empty()) ended_ = true;
    }
    changed_.notify_all();
    if (ended_) return;
  }
}

core::Result<std::string_view> ReadAheadReader::next() {
  std::unique_lock lock(mutex_);
  holding_ = false;  // the view handed out last time is no longer used
  changed_.notify_all();
  changed_.wait(lock, [&] { return filled_ > 0 || ended_; });
  if (filled_ == 0) {
    if (error_) return std::unexpected(*error_);
    return std::string_view{};  // asked again after the end
  }
  const std::string& slot = slots_[head_];
  head_ = (head_ + 1) % slots_.size();
  --filled_;
  holding_ = true;
  return std::string_view(slot);
}

}  // namespace mg::image
