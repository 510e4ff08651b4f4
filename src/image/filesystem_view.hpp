#pragma once
// What the union of the layers looks like, as far as findings need it: which paths later layers
// delete (whiteouts, opaque directories) and where symlinks point. Layers may be read in any
// order (a docker-archive stores them as it likes); the view applies them by index.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace mg::image {

class FilesystemView {
 public:
  void add_whiteout(int layer, const std::string& path);
  void add_opaque(int layer, const std::string& dir);
  void add_symlink(int layer, const std::string& path, const std::string& target);

  // True if a layer above `layer` deletes `path` (a whiteout of it or of a parent directory, or
  // an opaque marker on a parent directory).
  bool deleted(int layer, const std::string& path) const;

  // Resolves an absolute path through the symlinks visible in the final filesystem, as the kernel
  // would (component by component, at most 40 links). A loop is an error naming the path.
  core::Result<std::string> resolve(const std::string& path) const;

 private:
  struct Symlink {
    int layer;
    std::string target;
  };
  std::map<int, std::set<std::string>> whiteouts_;  // layer → deleted paths
  std::map<int, std::set<std::string>> opaques_;    // layer → opaque dirs
  std::map<std::string, std::vector<Symlink>> symlinks_;
};

}  // namespace mg::image
