// The layer reader on good and hostile layers: every way a layer can be wrong is an error that
// names the layer and what is wrong, on one line; sparse files and bombs stay cheap.
#include "image/layer_reader.hpp"

#include <gtest/gtest.h>

#include <random>

#include "image_builder.hpp"

namespace mg::image {
namespace {

using testing::Compression;

class StringReader final : public ChunkReader {
 public:
  StringReader(std::string bytes, std::size_t chunk = 65536) : bytes_(std::move(bytes)), chunk_(chunk) {}
  core::Result<std::string_view> next() override {
    auto view = std::string_view(bytes_).substr(std::min(at_, bytes_.size()), chunk_);
    at_ += view.size();
    return view;
  }

 private:
  std::string bytes_;
  std::size_t chunk_, at_ = 0;
};

struct Walk {
  std::vector<TarEntry> entries;
  std::map<std::string, std::string> contents;
};

LayerInfo info_for(const std::string& blob, const std::string& tar) {
  LayerInfo layer;
  layer.index = 2;
  layer.digest = "sha256:" + testing::sha256_hex(blob);
  layer.size = blob.size();
  layer.diff_id = "sha256:" + testing::sha256_hex(tar);
  return layer;
}

core::Result<Walk> walk(const LayerInfo& layer, std::string blob, const LayerLimits& limits = {}) {
  Walk walk;
  StringReader reader(std::move(blob), 4099);
  auto stats = read_layer(layer, reader, limits, [&](const TarEntry& entry, EntryData& data) -> core::Result<void> {
    walk.entries.push_back(entry);
    std::string content;
    std::uint64_t offset = 0;
    for (;;) {
      auto chunk = data.next(offset);
      if (!chunk) return std::unexpected(chunk.error());
      if (chunk->empty()) break;
      content.append(*chunk);
    }
    walk.contents[entry.path] = std::move(content);
    return {};
  });
  if (!stats) return std::unexpected(stats.error());
  return walk;
}

void expect_one_line_error(const core::Result<Walk>& result, std::string_view expected) {
  ASSERT_FALSE(result) << "expected an error containing: " << expected;
  const auto& message = result.error().message;
  EXPECT_TRUE(message.starts_with("layer 2 (")) << message;
  EXPECT_NE(message.find(expected), std::string::npos) << message;
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
}

const std::vector<testing::FileSpec> kFiles = {
    testing::dir("etc"), testing::file("etc/hostname", "node\n"), testing::symlink("etc/localtime", "/usr/share/zoneinfo/UTC"),
    testing::whiteout("opt/old"), testing::opaque("var/cache"), testing::file("./usr/bin/tool", std::string(300000, 'q'), 0755)};

TEST(LayerReader, ReadsEveryCompressionWithEntriesWhiteoutsAndLinks) {
  for (auto compression : {Compression::gzip, Compression::zstd, Compression::none}) {
    const testing::LayerSpec spec{kFiles, compression, ""};
    const auto tar = testing::layer_tar(spec), blob = testing::layer_blob(spec);
    auto result = walk(info_for(blob, tar), blob);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->contents.at("etc/hostname"), "node\n");
    EXPECT_EQ(result->contents.at("usr/bin/tool").size(), 300000u);  // "./" dropped
    bool whiteout = false, opaque = false, link = false;
    for (const auto& e : result->entries) {
      whiteout |= e.whiteout && e.path == "opt/old";
      opaque |= e.opaque && e.path == "var/cache";
      link |= e.type == EntryType::symlink && e.link_target == "/usr/share/zoneinfo/UTC";
    }
    EXPECT_TRUE(whiteout && opaque && link);
  }
}

TEST(LayerReader, MultiMemberGzipIsOneStream) {
  const auto tar = testing::make_tar(kFiles);
  const auto blob = testing::gzip_multi_member({tar.substr(0, 1000), tar.substr(1000)});
  auto result = walk(info_for(blob, tar), blob);
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->contents.at("etc/hostname"), "node\n");
}

TEST(LayerReader, SparseTenGigabyteFileIsWalkedWithoutItsHoles) {
  const auto tar = testing::make_tar({testing::sparse_file("data/disk.img", "header", 10ull << 30)}, testing::TarFormat::pax);
  const auto blob = testing::gzip(tar);
  std::uint64_t seen = 0;
  StringReader reader(blob);
  auto stats = read_layer(info_for(blob, tar), reader, {}, [&](const TarEntry& entry, EntryData& data) -> core::Result<void> {
    EXPECT_EQ(entry.size, 10ull << 30);
    std::uint64_t offset = 0;
    for (auto chunk = data.next(offset); chunk && !chunk->empty(); chunk = data.next(offset)) seen += chunk->size();
    return {};
  });
  ASSERT_TRUE(stats) << stats.error().message;
  EXPECT_LT(seen, 1u << 20);  // data blocks only, never ten gigabytes of zeros
}

