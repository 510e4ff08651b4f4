// Container texts and their verdict: see container_evidence.hpp.
#include "kube/container_evidence.hpp"

#include <algorithm>

namespace mg::kube {

std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& word : words) {
    if (!out.empty()) out += ' ';
    out += word;
  }
  return out;
}

// Where a container field is written: the container's own key when it has one, else the
// container (a Spark image set on the application, a KFP component inside a JSON parameter).
std::pair<std::string, int> container_field(const ContainerView& container, std::string_view key) {
  if (container.spec != nullptr) {
    if (const Value* value = container.spec->find(key)) return {container.field + "." + std::string(key), value->line()};
  }
  return {container.field, container.line};
}

namespace {

void add_text_at(std::vector<ContainerText>& texts, std::string field, int line, std::string text) {
  if (!text.empty()) texts.push_back({std::move(field), line, std::move(text)});
}

}  // namespace

void add_text(std::vector<ContainerText>& texts, std::string field, const Value* node, std::string text) {
  add_text_at(texts, std::move(field), node != nullptr ? node->line() : 0, std::move(text));
}

namespace {

// An exec handler (lifecycle hook or probe) runs a command inside the container, as often as the
// probe period: a place to start a miner that the main command does not show. `handler` is the
// hook or probe (unset when the container has none); its exec command is at `path` below it.
template <class Ref>
void add_exec(std::vector<ContainerText>& texts, const BasicContainerView<Ref>& container, const Ref& handler,
              std::string_view handler_field, std::initializer_list<std::string_view> path) {
  if (handler == nullptr) return;
  const auto command = handler->find(path);
  if (command == nullptr || !command->is_array()) return;
  std::vector<std::string> words;
  for (const auto& word : command->items()) words.emplace_back(word.str());
  std::string field = container.field + "." + std::string(handler_field);
  for (auto key : path) field.append(".").append(key);
  add_text_at(texts, std::move(field), command->line(), join_words(words));
}

// The keys of a container that hold what it runs, found in one pass over its members (a JsonNode
// finds a key by walking them all; a container has a dozen).
template <class Ref>
struct RunKeys {
  Ref source{}, command{}, args{}, env{}, env_vars{}, lifecycle{}, liveness{}, readiness{}, startup{};

  explicit RunKeys(const Ref& spec) {
    if (spec == nullptr) return;
    for (const auto& [key, value] : spec->members()) {
      const std::string_view k = key;
      Ref* slot = k == "source" ? &source : k == "command" ? &command : k == "args" ? &args : k == "env" ? &env
                : k == "envVars" ? &env_vars : k == "lifecycle" ? &lifecycle : k == "livenessProbe" ? &liveness
                : k == "readinessProbe" ? &readiness : k == "startupProbe" ? &startup : nullptr;
      if (slot != nullptr) *slot = ref_of(value);   // a key written twice: its last value
    }
  }
};

}  // namespace

// Everything a container runs or is configured with, each with the field it is written in.
template <class Ref>
std::vector<ContainerText> container_texts(const BasicContainerView<Ref>& container) {
  std::vector<ContainerText> texts;
  const RunKeys<Ref> keys(container.spec);
  // Located where the payload usually is: an Argo script's source, else command, else args.
  std::pair<std::string_view, const Ref*> where{"command", &keys.command};
  if (keys.source != nullptr) where = {"source", &keys.source};
  else if (keys.command == nullptr && keys.args != nullptr) where = {"args", &keys.args};
  if (!container.command.empty()) {
    const Ref& at = *where.second;
    texts.push_back({at != nullptr ? container.field + "." + std::string(where.first) : container.field,
                     at != nullptr ? at->line() : container.line, join_words(container.command)});
  }
  if (container.spec == nullptr) return texts;
  if (keys.env != nullptr) {
    std::size_t i = 0;
    for (const auto& env : keys.env->items()) {
      const std::size_t index = i++;
      const auto value = env.find("value");
      if (value == nullptr || !value->is_scalar()) continue;
      add_text_at(texts, container.field + ".env[" + std::to_string(index) + "].value", value->line(),
                  std::string(env["name"].str()) + "=" + std::string(value->str()));
    }
  }
  if (keys.env_vars != nullptr) {
    for (const auto& [name, value] : keys.env_vars->members()) {  // SparkApplication
      add_text_at(texts, container.field + ".envVars." + std::string(name), value.line(),
                  std::string(name) + "=" + std::string(value.str()));
    }
  }
  add_exec(texts, container, keys.lifecycle, "lifecycle", {"postStart", "exec", "command"});
  add_exec(texts, container, keys.lifecycle, "lifecycle", {"preStop", "exec", "command"});
  add_exec(texts, container, keys.liveness, "livenessProbe", {"exec", "command"});
  add_exec(texts, container, keys.readiness, "readinessProbe", {"exec", "command"});
  add_exec(texts, container, keys.startup, "startupProbe", {"exec", "command"});
  return texts;
}

template std::vector<ContainerText> container_texts(const ContainerView&);
template std::vector<ContainerText> container_texts(const JsonContainerView&);

namespace {
bool launches(std::string_view group) { return group == "dropper" || group == "launcher" || group == "competitor-kill"; }

// Scans the texts as one body of evidence (a wallet in env and a pool in args belong to one
// miner) and judges it with the image scanner's thresholds.
}  // namespace

std::optional<CommandJudgement> judge_texts(const indicators::CompiledCatalog& catalog, indicators::Scanner& scanner,
                                            const std::vector<ContainerText>& texts) {
  std::vector<indicators::Hit> hits;
  std::vector<std::size_t> origin;  // parallel to hits: the text each came from
  for (std::size_t i = 0; i < texts.size(); ++i) {
    for (auto& hit : scanner.scan(texts[i].text)) {
      hits.push_back(std::move(hit));
      origin.push_back(i);
    }
  }
  if (hits.empty()) return std::nullopt;
  CommandJudgement judged;
  judged.assessment = indicators::assess(catalog, hits);
  const auto& a = judged.assessment;
  if (a.score >= indicators::kMinerScore && a.groups >= indicators::kMinerGroups) {
    judged.severity = core::Severity::critical;
  } else if (a.score >= indicators::kSuspiciousScore) {
    const bool fetches = std::any_of(a.strongest.begin(), a.strongest.end(), [&](const indicators::Hit& hit) {
      return launches(catalog.at(hit.indicator).group);
    });
    judged.severity = fetches ? core::Severity::high : core::Severity::medium;
    judged.category = fetches ? core::Category::dropper : core::Category::miner;
  } else {
    return std::nullopt;
  }
  const auto& top = a.strongest.front();
  for (std::size_t i = 0; i < hits.size(); ++i) {
    if (hits[i].indicator == top.indicator && hits[i].offset == top.offset && hits[i].text == top.text) {
      judged.where = &texts[origin[i]];
      break;
    }
  }
  return judged;
}

}  // namespace mg::kube
