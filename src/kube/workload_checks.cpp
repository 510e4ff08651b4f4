// Container content (image names, command lines) and pod privileges, judged per pod template.
#include "kube/workload_checks.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>
#include <set>
#include <unordered_map>
#include <utility>

#include "indicators/scoring.hpp"
#include "kube/container_evidence.hpp"
#include "kube/object_finding.hpp"
#include "kube/pod_template.hpp"

namespace mg::kube {
namespace {

using core::Category;
using core::Severity;

// The same thresholds as an image's Cmd (indicators/scoring.hpp), so a command line gets the same
// verdict in a manifest as in an image.
using indicators::kMinerGroups;
using indicators::kMinerScore;
using indicators::kSuspiciousScore;

const std::vector<core::RuleInfo>& rule_table() {
  // Technique ids: MS-TA9xxx from Microsoft's Threat Matrix for Kubernetes (MS-TA9002 Compromised
  // image in registry, MS-TA9007 Bash or cmd inside container, MS-TA9008 New container, MS-TA9013
  // Writable hostPath mount, MS-TA9018 Privileged container, MS-TA9039 Resource hijacking);
  // T-numbers from MITRE ATT&CK.
  static const std::vector<core::RuleInfo> kRules{
      {std::string(kRuleMinerImage), "KnownMinerImageInWorkload", "Workload runs a known crypto-miner image",
       "A container image is named in the indicator catalog as a miner: an image public reports tie to "
       "cryptojacking (ddsfdfsaadfs/dfsdf, run in Kubeflow TFJobs and notebooks in 2020) or a repository named "
       "after a miner program. Whoever created this workload runs a miner on the cluster's nodes.",
       Severity::critical, Category::miner, {"MS-TA9039", "MS-TA9008", "MS-TA9002", "T1496", "T1610", "T1204.003"},
       "Delete the workload now, block the image at admission, and find who created it (audit log) and with "
       "which credentials."},
      {std::string(kRuleMinerCommand), "WorkloadCommandStartsMiner", "Workload command downloads or starts a crypto-miner",
       "The container's command, arguments, script source, hooks, probes or environment carry the evidence of a "
       "miner: a download of a miner release, a pool URL, miner options, a wallet. The 2021 Kubeflow campaign ran "
       "genuine TensorFlow images whose command fetched and started XMRig, so the image alone proves nothing.",
       Severity::critical, Category::miner,
       {"MS-TA9039", "MS-TA9008", "MS-TA9007", "T1496", "T1105", "T1059.004", "T1610"},
       "Delete the workload now, then find who created it and how (audit log, the service account or user); "
       "rotate the credentials they used."},
      {std::string(kRuleUnapprovedRegistry), "ImageFromUnapprovedRegistry", "Image from a registry outside the allowed list",
       "The image is pulled from a registry (or a path in it) that is not in --allow-registry. Attackers run "
       "their miners from public registries; limiting where images come from stops that at admission.",
       Severity::medium, Category::policy, {"MS-TA9008", "T1610"},
       "Mirror the image into an allowed registry, or add its registry to the allowed list if it is trusted; "
       "enforce the list with an admission policy."},
      {std::string(kRuleMutableImageTag), "ImageNotPinnedByDigest", "Image referenced by a tag, not a digest",
       "A tag can be moved to other content at any time, so the image that runs is whatever the registry serves "
       "on the next pull; `latest` (or no tag) moves by design. A digest pins the reviewed content. "
       "Reported once per distinct image, on its first use, with the other workloads that use it.",
       Severity::info, Category::policy, {"MS-TA9002", "T1525"},
       "Reference the image by digest (name@sha256:…), resolved from the tag you reviewed."},
      {std::string(kRulePrivilegedContainer), "PrivilegedContainer", "Privileged container or host-level capabilities",
       "The container runs privileged or adds capabilities such as SYS_ADMIN that let it act on the node (mount "
       "file systems, load modules, enter other namespaces). Whoever controls it, or can change the workload, "
       "controls the node and every pod and GPU on it.",
       Severity::high, Category::privilege, {"MS-TA9018", "T1611", "T1610"},
       "Drop privileged and the added capabilities unless this is a node agent that needs them; keep such agents "
       "in a namespace only administrators can change, and enforce Pod Security (baseline) elsewhere."},
      {std::string(kRuleHostNamespaces), "HostNamespaces", "Pod shares the node's PID, network or IPC namespace",
       "hostPID lets the pod see and signal every process of the node (and, with ptrace, enter them); hostNetwork "
       "puts it on the node's network, outside NetworkPolicies, where it can reach the kubelet and the metadata "
       "service; hostIPC shares the node's shared memory.",
       Severity::high, Category::privilege, {"MS-TA9018", "T1611"},
       "Remove hostPID/hostNetwork/hostIPC unless this is a node agent that needs them; enforce Pod Security "
       "(baseline) in user namespaces."},
      {std::string(kRuleHostPath), "HostPathVolume", "Pod mounts a directory of the node (hostPath)",
       "A hostPath volume gives the pod a directory of the node. The root, /proc, /etc, the kubelet's or the "
       "container runtime's directories and sockets, or the CNI directories are a way onto the node: write a "
       "cron job or a CNI plugin, talk to the runtime, read kubelet credentials.",
       Severity::high, Category::privilege, {"MS-TA9013", "T1611"},
       "Replace hostPath with a PersistentVolumeClaim, emptyDir or a CSI volume; where a node agent needs it, "
       "mount only the narrowest path read-only."},
  };
  return kRules;
}

const core::RuleInfo& rule(std::string_view id) { return find_rule(rule_table(), id); }





void add_assessment(core::Finding& finding, const AuditContext& context, const CommandJudgement& judged) {
  for (const auto& hit : judged.assessment.strongest) {
    const auto& indicator = context.catalog.at(hit.indicator);
    add_evidence(finding, indicator.id + " (" + indicator.group + ", weight " + std::to_string(indicator.weight) + ")",
                 hit.text);
  }
  add_evidence(finding, "score",
               std::to_string(judged.assessment.score) + " from " + std::to_string(judged.assessment.groups) +
                   " evidence groups (miner at " + std::to_string(kMinerScore) + " from " +
                   std::to_string(kMinerGroups) + ", suspicious at " + std::to_string(kSuspiciousScore) + ")");
  if (judged.where != nullptr) add_evidence(finding, judged.where->field, judged.where->text);
}

// `judged` points into the texts it was made from; they must still be alive.
core::Finding command_finding(const AuditContext& context, const Object& owner, const CommandJudgement& judged,
                              std::string fallback_field, int fallback_line) {
  const bool located = judged.where != nullptr;
  auto finding = object_finding(rule(kRuleMinerCommand), owner, located ? judged.where->field : std::move(fallback_field),
                                located ? judged.where->line : fallback_line);
  finding.severity = judged.severity;
  finding.category = judged.category;
  add_assessment(finding, context, judged);
  return finding;
}

// --- per container ----------------------------------------------------------------------------

class WorkloadChecker {
 public:
  WorkloadChecker(const AuditContext& context, Findings& findings) : context_(context), findings_(findings) {}

