// Shapes are told apart by their keys while the document is walked once, forward, as On-Demand
// requires: event fields fill an Event, wrapper keys (records, items, events, logEvents,
// properties.log, message, protoPayload) lead to the events inside. Malformed input becomes a
// Malformed exception inside this file and an Error (or a problem line) at its door.
#include "audit/event_decoder.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <utility>

namespace mg::audit {

static_assert(kJsonPadding == simdjson::SIMDJSON_PADDING);

namespace {

namespace ondemand = simdjson::ondemand;

struct Malformed {
  std::string message;   // "verb: expected a string", "not JSON: …"
};

[[noreturn]] void malformed(std::string_view field, std::string_view what) {
  throw Malformed{std::string(field) + (field.empty() ? "" : ": ") + std::string(what)};
}

void check(simdjson::error_code error, std::string_view field) {
  if (error == simdjson::SUCCESS) return;
  if (error == simdjson::INCORRECT_TYPE) malformed(field, "wrong type");
  malformed(field, simdjson::error_message(error));
}

// "\"List\" is not …" (built with append: GCC 12 misreads `"\"" + std::string(…)` under -O3).
std::string quoted(std::string_view text, std::string_view what) {
  std::string out("\"");
  out.append(text.substr(0, 40)).append("\" ").append(what);
  return out;
}

bool null_value(ondemand::value& value) {
  bool is_null = false;
  return value.is_null().get(is_null) == simdjson::SUCCESS && is_null;
}

// A string field; null reads as absent.
std::string_view text(ondemand::value value, std::string_view field) {
  std::string_view out;
  const auto error = value.get_string().get(out);
  if (error == simdjson::SUCCESS) return out;
  if (error == simdjson::INCORRECT_TYPE) {
    if (null_value(value)) return {};
    malformed(field, "expected a string");
  }
  check(error, field);
  return out;
}

// A string field whose text is not needed: its type is checked, its text not copied out.
void string_or_null(ondemand::value value, std::string_view field) {
  ondemand::json_type type;
  check(value.type().get(type), field);
  if (type != ondemand::json_type::string && type != ondemand::json_type::null) malformed(field, "expected a string");
}

// Raw JSON text of an object; null reads as absent.
std::string_view raw_object(ondemand::value value, std::string_view field) {
  if (null_value(value)) return {};
  ondemand::object object;
  const auto error = value.get_object().get(object);
  if (error == simdjson::INCORRECT_TYPE) malformed(field, "expected an object");
  check(error, field);
  std::string_view out;
  check(object.raw_json().get(out), field);
  return out;
}

void strings(ondemand::value value, std::string_view field, std::vector<std::string_view>& out) {
  if (null_value(value)) return;
  ondemand::array array;
  const auto error = value.get_array().get(array);
  if (error == simdjson::INCORRECT_TYPE) malformed(field, "expected an array of strings");
  check(error, field);
  for (auto item : array) {
    ondemand::value element;
    check(std::move(item).get(element), field);
    out.push_back(text(element, field));
  }
}

int integer(ondemand::value value, std::string_view field) {
  if (null_value(value)) return 0;
  std::int64_t out = 0;
  const auto error = value.get_int64().get(out);
  if (error == simdjson::INCORRECT_TYPE || error == simdjson::NUMBER_ERROR) malformed(field, "expected an integer");
  check(error, field);
  return static_cast<int>(std::clamp<std::int64_t>(out, -1, 999));
}

ondemand::object object_of(ondemand::value value, std::string_view field) {
  ondemand::object out;
  const auto error = value.get_object().get(out);
  if (error == simdjson::INCORRECT_TYPE) malformed(field, "expected an object");
  check(error, field);
  return out;
}

ondemand::array array_of(ondemand::value value, std::string_view field) {
  ondemand::array out;
  const auto error = value.get_array().get(out);
  if (error == simdjson::INCORRECT_TYPE) malformed(field, "expected an array");
  check(error, field);
  return out;
}

// The keys that matter anywhere in the shapes above, told apart by length first.
enum class Key {
  other, kind, api_version, audit_id, stage, level, verb, request_uri, user_agent, user, impersonated_user,
  source_ips, object_ref, response_status, request_received, stage_timestamp, timestamp, request_object,
  response_object, annotations, records, items, events, log_events, message, properties, proto_payload,
  insert_id, category, message_type,
  count_,   // the number of keys above
};

Key classify(std::string_view k) {
  switch (k.size()) {
    case 4: return k == "kind" ? Key::kind : k == "user" ? Key::user : k == "verb" ? Key::verb : Key::other;
    case 5: return k == "stage" ? Key::stage : k == "level" ? Key::level : k == "items" ? Key::items : Key::other;
    case 6: return k == "events" ? Key::events : Key::other;
    case 7: return k == "auditID" ? Key::audit_id : k == "records" ? Key::records : k == "message" ? Key::message : Key::other;
    case 8: return k == "category" ? Key::category : k == "insertId" ? Key::insert_id : Key::other;
    case 9: return k == "sourceIPs" ? Key::source_ips : k == "userAgent" ? Key::user_agent
                 : k == "objectRef" ? Key::object_ref : k == "timestamp" ? Key::timestamp
                 : k == "logEvents" ? Key::log_events : Key::other;
    case 10: return k == "apiVersion" ? Key::api_version : k == "requestURI" ? Key::request_uri
                  : k == "properties" ? Key::properties : Key::other;
    case 11: return k == "annotations" ? Key::annotations : k == "messageType" ? Key::message_type : Key::other;
    case 12: return k == "protoPayload" ? Key::proto_payload : Key::other;
    case 13: return k == "requestObject" ? Key::request_object : Key::other;
    case 14: return k == "responseStatus" ? Key::response_status : k == "responseObject" ? Key::response_object
                  : k == "stageTimestamp" ? Key::stage_timestamp : Key::other;
    case 16: return k == "impersonatedUser" ? Key::impersonated_user : Key::other;
    case 24: return k == "requestReceivedTimestamp" ? Key::request_received : Key::other;
    default: return Key::other;
  }
}

// A key as written, without unescaping it (the keys that matter have no escapes; a key that has
// one matches none of them). Its closing quote is found backwards from the value's first byte,
// over the colon and any whitespace: nothing else lies between them, and stepping back over
// those is cheaper than scanning every key forward (keys are many of the bytes walked per event).
std::string_view key_of(ondemand::field& field) {
  const char* begin = field.key().raw();
  const char* end = field.value().raw_json_token().data() - 1;
  while (*end != ':') --end;
  --end;
  while (*end != '"') --end;
  return {begin, static_cast<std::size_t>(end - begin)};
}

// GKE's status is a google.rpc.Status; its codes, as the API server's HTTP status would be.
int http_of_rpc(std::int64_t code) {
  // google/rpc/code.proto's documented HTTP mapping.
  static constexpr int kHttp[] = {200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401};
  return code >= 0 && code < 17 ? kHttp[code] : 500;
}

bool is_version(std::string_view token) {
  if (token.size() < 2 || token[0] != 'v' || token[1] < '0' || token[1] > '9') return false;
  return true;  // v1, v1beta1, v2alpha1
}

// "io.k8s.core.v1.pods.exec.create" → resource pods, subresource exec, verb create.
void parse_method(std::string_view method, Event& event) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0; start <= method.size();) {
    std::size_t dot = method.find('.', start);
    if (dot == std::string_view::npos) dot = method.size();
    parts.push_back(method.substr(start, dot - start));
    start = dot + 1;
  }
  std::size_t version = parts.size();
  for (std::size_t i = 0; i < parts.size(); ++i)
    if (is_version(parts[i])) version = i;
  if (parts.size() < 2) return;
  event.verb = parts.back();
  if (version + 2 < parts.size()) event.resource = parts[version + 1];
  if (version + 3 < parts.size()) event.subresource = parts[version + 2];
  if (version < parts.size()) event.api_version = parts[version];
}

