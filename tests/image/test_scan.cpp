// End to end through the image module's door: images built in code, in every format and
// compression, holding the test miner where attackers hide it; and a clean image of real files.
#include "image/scan.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "image/image_rules.hpp"
#include "image_builder.hpp"
#include "temp_dir.hpp"
#include "indicators/catalog.hpp"

namespace mg::image {
namespace {

namespace fs = std::filesystem;
using testing::Compression;

std::shared_ptr<const indicators::CompiledCatalog> catalog() {
  static auto compiled = [] {
    auto result = indicators::compiled_builtin_catalog();
    EXPECT_TRUE(result) << result.error().message;
    return *result;
  }();
  return compiled;
}

class ScanTest : public ::testing::Test {
 protected:

  core::Result<ImageScan> scan(const std::string& target, const ScanOptions& options = {}) {
    return scan_image(target, catalog(), options);
  }

  static std::vector<const core::Finding*> with_rule(const ImageScan& scan, std::string_view rule) {
    std::vector<const core::Finding*> out;
    for (const auto& f : scan.findings) {
      if (f.rule_id == rule) out.push_back(&f);
    }
    return out;
  }

  static const core::ImageLocation& where(const core::Finding& f) { return std::get<core::ImageLocation>(f.location); }

  static const core::Finding* at_path(const ImageScan& scan, std::string_view path, std::string_view inner = "") {
    for (const auto& f : scan.findings) {
      if (where(f).path == path && where(f).inner_path == inner) return &f;
    }
    return nullptr;
  }

