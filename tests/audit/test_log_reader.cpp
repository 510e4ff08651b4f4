// Files as users have them: plain and gzip (several members), huge lines, lines split across
// reads, files still being written (--follow) and rotated.
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "audit_test_support.hpp"

namespace mg::audit::testing {
namespace {

namespace fs = std::filesystem;

class LogReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mg-log-reader-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string write(const std::string& name, const std::string& bytes) {
    const auto path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }

  static std::string gzip(const std::string& text) {
    z_stream z{};
    deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&z, text.size()) + 64, '\0');
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
    z.avail_in = static_cast<uInt>(text.size());
    z.next_out = reinterpret_cast<Bytef*>(out.data());
    z.avail_out = static_cast<uInt>(out.size());
    deflate(&z, Z_FINISH);
    out.resize(z.total_out);
    deflateEnd(&z);
    return out;
  }

  struct Read {
    std::vector<Seen> events;
    LogStats stats;
    core::Result<void> result;
  };
  static Read read(const std::string& path, LogReadOptions options = {}) {
    Read out;
    EventDecoder decoder;
    out.result = read_audit_log(path, options, decoder, [&](Event& e) { out.events.push_back(own(e)); }, out.stats);
    return out;
  }

  static std::string events(int n, int first = 0) {
    std::string text;
    for (int i = first; i < first + n; ++i)
      text += R"({"verb":"get","auditID":")" + std::to_string(i) + R"(","user":{"username":"u"}})" "\n";
    return text;
  }

  fs::path dir_;
};

TEST_F(LogReaderTest, PlainAndGzipFilesGiveTheSameEvents) {
  const std::string text = events(1000);
  auto plain = read(write("a.log", text));
  // Two gzip members back to back, as `cat a.gz b.gz` or logrotate's delaycompress leave them.
  auto gz = read(write("a.log.gz", gzip(events(500)) + gzip(events(500, 500))));
  ASSERT_TRUE(plain.result);
  ASSERT_TRUE(gz.result) << gz.result.error().message;
  ASSERT_EQ(plain.events.size(), 1000u);
  ASSERT_EQ(gz.events.size(), 1000u);
  for (std::size_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(gz.events[i].audit_id, plain.events[i].audit_id);
    EXPECT_EQ(gz.events[i].line, i + 1);
  }
}

TEST_F(LogReaderTest, ATruncatedGzipFileIsAnErrorAfterWhatItHeld) {
  const std::string compressed = gzip(events(2000));
  auto got = read(write("cut.gz", compressed.substr(0, compressed.size() / 2)));
  ASSERT_FALSE(got.result);
  EXPECT_NE(got.result.error().message.find("cut.gz: gzip: truncated"), std::string::npos) << got.result.error().message;
  EXPECT_GT(got.events.size(), 0u);
}

TEST_F(LogReaderTest, ALineOverTheLimitIsSkippedAndCountedAndTheNextLinesAreRead) {
  // 10 MB of one line between two events; the limit is 8 MiB.
  std::string text = events(1);
  text += R"({"verb":"get","auditID":"big","requestObject":{"data":")" + std::string(10'000'000, 'x') + "\"}}\n";
  text += events(2, 1);
  auto got = read(write("big.log", text));
  ASSERT_TRUE(got.result);
  ASSERT_EQ(got.events.size(), 3u);
  EXPECT_EQ(got.events[1].audit_id, "1");
  EXPECT_EQ(got.events[1].line, 3u);
  EXPECT_EQ(got.stats.malformed, 1u);
  ASSERT_EQ(got.stats.problems.size(), 1u);
  EXPECT_NE(got.stats.problems[0].find("big.log:2: line longer than 8388608 bytes"), std::string::npos)
      << got.stats.problems[0];
}

TEST_F(LogReaderTest, ALongLineUnderTheLimitIsRead) {
  // Longer than one read chunk (8 MiB), shorter than a raised limit.
  std::string text = R"({"verb":"get","auditID":"long","requestObject":{"data":")" + std::string(9'000'000, 'y') + "\"}}\n";
  text += events(1);
  LogReadOptions options;
  options.max_line_bytes = 16u << 20;
  auto got = read(write("long.log", text), options);
  ASSERT_EQ(got.events.size(), 2u);
  EXPECT_EQ(got.events[0].audit_id, "long");
  EXPECT_EQ(got.stats.malformed, 0u);
}