// "core/v1/namespaces/ns/pods/name/exec", "rbac.authorization.k8s.io/v1/clusterrolebindings/x".
void parse_resource_name(std::string_view resource_name, Event& event) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0; start < resource_name.size();) {
    std::size_t slash = resource_name.find('/', start);
    if (slash == std::string_view::npos) slash = resource_name.size();
    parts.push_back(resource_name.substr(start, slash - start));
    start = slash + 1;
  }
  std::size_t i = 2;  // after group and version
  if (parts.size() < 3) return;
  if (parts[0] != "core") event.api_group = parts[0];
  if (parts[i] == "namespaces" && i + 1 < parts.size()) {
    event.namespace_ = parts[i + 1];
    if (i + 2 >= parts.size()) {  // the namespace itself
      event.name = parts[i + 1];
      event.namespace_ = {};
      return;
    }
    i += 2;
  }
  if (i + 1 < parts.size()) event.name = parts[i + 1];
}

}  // namespace

struct EventDecoder::Impl {
  DecodeLimits limits;
  DecodeFields want;
  // Event keys whose value nothing reads (Key::other, fields no rule uses): skipped without
  // calling event_field, the decoder's most frequent call.
  std::array<bool, static_cast<std::size_t>(Key::count_)> ignored{};

  void set_fields(DecodeFields fields) {
    want = fields;
    ignored.fill(false);
    auto ignore = [&](Key key, bool wanted) { ignored[static_cast<std::size_t>(key)] = !wanted; };
    ignore(Key::other, false);
    ignore(Key::stage, want.stage);
    ignore(Key::level, want.level);
    ignore(Key::user_agent, want.user_agent);
    ignore(Key::source_ips, want.source_ips);
    ignore(Key::impersonated_user, want.impersonated_user);
    ignore(Key::response_object, want.response_object);
    ignore(Key::annotations, want.annotations);
  }
  ondemand::parser outer, inner;
  std::string embedded;        // an event kept in a string, copied with padding
  Event event, item;           // the document's own fields; one wrapped event at a time
  // Where the current document is, for the lines of its records.
  const char* begin = nullptr;
  const char* counted = nullptr;
  std::uint64_t line_at_counted = 0;
  std::string_view file;
  const EventSink* sink = nullptr;
  std::vector<std::string>* problems = nullptr;
  std::size_t emitted = 0;
  TimestampReader timestamps;

