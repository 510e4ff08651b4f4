#pragma once
// The parts of an image configuration (the OCI/Docker config JSON) that say what the image runs.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace mg::image {

struct ImageConfig {
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::vector<std::string> env;                              // "KEY=value"
  std::vector<std::pair<std::string, std::string>> labels;
  std::vector<std::string> history;                          // created_by of each history entry
  std::string user;
  std::string working_dir;

  // The argv the container starts with: Entrypoint followed by Cmd.
  std::vector<std::string> argv() const;
};

// `where` names the config in errors ("config sha256:ab12…").
core::Result<ImageConfig> parse_image_config(std::string_view json, std::string_view where);

}  // namespace mg::image
