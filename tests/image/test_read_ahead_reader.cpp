#include "image/read_ahead_reader.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mg::image {
namespace {

// Yields numbered chunks of varying size, then optionally an error.
class Numbered final : public ChunkReader {
 public:
  Numbered(int count, bool fail_at_end) : count_(count), fail_(fail_at_end) {}
  core::Result<std::string_view> next() override {
    if (at_ == count_) {
      if (fail_) return core::fail(core::ErrorCode::invalid_input, "broken at chunk " + std::to_string(at_));
      return std::string_view{};
    }
    buffer_ = std::string(static_cast<std::size_t>(1 + at_ % 7) * 1000, static_cast<char>('a' + at_ % 26));
    ++at_;
    return std::string_view(buffer_);
  }

 private:
  int count_, at_ = 0;
  bool fail_;
  std::string buffer_;
};

TEST(ReadAheadReader, DeliversEveryChunkInOrderThenEndRepeatedly) {
  Numbered inner(200, false);
  ReadAheadReader reader(inner, 3);
  for (int i = 0; i < 200; ++i) {
    auto chunk = reader.next();
    ASSERT_TRUE(chunk);
    ASSERT_EQ(chunk->size(), static_cast<std::size_t>(1 + i % 7) * 1000);
    ASSERT_EQ(chunk->front(), static_cast<char>('a' + i % 26));
    ASSERT_EQ(chunk->back(), static_cast<char>('a' + i % 26));
  }
  for (int again = 0; again < 3; ++again) {
    auto end = reader.next();
    ASSERT_TRUE(end);
    EXPECT_TRUE(end->empty());
  }
}

TEST(ReadAheadReader, ErrorArrivesAfterTheChunksBeforeIt) {
  Numbered inner(5, true);
  ReadAheadReader reader(inner);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(reader.next());
  auto failed = reader.next();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "broken at chunk 5");
}

TEST(ReadAheadReader, ConsumerMayStopEarly) {
  Numbered inner(1000, false);
  {
    ReadAheadReader reader(inner);
    ASSERT_TRUE(reader.next());
  }  // destructor stops and joins the worker without hanging
  SUCCEED();
}

}  // namespace
}  // namespace mg::image