TEST(LayerReader, TruncatedGzip) {
  const testing::LayerSpec spec{kFiles, Compression::gzip, ""};
  auto blob = testing::layer_blob(spec);
  auto layer = info_for(blob, testing::layer_tar(spec));
  layer.digest.clear();
  layer.size = 0;
  blob.resize(blob.size() / 2);
  expect_one_line_error(walk(layer, blob), "truncated");
}

TEST(LayerReader, CorruptZstd) {
  const testing::LayerSpec spec{kFiles, Compression::zstd, ""};
  auto blob = testing::layer_blob(spec);
  auto layer = info_for(blob, testing::layer_tar(spec));
  layer.digest.clear();
  for (std::size_t i = 20; i < blob.size(); i += 97) blob[i] = static_cast<char>(blob[i] ^ 0x5a);
  ASSERT_FALSE(walk(layer, blob));
  expect_one_line_error(walk(layer, blob), "");
}

TEST(LayerReader, RandomBytesAreNotATar) {
  std::string noise(100000, '\0');
  std::mt19937 rng(3);
  for (auto& c : noise) c = static_cast<char>(rng());
  noise[0] = 'x';  // no compression magic
  LayerInfo layer;
  layer.index = 2;
  layer.blob_path = "noise";
  expect_one_line_error(walk(layer, noise), "tar");
}

TEST(LayerReader, DigestAndDiffIdMismatches) {
  const testing::LayerSpec spec{kFiles, Compression::gzip, ""};
  const auto blob = testing::layer_blob(spec);
  auto wrong_digest = info_for(blob, testing::layer_tar(spec));
  wrong_digest.digest = "sha256:" + std::string(64, 'a');
  expect_one_line_error(walk(wrong_digest, blob), "digest mismatch");

  auto wrong_diff = info_for(blob, testing::layer_tar(spec));
  wrong_diff.diff_id = "sha256:" + std::string(64, 'b');
  expect_one_line_error(walk(wrong_diff, blob), "diff_id mismatch");

  auto wrong_size = info_for(blob, testing::layer_tar(spec));
  wrong_size.size += 1;
  expect_one_line_error(walk(wrong_size, blob), "bytes");
}

TEST(LayerReader, DigestIsCheckedEvenWhenNothingIsRead) {
  const testing::LayerSpec spec{kFiles, Compression::gzip, ""};
  const auto blob = testing::layer_blob(spec);
  auto layer = info_for(blob, testing::layer_tar(spec));
  layer.diff_id = "sha256:" + std::string(64, 'c');
  StringReader reader(blob);
  auto stats = read_layer(layer, reader, {}, [](const TarEntry&, EntryData&) { return core::Result<void>{}; });
  ASSERT_FALSE(stats);
  EXPECT_NE(stats.error().message.find("diff_id mismatch"), std::string::npos);
}

TEST(LayerReader, EscapingAndAbsolutePathsAreRejected) {
  for (const auto& [name, expected] : {std::pair<std::string, std::string>{"../../etc/cron.d/x", ".."},
                                       {"a/../../b", ".."},
                                       {"/etc/passwd", "absolute"}}) {
    SCOPED_TRACE(name);
    const auto tar = testing::make_tar({testing::file(name, "x")});
    const auto blob = testing::gzip(tar);
    expect_one_line_error(walk(info_for(blob, tar), blob), expected);
  }
}

TEST(LayerReader, DecompressionBombIsStopped) {
  // 256 MiB of zeros inflates from ~256 KiB: a ratio of about 1000:1.
  const auto tar = testing::make_tar({testing::file("zeros", std::string(256u << 20, '\0'))});
  const auto blob = testing::gzip(tar);
  auto layer = info_for(blob, tar);
  LayerLimits limits;
  limits.ratio_floor = 16u << 20;
  limits.max_ratio = 100;
  expect_one_line_error(walk(layer, blob, limits), "decompression bomb");

  LayerLimits small;
  small.max_uncompressed = 8u << 20;
  expect_one_line_error(walk(layer, blob, small), "--max-layer-bytes");
}

TEST(LayerReader, TooManyEntries) {
  std::vector<testing::FileSpec> files;
  for (int i = 0; i < 50; ++i) files.push_back(testing::file("f" + std::to_string(i), "x"));
  const auto tar = testing::make_tar(files);
  const auto blob = testing::gzip(tar);
  LayerLimits limits;
  limits.max_entries = 10;
  expect_one_line_error(walk(info_for(blob, tar), blob, limits), "entries");
}

}  // namespace
}  // namespace mg::image
