#pragma once
// The finding model every engine emits. JSON field names derived from these members are
// part of minerguard's interface (docs/output.md).
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/severity.hpp"

namespace mg::core {

// Where in a container image: the layer that added the bytes and the path inside it.
struct ImageLocation {
  std::string image;             // the target as the user named it
  int layer_index = -1;          // 0-based; -1 = the image configuration, not a layer
  std::string layer_digest;      // sha256:… of the layer blob (or of the config)
  std::string path;              // path inside the layer, or the config field (e.g. "config.Entrypoint")
  std::string inner_path;        // path inside a nested archive ("a.tar.gz!/b/c"), empty if none
  bool deleted = false;          // a later layer whited the file out: still shipped, not visible
};

// Where in a set of Kubernetes objects: the object and the field to change, plus the file and
// line it was read from (empty file for objects read from a live cluster).
struct ObjectLocation {
  std::string kind;              // "Service", "ServiceAccount", "AuthorizationPolicy", …
  std::string api_version;       // "v1", "security.istio.io/v1beta1"
  std::string namespace_;        // empty for cluster-scoped objects
  std::string name;
  std::string field;             // dotted path inside the object ("spec.type"); empty = the object
  std::string file;              // the manifest it came from ("-" stdin, "cluster" for --kubectl)
  int line = 0;                  // 1-based line of the field (or of the object) in that file; 0 unknown
};

// Where in an audit log: the API request an event records, and the line of the log it was read
// from (file "-" for stdin; "webhook" for events the audit webhook received).
struct EventLocation {
  std::string file;
  std::uint64_t line = 0;        // 1-based line of the event (of its record, for wrapped shapes)
  std::string audit_id;          // the API server's auditID (GKE: insertId)
  std::string timestamp;         // requestReceivedTimestamp, RFC 3339
  std::string user;              // user.username as the API server authenticated it
  std::string verb;              // get, list, create, patch, …
  std::string resource;          // "pods", "pods/exec", "services"; empty for non-resource URLs
  std::string namespace_;
  std::string name;
  std::string request_uri;       // for non-resource requests ("/healthz") and context
};

using Location = std::variant<ImageLocation, ObjectLocation, EventLocation>;

// The target a location belongs to, as a TargetResult names it: the image, the manifest file
// (or "cluster", or a probed URL), the audit log. Findings group under it in every report.
const std::string& target_of(const Location& location);

struct Evidence {
  std::string what;                      // "indicator xmrig.agent", "wallet (Monero, checksum valid)"
  std::string value;                     // the bytes or field, truncated and printable
  std::optional<std::uint64_t> offset;   // byte offset inside the file, when there is one
};

struct Finding {
  std::string rule_id;
  std::string title;
  Severity severity = Severity::info;
  Category category = Category::policy;
  Source source = Source::image;
  Location location;
  std::vector<Evidence> evidence;
  std::vector<std::string> techniques;
  std::string remediation;
};

// Makes a byte string safe to print on one line: non-printables as \xNN, cut at max_len.
std::string printable(std::string_view bytes, std::size_t max_len = 160);

}  // namespace mg::core
