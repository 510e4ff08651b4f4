#pragma once
// Controller identities read from the cluster's own objects (`audit-log --cluster-objects`): the
// service accounts its Deployments, StatefulSets and DaemonSets run as are the accounts of the
// cluster's controllers and operators, whoever installed them and whatever they are called.
#include <string>
#include <vector>

#include "kube/object.hpp"

namespace mg::audit {

// "system:serviceaccount:<namespace>:<account>" of each such workload, in the order first seen,
// without repeats; never the namespaces' `default` account, nor an identity matching one of
// `never_globs` (the rules' never_controller_identities: the accounts user pods run as).
std::vector<std::string> controller_identities(const std::vector<kube::Object>& objects,
                                               const std::vector<std::string>& never_globs);

}  // namespace mg::audit
