// Real files of this machine, for clean images and clean base layers, and the built test miner.
#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include "image_builder.hpp"

#ifndef MG_TEST_MINER_PATH
#error "MG_TEST_MINER_PATH must name the built mg-test-miner (set by tests/support/CMakeLists.txt)"
#endif

namespace mg::testing {
namespace {

namespace fs = std::filesystem;

// Above this a single file would dominate a test image; real layers have many small files.
constexpr std::uintmax_t kMaxFileBytes = 8u << 20;

std::optional<std::string> read_all(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return bytes;
}

// Sorted regular files and symlinks under root; anything unreadable is skipped, not fatal.
std::vector<fs::path> candidates(const fs::path& root) {
  std::vector<fs::path> out;
  std::error_code ec;
  fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code status_ec;
    const auto status = it->symlink_status(status_ec);
    if (status_ec) continue;
    if (fs::is_regular_file(status) || fs::is_symlink(status)) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<FileSpec> load(const fs::path& path) {
  std::error_code ec;
  const std::string relative = path.relative_path().string();  // "/usr/bin/ls" -> "usr/bin/ls"
  const auto status = fs::symlink_status(path, ec);
  if (ec) return std::nullopt;
  if (fs::is_symlink(status)) {
    const fs::path target = fs::read_symlink(path, ec);
    if (ec) return std::nullopt;
    return symlink(relative, target.string());
  }
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxFileBytes) return std::nullopt;
  auto bytes = read_all(path);
  if (!bytes) return std::nullopt;
  const auto perms = static_cast<std::uint32_t>(status.permissions()) & 07777;
  return file(relative, std::move(*bytes), perms);
}

}  // namespace

std::vector<FileSpec> real_system_files(std::size_t max_files, std::uint64_t max_bytes) {
  std::vector<std::vector<fs::path>> roots;
  for (const char* root : {"/usr/bin", "/usr/lib/x86_64-linux-gnu", "/etc"})
    roots.push_back(candidates(root));
  std::vector<FileSpec> out;
  std::uint64_t total = 0;
  // Round-robin so that even a handful of files mixes executables, libraries and config.
  std::vector<std::size_t> next(roots.size(), 0);
  bool progressed = true;
  while (out.size() < max_files && progressed) {
    progressed = false;
    for (std::size_t r = 0; r < roots.size() && out.size() < max_files; ++r) {
      while (next[r] < roots[r].size()) {
        auto spec = load(roots[r][next[r]++]);
        if (!spec) continue;
        if (total + spec->content.size() > max_bytes) continue;  // try a smaller one
        total += spec->content.size();
        out.push_back(std::move(*spec));
        progressed = true;
        break;
      }
    }
  }
  return out;
}

std::string test_miner_binary() {
  auto bytes = read_all(MG_TEST_MINER_PATH);
  if (!bytes || bytes->empty())
    throw std::runtime_error(std::string("cannot read the test miner at ") + MG_TEST_MINER_PATH);
  return *bytes;
}

}  // namespace mg::testing