  std::uint64_t line_of(const char* p) {
    if (p < counted || p == nullptr) return line_at_counted;
    line_at_counted += static_cast<std::uint64_t>(std::count(counted, p, '\n'));
    counted = p;
    return line_at_counted;
  }

  std::uint64_t line_of(ondemand::value& value) {
    return line_of(value.raw_json_token().data());
  }

  void emit(Event& e, std::uint64_t line) {
    e.file = file;
    e.line = line;
    if (e.time_us == 0 && !e.timestamp.empty()) e.time_us = timestamps(e.timestamp);
    (*sink)(e);
    ++emitted;
  }

  static bool has_event_fields(const Event& e) { return !e.verb.empty() || !e.audit_id.empty(); }

  void object_ref(ondemand::value value, Event& e) {
    if (null_value(value)) return;
    for (auto member : object_of(value, "objectRef")) {
      ondemand::field f;
      check(std::move(member).get(f), "objectRef");
      const std::string_view k = key_of(f);
      if (k == "resource") e.resource = text(f.value(), "objectRef.resource");
      else if (k == "subresource") e.subresource = text(f.value(), "objectRef.subresource");
      else if (k == "namespace") e.namespace_ = text(f.value(), "objectRef.namespace");
      else if (k == "name") e.name = text(f.value(), "objectRef.name");
      else if (k == "apiGroup") e.api_group = text(f.value(), "objectRef.apiGroup");
      else if (k == "apiVersion") e.api_version = text(f.value(), "objectRef.apiVersion");
    }
  }

