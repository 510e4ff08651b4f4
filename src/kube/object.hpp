#pragma once
// One Kubernetes object as read from a manifest or a cluster, with where it came from.
#include <string>
#include <string_view>

#include "kube/value.hpp"

namespace mg::kube {

struct Object {
  Value root;            // the whole object (apiVersion, kind, metadata, spec, …)
  std::string file;      // the file it was read from; "-" for stdin; "cluster" for --kubectl
  int line = 0;          // 1-based line where the object starts in that file
  int document = 0;      // 0-based index of the YAML document (or JSON value) in the file

  std::string_view api_version() const { return root["apiVersion"].str(); }
  std::string_view kind() const { return root["kind"].str(); }
  std::string_view name() const { return root["metadata"]["name"].str(); }
  std::string_view namespace_() const { return root["metadata"]["namespace"].str(); }
  // "networking.istio.io" for "networking.istio.io/v1beta1"; "" for the core group ("v1").
  std::string_view api_group() const;
  const Value& metadata() const { return root["metadata"]; }
  const Value& spec() const { return root["spec"]; }
  const Value& labels() const { return root["metadata"]["labels"]; }
  const Value& annotations() const { return root["metadata"]["annotations"]; }
  // "Service istio-system/istio-ingressgateway", "ClusterRole cluster-admin": for messages.
  std::string ref() const;
  // "file:line" ("kubeflow.yaml:208752"), or the file alone when the line is unknown.
  std::string where() const;
};

}  // namespace mg::kube
