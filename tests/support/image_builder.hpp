#pragma once
// Test support: builds container images (docker-archive, OCI layout, OCI archive) and the archives
// and compressed blobs inside them, in memory, from small declarative specs.
//
// Error policy: this is test scaffolding, not a module. A test that cannot build its input must
// fail loudly, so every function here throws std::runtime_error naming what failed; GoogleTest
// reports the exception as a test failure. Nothing here is linked into minerguard itself.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mg::testing {

// One archive member. Paths are written verbatim (no normalisation), so "../evil", "/abs" and
// "a/./b" reach the archive as given: negative tests need exactly that.
struct FileSpec {
  std::string path;
  std::string content;
  std::uint32_t mode = 0644;
  enum Type { file, dir, symlink, hardlink } type = file;
  std::string link_target;    // symlink target, or the earlier member a hardlink points to
  std::uint64_t sparse_size = 0;  // >0: a sparse file of this logical size, `content` at its start
};

FileSpec file(std::string path, std::string content, std::uint32_t mode = 0644);
FileSpec dir(std::string path, std::uint32_t mode = 0755);
FileSpec symlink(std::string path, std::string target);
FileSpec hardlink(std::string path, std::string target);
FileSpec sparse_file(std::string path, std::string content, std::uint64_t logical_size);
// An OCI/AUFS whiteout deleting `path` from lower layers: "<dir>/.wh.<name>", empty file.
FileSpec whiteout(std::string_view path);
// An opaque-directory marker hiding everything lower layers put under `dir`: "<dir>/.wh..wh..opq".
FileSpec opaque(std::string_view dir);

// pax is what Docker/BuildKit write today; ustar and gnutar exercise the other header dialects.
// Sparse members need pax (GNU sparse 1.0 in pax headers) or gnutar (old GNU sparse headers).
enum class TarFormat { pax, ustar, gnutar };

std::string make_tar(const std::vector<FileSpec>& files, TarFormat format = TarFormat::pax);
std::string make_zip(const std::vector<FileSpec>& files);

std::string gzip(std::string_view bytes);
// Several gzip members back to back (RFC 1952 allows it; pigz and some registries produce it).
std::string gzip_multi_member(const std::vector<std::string>& parts);
std::string zstd(std::string_view bytes);
// Inverse helpers for assertions: all gzip members, all zstd frames.
std::string gunzip(std::string_view bytes);
std::string unzstd(std::string_view bytes);
std::string sha256_hex(std::string_view bytes);

enum class Compression { none, gzip, zstd };

struct LayerSpec {
  std::vector<FileSpec> files;
  Compression compression = Compression::gzip;
  std::string raw;  // if non-empty, the exact blob bytes (corrupt-layer tests); files are ignored
};

// Ways to break an otherwise consistent image, for negative tests. Applied while writing.
struct Tamper {
  std::size_t layer = 0;              // which layer the per-layer flags below apply to
  bool wrong_diff_id = false;         // config rootfs.diff_ids[layer] names other content
  bool wrong_layer_digest = false;    // manifest names a digest the stored blob does not hash to
  bool wrong_layer_size = false;      // manifest descriptor size is one byte too large
  bool missing_layer_blob = false;    // manifest names a blob that is not in the image
  std::optional<std::string> manifest_text;  // replaces the manifest bytes verbatim
  std::optional<std::string> config_text;    // replaces the image config bytes verbatim
  std::optional<std::string> index_text;     // replaces index.json (OCI / Docker >= 25) verbatim
  // Last word: edit the finished set of image files (relative path -> bytes) before writing.
  std::function<void(std::map<std::string, std::string>& files)> edit_files;
};

struct ImageSpec {
  std::vector<LayerSpec> layers;
  std::vector<std::string> entrypoint, cmd, env;
  std::map<std::string, std::string> labels;
  std::vector<std::string> history;  // created_by lines; the first layers.size() map to layers,
                                     // any further ones are empty_layer entries
  std::string repo_tag = "example.test/app:1";
  std::string user, working_dir;
  Tamper tamper;
};

// Classic `docker save` (<id>/layer.tar, <hex>.json, repositories) or Docker >= 25, which writes
// an OCI layout (blobs/sha256/<hex>, index.json, oci-layout) plus the same manifest.json.
enum class DockerLayout { classic, oci_blobs };

struct DockerArchiveOptions {
  DockerLayout layout = DockerLayout::classic;
  // docker save stores layers uncompressed; true keeps each LayerSpec's compression instead
  // (docker load accepts that, and other tools write it).
  bool keep_layer_compression = false;
};

// The image's files as written: relative path -> bytes. Useful to assert on or tamper with.
using ImageFiles = std::map<std::string, std::string>;
ImageFiles docker_archive_files(const ImageSpec& spec, const DockerArchiveOptions& options = {});
ImageFiles oci_layout_files(const ImageSpec& spec, const std::string& ref_name = "latest");

void write_docker_archive(const ImageSpec& spec, const std::filesystem::path& out,
                          const DockerArchiveOptions& options = {});
void write_oci_layout(const ImageSpec& spec, const std::filesystem::path& dir,
                      const std::string& ref_name = "latest");
void write_oci_archive(const ImageSpec& spec, const std::filesystem::path& out,
                       const std::string& ref_name = "latest");

// The uncompressed tar of a layer (what its diff_id hashes), and the blob as stored.
std::string layer_tar(const LayerSpec& layer);
std::string layer_blob(const LayerSpec& layer);
std::string layer_media_type(Compression compression);

// Real files of this machine (/usr/bin, /usr/lib/x86_64-linux-gnu, /etc), taken round-robin in
// sorted order so the choice is stable: regular files and symlinks only, unreadable and huge
// files skipped. Paths are relative ("usr/bin/ls"), as in a layer.
std::vector<FileSpec> real_system_files(std::size_t max_files, std::uint64_t max_bytes);

// The bytes of the built mg-test-miner (an inert program carrying XMRig's strings).
std::string test_miner_binary();

// A checksum-valid Monero mainnet standard address from random keys (nobody's wallet).
std::string make_test_monero_address(std::uint64_t seed);

// XMRig-shaped config.json and the dropper shell script of the campaigns, with `wallet`.
std::string xmrig_config_json(const std::string& wallet);
std::string launcher_script(const std::string& wallet);
// The command line the campaigns ran: download XMRig from a TEST-NET host, start it on a pool.
std::string dropper_command(const std::string& wallet);

// Ready-made images (sample_images.cpp says what each holds and why). Real system files make up
// their clean part; base_files/base_bytes bound it (benchmarks raise them).
struct SampleOptions {
  Compression compression = Compression::gzip;
  std::size_t base_files = 40;
  std::uint64_t base_bytes = 4u << 20;
};
ImageSpec miner_image(const SampleOptions& options);         // 2020: attacker image with XMRig
ImageSpec tf_like_image(const SampleOptions& options);       // 2021: clean image, miner in Cmd
ImageSpec hidden_miner_image(const SampleOptions& options);  // whiteout-deleted and nested miner
ImageSpec clean_image(const SampleOptions& options);         // real files, ordinary Cmd
ImageSpec miner_image(Compression compression = Compression::gzip);
ImageSpec tf_like_image(Compression compression = Compression::gzip);
ImageSpec hidden_miner_image(Compression compression = Compression::gzip);
ImageSpec clean_image(Compression compression = Compression::gzip);

// The wallet the ready-made images carry.
std::string test_wallet();

}  // namespace mg::testing
