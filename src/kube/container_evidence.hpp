#pragma once
// What a container runs, as text the indicator catalog can judge: its command line, env values,
// exec hooks and probes, each with the field it is written in; and the verdict of those texts
// taken as one body of evidence. Shared by `audit` (manifests) and `audit-log` (the objects in
// API requests), so a command line gets the same verdict wherever it is found.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/severity.hpp"
#include "indicators/matcher.hpp"
#include "indicators/scoring.hpp"
#include "kube/pod_template.hpp"

namespace mg::kube {

struct ContainerText {
  std::string field;   // "spec.containers[0].command"
  int line = 0;
  std::string text;    // the words joined by spaces
};

// Words joined by single spaces.
std::string join_words(const std::vector<std::string>& words);

// Where a container field is written: the container's own key when it has one, else the
// container (a Spark image set on the application, a KFP component inside a JSON parameter).
std::pair<std::string, int> container_field(const ContainerView& container, std::string_view key);

void add_text(std::vector<ContainerText>& texts, std::string field, const Value* node, std::string text);

// Everything a container runs or is configured with: command (or an Argo script's source),
// env values, lifecycle hooks and exec probes.
// (Instantiated for ContainerView and JsonContainerView.)
template <class Ref>
std::vector<ContainerText> container_texts(const BasicContainerView<Ref>& container);

struct CommandJudgement {
  core::Severity severity = core::Severity::info;   // critical miner, high dropper, medium suspicious
  core::Category category = core::Category::miner;
  indicators::Assessment assessment;
  const ContainerText* where = nullptr;              // the text of the strongest hit
};

// Scans the texts as one body of evidence (a wallet in env and a pool in args belong to one
// miner) and judges it with the image scanner's thresholds; nullopt below kSuspiciousScore.
// The judgement points into `texts`, which must outlive it.
std::optional<CommandJudgement> judge_texts(const indicators::CompiledCatalog& catalog, indicators::Scanner& scanner,
                                            const std::vector<ContainerText>& texts);

}  // namespace mg::kube
