#pragma once
// Audit events out of JSON documents, with simdjson On-Demand: only the fields Event holds are
// decoded, everything else is skipped by its structure, and nested objects are kept as raw text.
// Every shape an audit log reaches users in is recognised from its keys, without a flag:
//   an audit.k8s.io Event (v1, v1beta1, or without apiVersion) and an EventList (webhook batches);
//   Azure diagnostic records, {"records":[{"category":"kube-audit","properties":{"log":"<event>"}}]},
//     or one record per line;
//   GKE Cloud Logging entries, {"protoPayload":{"methodName":"io.k8s.core.v1.pods.create",…}};
//   EKS exports from CloudWatch Logs: {"events":[{"message":"<event>"}]} (filter-log-events),
//     {"logEvents":[…]} (subscription filters) or {"message":"<event>"} per line;
//   a JSON array of any of these.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "audit/event.hpp"
#include "core/error.hpp"

namespace mg::audit {

// Readable bytes a document must be followed by (== simdjson::SIMDJSON_PADDING, checked in the .cpp).
inline constexpr std::size_t kJsonPadding = 64;

using EventSink = std::function<void(Event&)>;

struct DecodeLimits {
  std::size_t max_embedded_bytes = 16u << 20;   // one event inside a string (AKS log, EKS message)
};

// Which of the optional fields to decode: the rules decide (Engine::decode_fields()). The others
// are skipped by their structure, never unescaped or checked. verb, user.username, objectRef,
// responseStatus.code, auditID, the timestamp and requestObject are always decoded: the engine
// itself needs them.
struct DecodeFields {
  bool stage = true, level = true, user_agent = true, source_ips = true, groups = true, impersonated_user = true;
  bool request_uri = true, response_object = true, annotations = true, user_extra = true;
};

class EventDecoder {
 public:
  explicit EventDecoder(DecodeLimits limits = {}, DecodeFields fields = {});
  EventDecoder(EventDecoder&&) noexcept;
  EventDecoder& operator=(EventDecoder&&) noexcept;
  ~EventDecoder();

  // Decodes one JSON document: `document` must be followed by kJsonPadding readable bytes. Calls
  // `sink` for each event it holds, with file and line set (`line` is the document's first line;
  // records of a multi-line document get their own). A wrapped event that is malformed is
  // skipped and described in `problems` ("file:line: record 3: verb: expected a string"); a
  // document that is not JSON, or holds no event, is an Error naming the line and the field.
  // Returns the number of events passed to the sink.
  core::Result<std::size_t> decode(std::string_view document, std::string_view file, std::uint64_t line,
                                   const EventSink& sink, std::vector<std::string>& problems);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace mg::audit
