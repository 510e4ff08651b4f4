// Parsing catalog YAML into Indicator values. Every message names "file:line". yaml-cpp throws;
// its exceptions are caught here and never leave this file.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "indicators/catalog.hpp"
#include "indicators/kind.hpp"

namespace mg::indicators {
namespace {

const std::set<std::string, std::less<>> kKnownKeys{"id",       "kind", "pattern", "weight", "group",
                                                     "caseless", "coin", "why",     "source"};

std::string where(std::string_view name, int line) { return std::string(name) + ":" + std::to_string(line); }

core::Error schema_error(std::string_view name, int line, std::string_view id, const std::string& message) {
  std::string text = where(name, line) + ": ";
  if (!id.empty()) text += "indicator '" + std::string(id) + "': ";
  return core::Error{core::ErrorCode::invalid_input, text + message};
}

bool valid_id(std::string_view id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

// Reads a scalar field as text; nullopt when absent.
core::Result<std::optional<std::string>> scalar(const YAML::Node& entry, const char* key, std::string_view name,
                                                int line, std::string_view id) {
  const YAML::Node node = entry[key];
  if (!node) return std::optional<std::string>{};
  if (!node.IsScalar()) {
    return std::unexpected(schema_error(name, node.Mark().line + 1, id, std::string("field '") + key + "' must be a scalar"));
  }
  (void)line;
  return std::optional<std::string>{node.Scalar()};
}

core::Result<Indicator> parse_entry(const YAML::Node& entry, std::string_view name) {
  const int line = entry.Mark().line + 1;
  if (!entry.IsMap()) return std::unexpected(schema_error(name, line, "", "an entry must be a mapping"));

  Indicator indicator;
  indicator.file = std::string(name);
  indicator.line = line;

  auto id = scalar(entry, "id", name, line, "");
  if (!id) return std::unexpected(id.error());
  if (!*id) return std::unexpected(schema_error(name, line, "", "missing field 'id'"));
  indicator.id = **id;
  if (!valid_id(indicator.id)) {
    return std::unexpected(schema_error(name, line, indicator.id, "id must be non-empty lower-case [a-z0-9._-]"));
  }

  for (const auto& item : entry) {
    const std::string key = item.first.as<std::string>();
    if (!kKnownKeys.contains(key)) {
      return std::unexpected(schema_error(name, item.first.Mark().line + 1, indicator.id, "unknown field '" + key + "'"));
    }
  }

  std::string fields[5];
  const char* required[5] = {"kind", "pattern", "group", "why", "source"};
  for (int i = 0; i < 5; ++i) {
    auto value = scalar(entry, required[i], name, line, indicator.id);
    if (!value) return std::unexpected(value.error());
    if (!*value || (*value)->empty()) {
      return std::unexpected(schema_error(name, line, indicator.id, std::string("missing field '") + required[i] + "'"));
    }
    fields[i] = **value;
  }
  auto kind = detail::parse_kind(fields[0]);
  if (!kind) {
    return std::unexpected(schema_error(name, entry["kind"].Mark().line + 1, indicator.id,
                                        "unknown kind '" + fields[0] +
                                            "' (string, regex, hostname, port, wallet, command, image)"));
  }
  indicator.kind = *kind;
  indicator.pattern = fields[1];
  indicator.group = fields[2];
  indicator.why = fields[3];
  indicator.source = fields[4];

  auto weight = scalar(entry, "weight", name, line, indicator.id);
  if (!weight) return std::unexpected(weight.error());
  if (!*weight) return std::unexpected(schema_error(name, line, indicator.id, "missing field 'weight'"));
  {
    const std::string& text = **weight;
    int value = -1;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    const int min = indicator.kind == Kind::port ? 0 : 1;
    if (ec != std::errc() || ptr != text.data() + text.size() || value < min || value > 10) {
      return std::unexpected(schema_error(name, entry["weight"].Mark().line + 1, indicator.id,
                                          "weight '" + text + "' must be an integer " + std::to_string(min) + "..10"));
    }
    indicator.weight = value;
  }

  if (const YAML::Node caseless = entry["caseless"]) {
    if (!caseless.IsScalar() || (caseless.Scalar() != "true" && caseless.Scalar() != "false")) {
      return std::unexpected(schema_error(name, caseless.Mark().line + 1, indicator.id, "caseless must be true or false"));
    }
    indicator.caseless = caseless.Scalar() == "true";
  }
  auto coin = scalar(entry, "coin", name, line, indicator.id);
  if (!coin) return std::unexpected(coin.error());
  if (*coin) indicator.coin = **coin;

  if (indicator.kind == Kind::wallet && indicator.coin.empty()) {
    return std::unexpected(schema_error(name, line, indicator.id, "a wallet entry needs 'coin'"));
  }
  if (indicator.kind != Kind::wallet && !indicator.coin.empty()) {
    return std::unexpected(schema_error(name, line, indicator.id, "'coin' is only for wallet entries"));
  }
  if (indicator.kind == Kind::port) {
    int port = 0;
    const auto& p = indicator.pattern;
    auto [ptr, ec] = std::from_chars(p.data(), p.data() + p.size(), port);
    if (ec != std::errc() || ptr != p.data() + p.size() || port < 1 || port > 65535) {
      return std::unexpected(schema_error(name, line, indicator.id, "port pattern '" + p + "' must be 1..65535"));
    }
  }
  if (indicator.kind == Kind::hostname) {
    // Hostnames are compared case-insensitively everywhere.
    indicator.caseless = true;
    for (char& c : indicator.pattern) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (indicator.pattern.find_first_of("/: ") != std::string::npos || indicator.pattern.front() == '.' ||
        indicator.pattern.back() == '.') {
      return std::unexpected(schema_error(name, line, indicator.id, "hostname '" + indicator.pattern + "' is not a bare domain"));
    }
  }
  return indicator;
}

}  // namespace

core::Result<std::vector<Indicator>> parse_catalog(std::string_view yaml_text, std::string_view name) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return core::fail(core::ErrorCode::invalid_input, where(name, e.mark.line + 1) + ": " + e.msg);
  }
  std::vector<Indicator> out;
  if (!root || root.IsNull()) return out;  // an empty file (or only comments) is an empty catalog
  if (!root.IsSequence()) {
    return core::fail(core::ErrorCode::invalid_input,
                      where(name, root.Mark().line + 1) + ": a catalog file must be a sequence of entries");
  }
  try {
    for (const auto& entry : root) {
      auto indicator = parse_entry(entry, name);
      if (!indicator) return std::unexpected(indicator.error());
      out.push_back(std::move(*indicator));
    }
  } catch (const YAML::Exception& e) {
    return core::fail(core::ErrorCode::invalid_input, where(name, e.mark.line + 1) + ": " + e.msg);
  }
  return out;
}

core::Result<std::vector<Indicator>> load_catalog_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return core::fail(core::ErrorCode::io, "catalog directory " + dir.string() + " does not exist or is not a directory");
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const auto ext = it->path().extension();
    if ((ext == ".yaml" || ext == ".yml") && it->is_regular_file(ec)) files.push_back(it->path());
  }
  if (ec) return core::fail(core::ErrorCode::io, "cannot list catalog directory " + dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());

  std::vector<Indicator> all;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    if (!in && !in.eof()) return core::fail(core::ErrorCode::io, "cannot read catalog file " + path.string());
    auto entries = parse_catalog(text.str(), path.string());
    if (!entries) return std::unexpected(entries.error());
    for (auto& entry : *entries) all.push_back(std::move(entry));
  }
  return all;
}

}  // namespace mg::indicators
