#include "kube/kubectl_source.hpp"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "kube/subprocess.hpp"

namespace mg::kube {
namespace {

std::vector<std::string> base_arguments(const KubectlOptions& options) {
  std::vector<std::string> argv{options.program};
  if (!options.context.empty()) argv.push_back("--context=" + options.context);
  if (!options.kubeconfig.empty()) argv.push_back("--kubeconfig=" + options.kubeconfig);
  return argv;
}

std::string cluster_name(const KubectlOptions& options) {
  return options.context.empty() ? std::string("the current kubectl context") : "context " + options.context;
}

// kubectl's own message is the most useful thing we can say; its last non-empty line is it.
std::string last_line(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) text.remove_suffix(1);
  const auto newline = text.rfind('\n');
  return std::string(newline == std::string_view::npos ? text : text.substr(newline + 1));
}

core::Result<ProcessOutput> run_kubectl(const KubectlOptions& options, std::vector<std::string> args,
                                        std::string_view what) {
  auto argv = base_arguments(options);
  for (auto& a : args) argv.push_back(std::move(a));
  auto ran = run_process(argv, options.limits.max_input_bytes,
                         std::chrono::duration_cast<std::chrono::milliseconds>(options.timeout));
  if (!ran) return std::unexpected(core::with_context(ran.error(), "kubectl " + std::string(what)));
  return ran;
}

// A Pod owned by a ReplicaSet owned by a Deployment is one workload, not three: objects whose
// controller was also read are dropped, so each finding is reported once, on the object to change.
void drop_controlled(ReadResult& result) {
  std::unordered_set<std::string> uids;
  for (const auto& object : result.objects) {
    const auto uid = object.metadata()["uid"].str();
    if (!uid.empty()) uids.emplace(uid);
  }
  std::erase_if(result.objects, [&](const Object& object) {
    for (const auto& owner : object.metadata()["ownerReferences"].items()) {
      if (owner["controller"].as_bool().value_or(false) && uids.contains(std::string(owner["uid"].str()))) return true;
    }
    return false;
  });
}

}  // namespace

const std::vector<std::string>& audited_resources() {
  static const std::vector<std::string> resources = {
      // exposure and its routes
      "namespaces", "services", "configmaps", "ingresses.networking.k8s.io", "networkpolicies.networking.k8s.io",
      "gateways.networking.istio.io", "virtualservices.networking.istio.io", "sidecars.networking.istio.io",
      "authorizationpolicies.security.istio.io", "requestauthentications.security.istio.io",
      "gateways.gateway.networking.k8s.io", "httproutes.gateway.networking.k8s.io",
      // who can do what
      "serviceaccounts", "roles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io",
      "rolebindings.rbac.authorization.k8s.io", "clusterrolebindings.rbac.authorization.k8s.io",
      "resourcequotas",
      // workloads, built-in and Kubeflow's
      "pods", "replicasets.apps", "deployments.apps", "statefulsets.apps", "daemonsets.apps", "jobs.batch",
      "cronjobs.batch", "profiles.kubeflow.org", "notebooks.kubeflow.org", "tfjobs.kubeflow.org",
      "pytorchjobs.kubeflow.org", "mpijobs.kubeflow.org", "xgboostjobs.kubeflow.org", "paddlejobs.kubeflow.org",
      "experiments.kubeflow.org", "workflows.argoproj.io", "workflowtemplates.argoproj.io",
      "clusterworkflowtemplates.argoproj.io", "cronworkflows.argoproj.io", "inferenceservices.serving.kserve.io",
      "trainjobs.trainer.kubeflow.org", "sparkapplications.sparkoperator.k8s.io"};
  return resources;
}

std::vector<std::string> served_resources(std::string_view api_resources_output,
                                          const std::vector<std::string>& wanted) {
  std::set<std::string, std::less<>> served;
  while (!api_resources_output.empty()) {
    const auto newline = api_resources_output.find('\n');
    auto line = api_resources_output.substr(0, newline);
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (!line.empty()) served.emplace(line);
    if (newline == std::string_view::npos) break;
    api_resources_output.remove_prefix(newline + 1);
  }
  std::vector<std::string> out;
  for (const auto& name : wanted) {
    if (served.contains(name)) out.push_back(name);
  }
  return out;
}

core::Result<ReadResult> read_cluster(const KubectlOptions& options) {
  auto listed = run_kubectl(options, {"api-resources", "--verbs=list", "-o", "name"}, "api-resources");
  if (!listed) return std::unexpected(listed.error());
  if (listed->exit_code != 0) {
    return core::fail(core::ErrorCode::io, "kubectl api-resources failed for " + cluster_name(options) + ": " +
                                               last_line(listed->err));
  }
  const auto resources = served_resources(listed->out, audited_resources());
  if (resources.empty()) {
    return core::fail(core::ErrorCode::invalid_input,
                      "kubectl api-resources for " + cluster_name(options) + " lists none of the resources audit reads");
  }
  std::string joined;
  for (const auto& r : resources) joined += (joined.empty() ? "" : ",") + r;
  auto got = run_kubectl(options, {"get", joined, "--all-namespaces", "-o", "json"}, "get");
  if (!got) return std::unexpected(got.error());
  core::Result<ReadResult> result = ReadResult{};
  if (got->exit_code == 0) {
    result = read_json_objects(got->out, "cluster", options.limits);
    if (!result) return std::unexpected(result.error());
  } else {
    // Usually RBAC: the user may not list some kinds. Read the others one by one and say which
    // were left out, so the audit is as complete as the user's rights allow and says so.
    std::size_t read = 0;
    for (const auto& resource : resources) {
      auto one = run_kubectl(options, {"get", resource, "--all-namespaces", "-o", "json"}, "get " + resource);
      if (!one) return std::unexpected(one.error());
      if (one->exit_code != 0) {
        result->warnings.push_back("cluster: cannot list " + resource + ": " + last_line(one->err));
        continue;
      }
      auto objects = read_json_objects(one->out, "cluster", options.limits);
      if (!objects) return std::unexpected(objects.error());
      ++read;
      append(*result, std::move(*objects));
    }
    if (read == 0) {
      return core::fail(core::ErrorCode::io, "kubectl get failed for " + cluster_name(options) + ": " +
                                                 last_line(got->err));
    }
  }

  // Dex's static passwords are the one Secret the checks need; reading every Secret of the
  // cluster would copy credentials into our memory for nothing. A missing one is not an error.
  auto dex = run_kubectl(options, {"get", "secret", "dex-passwords", "--namespace=auth", "-o", "json",
                                   "--ignore-not-found"}, "get secret");
  if (dex && dex->exit_code == 0 && !dex->out.empty()) {
    auto secret = read_json_objects(dex->out, "cluster", options.limits);
    if (secret) {
      for (auto& object : secret->objects) result->objects.push_back(std::move(object));
    }
  } else if (dex && dex->exit_code != 0) {
    result->warnings.push_back("cluster: cannot read Secret auth/dex-passwords: " + last_line(dex->err));
  }
  drop_controlled(*result);
  return result;
}

}  // namespace mg::kube