  void check(const Object& object) {
    const auto templates = context_.pods.of(object);
    std::set<std::string> container_fields;
    for (const auto& view : templates) {
      for (const auto& container : view.containers) {
        container_fields.insert(container.field);
        check_container(view, container);
      }
      check_host_namespaces(view);
      check_host_paths(view);
    }
    check_workflow_arguments(object, container_fields);
  }

 private:
  void check_container(const PodTemplateView& view, const ContainerView& container) {
    if (!container.image.empty()) {
      check_catalog_image(view, container);
      if (!templated_image(container.image)) {
        const auto reference = parse_image_reference(container.image);
        check_registry(view, container, reference);
        check_tag(view, container, reference);
      }
    }
    check_command(view, container);
    check_privileges(view, container);
  }

  // Image lookups allocate Hyperscan scratch; a cluster runs few distinct images many times.
  const std::vector<std::uint32_t>& image_matches(const std::string& image) {
    auto it = image_cache_.find(image);
    if (it == image_cache_.end()) it = image_cache_.emplace(image, context_.catalog.match_image(image)).first;
    return it->second;
  }

  void check_catalog_image(const PodTemplateView& view, const ContainerView& container) {
    const auto& matches = image_matches(container.image);
    if (matches.empty()) return;
    auto [field, line] = container_field(container, "image");
    auto finding = object_finding(rule(kRuleMinerImage), *view.owner, field, line);
    add_evidence(finding, "image", container.image);
    for (auto index : matches) {
      const auto& indicator = context_.catalog.at(index);
      add_evidence(finding, indicator.id, indicator.why);
    }
    findings_.push_back(std::move(finding));
  }

