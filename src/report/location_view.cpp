#include "report/location_view.hpp"

#include <cstdint>
#include <variant>

#include "report/text.hpp"

namespace mg::report::detail {
namespace {

// " (install.yaml:208752)", " (audit.log)" without a line, "" without a file.
std::string file_line_suffix(const std::string& file, std::uint64_t line) {
  if (file.empty()) return {};
  std::string out(" (");
  out.append(file);
  if (line > 0) out.append(":").append(std::to_string(line));
  out.append(")");
  return out;
}

// For images: `layer 3 sha256:0123456789ab… /usr/bin/x!/inner/y (deleted)`; the image
// configuration (layer_index -1) reads `config sha256:… config.Entrypoint`.
LocationView describe(const core::ImageLocation& at) {
  const bool config = at.layer_index < 0;
  const std::string part = config ? "config" : "layer-" + std::to_string(at.layer_index);
  const std::string image = target_file_name(at.image);

  LocationView view;
  view.type = "image";

  view.text = config ? "config" : "layer " + std::to_string(at.layer_index);
  if (!at.layer_digest.empty()) view.text += " " + short_digest(at.layer_digest);
  view.text += config ? " " + at.path : " /" + at.path;
  if (!at.inner_path.empty()) view.text += "!/" + at.inner_path;
  if (at.deleted) view.text += " (deleted)";

  view.json = Json::object();
  view.json["type"] = "image";
  view.json["image"] = at.image;
  view.json["layer_index"] = at.layer_index;
  view.json["layer_digest"] = at.layer_digest;
  view.json["path"] = at.path;
  if (!at.inner_path.empty()) view.json["inner_path"] = at.inner_path;
  view.json["deleted"] = at.deleted;

  // Config fields ("config.Entrypoint") are one segment; layer paths keep their directories.
  view.artifact_uri = percent_encode_segment(image) + "/" + part + "/" +
                      (config ? percent_encode_segment(at.path) : uri_path(at.path));
  if (!at.inner_path.empty()) view.artifact_uri += "!/" + uri_path(at.inner_path);

  view.logical.push_back({at.layer_digest.empty() ? part : at.layer_digest, image + "/" + part,
                          config ? "object" : "module"});

  // The image's file name, not the path it was scanned from, so that a fingerprint does not
  // change when the same image is scanned from another directory or machine.
  view.identity = image + '\0' + at.layer_digest + '\0' + at.path + '\0' + at.inner_path;
  view.rank = at.layer_index;
  view.sort_path = at.path + '\0' + at.inner_path;
  return view;
}

// For Kubernetes objects: `Service istio-system/istio-ingressgateway spec.type (install.yaml:208752)`.
LocationView describe(const core::ObjectLocation& at) {
  LocationView view;
  view.type = "object";

  std::string object = at.kind + " " + (at.namespace_.empty() ? "" : at.namespace_ + "/") + at.name;
  view.text = object;
  if (!at.field.empty()) view.text += " " + at.field;
  view.text += file_line_suffix(at.file, at.line > 0 ? static_cast<std::uint64_t>(at.line) : 0);

  view.json = Json::object();
  view.json["type"] = "object";
  view.json["kind"] = at.kind;
  view.json["api_version"] = at.api_version;
  view.json["namespace"] = at.namespace_;
  view.json["name"] = at.name;
  view.json["field"] = at.field;
  if (!at.file.empty()) view.json["file"] = at.file;
  if (at.line > 0) view.json["line"] = at.line;

  // A manifest file is the artifact (GitHub code scanning shows the line); objects read from a
  // cluster or named only by other objects get a stable pseudo-path.
  const bool manifest = !at.file.empty() && at.file != "-" && at.file != "cluster";
  if (at.kind == "Endpoint") {
    view.artifact_uri = at.name;  // a probed URL is its own absolute URI
  } else if (manifest) {
    view.artifact_uri = uri_path(at.file);
    view.line = at.line;
  } else {
    view.artifact_uri = "kubernetes/" + percent_encode_segment(at.kind.empty() ? "object" : at.kind) + "/" +
                        percent_encode_segment(at.namespace_.empty() ? "_cluster" : at.namespace_) + "/" +
                        percent_encode_segment(at.name.empty() ? "_" : at.name);
  }
  const std::string qualified = at.kind + "/" + (at.namespace_.empty() ? "" : at.namespace_ + "/") + at.name;
  view.logical.push_back({at.name, qualified, "object"});

  // Kind, namespace, name and field: the same object found through another file (or the cluster)
  // keeps its fingerprint.
  view.identity = at.kind + '\0' + at.namespace_ + '\0' + at.name + '\0' + at.field;
  view.rank = at.line;
  view.sort_path = qualified + '\0' + at.field;
  return view;
}

// For audit events: `create pods kubeflow-user/miner-0 by system:serviceaccount:… (audit.log:1234)`.
LocationView describe(const core::EventLocation& at) {
  LocationView view;
  view.type = "event";

  std::string object = at.resource.empty() ? at.request_uri : at.resource;
  if (!at.namespace_.empty() || !at.name.empty()) {
    object += " " + (at.namespace_.empty() ? "" : at.namespace_ + "/") + at.name;
  }
  view.text = at.verb + " " + object + " by " + (at.user.empty() ? "(unknown)" : at.user);
  view.text += file_line_suffix(at.file, at.line);

  view.json = Json::object();
  view.json["type"] = "event";
  view.json["audit_id"] = at.audit_id;
  view.json["timestamp"] = at.timestamp;
  view.json["user"] = at.user;
  view.json["verb"] = at.verb;
  view.json["resource"] = at.resource;
  view.json["namespace"] = at.namespace_;
  view.json["name"] = at.name;
  if (at.resource.empty()) view.json["request_uri"] = at.request_uri;
  if (!at.file.empty()) view.json["file"] = at.file;
  if (at.line > 0) view.json["line"] = at.line;

  const bool file = !at.file.empty() && at.file != "-" && at.file != "webhook";
  if (file) {
    view.artifact_uri = uri_path(at.file);
    view.line = at.line > static_cast<std::uint64_t>(INT32_MAX) ? 0 : static_cast<int>(at.line);
  } else {
    view.artifact_uri = "kubernetes/audit/" + percent_encode_segment(at.audit_id.empty() ? "_" : at.audit_id);
  }
  const std::string qualified = (at.resource.empty() ? at.request_uri : at.resource) + "/" +
                                (at.namespace_.empty() ? "" : at.namespace_ + "/") + at.name;
  view.logical.push_back({at.name.empty() ? object : at.name, qualified, "object"});

  // One API request is one place: its auditID names it wherever the log was copied to.
  view.identity = at.audit_id + '\0' + at.verb + '\0' + qualified;
  view.rank = at.line > static_cast<std::uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<std::int64_t>(at.line);
  view.sort_path = at.timestamp + '\0' + at.audit_id;
  return view;
}

}  // namespace

LocationView view_of(const core::Location& location) {
  LocationView view = std::visit([](const auto& alternative) { return describe(alternative); }, location);
  view.target = core::target_of(location);
  return view;
}

}  // namespace mg::report::detail
