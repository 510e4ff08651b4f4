#pragma once
// The fields a rule condition can name. Event fields use audit.k8s.io/v1 names; the others are
// derived from the event and what the engine has learned:
//   requestObject.…, responseObject.…, annotations.…, user.extra.…  inside nested JSON (parsed
//       only when asked); keys with dots are quoted: annotations["authorization.k8s.io/decision"];
//       arrays are searched element by element (requestObject.spec.ports.nodePort)
//   workload.images, workload.commands, workload.service_accounts, workload.node_selectors,
//   workload.gpu, workload.kind, workload.privileged, workload.host_namespaces (hostPID,
//   hostNetwork, hostIPC), workload.host_paths   the pod templates of the object in the request
//       (every kind `minerguard audit` knows: Pods, controllers, Notebooks, TFJobs, Workflows, …)
//   exec.command                                 the command of a pods/exec request, from its URI
//   actor.kind (user, serviceaccount, node, anonymous, system), actor.namespace (of a service
//   account), actor.controller, actor.new        who made the request, as the engine knows them
//   creator                                      who asked for the object: the owner chain and
//       Kubeflow's creator annotations followed back to a person or a non-controller identity;
//       creator.new                              whether that creator is new, as actor.new
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace mg::audit {

enum class FieldId : std::uint8_t {
  verb, stage, level, audit_id, request_uri, user_agent, username, groups, impersonated_username, source_ips,
  resource, subresource, namespace_, name, api_group, api_version, response_code, timestamp,
  request_object, response_object, annotations, user_extra,
  workload_images, workload_commands, workload_service_accounts, workload_node_selectors, workload_gpu,
  workload_kind, workload_privileged, workload_host_namespaces, workload_host_paths, exec_command, actor_kind, actor_namespace, actor_controller, actor_new, creator, creator_new,
};

struct Field {
  FieldId id = FieldId::verb;
  std::vector<std::string> path;   // keys inside a nested-JSON field
  std::string text;                // as written, for messages
};

// Parses "objectRef.resource", "requestObject.spec.type", "annotations[\"a.b/c\"]". The error
// says what is wrong (the caller adds file and line).
core::Result<Field> parse_field(std::string_view text);

// Every field name a rule may start with, for `rules list` and error messages.
std::vector<std::string> field_names();

}  // namespace mg::audit
