#include "image/image_config.hpp"

#include <simdjson.h>

namespace mg::image {
namespace {

using simdjson::dom::element;

// Arrays of strings; null or absent is an empty list. Wrong types are errors: a config the
// runtime would reject is not one we guess at.
core::Result<std::vector<std::string>> string_array(element parent, const char* key, std::string_view where) {
  std::vector<std::string> out;
  element value;
  if (parent[key].get(value) != simdjson::SUCCESS || value.is_null()) return out;
  simdjson::dom::array array;
  if (value.get_array().get(array) != simdjson::SUCCESS) {
    return core::fail(core::ErrorCode::invalid_input, std::string(where) + ": config." + key + " is not an array");
  }
  for (element item : array) {
    std::string_view text;
    if (item.get_string().get(text) != simdjson::SUCCESS) {
      return core::fail(core::ErrorCode::invalid_input,
                        std::string(where) + ": config." + key + " holds a value that is not a string");
    }
    out.emplace_back(text);
  }
  return out;
}

std::string string_field(element parent, const char* key) {
  std::string_view text;
  if (parent[key].get_string().get(text) != simdjson::SUCCESS) return {};
  return std::string(text);
}

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
    auto entrypoint = string_array(container, "Entrypoint", where);
    if (!entrypoint) return std::unexpected(entrypoint.error());
    config.entrypoint = std::move(*entrypoint);
    auto cmd = string_array(container, "Cmd", where);
    if (!cmd) return std::unexpected(cmd.error());
    config.cmd = std::move(*cmd);
    auto env = string_array(container, "Env", where);
    if (!env) return std::unexpected(env.error());
    config.env = std::move(*env);
    config.user = string_field(container, "User");
    config.working_dir = string_field(container, "WorkingDir");
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
      if (auto created_by = string_field(entry, "created_by"); !created_by.empty())
        config.history.push_back(std::move(created_by));
    }
  }
  return config;
}

}  // namespace mg::image
