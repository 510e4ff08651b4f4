#include "audit/cluster_controllers.hpp"

#include <fnmatch.h>

#include <algorithm>

#include "kube/pod_template.hpp"

namespace mg::audit {

std::vector<std::string> controller_identities(const std::vector<kube::Object>& objects,
                                               const std::vector<std::string>& never_globs) {
  std::vector<std::string> out;
  for (const auto& object : objects) {
    const std::string_view kind = object.kind();
    if (kind != "Deployment" && kind != "StatefulSet" && kind != "DaemonSet") continue;
    for (const auto& view : kube::pod_templates(object)) {
      if (view.service_account.empty() || view.service_account == "default" || view.namespace_.empty()) continue;
      std::string identity("system:serviceaccount:");
      identity.append(view.namespace_).append(":").append(view.service_account);
      const bool excluded = std::any_of(never_globs.begin(), never_globs.end(), [&](const std::string& glob) {
        return fnmatch(glob.c_str(), identity.c_str(), 0) == 0;
      });
      if (!excluded && std::find(out.begin(), out.end(), identity) == out.end()) out.push_back(std::move(identity));
    }
  }
  return out;
}

}  // namespace mg::audit