  void user(ondemand::value value, Event& e, bool impersonated) {
    if (null_value(value)) return;
    const std::string_view name = impersonated ? "impersonatedUser" : "user";
    for (auto member : object_of(value, name)) {
      ondemand::field f;
      check(std::move(member).get(f), name);
      const std::string_view k = key_of(f);
      if (k == "username") {
        (impersonated ? e.impersonated_username : e.username) = text(f.value(), impersonated ? "impersonatedUser.username" : "user.username");
      } else if (k == "groups" && !impersonated) {
        if (want.groups) strings(f.value(), "user.groups", e.groups);
      } else if (k == "extra" && !impersonated) {
        if (want.user_extra) e.user_extra = raw_object(f.value(), "user.extra");
      }
    }
  }

  void response_status(ondemand::value value, Event& e) {
    if (null_value(value)) return;
    for (auto member : object_of(value, "responseStatus")) {
      ondemand::field f;
      check(std::move(member).get(f), "responseStatus");
      if (key_of(f) == "code") e.code = integer(f.value(), "responseStatus.code");
    }
  }

  // GKE: the audit event as google.cloud.audit.AuditLog.
  // Returns false for entries of other Google services in the same log (GKE's own cluster API,
  // container.googleapis.com): they are not Kubernetes API requests.
  bool proto_payload(ondemand::value value, Event& e) {
    std::string_view method, resource_name;
    bool kubernetes = true;
    bool status_seen = false;
    for (auto member : object_of(value, "protoPayload")) {
      ondemand::field f;
      check(std::move(member).get(f), "protoPayload");
      const std::string_view k = key_of(f);
      if (k == "serviceName") {
        kubernetes = text(f.value(), "protoPayload.serviceName") == "k8s.io";
      } else if (k == "methodName") {
        method = text(f.value(), "protoPayload.methodName");
      } else if (k == "resourceName") {
        resource_name = text(f.value(), "protoPayload.resourceName");
      } else if (k == "authenticationInfo") {
        for (auto m : object_of(f.value(), "protoPayload.authenticationInfo")) {
          ondemand::field g;
          check(std::move(m).get(g), "protoPayload.authenticationInfo");
          if (key_of(g) == "principalEmail") e.username = text(g.value(), "protoPayload.authenticationInfo.principalEmail");
        }
      } else if (k == "requestMetadata") {
        for (auto m : object_of(f.value(), "protoPayload.requestMetadata")) {
          ondemand::field g;
          check(std::move(m).get(g), "protoPayload.requestMetadata");
          const std::string_view gk = key_of(g);
          if (gk == "callerIp") e.source_ips.push_back(text(g.value(), "protoPayload.requestMetadata.callerIp"));
          else if (gk == "callerSuppliedUserAgent") e.user_agent = text(g.value(), "protoPayload.requestMetadata.callerSuppliedUserAgent");
        }
      } else if (k == "request") {
        e.request_object = raw_object(f.value(), "protoPayload.request");
      } else if (k == "response") {
        e.response_object = raw_object(f.value(), "protoPayload.response");
      } else if (k == "status") {
        status_seen = true;
        std::int64_t code = 0;
        ondemand::value status = f.value();
        if (!null_value(status)) {
          for (auto m : object_of(status, "protoPayload.status")) {
            ondemand::field g;
            check(std::move(m).get(g), "protoPayload.status");
            if (key_of(g) == "code") code = integer(g.value(), "protoPayload.status.code");
          }
        }
        e.code = http_of_rpc(code);
      }
    }
    if (!kubernetes) return false;
    if (method.empty()) malformed("protoPayload.methodName", "missing");
    parse_method(method, e);
    parse_resource_name(resource_name, e);
    e.request_uri = resource_name;
    if (!status_seen) e.code = 200;  // Cloud Logging leaves out an OK status
    e.level = e.request_object.empty() ? "Metadata" : "RequestResponse";
    e.stage = "ResponseComplete";
    return true;
  }