  mg::testing::TempDir temp_{"mg-scan"};
  const fs::path dir_ = temp_.path();
};

// The 2020 attacker image, in each format and layer compression.
struct FormatCase {
  const char* name;
  Compression compression;
  friend void PrintTo(const FormatCase& c, std::ostream* os) { *os << c.name; }
};

class MinerImageFormats : public ScanTest, public ::testing::WithParamInterface<FormatCase> {};

TEST_P(MinerImageFormats, MinerFoundInEveryFormat) {
  const auto spec = testing::miner_image(GetParam().compression);
  std::vector<std::string> targets;
  testing::write_docker_archive(spec, dir_ / "docker.tar", {testing::DockerLayout::classic, true});
  targets.push_back("docker-archive:" + (dir_ / "docker.tar").string());
  testing::write_docker_archive(spec, dir_ / "docker25.tar", {testing::DockerLayout::oci_blobs, true});
  targets.push_back((dir_ / "docker25.tar").string());  // detected
  testing::write_oci_layout(spec, dir_ / "layout", "v1");
  targets.push_back("oci:" + (dir_ / "layout").string() + ":v1");
  testing::write_oci_archive(spec, dir_ / "oci.tar", "v1");
  targets.push_back("oci-archive:" + (dir_ / "oci.tar").string());

  for (const auto& target : targets) {
    SCOPED_TRACE(target);
    auto result = scan(target);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->target.verdict, core::Verdict::malicious);
    auto programs = with_rule(*result, kRuleMinerProgram);
    ASSERT_FALSE(programs.empty());
    const auto& loc = where(*programs.front());
    EXPECT_GE(loc.layer_index, 1);
    EXPECT_TRUE(loc.layer_digest.starts_with("sha256:"));
    EXPECT_FALSE(loc.deleted);
    EXPECT_FALSE(with_rule(*result, kRuleMinerConfig).empty());
    EXPECT_FALSE(with_rule(*result, kRuleMinerLauncher).empty());
    EXPECT_FALSE(with_rule(*result, kRuleConfigStartsMiner).empty());
    if (target.find("docker") != std::string::npos) {  // only docker archives carry the repo tag
      EXPECT_FALSE(with_rule(*result, kRuleKnownMinerImage).empty());  // ddsfdfsaadfs/dfsdf:99
    }
    EXPECT_GT(result->target.stats.at("bytes_uncompressed"), 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(Compressions, MinerImageFormats,
                         ::testing::Values(FormatCase{"gzip", Compression::gzip}, FormatCase{"zstd", Compression::zstd},
                                           FormatCase{"plain", Compression::none}),
                         [](const auto& info) { return info.param.name; });

TEST_F(ScanTest, MinerCommandInGenuineImageConfig) {
  testing::write_oci_archive(testing::tf_like_image(), dir_ / "tf.tar", "latest");
  auto result = scan((dir_ / "tf.tar").string());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->target.verdict, core::Verdict::malicious);
  auto starts = with_rule(*result, kRuleConfigStartsMiner);
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(where(*starts.front()).layer_index, -1);
  EXPECT_TRUE(where(*starts.front()).path.starts_with("config."));
  EXPECT_TRUE(with_rule(*result, kRuleMinerProgram).empty());
}

TEST_F(ScanTest, DeletedAndNestedMinersAreReportedWhereTheyHide) {
  testing::write_oci_layout(testing::hidden_miner_image(), dir_ / "hidden", "latest");
  auto result = scan("oci:" + (dir_ / "hidden").string());
  ASSERT_TRUE(result) << result.error().message;
  EXPECT_EQ(result->target.verdict, core::Verdict::malicious);

  const auto* deleted = at_path(*result, "opt/.cache/kworker");
  ASSERT_NE(deleted, nullptr);
  EXPECT_EQ(deleted->rule_id, kRuleMinerProgram);
  EXPECT_TRUE(where(*deleted).deleted);

  const auto* in_tgz = at_path(*result, "usr/share/fonts/.cache.tar.gz", "xmrig-6.21.0/xmrig");
  ASSERT_NE(in_tgz, nullptr);
  EXPECT_EQ(in_tgz->rule_id, kRuleMinerProgram);
  EXPECT_FALSE(where(*in_tgz).deleted);
  const auto* script_in_tgz = at_path(*result, "usr/share/fonts/.cache.tar.gz", "xmrig-6.21.0/start.sh");
  ASSERT_NE(script_in_tgz, nullptr);
  EXPECT_EQ(script_in_tgz->rule_id, kRuleMinerLauncher);

  const auto* in_zip = at_path(*result, "var/tmp/.tools.zip", "xmrig");
  ASSERT_NE(in_zip, nullptr);
  EXPECT_EQ(in_zip->rule_id, kRuleMinerProgram);
  EXPECT_NE(at_path(*result, "var/tmp/.tools.zip", "config.json"), nullptr);
}

TEST_F(ScanTest, DoublyNestedArchiveReportsTheChain) {
  const std::string miner = testing::test_miner_binary();
  const std::string inner = testing::make_tar({testing::file("bin/x", miner, 0755)});
  const std::string outer = testing::gzip(testing::make_tar({testing::file("inner.tar", inner)}));
  testing::ImageSpec spec;
  spec.layers.push_back({{testing::file("srv/bundle.tgz", outer)}, Compression::gzip, ""});
  testing::write_oci_layout(spec, dir_ / "n", "latest");
  auto result = scan("oci:" + (dir_ / "n").string());
  ASSERT_TRUE(result) << result.error().message;
  const auto* found = at_path(*result, "srv/bundle.tgz", "inner.tar!/bin/x");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->rule_id, kRuleMinerProgram);

  // With depth 1 the inner tar is not opened: its bytes are scanned raw and still betray the miner.
  ScanOptions shallow;
  shallow.nested.max_depth = 1;
  auto limited = scan("oci:" + (dir_ / "n").string(), shallow);
  ASSERT_TRUE(limited) << limited.error().message;
  const auto* raw = at_path(*limited, "srv/bundle.tgz", "inner.tar");
  ASSERT_NE(raw, nullptr);
  EXPECT_EQ(limited->target.verdict, core::Verdict::malicious);
}

TEST_F(ScanTest, OversizedNestedArchiveIsReportedAsNotFullyInspected) {
  std::string filler(4 << 20, '\0');
  std::mt19937 rng(7);
  for (auto& c : filler) c = static_cast<char>(rng());
  const std::string tgz = testing::gzip(testing::make_tar({testing::file("big.bin", filler)}));
  testing::ImageSpec spec;
  spec.layers.push_back({{testing::file("data/blob.tar.gz", tgz)}, Compression::gzip, ""});
  testing::write_oci_layout(spec, dir_ / "big", "latest");
  ScanOptions options;
  options.nested.max_bytes = 1 << 20;
  auto result = scan("oci:" + (dir_ / "big").string(), options);
  ASSERT_TRUE(result) << result.error().message;
  auto incomplete = with_rule(*result, kRuleIncompleteInspection);
  ASSERT_EQ(incomplete.size(), 1u);
  EXPECT_EQ(incomplete.front()->severity, core::Severity::medium);
  EXPECT_EQ(result->target.verdict, core::Verdict::suspicious);
}

TEST_F(ScanTest, CleanImageOfRealFilesIsClean) {
  testing::SampleOptions options;
  options.compression = Compression::gzip;
  options.base_files = 400;
  options.base_bytes = 48ull << 20;
  testing::write_oci_archive(testing::clean_image(options), dir_ / "clean.tar", "latest");
  auto result = scan("oci-archive:" + (dir_ / "clean.tar").string());
  ASSERT_TRUE(result) << result.error().message;
  for (const auto& f : result->findings) ADD_FAILURE() << f.rule_id << " " << where(f).path;
  EXPECT_EQ(result->target.verdict, core::Verdict::clean);
  EXPECT_GE(result->target.stats.at("files_inspected"), 100u);
}

TEST_F(ScanTest, EntrypointThroughSymlinkToMinerIsFollowed) {
  testing::ImageSpec spec;
  spec.layers.push_back({{testing::dir("opt"), testing::file("opt/.kw", testing::test_miner_binary(), 0755)},
                         Compression::gzip, ""});
  spec.layers.push_back({{testing::dir("usr"), testing::dir("usr/bin"), testing::symlink("usr/bin/python3", "/opt/.kw")},
                         Compression::gzip, ""});
  spec.entrypoint = {"python3", "train.py"};
  testing::write_oci_layout(spec, dir_ / "s", "latest");
  auto result = scan("oci:" + (dir_ / "s").string());
  ASSERT_TRUE(result) << result.error().message;
  auto starts = with_rule(*result, kRuleConfigStartsMiner);
  ASSERT_EQ(starts.size(), 1u);
  bool names_target = false;
  for (const auto& e : starts.front()->evidence) names_target |= e.value.find("/opt/.kw") != std::string::npos;
  EXPECT_TRUE(names_target);
}

TEST_F(ScanTest, EntrypointThroughSymlinkLoopIsBadInput) {
  testing::ImageSpec spec;
  spec.layers.push_back({{testing::dir("usr"), testing::dir("usr/bin"), testing::symlink("usr/bin/a", "b"),
                          testing::symlink("usr/bin/b", "/usr/bin/a")},
                         Compression::gzip, ""});
  spec.entrypoint = {"/usr/bin/a"};
  testing::write_oci_layout(spec, dir_ / "loop", "latest");
  auto result = scan("oci:" + (dir_ / "loop").string());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("symlink loop"), std::string::npos) << result.error().message;
  EXPECT_EQ(result.error().message.find('\n'), std::string::npos);
}

TEST_F(ScanTest, MalformedConfigIsBadInputNamingIt) {
  auto spec = testing::miner_image();
  spec.tamper.config_text = "{\"config\": {\"Cmd\": 7}}";
  testing::write_oci_layout(spec, dir_ / "badcfg", "latest");
  auto result = scan("oci:" + (dir_ / "badcfg").string());
  ASSERT_FALSE(result);
  EXPECT_NE(result.error().message.find("config"), std::string::npos) << result.error().message;
}

}  // namespace
}  // namespace mg::image
