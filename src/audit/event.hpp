#pragma once
// One Kubernetes audit event, as the rules see it: the fields every shape carries (audit.k8s.io
// Event v1/v1beta1, GKE's AuditLog protoPayload, the strings AKS and EKS wrap events in),
// normalised to the names of audit.k8s.io/v1. Nested objects the rules may look into
// (requestObject, responseObject, annotations, user.extra) stay as their raw JSON text and are
// parsed only when a rule asks for a field inside them.
#include <cstdint>
#include <string_view>
#include <vector>

namespace mg::audit {

// Text fields point into the decoder's buffers: valid while the event is being handled (the sink
// a decoder calls), not after it returns. Empty means absent.
struct Event {
  std::string_view audit_id;
  std::string_view stage;          // RequestReceived, ResponseStarted, ResponseComplete, Panic
  std::string_view level;          // Metadata, Request, RequestResponse
  std::string_view verb;
  std::string_view request_uri;
  std::string_view user_agent;
  std::string_view username;
  std::vector<std::string_view> groups;
  std::string_view impersonated_username;
  std::vector<std::string_view> source_ips;
  // objectRef
  std::string_view resource, subresource, namespace_, name, api_group, api_version;
  int code = 0;                    // responseStatus.code; 0 when the event has none
  std::string_view timestamp;      // requestReceivedTimestamp (else stageTimestamp, else timestamp)
  std::int64_t time_us = 0;        // that timestamp in microseconds since 1970; 0 when unknown
  // Raw JSON of nested objects, parsed on demand (empty when absent). Like every document the
  // decoder reads, they are followed by at least 64 readable bytes, so they are parsed in place.
  std::string_view request_object, response_object, annotations, user_extra;

  // Where it was read: the file ("-" stdin) and 1-based line of the event or of its record.
  std::string_view file;
  std::uint64_t line = 0;

  bool succeeded() const { return code >= 200 && code < 300; }
  void clear() {
    groups.clear();
    source_ips.clear();
    auto groups_keep = std::move(groups);
    auto ips_keep = std::move(source_ips);
    *this = Event{};
    groups = std::move(groups_keep);
    source_ips = std::move(ips_keep);
  }
};

// Microseconds since 1970 of an RFC 3339 timestamp ("2018-10-26T13:38:34.867116Z", with an
// offset or without fractions); 0 when the text is not one.
std::int64_t parse_rfc3339_us(std::string_view text);

// parse_rfc3339_us for a log's timestamps one after another: consecutive events share their date,
// hour and minute, so that part is read once per minute and only the seconds on after it.
class TimestampReader {
 public:
  std::int64_t operator()(std::string_view text);

 private:
  static constexpr std::size_t kMinute = 16;   // "2025-06-12T08:00"
  char minute_[kMinute] = {};
  std::int64_t minute_s_ = 0;
  bool have_ = false;
};

}  // namespace mg::audit