  // An event kept as a JSON string (AKS properties.log, EKS message): parsed by the inner parser,
  // which no wrapped document may reach again.
  void embedded_event(std::string_view json, std::uint64_t line, std::string_view field) {
    // CloudWatch Logs cuts events over its size limit and says so at the end.
    if (json.ends_with("[Truncated...]")) malformed(field, "event cut short by CloudWatch Logs ([Truncated...])");
    if (json.size() > limits.max_embedded_bytes) malformed(field, "embedded event larger than " + std::to_string(limits.max_embedded_bytes) + " bytes");
    embedded.assign(json);
    embedded.append(kJsonPadding, '\0');
    ondemand::document doc;
    check(inner.iterate(embedded.data(), json.size(), embedded.size()).get(doc), field);
    ondemand::object root;
    const auto error = doc.get_object().get(root);
    if (error == simdjson::INCORRECT_TYPE) malformed(field, "the embedded event is not a JSON object");
    check(error, field);
    item.clear();
    for (auto member : root) {
      ondemand::field f;
      check(std::move(member).get(f), field);
      event_field(classify(key_of(f)), f.value(), item);
    }
    if (const char* rest = nullptr; doc.current_location().get(rest) == simdjson::SUCCESS) malformed(field, "trailing content after the embedded event");
    if (!has_event_fields(item)) malformed(field, "no audit event (no verb or auditID)");
    emit(item, line);
  }

  // A field of an audit.k8s.io Event; false when the key is not one.
  bool event_field(Key key, ondemand::value value, Event& e) {
    switch (key) {
      case Key::kind: {
        const std::string_view kind = text(value, "kind");
        if (!kind.empty() && kind != "Event") malformed("kind", quoted(kind, "is not an audit Event"));
        return true;
      }
      case Key::api_version: string_or_null(value, "apiVersion"); return true;
      case Key::audit_id: e.audit_id = text(value, "auditID"); return true;
      case Key::stage: if (want.stage) e.stage = text(value, "stage"); return true;
      case Key::level: if (want.level) e.level = text(value, "level"); return true;
      case Key::verb: e.verb = text(value, "verb"); return true;
      case Key::request_uri: if (want.request_uri) e.request_uri = text(value, "requestURI"); return true;
      case Key::user_agent: if (want.user_agent) e.user_agent = text(value, "userAgent"); return true;
      case Key::user: user(value, e, false); return true;
      case Key::impersonated_user: if (want.impersonated_user) user(value, e, true); return true;
      case Key::source_ips: if (want.source_ips) strings(value, "sourceIPs", e.source_ips); return true;
      case Key::object_ref: object_ref(value, e); return true;
      case Key::response_status: response_status(value, e); return true;
      case Key::request_received: e.timestamp = text(value, "requestReceivedTimestamp"); return true;
      case Key::stage_timestamp:
        // requestReceivedTimestamp, written before it, is the event's time when there is one.
        if (e.timestamp.empty()) e.timestamp = text(value, "stageTimestamp");
        else string_or_null(value, "stageTimestamp");
        return true;
      case Key::timestamp: {
        // Events carried "timestamp" before v1beta1 had requestReceivedTimestamp; so do the
        // wrappers, where it means when the entry was logged: a fallback either way.
        ondemand::json_type type;
        if (value.type().get(type) == simdjson::SUCCESS && type == ondemand::json_type::string) {
          const std::string_view t = text(value, "timestamp");
          if (e.timestamp.empty()) e.timestamp = t;
        }
        return true;
      }
      case Key::request_object: e.request_object = raw_object(value, "requestObject"); return true;
      case Key::response_object: if (want.response_object) e.response_object = raw_object(value, "responseObject"); return true;
      case Key::annotations: if (want.annotations) e.annotations = raw_object(value, "annotations"); return true;
      default: return false;
    }
  }

