#pragma once
// One event as the rules see it: the decoded fields, plus everything derived on demand and kept
// for the rest of this event: nested JSON parsed into trees, the pod templates of the object in
// the request (images, commands, service accounts, GPU requests), the exec command, the actor as
// the engine knows it, and who the request is attributed to. Nothing is computed unless a rule's
// condition reaches it. Internal to src/audit.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audit/event.hpp"
#include "audit/field.hpp"
#include "audit/identity_book.hpp"
#include "audit/object_meta.hpp"
#include "kube/container_evidence.hpp"
#include "kube/object.hpp"
#include "kube/pod_template.hpp"

namespace mg::audit {

struct EngineSettings;

struct WorkloadInfo {
  const kube::Object* object = nullptr;             // the request's object (kind filled in from objectRef)
  std::vector<kube::PodTemplateView> templates;     // point into *object
  std::vector<std::string> images, commands, service_accounts, node_selectors, host_namespaces, host_paths;
  std::vector<std::vector<kube::ContainerText>> texts;   // per container, for the catalog
  std::vector<std::string> container_fields;             // parallel to texts
  bool gpu = false;
  bool privileged = false;
};

class EventContext {
 public:
  // `scratch` holds the values of the field asked last, and `request_tree` the request object's
  // tree once a rule needs it. The engine lends the same two to every event: asking allocates
  // nothing, and each request object is built over the storage of the one before it (pods look
  // alike), so its strings and vectors are rarely allocated and never freed between events.
  EventContext(const Event& event, const IdentityBook& identities, const EngineSettings& settings,
               std::vector<std::string_view>& scratch, kube::Object& request_tree)
      : event(event), identities_(identities), settings_(settings), values_(scratch), request_tree_(request_tree) {}
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
  std::vector<std::string_view>& values_;
  kube::Object* request_object();
  kube::Object& request_tree_;                      // the lent tree requestObject is parsed into
  kube::Object* request_ = nullptr;                 // request_tree_ once parsed, or no_request_
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