  void check_registry(const PodTemplateView& view, const ContainerView& container, const ImageReference& reference) {
    const auto& allowed = context_.options.allowed_registries;
    if (allowed.empty()) return;
    if (std::any_of(allowed.begin(), allowed.end(),
                    [&](const std::string& entry) { return registry_allowed(reference, entry); }))
      return;
    auto [field, line] = container_field(container, "image");
    auto finding = object_finding(rule(kRuleUnapprovedRegistry), *view.owner, field, line);
    add_evidence(finding, "image", container.image);
    add_evidence(finding, "resolves to", reference.registry + "/" + reference.repository);
    std::string list;
    for (const auto& entry : allowed) {
      if (!list.empty()) list += ", ";
      list += entry;
    }
    add_evidence(finding, "allowed registries", list);
    findings_.push_back(std::move(finding));
  }

  // One finding per distinct image, on its first use: a cluster runs a few hundred images in
  // tens of thousands of containers, and the decision (pin it) is per image, not per container.
  void check_tag(const PodTemplateView& view, const ContainerView& container, const ImageReference& reference) {
    if (!reference.digest.empty()) return;
    auto [entry, first] = tag_findings_.try_emplace(container.image);
    ++entry->second.uses;
    if (!first) {
      if (entry->second.others.size() < kListedUses) entry->second.others.push_back(view.owner->ref());
      return;
    }
    entry->second.order = tag_findings_.size();
    auto [field, line] = container_field(container, "image");
    auto finding = object_finding(rule(kRuleMutableImageTag), *view.owner, field, line);
    add_evidence(finding, "image", container.image);
    if (reference.tag.empty() || reference.tag == "latest") {
      // latest moves with every push: the next restart may run something nobody reviewed.
      finding.severity = Severity::low;
      add_evidence(finding, "tag", reference.tag.empty() ? "none (Docker pulls latest)" : "latest");
    } else {
      add_evidence(finding, "tag", reference.tag);
    }
    entry->second.finding = std::move(finding);
  }

 public:
  // Emits the per-image tag findings, in the order their images were first seen.
  void finish() {
    std::vector<TagUse*> ordered;
    for (auto& [image, use] : tag_findings_) ordered.push_back(&use);
    std::sort(ordered.begin(), ordered.end(), [](const TagUse* a, const TagUse* b) { return a->order < b->order; });
    for (auto* use : ordered) {
      if (use->uses > 1) {
        std::string others;
        for (const auto& ref : use->others) others += (others.empty() ? "" : "; ") + ref;
        if (use->uses - 1 > use->others.size()) others += "; …";
        add_evidence(use->finding, "also used by", std::to_string(use->uses - 1) + " more container(s): " + others);
      }
      findings_.push_back(std::move(use->finding));
    }
    tag_findings_.clear();
  }

 private:
  void check_command(const PodTemplateView& view, const ContainerView& container) {
    const auto texts = container_texts(container);
    if (texts.empty()) return;
    auto judged = judge_texts(context_.catalog, context_.scanner, texts);
    if (!judged) return;
    auto finding = command_finding(context_, *view.owner, *judged, container.field, container.line);
    if (!container.image.empty()) add_evidence(finding, "image", container.image);
    findings_.push_back(std::move(finding));
  }