  // An Azure diagnostic record, a CloudWatch log event or an EventList item: whichever it is, by
  // its keys.
  void wrapped(ondemand::value value, std::uint64_t line, std::string_view where) {
    ondemand::object object = object_of(value, where);
    item.clear();
    bool audit_category = true;
    bool found = false;
    std::string_view log;
    std::string_view message;
    for (auto member : object) {
      ondemand::field f;
      check(std::move(member).get(f), where);
      const Key key = classify(key_of(f));
      if (key == Key::properties) {
        ondemand::value properties = f.value();
        if (null_value(properties)) continue;
        for (auto m : object_of(properties, "properties")) {
          ondemand::field g;
          check(std::move(m).get(g), "properties");
          if (key_of(g) == "log") log = text(g.value(), "properties.log");
        }
      } else if (key == Key::category) {
        // Diagnostic settings also export kube-apiserver, kube-scheduler, … logs: skip those.
        ondemand::value category = f.value();
        std::string_view name = text(category, "category");
        audit_category = name.empty() || name.starts_with("kube-audit");
      } else if (key == Key::message) {
        ondemand::value m = f.value();
        ondemand::json_type type;
        if (m.type().get(type) == simdjson::SUCCESS && type == ondemand::json_type::string) message = text(m, "message");
      } else if (key == Key::proto_payload) {
        if (!proto_payload(f.value(), item)) audit_category = false;
        else found = true;
      } else if (key == Key::insert_id) {
        if (item.audit_id.empty()) item.audit_id = text(f.value(), "insertId");
      } else {
        event_field(key, f.value(), item);
      }
    }
    if (!log.empty() || !message.empty()) {
      if (!audit_category) return;
      // The strings are in the outer parser's buffer, which the inner parse does not touch.
      embedded_event(!log.empty() ? log : message, line, !log.empty() ? "properties.log" : "message");
      return;
    }
    if (!audit_category) return;
    if (found || has_event_fields(item)) {
      emit(item, line);
      return;
    }
    malformed("", "no audit event (no verb, auditID, properties.log, message or protoPayload)");
  }

  // Each element of a batch, each on its own: one bad record is a problem line, not the end.
  void batch(ondemand::value value, std::string_view name) {
    std::size_t index = 0;
    for (auto element : array_of(value, name)) {
      ++index;
      ondemand::value v;
      check(std::move(element).get(v), name);
      const std::uint64_t line = line_of(v);
      try {
        wrapped(v, line, name);
      } catch (const Malformed& bad) {
        problems->push_back(std::string(file) + ":" + std::to_string(line) + ": " + std::string(name) + "[" +
                            std::to_string(index - 1) + "]: " + bad.message);
        // The element may have been left half-read; On-Demand skips the rest when the loop advances,
        // unless the bytes themselves are broken, which the next iteration reports.
      }
    }
  }

