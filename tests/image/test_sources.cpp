// Image sources: format detection, manifest selection, and malformed or tampered metadata.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "image/image_source.hpp"
#include "image_builder.hpp"
#include "temp_dir.hpp"

namespace mg::image {
namespace {

namespace fs = std::filesystem;

class Sources : public ::testing::Test {
 protected:

  static testing::ImageSpec small() {
    testing::ImageSpec spec;
    spec.layers.push_back({{testing::file("a", "1")}, testing::Compression::gzip, ""});
    spec.layers.push_back({{testing::file("b", "2")}, testing::Compression::zstd, ""});
    spec.repo_tag = "example.test/small:7";
    return spec;
  }

  core::Result<std::unique_ptr<ImageSource>> open(const std::string& target) {
    auto spec = parse_target(target);
    if (!spec) return std::unexpected(spec.error());
    return open_source(*spec);
  }

  static void expect_error(const core::Result<std::unique_ptr<ImageSource>>& result, std::string_view expected) {
    ASSERT_FALSE(result) << "expected error: " << expected;
    EXPECT_NE(result.error().message.find(expected), std::string::npos) << result.error().message;
    EXPECT_EQ(result.error().message.find('\n'), std::string::npos);
  }

  mg::testing::TempDir temp_{"mg-src"};
  const fs::path dir_ = temp_.path();
};

TEST_F(Sources, DetectsEachKindAndReadsMetadata) {
  testing::write_docker_archive(small(), dir_ / "d.tar");
  testing::write_docker_archive(small(), dir_ / "d25.tar", {testing::DockerLayout::oci_blobs, true});
  testing::write_oci_layout(small(), dir_ / "layout", "v7");
  testing::write_oci_archive(small(), dir_ / "o.tar", "v7");
  struct Case {
    fs::path path;
    SourceKind kind;
  };
  for (const auto& c : {Case{dir_ / "d.tar", SourceKind::docker_archive}, Case{dir_ / "d25.tar", SourceKind::docker_archive},
                        Case{dir_ / "layout", SourceKind::oci_layout}, Case{dir_ / "o.tar", SourceKind::oci_archive}}) {
    SCOPED_TRACE(c.path);
    auto source = open(c.path.string());
    ASSERT_TRUE(source) << source.error().message;
    EXPECT_EQ((*source)->kind(), c.kind);
    const auto& meta = (*source)->metadata();
    ASSERT_EQ(meta.layers.size(), 2u);
    EXPECT_TRUE(meta.config_digest.starts_with("sha256:"));
    EXPECT_FALSE(meta.layers[1].diff_id.empty());
    int visited = 0;
    auto walked = (*source)->for_each_layer(2, [&](const LayerInfo&, ChunkReader& reader, int) -> core::Result<void> {
      ++visited;
      while (true) {
        auto chunk = reader.next();
        if (!chunk) return std::unexpected(chunk.error());
        if (chunk->empty()) return {};
      }
    });
    ASSERT_TRUE(walked) << walked.error().message;
    EXPECT_EQ(visited, 2);
  }
}

TEST_F(Sources, PrefixesAndReferences) {
  testing::write_oci_layout(small(), dir_ / "layout", "v7");
  auto spec = parse_target("oci:" + (dir_ / "layout").string() + ":v7");
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->reference, "v7");
  EXPECT_EQ(spec->path, (dir_ / "layout").string());
  ASSERT_TRUE(open("oci:" + (dir_ / "layout").string() + ":v7"));
  expect_error(open("oci:" + (dir_ / "layout").string() + ":nope"), "no manifest named 'nope'");
  expect_error(open((dir_ / "missing.tar").string()), "no such file");
  expect_error(open("docker://library/busybox"), "registry");
}

TEST_F(Sources, RandomBytesAndUnknownTars) {
  std::ofstream(dir_ / "noise.bin") << std::string(10000, '\x07');
  expect_error(open((dir_ / "noise.bin").string()), "not a tar archive");
  std::ofstream(dir_ / "plain.tar", std::ios::binary) << testing::make_tar({testing::file("hello", "world")});
  expect_error(open((dir_ / "plain.tar").string()), "no manifest.json or index.json");
}

TEST_F(Sources, MalformedManifestAndConfig) {
  auto spec = small();
  spec.tamper.manifest_text = "[{\"Config\": 5";
  testing::write_docker_archive(spec, dir_ / "bad.tar");
  expect_error(open((dir_ / "bad.tar").string()), "manifest.json: malformed JSON");

  auto index = small();
  index.tamper.index_text = "{\"manifests\": {}}";
  testing::write_oci_layout(index, dir_ / "badindex", "v");
  expect_error(open("oci:" + (dir_ / "badindex").string()), "index.json");
}

TEST_F(Sources, TamperedDigestsAndMissingBlobs) {
  auto missing = small();
  missing.tamper.layer = 1;
  missing.tamper.missing_layer_blob = true;
  testing::write_oci_layout(missing, dir_ / "missing", "v");
  expect_error(open("oci:" + (dir_ / "missing").string()), "layer 1");

  // A digest that would walk out of blobs/ is refused before it becomes a path.
  auto traversal = small();
  traversal.tamper.edit_files = [](std::map<std::string, std::string>& files) {
    files["index.json"] =
        R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:../../../../etc/passwd","size":10}]})";
  };
  testing::write_oci_layout(traversal, dir_ / "traversal", "v");
  auto result = open("oci:" + (dir_ / "traversal").string());
  ASSERT_FALSE(result);
}

}  // namespace
}  // namespace mg::image
