#include "image/filesystem_view.hpp"

#include <deque>

namespace mg::image {
namespace {

constexpr int kMaxLinks = 40;  // Linux's MAXSYMLINKS

// "a/b/c" → "a", "a/b" (the proper ancestors).
std::vector<std::string> ancestors(const std::string& path) {
  std::vector<std::string> out;
  for (std::size_t pos = path.find('/'); pos != std::string::npos; pos = path.find('/', pos + 1)) {
    if (pos > 0) out.push_back(path.substr(0, pos));
  }
  return out;
}

std::deque<std::string> split(const std::string& path) {
  std::deque<std::string> parts;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto end = path.find('/', start);
    if (end == std::string::npos) end = path.size();
    if (end > start) parts.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

}  // namespace

void FilesystemView::add_whiteout(int layer, const std::string& path) { whiteouts_[layer].insert(path); }
void FilesystemView::add_opaque(int layer, const std::string& dir) { opaques_[layer].insert(dir); }
void FilesystemView::add_symlink(int layer, const std::string& path, const std::string& target) {
  symlinks_[path].push_back({layer, target});
}

bool FilesystemView::deleted(int layer, const std::string& path) const {
  const auto parents = ancestors(path);
  for (auto it = whiteouts_.upper_bound(layer); it != whiteouts_.end(); ++it) {
    if (it->second.contains(path)) return true;
    for (const auto& parent : parents) {
      if (it->second.contains(parent)) return true;
    }
  }
  for (auto it = opaques_.upper_bound(layer); it != opaques_.end(); ++it) {
    for (const auto& parent : parents) {
      if (it->second.contains(parent)) return true;
    }
  }
  return false;
}

core::Result<std::string> FilesystemView::resolve(const std::string& path) const {
  std::deque<std::string> pending = split(path);
  std::vector<std::string> done;
  int links = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.front());
    pending.pop_front();
    if (part == ".") continue;
    if (part == "..") {
      if (!done.empty()) done.pop_back();
      continue;
    }
    std::string candidate;
    for (const auto& d : done) candidate += d + "/";
    candidate += part;
    const Symlink* visible = nullptr;
    if (auto it = symlinks_.find(candidate); it != symlinks_.end()) {
      for (const auto& link : it->second) {
        if (deleted(link.layer, candidate)) continue;
        if (visible == nullptr || link.layer > visible->layer) visible = &link;
      }
    }
    if (visible == nullptr) {
      done.push_back(std::move(part));
      continue;
    }
    if (++links > kMaxLinks) {
      return core::fail(core::ErrorCode::invalid_input,
                        "path /" + path + ": symlink loop (more than 40 links) at /" + candidate + " -> " +
                            visible->target + " (layer " + std::to_string(visible->layer) + ")");
    }
    auto target = split(visible->target);
    if (!visible->target.empty() && visible->target.front() == '/') done.clear();
    for (auto it = target.rbegin(); it != target.rend(); ++it) pending.push_front(*it);
  }
  std::string out;
  for (const auto& d : done) out += (out.empty() ? "" : "/") + d;
  return out;
}

}  // namespace mg::image