TEST_F(LogReaderTest, ManyLinesAcrossReadBoundariesKeepTheirNumbers) {
  auto got = read(write("many.log", events(200'000)));
  ASSERT_EQ(got.events.size(), 200'000u);
  EXPECT_EQ(got.events.back().audit_id, "199999");
  EXPECT_EQ(got.events.back().line, 200'000u);
  EXPECT_EQ(got.stats.malformed, 0u);
}

TEST_F(LogReaderTest, TheLastLineNeedsNoNewline) {
  std::string text = events(2);
  text.pop_back();
  auto got = read(write("nonl.log", text));
  EXPECT_EQ(got.events.size(), 2u);
}

TEST_F(LogReaderTest, AMultiLineExportIsReadWhole) {
  auto got = read(write("export.json", "\xEF\xBB\xBF{\n  \"records\": [\n    {\"properties\": {\"log\": \"{\\\"verb\\\":\\\"get\\\",\\\"auditID\\\":\\\"1\\\"}\"}}\n  ]\n}\n"));
  ASSERT_TRUE(got.result);
  ASSERT_EQ(got.events.size(), 1u);
  EXPECT_EQ(got.events[0].line, 3u);
  auto truncated = read(write("cut.json", "{\n  \"records\": [\n    {\"properties\": {\"log\": \"x\"}}\n"));
  EXPECT_EQ(truncated.events.size(), 0u);
  EXPECT_EQ(truncated.stats.malformed, 1u);
  ASSERT_EQ(truncated.stats.problems.size(), 1u);
  EXPECT_NE(truncated.stats.problems[0].find("cut.json:1:"), std::string::npos) << truncated.stats.problems[0];
}

TEST_F(LogReaderTest, MissingFilesAndDirectoriesAreErrors) {
  auto missing = read((dir_ / "nope.log").string());
  ASSERT_FALSE(missing.result);
  EXPECT_NE(missing.result.error().message.find("nope.log: cannot open"), std::string::npos);
  auto directory = read(dir_.string());
  ASSERT_FALSE(directory.result);
  EXPECT_NE(directory.result.error().message.find("is a directory"), std::string::npos);
}

TEST_F(LogReaderTest, FollowReadsWhatIsAppendedAndWhatReplacesARotatedFile) {
  const std::string path = write("follow.log", events(3));
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> seen{0};
  LogReadOptions options;
  options.follow = true;
  options.poll = std::chrono::milliseconds(10);
  options.stop = &stop;
  std::vector<Seen> got;
  LogStats stats;
  core::Result<void> result;
  std::thread reader([&] {
    EventDecoder decoder;
    result = read_audit_log(path, options, decoder, [&](Event& e) {
      got.push_back(own(e));
      seen.store(got.size());
    }, stats);
  });
  auto wait_for = [&](std::size_t n) {
    // Waits for the reader, not for a time: the deadline only ends a test that would hang.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (seen.load() < n && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return seen.load();
  };
  EXPECT_EQ(wait_for(3), 3u);
  {
    std::ofstream append(path, std::ios::binary | std::ios::app);
    append << events(2, 3);
    // Half a line: held until its newline arrives.
    append << R"({"verb":"get",)";
  }
  EXPECT_EQ(wait_for(5), 5u);
  { std::ofstream(path, std::ios::binary | std::ios::app) << R"("auditID":"5"})" "\n"; }
  EXPECT_EQ(wait_for(6), 6u);
  // Rotation: the file is renamed and a new one takes its name.
  fs::rename(path, path + ".1");
  write("follow.log", events(1, 100));
  EXPECT_EQ(wait_for(7), 7u);
  stop.store(true);
  reader.join();
  ASSERT_TRUE(result);
  ASSERT_EQ(got.size(), 7u);
  EXPECT_EQ(got[5].audit_id, "5");
  EXPECT_EQ(got[6].audit_id, "100");
  EXPECT_EQ(stats.malformed, 0u);
}

}  // namespace
}  // namespace mg::audit::testing
