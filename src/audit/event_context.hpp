#pragma once
// One event as the rules see it: the decoded fields, plus everything derived on demand and kept
// for the rest of this event: nested JSON parsed into trees, the pod templates of the object in
// the request (images, commands, service accounts, GPU requests), the exec command, the actor as
// the engine knows it, and who the request is attributed to. Nothing is computed unless a rule's
// condition reaches it. Internal to src/audit.
#include <simdjson.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/event.hpp"
#include "audit/field.hpp"
#include "audit/identity_book.hpp"
#include "audit/object_meta.hpp"
#include "kube/container_evidence.hpp"
#include "kube/json_node.hpp"
#include "kube/object.hpp"
#include "kube/pod_template.hpp"

namespace mg::audit {

struct EngineSettings;

// What the workload rules read of the request's object, taken from its pod templates, which are
// read straight from the parsed requestObject (no tree is built for them).
struct WorkloadInfo {
  std::string kind;                                 // the object's kind (from objectRef when it leaves it out)
  bool holds_pods = false;                          // it has at least one pod template
  std::vector<std::string> images, commands, service_accounts, node_selectors, host_namespaces, host_paths;
  std::vector<std::vector<kube::ContainerText>> texts;   // per container, for the catalog
  std::vector<std::string> container_fields;             // parallel to texts
  bool gpu = false;
  bool privileged = false;
};

class EventContext {
 public:
  // What the engine lends to every event, so that each costs as little as the one before:
  // `scratch` holds the values of the field asked last (asking allocates nothing); `parser`
  // parses the requestObject once, for its metadata and its tree; the tree is built over
  // `request_tree`, the storage of the request object before (pods look alike, so its strings
  // and vectors are rarely allocated and never freed between events).
  struct Buffers {
    std::vector<std::string_view> scratch;
    simdjson::dom::parser parser;
    kube::Object request_tree;
  };
  EventContext(const Event& event, const IdentityBook& identities, const EngineSettings& settings, Buffers& buffers)
      : event(event), identities_(identities), settings_(settings), buffers_(buffers), values_(buffers.scratch) {}
  ~EventContext();
  EventContext(const EventContext&) = delete;
  EventContext& operator=(const EventContext&) = delete;

  const Event& event;

  // The values of a field, as text (booleans "true"/"false", numbers as written). Valid until the
  // next call.
  const std::vector<std::string_view>& values(const Field& field);

  const WorkloadInfo& workload();
  const ObjectMeta& meta();                          // of the request's object
  const IdentityBook::Attribution& attribution();
  std::string_view exec_command();

 private:
  const kube::Value& nested(FieldId root);
  void collect(const kube::Value& node, const std::vector<std::string>& path, std::size_t at);

  const IdentityBook& identities_;
  const EngineSettings& settings_;
  const simdjson::dom::element* request_json();    // nullptr without a requestObject or when not JSON
  kube::Object* request_object();
  void fill_in_from_objectref(kube::Object& object) const;
  std::string_view kind_of(const kube::JsonNode& root) const;   // its own kind, else the resource's
  std::string objectref_api_version() const;
  Buffers& buffers_;
  std::vector<std::string_view>& values_;
  bool request_json_read_ = false, request_ok_ = false;
  simdjson::dom::element request_json_;
  kube::Object* request_ = nullptr;                 // the lent tree once built, or no_request_
  kube::Object no_request_;                         // for events without a (valid) requestObject
  std::optional<kube::Value> response_, annotations_, user_extra_;
  std::optional<WorkloadInfo> workload_;
  std::optional<ObjectMeta> meta_;
  std::optional<IdentityBook::Attribution> attribution_;
  std::optional<std::string> exec_command_;
  std::string code_text_, scratch_;
};

// "pods" → "Pod", "tfjobs" → "TFJob": the kinds `minerguard audit` finds pod templates in, for
// request bodies that do not say their kind (patches).
std::string_view kind_of_resource(std::string_view resource);

}  // namespace mg::audit