  // Workflow arguments are substituted into templates ({{workflow.parameters.cmd}}), also of a
  // Workflow that only references a WorkflowTemplate: a command can hide there. KFP component
  // parameters were already read as containers.
  void check_workflow_arguments(const Object& object, const std::set<std::string>& container_fields) {
    if (object.api_group() != "argoproj.io") return;
    const bool cron = object.kind() == "CronWorkflow";
    const Value& spec = cron ? object.spec()["workflowSpec"] : object.spec();
    const std::string params_field = cron ? "spec.workflowSpec.arguments.parameters" : "spec.arguments.parameters";
    const auto params = spec["arguments"]["parameters"].items();
    std::vector<ContainerText> texts;
    for (std::size_t i = 0; i < params.size(); ++i) {
      std::string field = params_field + "[" + std::to_string(i) + "].value";
      if (container_fields.contains(field)) continue;
      if (const Value* value = params[i].find("value"); value != nullptr && value->is_scalar())
        add_text(texts, std::move(field), value, std::string(value->str()));
    }
    if (texts.empty()) return;
    if (auto judged = judge_texts(context_.catalog, context_.scanner, texts))
      findings_.push_back(command_finding(context_, object, *judged, params_field, 0));
  }

  void check_privileges(const PodTemplateView& view, const ContainerView& container) {
    if (container.spec == nullptr) return;
    const Value& security = (*container.spec)["securityContext"];
    if (!security.is_object()) return;
    std::optional<Severity> severity;
    std::string field;
    int line = 0;
    std::vector<std::pair<std::string, std::string>> evidence;
    if (const Value* privileged = security.find("privileged"); privileged && privileged->as_bool().value_or(false)) {
      severity = Severity::high;
      field = container.field + ".securityContext.privileged";
      line = privileged->line();
      evidence.emplace_back("securityContext.privileged", "true");
    }
    if (const Value* add = security.find({"capabilities", "add"}); add != nullptr && add->is_array()) {
      std::string names;
      std::optional<Severity> caps = capability_severity(*add, names);
      if (caps) {
        evidence.emplace_back("securityContext.capabilities.add", names);
        if (!severity || *caps > *severity) {
          severity = caps;
          field = container.field + ".securityContext.capabilities.add";
          line = add->line();
        }
      }
    }
    if (!severity) return;
    auto finding = object_finding(rule(kRulePrivilegedContainer), *view.owner, field, line);
    finding.severity = *severity;
    add_evidence(finding, "container", container.name.empty() ? container.field : container.name);
    for (auto& [what, value] : evidence) add_evidence(finding, what, value);
    if (const Value* escalation = security.find("allowPrivilegeEscalation"))
      add_evidence(finding, "securityContext.allowPrivilegeEscalation", escalation->str());
    findings_.push_back(std::move(finding));
  }

  // Pod Security "baseline" allows only these to be added; ALL and SYS_ADMIN-class capabilities
  // are as good as privileged (SYS_ADMIN also forces allowPrivilegeEscalation on).
  static std::optional<Severity> capability_severity(const Value& add, std::string& names) {
    static const std::set<std::string, std::less<>> kBaseline{"AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
                                                              "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE",
                                                              "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"};
    static const std::set<std::string, std::less<>> kNodeLevel{"ALL",      "SYS_ADMIN",       "SYS_MODULE",
                                                               "SYS_RAWIO", "DAC_READ_SEARCH", "SYS_PTRACE",
                                                               "BPF"};
    std::optional<Severity> severity;
    for (const auto& item : add.items()) {
      std::string name(item.str());
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      if (name.starts_with("CAP_")) name.erase(0, 4);
      if (name.empty()) continue;
      if (!names.empty()) names += ", ";
      names += name;
      Severity level = kNodeLevel.contains(name) ? Severity::high
                       : kBaseline.contains(name) ? Severity::info
                                                  : Severity::medium;
      if (level != Severity::info && (!severity || level > *severity)) severity = level;
    }
    return severity;
  }

