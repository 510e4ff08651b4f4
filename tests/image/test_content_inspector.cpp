#include "image/content_inspector.hpp"

#include <gtest/gtest.h>

#include "image_builder.hpp"
#include "indicators/catalog.hpp"

namespace mg::image {
namespace {

// Entry data served from a string in chunks of a chosen size.
class StringData final : public EntryData {
 public:
  StringData(std::string bytes, std::size_t chunk) : bytes_(std::move(bytes)), chunk_(chunk) {}
  core::Result<std::string_view> next(std::uint64_t& offset) override {
    offset = at_;
    auto view = std::string_view(bytes_).substr(std::min(at_, bytes_.size()), chunk_);
    at_ += view.size();
    return view;
  }

 private:
  std::string bytes_;
  std::size_t chunk_;
  std::size_t at_ = 0;
};

// Entry data that breaks after its first chunk, like a truncated layer.
class BrokenData final : public EntryData {
 public:
  explicit BrokenData(std::string first) : first_(std::move(first)) {}
  core::Result<std::string_view> next(std::uint64_t&) override {
    if (!served_) {
      served_ = true;
      return std::string_view(first_);
    }
    return core::fail(core::ErrorCode::invalid_input, "truncated gzip stream at offset 99");
  }

 private:
  std::string first_;
  bool served_ = false;
};

ContentInspector make(const NestedLimits& limits = {}) {
  auto catalog = indicators::compiled_builtin_catalog();
  EXPECT_TRUE(catalog);
  auto inspector = ContentInspector::create(*catalog, limits);
  EXPECT_TRUE(inspector);
  return std::move(*inspector);
}

TarEntry entry(std::string path, std::uint64_t size) {
  TarEntry e;
  e.path = std::move(path);
  e.size = size;
  return e;
}

TEST(ContentInspector, MinerBinaryGivesEvidenceWhateverTheChunking) {
  auto inspector = make();
  const auto miner = testing::test_miner_binary();
  for (std::size_t chunk : {std::size_t{1} << 20, std::size_t{4096}, std::size_t{7}}) {
    std::vector<FileEvidence> out;
    StringData data(miner, chunk);
    ASSERT_TRUE(inspector.inspect(entry("opt/x", miner.size()), data, out));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].kind, FileKind::elf);
    EXPECT_GE(out[0].hits.size(), 5u);
  }
}

TEST(ContentInspector, NestedZipAndTarGzAreOpened) {
  auto inspector = make();
  const auto miner = testing::test_miner_binary();
  const auto zip = testing::make_zip({testing::file("bin/xmrig", miner, 0755)});
  std::vector<FileEvidence> out;
  StringData data(zip, 65536);
  ASSERT_TRUE(inspector.inspect(entry("srv/tools.zip", zip.size()), data, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].path, "srv/tools.zip");
  EXPECT_EQ(out[0].inner_path, "bin/xmrig");
  EXPECT_EQ(out[0].kind, FileKind::elf);

  const auto gz = testing::gzip(miner);  // a lone .gz, not a tar
  out.clear();
  StringData gz_data(gz, 65536);
  ASSERT_TRUE(inspector.inspect(entry("tmp/kworker.gz", gz.size()), gz_data, out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].inner_path, "kworker");
}

TEST(ContentInspector, CorruptNestedArchiveIsScannedRawAndMarked) {
  auto inspector = make();
  const auto miner = testing::test_miner_binary();
  auto tgz = testing::gzip(testing::make_tar({testing::file("xmrig", miner, 0755)}));
  tgz.resize(tgz.size() / 2);  // truncated inside the deflate stream
  std::vector<FileEvidence> out;
  StringData data(tgz, 65536);
  ASSERT_TRUE(inspector.inspect(entry("a.tgz", tgz.size()), data, out));
  ASSERT_FALSE(out.empty());
  bool marked = false;
  for (const auto& e : out) marked |= !e.incomplete.empty();
  EXPECT_TRUE(marked);
}

TEST(ContentInspector, CleanTextHasNoEvidence) {
  auto inspector = make();
  std::vector<FileEvidence> out;
  StringData data("The quick brown fox jumps over the lazy dog.\n", 8);
  ASSERT_TRUE(inspector.inspect(entry("README", 45), data, out));
  EXPECT_TRUE(out.empty());
}

TEST(ContentInspector, ErrorsOfTheLayerItselfPropagate) {
  auto inspector = make();
  std::vector<FileEvidence> out;
  BrokenData plain("just some text that goes on");
  auto result = inspector.inspect(entry("f", 1000), plain, out);
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("truncated"), std::string::npos);

  // Also when the broken file looked like an archive: the layer error wins over "corrupt archive".
  BrokenData archive(testing::gzip(std::string(100000, 'x')).substr(0, 64));
  auto nested = inspector.inspect(entry("g.gz", 1000), archive, out);
  ASSERT_FALSE(nested);
  EXPECT_NE(nested.error().message.find("truncated"), std::string::npos);
}

}  // namespace
}  // namespace mg::image
