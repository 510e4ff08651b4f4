#include "image/image_config.hpp"

#include <simdjson.h>

#include "image/json_fields.hpp"

namespace mg::image {
namespace {

using simdjson::dom::element;

}  // namespace

std::vector<std::string> ImageConfig::argv() const {
  std::vector<std::string> out = entrypoint;
  out.insert(out.end(), cmd.begin(), cmd.end());
  return out;
}

core::Result<ImageConfig> parse_image_config(std::string_view json, std::string_view where) {
  simdjson::dom::parser parser;
  element root;
  if (auto error = parser.parse(json.data(), json.size()).get(root); error != simdjson::SUCCESS) {
    return core::fail(core::ErrorCode::invalid_input,
                      std::string(where) + ": malformed JSON: " + simdjson::error_message(error));
  }
  if (!root.is_object()) {
    return core::fail(core::ErrorCode::invalid_input, std::string(where) + ": not a JSON object");
  }
  ImageConfig config;
  element container;
  // "config" in OCI and current Docker; "container_config" only describes the build container.
  if (root["config"].get(container) == simdjson::SUCCESS && container.is_object()) {
    auto entrypoint = string_list(container, "Entrypoint", std::string(where) + ": config");
    if (!entrypoint) return std::unexpected(entrypoint.error());
    config.entrypoint = std::move(*entrypoint);
    auto cmd = string_list(container, "Cmd", std::string(where) + ": config");
    if (!cmd) return std::unexpected(cmd.error());
    config.cmd = std::move(*cmd);
    auto env = string_list(container, "Env", std::string(where) + ": config");
    if (!env) return std::unexpected(env.error());
    config.env = std::move(*env);
    config.user = optional_string(container, "User");
    config.working_dir = optional_string(container, "WorkingDir");
    simdjson::dom::object labels;
    if (container["Labels"].get_object().get(labels) == simdjson::SUCCESS) {
      for (auto [key, value] : labels) {
        std::string_view text;
        if (value.get_string().get(text) == simdjson::SUCCESS) config.labels.emplace_back(std::string(key), text);
      }
    }
  }
  simdjson::dom::array history;
  if (root["history"].get_array().get(history) == simdjson::SUCCESS) {
    for (element entry : history) {
      if (auto created_by = optional_string(entry, "created_by"); !created_by.empty())
        config.history.push_back(std::move(created_by));
    }
  }
  return config;
}

}  // namespace mg::image