  void check_host_namespaces(const PodTemplateView& view) {
    if (!view.host_pid && !view.host_network && !view.host_ipc) return;
    // The most dangerous flag locates the finding: hostPID first (processes of the node).
    std::string_view key = view.host_pid ? "hostPID" : view.host_network ? "hostNetwork" : "hostIPC";
    int line = 0;
    if (view.pod_spec != nullptr) {
      if (const Value* flag = view.pod_spec->find(key)) line = flag->line();
    }
    auto finding = object_finding(rule(kRuleHostNamespaces), *view.owner, view.pod_spec_field + "." + std::string(key), line);
    finding.severity = view.host_pid ? Severity::high : Severity::medium;
    if (view.host_pid) add_evidence(finding, "hostPID", "true: the pod sees and can signal every process of the node");
    if (view.host_network)
      add_evidence(finding, "hostNetwork", "true: the pod uses the node's network, outside NetworkPolicies");
    if (view.host_ipc) add_evidence(finding, "hostIPC", "true: the pod shares the node's IPC namespace");
    if (!view.role.empty()) add_evidence(finding, "template", view.role);
    findings_.push_back(std::move(finding));
  }

  void check_host_paths(const PodTemplateView& view);

  const AuditContext& context_;
  Findings& findings_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> image_cache_;

