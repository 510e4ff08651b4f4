#pragma once
// Shared by the audit module's tests: decoding text into owned copies of events, and running the
// engine with the default rules over a log held in memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "audit/engine.hpp"
#include "audit/log_reader.hpp"
#include "audit/rule.hpp"
#include "indicators/catalog.hpp"

namespace mg::audit::testing {

// An Event's fields, owned (Event's views die with the sink call).
struct Seen {
  std::string verb, username, resource, subresource, namespace_, name, audit_id, timestamp, request_uri;
  std::string request_object, response_object, annotations, user_agent, api_group, api_version, level, stage;
  std::vector<std::string> groups, source_ips;
  int code = 0;
  std::int64_t time_us = 0;
  std::uint64_t line = 0;
};

inline Seen own(const Event& e) {
  Seen s;
  s.verb = e.verb;
  s.username = e.username;
  s.resource = e.resource;
  s.subresource = e.subresource;
  s.namespace_ = e.namespace_;
  s.name = e.name;
  s.audit_id = e.audit_id;
  s.timestamp = e.timestamp;
  s.request_uri = e.request_uri;
  s.request_object = e.request_object;
  s.response_object = e.response_object;
  s.annotations = e.annotations;
  s.user_agent = e.user_agent;
  s.api_group = e.api_group;
  s.api_version = e.api_version;
  s.level = e.level;
  s.stage = e.stage;
  s.groups.assign(e.groups.begin(), e.groups.end());
  s.source_ips.assign(e.source_ips.begin(), e.source_ips.end());
  s.code = e.code;
  s.time_us = e.time_us;
  s.line = e.line;
  return s;
}

struct Decoded {
  std::vector<Seen> events;
  LogStats stats;
};

inline Decoded decode_text(std::string_view text, std::string_view name = "log") {
  Decoded out;
  EventDecoder decoder;
  read_audit_text(text, name, LogReadOptions{}, decoder, [&](Event& e) { out.events.push_back(own(e)); }, out.stats);
  return out;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

inline std::string data_path(const std::string& relative) { return std::string(MG_AUDIT_DATA) + "/" + relative; }

inline std::shared_ptr<const indicators::CompiledCatalog> catalog() {
  static const auto compiled = [] {
    auto c = indicators::compiled_builtin_catalog();
    if (!c) throw std::runtime_error(c.error().message);
    return *c;
  }();
  return compiled;
}

inline RuleSet default_rules() {
  auto rules = load_rules(default_rule_sources());
  if (!rules) throw std::runtime_error(rules.error().message);
  return std::move(*rules);
}

inline std::unique_ptr<Engine> make_engine(RuleSet rules = default_rules(), EngineSettings settings = {}) {
  auto engine = Engine::create(std::move(rules), catalog(), std::move(settings));
  if (!engine) throw std::runtime_error(engine.error().message);
  return std::move(*engine);
}

struct Run {
  std::vector<core::Finding> findings;    // per-event findings, in log order
  std::vector<core::Finding> incidents;
  LogStats stats;
};

inline Run run_engine(Engine& engine, std::string_view text, std::string_view name = "log") {
  Run out;
  EventDecoder decoder;
  read_audit_text(text, name, LogReadOptions{}, decoder, [&](Event& e) { engine.process(e, out.findings); }, out.stats);
  out.incidents = engine.incidents();
  return out;
}

inline Run run_default(std::string_view text, std::string_view name = "log") {
  auto engine = make_engine();
  return run_engine(*engine, text, name);
}

inline std::vector<std::string> rule_ids(const std::vector<core::Finding>& findings) {
  std::vector<std::string> ids;
  for (const auto& f : findings) ids.push_back(f.rule_id);
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

inline const core::EventLocation& event_of(const core::Finding& finding) {
  return std::get<core::EventLocation>(finding.location);
}

inline bool has_evidence(const core::Finding& finding, std::string_view needle) {
  return std::any_of(finding.evidence.begin(), finding.evidence.end(), [&](const core::Evidence& e) {
    return e.what.find(needle) != std::string::npos || e.value.find(needle) != std::string::npos;
  });
}

}  // namespace mg::audit::testing