  void root_object(ondemand::object object, std::uint64_t line) {
    event.clear();
    bool wrapper = false;
    std::string_view log, message;
    bool audit_category = true;
    bool gke = false;
    for (auto member : object) {
      ondemand::field f;
      check(std::move(member).get(f), "");
      const Key key = classify(key_of(f));
      switch (key) {
        case Key::records:
        case Key::items:
        case Key::events:
        case Key::log_events:
          wrapper = true;
          batch(f.value(), key == Key::records ? "records" : key == Key::items ? "items"
                           : key == Key::events ? "events" : "logEvents");
          break;
        case Key::properties: {
          ondemand::value properties = f.value();
          if (null_value(properties)) break;
          for (auto m : object_of(properties, "properties")) {
            ondemand::field g;
            check(std::move(m).get(g), "properties");
            if (key_of(g) == "log") log = text(g.value(), "properties.log");
          }
          break;
        }
        case Key::category: audit_category = text(f.value(), "category").starts_with("kube-audit"); break;
        case Key::message_type:
          // CloudWatch subscription feeds send CONTROL_MESSAGE payloads to check the destination.
          if (text(f.value(), "messageType") == "CONTROL_MESSAGE") return;
          break;
        case Key::message: {
          ondemand::value m = f.value();
          ondemand::json_type type;
          if (m.type().get(type) == simdjson::SUCCESS && type == ondemand::json_type::string) message = text(m, "message");
          break;
        }
        case Key::proto_payload:
          if (proto_payload(f.value(), event)) gke = true;
          else audit_category = false;  // another Google service's entry: not ours, not malformed
          break;
        case Key::insert_id:
          if (event.audit_id.empty()) event.audit_id = text(f.value(), "insertId");
          break;
        case Key::kind: {
          const std::string_view kind = text(f.value(), "kind");
          if (kind == "EventList") wrapper = true;
          else if (!kind.empty() && kind != "Event") malformed("kind", quoted(kind, "is not an audit Event or EventList"));
          break;
        }
        default:
          if (!ignored[static_cast<std::size_t>(key)]) event_field(key, f.value(), event);
      }
    }
    if (!log.empty() || !message.empty()) {
      if (!audit_category) return;
      embedded_event(!log.empty() ? log : message, line, !log.empty() ? "properties.log" : "message");
      return;
    }
    if (!audit_category) return;  // records of other logs, other services' entries
    if (gke || has_event_fields(event)) {
      emit(event, line);
      return;
    }
    if (wrapper) return;  // a batch, already read (or empty)
    malformed("", "not an audit event (no verb, auditID, records, items, properties.log, message or protoPayload)");
  }

  void document(ondemand::document& doc, std::uint64_t line) {
    ondemand::json_type type;
    check(doc.type().get(type), "");
    if (type == ondemand::json_type::object) {
      ondemand::object object;
      check(doc.get_object().get(object), "");
      root_object(object, line);
    } else if (type == ondemand::json_type::array) {
      ondemand::value value;
      check(doc.get_value().get(value), "");
      batch(value, "array");
    } else {
      malformed("", "not a JSON object (an audit event) or an array of them");
    }
    if (const char* rest = nullptr; doc.current_location().get(rest) == simdjson::SUCCESS) malformed("", "trailing content after the JSON value");
  }
};

EventDecoder::EventDecoder(DecodeLimits limits, DecodeFields fields) : impl_(std::make_unique<Impl>()) {
  impl_->limits = limits;
  impl_->set_fields(fields);
}
EventDecoder::EventDecoder(EventDecoder&&) noexcept = default;
EventDecoder& EventDecoder::operator=(EventDecoder&&) noexcept = default;
EventDecoder::~EventDecoder() = default;

core::Result<std::size_t> EventDecoder::decode(std::string_view document, std::string_view file, std::uint64_t line,
                                               const EventSink& sink, std::vector<std::string>& problems) {
  Impl& d = *impl_;
  d.begin = d.counted = document.data();
  d.line_at_counted = line;
  d.file = file;
  d.sink = &sink;
  d.problems = &problems;
  d.emitted = 0;
  // Built only for a failure: most documents decode, and this runs once per event.
  auto where = [&] {
    std::string out(file);
    out.append(":").append(std::to_string(line)).append(": ");
    return out;
  };
  try {
    ondemand::document doc;
    if (auto error = d.outer.iterate(document.data(), document.size(), document.size() + kJsonPadding).get(doc))
      return core::fail(core::ErrorCode::invalid_input, where() + "not JSON: " + simdjson::error_message(error));
    d.document(doc, line);
  } catch (const Malformed& bad) {
    std::string message = bad.message;
    if (message.starts_with(": ")) message.erase(0, 2);
    return core::fail(core::ErrorCode::invalid_input, where() + (message.empty() ? "malformed event" : message));
  } catch (const simdjson::simdjson_error& e) {
    return core::fail(core::ErrorCode::invalid_input, where() + "not JSON: " + e.what());
  } catch (const std::bad_alloc&) {
    return core::fail(core::ErrorCode::limit_exceeded, where() + "out of memory decoding the event");
  }
  return d.emitted;
}

}  // namespace mg::audit
