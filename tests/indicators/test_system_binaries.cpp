// Real programs and libraries of this machine are not miners: none may reach the suspicious score.
// The set is fixed by rule (every regular file under these roots, in name order, within bounds),
// so a new false positive in the catalog fails here.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "indicator_test_support.hpp"
#include "indicators/scoring.hpp"

namespace mg::indicators {
namespace {

namespace fs = std::filesystem;

constexpr int kSuspicious = 5;
constexpr std::uintmax_t kMaxFileBytes = 256ull << 20;
constexpr std::size_t kMaxFiles = 20000;

struct Scored {
  std::string path;
  Assessment assessment;
};

std::vector<fs::path> system_files() {
  std::vector<fs::path> roots{"/usr/bin", "/usr/lib/x86_64-linux-gnu"};
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/usr/lib", ec))
    if (entry.path().filename().string().starts_with("python3")) roots.push_back(entry.path());
  std::vector<fs::path> files;
  for (const auto& root : roots) {
    for (fs::recursive_directory_iterator it(root, fs::directory_options::skip_permission_denied, ec), end;
         !ec && it != end; it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_symlink(type_ec) || !it->is_regular_file(type_ec)) continue;
      if (it->file_size(type_ec) > kMaxFileBytes) continue;
      files.push_back(it->path());
    }
  }
  std::sort(files.begin(), files.end());
  if (files.size() > kMaxFiles) files.resize(kMaxFiles);
  return files;
}

TEST(SystemBinaries, NoCleanFileReachesSuspicious) {
  auto catalog = testing::builtin();
  auto scanner = Scanner::create(catalog);
  ASSERT_TRUE(scanner);
  const auto files = system_files();
  // These must be among them on the Debian image the project builds on (scripts/setup).
  for (const char* must : {"/usr/bin/curl", "/usr/bin/python3.11", "/usr/lib/x86_64-linux-gnu/libcrypto.so.3",
                           "/usr/lib/x86_64-linux-gnu/libcurl.so.4"}) {
    fs::path resolved = fs::weakly_canonical(must);
    if (fs::exists(resolved)) {
      EXPECT_TRUE(std::binary_search(files.begin(), files.end(), resolved)) << resolved;
    }
  }
  ASSERT_GT(files.size(), 100u);

  std::vector<Scored> scored;
  std::string buffer(1 << 20, '\0');
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) continue;
    Stream& stream = scanner->stream();
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
      stream.feed(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())));
    }
    const auto hits = stream.finish();
    if (!hits.empty()) scored.push_back({path.string(), assess(*catalog, hits)});
  }
  std::sort(scored.begin(), scored.end(),
            [](const Scored& a, const Scored& b) { return a.assessment.score > b.assessment.score; });
  std::cout << "[ info ] scanned " << files.size() << " files; highest scores:\n";
  for (std::size_t i = 0; i < std::min<std::size_t>(scored.size(), 8); ++i) {
    std::cout << "  " << scored[i].assessment.score << "  " << scored[i].path << "  [";
    for (const auto& hit : scored[i].assessment.strongest) std::cout << " " << catalog->at(hit.indicator).id;
    std::cout << " ]\n";
  }
  for (const auto& s : scored) EXPECT_LT(s.assessment.score, kSuspicious) << s.path;
}

}  // namespace
}  // namespace mg::indicators
