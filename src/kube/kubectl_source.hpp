#pragma once
// Reading a live cluster through kubectl, the client users already trust with their credentials:
// `kubectl api-resources` says which of the kinds the checks need the cluster serves (Kubeflow's
// CRDs may be missing), then one `kubectl get <kinds> -A -o json` reads them. Nothing is written
// to the cluster: only `api-resources` and `get` are ever run.
#include <chrono>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "kube/reader.hpp"

namespace mg::kube {

struct KubectlOptions {
  std::string program = "kubectl";   // looked up on PATH unless it contains a '/'
  std::string context;               // --context
  std::string kubeconfig;            // --kubeconfig
  std::chrono::seconds timeout{120}; // the whole of one kubectl run
  ReadLimits limits;                 // applied to kubectl's output like any other input
};

// The resources `audit` reads, as kubectl names them ("services", "notebooks.kubeflow.org", …).
const std::vector<std::string>& audited_resources();

// The subset of `wanted` that appears in `kubectl api-resources -o name` output (one name per line;
// core resources appear bare, others as plural.group).
std::vector<std::string> served_resources(std::string_view api_resources_output,
                                          const std::vector<std::string>& wanted);

// Runs kubectl and returns the objects; file is "cluster" for each, the context in messages.
core::Result<ReadResult> read_cluster(const KubectlOptions& options);

}  // namespace mg::kube
