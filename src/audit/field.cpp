#include "audit/field.hpp"

#include <array>
#include <utility>

namespace mg::audit {
namespace {

struct Named {
  std::string_view name;
  FieldId id;
};

// Plain fields: the whole name. Nested-JSON roots: the name, then a path.
constexpr std::array kPlain = {
    Named{"verb", FieldId::verb},
    Named{"stage", FieldId::stage},
    Named{"level", FieldId::level},
    Named{"auditID", FieldId::audit_id},
    Named{"requestURI", FieldId::request_uri},
    Named{"userAgent", FieldId::user_agent},
    Named{"user.username", FieldId::username},
    Named{"user.groups", FieldId::groups},
    Named{"impersonatedUser.username", FieldId::impersonated_username},
    Named{"sourceIPs", FieldId::source_ips},
    Named{"objectRef.resource", FieldId::resource},
    Named{"objectRef.subresource", FieldId::subresource},
    Named{"objectRef.namespace", FieldId::namespace_},
    Named{"objectRef.name", FieldId::name},
    Named{"objectRef.apiGroup", FieldId::api_group},
    Named{"objectRef.apiVersion", FieldId::api_version},
    Named{"responseStatus.code", FieldId::response_code},
    Named{"requestReceivedTimestamp", FieldId::timestamp},
    Named{"workload.images", FieldId::workload_images},
    Named{"workload.commands", FieldId::workload_commands},
    Named{"workload.service_accounts", FieldId::workload_service_accounts},
    Named{"workload.node_selectors", FieldId::workload_node_selectors},
    Named{"workload.gpu", FieldId::workload_gpu},
    Named{"workload.kind", FieldId::workload_kind},
    Named{"workload.privileged", FieldId::workload_privileged},
    Named{"workload.host_namespaces", FieldId::workload_host_namespaces},
    Named{"workload.host_paths", FieldId::workload_host_paths},
    Named{"exec.command", FieldId::exec_command},
    Named{"actor.kind", FieldId::actor_kind},
    Named{"actor.namespace", FieldId::actor_namespace},
    Named{"actor.controller", FieldId::actor_controller},
    Named{"actor.new", FieldId::actor_new},
    Named{"creator", FieldId::creator},
    Named{"creator.new", FieldId::creator_new},
};

constexpr std::array kNested = {
    Named{"requestObject", FieldId::request_object},
    Named{"responseObject", FieldId::response_object},
    Named{"annotations", FieldId::annotations},
    Named{"user.extra", FieldId::user_extra},
};

// ".a.b[\"c.d\"].e" → {a, b, c.d, e}
core::Result<std::vector<std::string>> parse_path(std::string_view rest) {
  std::vector<std::string> keys;
  std::size_t i = 0;
  while (i < rest.size()) {
    if (rest[i] == '.') {
      ++i;
      std::size_t end = i;
      while (end < rest.size() && rest[end] != '.' && rest[end] != '[') ++end;
      if (end == i) return core::fail(core::ErrorCode::invalid_input, "empty key in field path");
      keys.emplace_back(rest.substr(i, end - i));
      i = end;
    } else if (rest[i] == '[') {
      if (i + 1 >= rest.size() || rest[i + 1] != '"')
        return core::fail(core::ErrorCode::invalid_input, "expected [\"key\"] in field path");
      const std::size_t close = rest.find("\"]", i + 2);
      if (close == std::string_view::npos) return core::fail(core::ErrorCode::invalid_input, "unclosed [\" in field path");
      keys.emplace_back(rest.substr(i + 2, close - i - 2));
      i = close + 2;
    } else {
      return core::fail(core::ErrorCode::invalid_input, "expected '.' or '[' in field path");
    }
  }
  return keys;
}

}  // namespace

core::Result<Field> parse_field(std::string_view text) {
  for (const auto& named : kPlain) {
    if (text == named.name) return Field{named.id, {}, std::string(text)};
  }
  for (const auto& named : kNested) {
    if (!text.starts_with(named.name)) continue;
    const std::string_view rest = text.substr(named.name.size());
    if (!rest.empty() && rest[0] != '.' && rest[0] != '[') continue;
    auto path = parse_path(rest);
    if (!path) return std::unexpected(path.error());
    return Field{named.id, std::move(*path), std::string(text)};
  }
  return core::fail(core::ErrorCode::invalid_input, "unknown field \"" + std::string(text) +
                                                        "\" (see `minerguard rules list --fields`)");
}

std::vector<std::string> field_names() {
  std::vector<std::string> out;
  for (const auto& named : kPlain) out.emplace_back(named.name);
  for (const auto& named : kNested) out.push_back(std::string(named.name) + ".…");
  return out;
}

}  // namespace mg::audit
