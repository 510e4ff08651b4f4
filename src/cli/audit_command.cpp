#include "cli/audit_command.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <memory>

#include "cli/app.hpp"
#include "cli/common_options.hpp"
#include "core/log.hpp"
#include "kube/audit.hpp"
#include "kube/kubectl_source.hpp"
#include "kube/probe.hpp"
#include "kube/reader.hpp"

namespace mg::cli {
namespace {

struct AuditArgs {
  CommonOptions common;
  std::vector<std::string> inputs;
  bool kubectl = false;
  std::string context;
  std::string kubeconfig;
  std::vector<std::string> probes;
  int probe_timeout = 10;
  bool probe_insecure = false;
  std::vector<std::string> allowed_registries;
  kube::ReadLimits limits;   // its defaults are the options' defaults
};

core::Result<kube::ReadResult> read_inputs(const AuditArgs& args) {
  const kube::ReadLimits& limits = args.limits;
  kube::ReadResult all;
  if (!args.inputs.empty()) {
    auto read = kube::read_paths(args.inputs, limits);
    if (!read) return read;
    all = std::move(*read);
  }
  if (args.kubectl) {
    kube::KubectlOptions options;
    options.context = args.context;
    options.kubeconfig = args.kubeconfig;
    options.limits = limits;
    core::log_info("reading the cluster through kubectl");
    auto read = kube::read_cluster(options);
    if (!read) return read;
    kube::append(all, std::move(*read));
  }
  return all;
}

// One target per manifest file (and "cluster", and each probed URL), in the order first seen,
// each with its own verdict from its own findings.
void add_targets(core::Report& report, const std::vector<kube::Object>& objects) {
  std::map<std::string, std::size_t, std::less<>> index;
  for (const auto& object : objects) {
    auto it = index.find(object.file);
    if (it == index.end()) {
      it = index.emplace(object.file, report.targets.size()).first;
      core::TargetResult target;
      target.target = object.file;
      target.kind = object.file == "cluster" ? "kubectl" : "manifest";
      report.targets.push_back(std::move(target));
    }
    ++report.targets[it->second].stats["objects"];
  }
}

void add_probe_targets_and_verdicts(core::Report& report, const std::vector<std::string>& probes) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < report.targets.size(); ++i) index.emplace(report.targets[i].target, i);
  for (const auto& url : probes) {
    if (index.try_emplace(url, report.targets.size()).second) {
      report.targets.push_back(core::TargetResult{url, "probe", "", core::Verdict::clean, {}});
    }
  }
  report.raise_target_verdicts();
}

int run_audit(const AuditArgs& args) {
  if (args.inputs.empty() && !args.kubectl && args.probes.empty()) {
    std::fprintf(stderr, "minerguard: error: audit needs manifest files or directories, '-', --kubectl or --probe\n");
    return kExitBadInput;
  }
  auto catalog = prepare(args.common);
  if (!catalog) {
    std::fprintf(stderr, "minerguard: error: %s\n", catalog.error().message.c_str());
    return kExitBadInput;
  }
  const auto started = std::chrono::steady_clock::now();
  core::Report report;
  report.tool_version = MG_VERSION;
  report.command = "audit";
  report.rules = kube::audit_rules();

  auto read = read_inputs(args);
  if (!read) {
    // An incomplete picture would report doors that are shut (a policy in the unreadable file),
    // so nothing is audited when any input is bad.
    std::fprintf(stderr, "minerguard: error: %s\n", read.error().message.c_str());
    core::TargetResult failed;
    failed.target = args.inputs.empty() ? "cluster" : args.inputs.front();
    failed.kind = args.inputs.empty() ? "kubectl" : "manifest";
    failed.error = read.error().message;
    report.targets.push_back(std::move(failed));
    return finish(args.common, report);
  }
  for (const auto& warning : read->warnings) core::log_warning(warning);
  core::log_info("read " + std::to_string(read->objects.size()) + " objects");

  add_targets(report, read->objects);
  kube::AuditOptions options;
  options.allowed_registries = args.allowed_registries;
  auto audited = kube::audit(std::move(read->objects), *catalog, options);
  if (!audited) {
    std::fprintf(stderr, "minerguard: error: %s\n", audited.error().message.c_str());
    return kExitBadInput;
  }
  report.findings = std::move(audited->findings);
  report.stats = audited->stats;
  report.stats["bytes"] = read->bytes;
  report.stats["documents"] = read->documents;
  report.stats["warnings"] = read->warnings.size();

  kube::ProbeOptions probe_options;
  probe_options.timeout = std::chrono::seconds(args.probe_timeout);
  probe_options.insecure = args.probe_insecure;
  for (const auto& url : args.probes) {
    core::log_info("probing " + url);
    report.findings.push_back(kube::probe_finding(kube::probe(url, probe_options)));
  }
  add_probe_targets_and_verdicts(report, args.probes);
  report.stats["elapsed_ms"] = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());
  return finish(args.common, report);
}

}  // namespace

void add_audit_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<AuditArgs>();
  auto* command = app.add_subcommand(
      "audit", "Find the exposure and privileges that let miners into Kubernetes/Kubeflow (manifests or a cluster)");
  command->add_option("inputs", args->inputs,
                      "YAML/JSON manifests, directories of them (recursively), or - for stdin "
                      "(kubectl get -o json, kustomize build, helm template output)");
  add_common_options(*command, args->common);
  command->add_flag("--kubectl", args->kubectl, "Read the live cluster through kubectl (get only; nothing is written)");
  command->add_option("--context", args->context, "kubectl context to read (with --kubectl)")->needs("--kubectl");
  command->add_option("--kubeconfig", args->kubeconfig, "kubeconfig file for kubectl (with --kubectl)")
      ->needs("--kubectl");
  command->add_option("--probe", args->probes,
                      "Send one GET to URL (no credentials, no redirects followed) to prove or disprove exposure");
  command->add_option("--probe-timeout", args->probe_timeout, "Seconds to wait for a probe")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  command->add_flag("--probe-insecure", args->probe_insecure, "Do not verify the probed server's TLS certificate");
  command->add_option("--allow-registry", args->allowed_registries,
                      "Registry images may come from (ghcr.io, docker.io/kubeflownotebookswg, *.gcr.io); repeatable; "
                      "when given, other registries are reported");
  command->add_option("--max-input-bytes", args->limits.max_input_bytes, "Largest file, stdin or kubectl output read")
      ->capture_default_str();
  command->add_option("--max-document-bytes", args->limits.max_document_bytes, "Largest single YAML document")
      ->capture_default_str();
  command->add_option("--max-nodes", args->limits.max_nodes_per_document, "Most nodes YAML aliases may copy in one document")
      ->capture_default_str();
  command->add_option("--max-depth", args->limits.max_depth, "Deepest nesting of mappings and lists")
      ->check(CLI::Range(8, 1000))
      ->capture_default_str();
  command->callback([args, &exit_code] { exit_code = run_audit(*args); });
}

}  // namespace mg::cli
