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
template <class Ref>
std::pair<std::string, int> container_field(const BasicContainerView<Ref>& container, std::string_view key) {
  if (container.spec != nullptr) {
    if (const auto value = container.spec->find(key); value != nullptr)
      return {container.field + "." + std::string(key), value->line()};
  }
  return {container.field, container.line};
}


void add_text(std::vector<ContainerText>& texts, std::string field, const Value* node, std::string text) {
  if (!text.empty()) texts.push_back({std::move(field), node != nullptr ? node->line() : 0, std::move(text)});
}

namespace {

void add_text_at(std::vector<ContainerText>& texts, std::string field, int line, std::string text) {
  if (!text.empty()) texts.push_back({std::move(field), line, std::move(text)});
}

// An exec handler (lifecycle hook or probe) runs a command inside the container, as often as the
// probe period: a place to start a miner that the main command does not show.
template <class Ref>
void add_exec(std::vector<ContainerText>& texts, const BasicContainerView<Ref>& container, std::string_view path_text,
              std::initializer_list<std::string_view> path) {
  const auto command = container.spec->find(path);
  if (command == nullptr || !command->is_array()) return;
  std::vector<std::string> words;
  for (const auto& word : command->items()) words.emplace_back(word.str());
  add_text_at(texts, container.field + "." + std::string(path_text), command->line(), join_words(words));
}

}  // namespace

// Everything a container runs or is configured with, each with the field it is written in.
template <class Ref>
std::vector<ContainerText> container_texts(const BasicContainerView<Ref>& container) {
  std::vector<ContainerText> texts;
  // Located where the payload usually is: an Argo script's source, else command, else args.
  std::string_view key = "command";
  if (container.spec != nullptr) {
    if (container.spec->find("source") != nullptr) key = "source";
    else if (container.spec->find("command") == nullptr && container.spec->find("args") != nullptr) key = "args";
  }
  auto [command_field, command_line] = container_field(container, key);
  if (!container.command.empty()) texts.push_back({command_field, command_line, join_words(container.command)});
  if (container.spec == nullptr) return texts;
  std::size_t i = 0;
  for (const auto& env : (*container.spec)["env"].items()) {
    const std::size_t index = i++;
    const auto value = env.find("value");
    if (value == nullptr || !value->is_scalar()) continue;
    add_text_at(texts, container.field + ".env[" + std::to_string(index) + "].value", value->line(),
                std::string(env["name"].str()) + "=" + std::string(value->str()));
  }
  for (const auto& [name, value] : (*container.spec)["envVars"].members()) {  // SparkApplication
    add_text_at(texts, container.field + ".envVars." + std::string(name), value.line(),
                std::string(name) + "=" + std::string(value.str()));
  }
  add_exec(texts, container, "lifecycle.postStart.exec.command", {"lifecycle", "postStart", "exec", "command"});
  add_exec(texts, container, "lifecycle.preStop.exec.command", {"lifecycle", "preStop", "exec", "command"});
  for (std::string_view probe : {"livenessProbe", "readinessProbe", "startupProbe"}) {
    add_exec(texts, container, std::string(probe) + ".exec.command", {probe, "exec", "command"});
  }
  return texts;
}

template std::pair<std::string, int> container_field(const ContainerView&, std::string_view);
template std::pair<std::string, int> container_field(const JsonContainerView&, std::string_view);
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