  static constexpr std::size_t kListedUses = 5;
  struct TagUse {
    core::Finding finding;
    std::size_t uses = 0;
    std::size_t order = 0;
    std::vector<std::string> others;   // the next few objects using the image
  };
  std::unordered_map<std::string, TagUse> tag_findings_;
};

// --- hostPath ---------------------------------------------------------------------------------

std::string normalize_path(std::string_view path) {
  std::string out = std::filesystem::path(std::string(path)).lexically_normal().generic_string();
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

bool under(std::string_view path, std::string_view dir) {
  return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

// Paths that are a way onto the node: its root and top directories (everything is below them),
// kernel interfaces, configuration and credentials, the kubelet's and the runtimes' state and
// sockets, and the CNI directories the runtime executes plugins from.
Severity host_path_severity(std::string_view raw) {
  const std::string path = normalize_path(raw);
  static constexpr std::string_view kWhole[] = {"/", "/var", "/run", "/var/run", "/usr", "/var/lib", "/opt", "/lib",
                                                "/bin", "/sbin"};
  static constexpr std::string_view kTrees[] = {
      "/proc",           "/sys",          "/etc",         "/root",          "/home",
      "/boot",           "/dev",          "/usr/bin",     "/usr/sbin",      "/usr/lib",
      "/usr/local/bin",  "/var/lib/kubelet", "/var/lib/docker", "/var/lib/containerd", "/var/lib/etcd",
      "/var/lib/cri-o",  "/var/run/docker.sock", "/run/docker.sock", "/var/run/containerd", "/run/containerd",
      "/var/run/crio",   "/run/crio",     "/var/run/cri-dockerd.sock", "/run/cri-dockerd.sock", "/opt/cni",
      "/var/spool/cron", "/var/lib/rancher"};
  if (!raw.starts_with('/')) return Severity::high;  // relative or empty: resolved by the kubelet, assume the worst
  for (auto whole : kWhole) {
    if (path == whole) return Severity::high;
  }
  for (auto tree : kTrees) {
    if (under(path, tree)) return Severity::high;
  }
  return Severity::medium;
}

// How the containers of the template mount a volume: "read-write", "read-only" or "not mounted".
std::string mount_mode(const PodTemplateView& view, std::string_view volume) {
  bool mounted = false, writable = false;
  for (const auto& container : view.containers) {
    if (container.spec == nullptr) continue;
    for (const auto& mount : (*container.spec)["volumeMounts"].items()) {
      if (mount["name"].str() != volume) continue;
      mounted = true;
      if (!mount["readOnly"].as_bool().value_or(false)) writable = true;
    }
  }
  return !mounted ? "not mounted" : writable ? "read-write" : "read-only";
}

void WorkloadChecker::check_host_paths(const PodTemplateView& view) {
  if (view.host_paths.empty()) return;
  // One finding per template: a node agent mounts several paths and needs one decision.
  const HostPathView* worst = nullptr;
  Severity worst_severity = Severity::info;
  std::vector<std::pair<std::string, std::string>> lines;
  for (const auto& host_path : view.host_paths) {
    const auto mode = mount_mode(view, host_path.volume);
    // A volume no container mounts exposes nothing until someone adds a mount.
    Severity severity = mode == "not mounted" ? Severity::low : host_path_severity(host_path.path);
    lines.emplace_back(host_path.field, host_path.path + " (" + mode + ", volume " + host_path.volume + ")");
    if (worst == nullptr || severity > worst_severity) {
      worst = &host_path;
      worst_severity = severity;
    }
  }
  auto finding = object_finding(rule(kRuleHostPath), *view.owner, worst->field, worst->line);
  finding.severity = worst_severity;
  for (auto& [field, text] : lines) add_evidence(finding, field, text);
  findings_.push_back(std::move(finding));
}

std::string_view trim_slashes(std::string_view text) {
  while (!text.empty() && text.back() == '/') text.remove_suffix(1);
  return text;
}

bool path_prefix(std::string_view repository, std::string_view prefix) {
  return prefix.empty() || under(repository, prefix);
}

}  // namespace

ImageReference parse_image_reference(std::string_view image) {
  ImageReference out;
  std::string_view rest = image;
  if (const auto at = rest.find('@'); at != std::string_view::npos) {
    out.digest = std::string(rest.substr(at + 1));
    rest = rest.substr(0, at);
  }
  const auto last_slash = rest.rfind('/');
  if (const auto colon = rest.rfind(':'); colon != std::string_view::npos &&
                                          (last_slash == std::string_view::npos || colon > last_slash)) {
    out.tag = std::string(rest.substr(colon + 1));
    rest = rest.substr(0, colon);
  }
  // Docker's rule: the first component is a registry only if it looks like a host.
  const auto slash = rest.find('/');
  const std::string_view first = slash == std::string_view::npos ? std::string_view() : rest.substr(0, slash);
  if (!first.empty() && (first.find('.') != std::string_view::npos || first.find(':') != std::string_view::npos ||
                         first == "localhost")) {
    out.registry = ascii_lower(first);
    out.repository = std::string(rest.substr(slash + 1));
  } else {
    out.registry = "docker.io";
    out.repository = std::string(rest);
  }
  if (out.registry == "index.docker.io" || out.registry == "registry-1.docker.io") out.registry = "docker.io";
  if (out.registry == "docker.io" && out.repository.find('/') == std::string::npos)
    out.repository = "library/" + out.repository;
  return out;
}

bool registry_allowed(const ImageReference& image, std::string_view entry) {
  for (std::string_view scheme : {"https://", "http://"}) {
    if (entry.starts_with(scheme)) entry.remove_prefix(scheme.size());
  }
  entry = trim_slashes(entry);
  if (entry.empty()) return false;
  const auto slash = entry.find('/');
  std::string host = ascii_lower(entry.substr(0, slash));
  std::string_view path = slash == std::string_view::npos ? std::string_view() : entry.substr(slash + 1);
  if (host.starts_with("*.")) {
    const std::string_view suffix = std::string_view(host).substr(1);  // ".gcr.io"
    return image.registry.size() > suffix.size() && image.registry.ends_with(suffix) &&
           path_prefix(image.repository, path);
  }
  if (host.find('.') == std::string::npos && host.find(':') == std::string::npos && host != "localhost") {
    // No host: a Docker Hub path, as `docker pull` would read it.
    host = "docker.io";
    path = entry;
  }
  if (host == "index.docker.io" || host == "registry-1.docker.io") host = "docker.io";
  if (image.registry != host) return false;
  if (path_prefix(image.repository, path)) return true;
  // "docker.io/nginx" names the official image library/nginx.
  return host == "docker.io" && path.find('/') == std::string_view::npos &&
         image.repository == "library/" + std::string(path);
}

std::vector<core::RuleInfo> workload_rules() { return rule_table(); }

void check_workloads(const AuditContext& context, Findings& findings) {
  WorkloadChecker checker(context, findings);
  for (const auto& object : context.inventory.objects()) {
    if (holds_pods(object)) checker.check(object);
  }
  checker.finish();
}

bool templated_image(std::string_view image) {
  return image.find("{{") != std::string_view::npos || image.find("${") != std::string_view::npos ||
         image.find("$(") != std::string_view::npos;
}

}  // namespace mg::kube
