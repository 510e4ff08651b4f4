#include "audit/attack_chains.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <numeric>
#include <optional>
#include <cstdlib>
#include <set>
#include <unordered_map>

namespace mg::audit {
namespace {

constexpr std::size_t kListedSteps = 100;

class Groups {
 public:
  explicit Groups(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
  std::size_t find(std::size_t x) {
    while (parent_[x] != x) x = parent_[x] = parent_[parent_[x]];
    return x;
  }
  void join(std::size_t a, std::size_t b) {
    a = find(a);
    b = find(b);
    if (a != b) parent_[std::max(a, b)] = std::min(a, b);
  }

 private:
  std::vector<std::size_t> parent_;
};

std::string describe(const ChainStep& step) {
  const auto& at = step.where;
  std::string text = step.title;
  text.append(": ").append(at.verb).append(" ").append(at.resource.empty() ? at.request_uri : at.resource);
  if (!at.name.empty()) {
    text.append(" ");
    if (!at.namespace_.empty()) text.append(at.namespace_).append("/");
    text.append(at.name);
  }
  text.append(" by ").append(at.user);
  if (!step.creator.empty() && step.creator != at.user) text.append(" (for ").append(step.creator).append(")");
  text.append("; auditID ").append(at.audit_id.empty() ? std::string_view("(none)") : std::string_view(at.audit_id));
  if (!at.file.empty()) text.append(", ").append(at.file).append(":").append(std::to_string(at.line));
  return text;
}

}  // namespace

std::vector<core::Finding> AttackChains::incidents(const core::RuleInfo& rule) const {
  std::vector<std::size_t> order(steps_.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return steps_[a].time_us < steps_[b].time_us; });
  Groups groups(steps_.size());
  std::unordered_map<std::string, std::size_t> last_by_creator, last_by_namespace;
  std::deque<std::size_t> exposures;   // in time order
  auto near = [&](std::size_t a, std::size_t b) {
    return std::abs(steps_[a].time_us - steps_[b].time_us) <= window_us_;
  };
  for (std::size_t i : order) {
    const ChainStep& step = steps_[i];
    if (!step.creator.empty()) {
      auto [it, first] = last_by_creator.try_emplace(step.creator, i);
      if (!first) {
        if (near(it->second, i)) groups.join(it->second, i);
        it->second = i;
      }
    }
    if (!step.namespace_.empty()) {
      auto [it, first] = last_by_namespace.try_emplace(step.namespace_, i);
      if (!first) {
        if (near(it->second, i)) groups.join(it->second, i);
        it->second = i;
      }
    }
    // Every exposure still within the window is a door this step may have come through.
    while (!exposures.empty() && !near(exposures.front(), i)) exposures.pop_front();
    if (step.stage == Stage::exposure) {
      exposures.push_back(i);
    } else {
      for (std::size_t door : exposures) groups.join(door, i);
    }
  }

  std::map<std::size_t, std::vector<std::size_t>> members;
  for (std::size_t i : order) members[groups.find(i)].push_back(i);

  std::vector<core::Finding> out;
  for (const auto& [root, steps] : members) {
    std::set<Stage> stages;
    core::Severity worst = core::Severity::info;
    for (std::size_t i : steps) {
      if (steps_[i].severity >= core::Severity::medium) stages.insert(steps_[i].stage);
      worst = std::max(worst, steps_[i].severity);
    }
    if (stages.size() < 2) continue;
    // Who and where: the most frequent non-empty creator and namespace among the serious steps.
    std::map<std::string, int> creators, namespaces;
    for (std::size_t i : steps) {
      if (steps_[i].severity < core::Severity::medium) continue;
      if (!steps_[i].creator.empty()) ++creators[steps_[i].creator];
      if (!steps_[i].namespace_.empty()) ++namespaces[steps_[i].namespace_];
    }
    auto top = [](const std::map<std::string, int>& counts) {
      std::string best;
      int n = 0;
      for (const auto& [k, v] : counts)
        if (v > n) best = k, n = v;
      return best;
    };
    std::string path;
    for (Stage s : stages) {
      if (!path.empty()) path.append(" → ");
      path.append(to_string(s));
    }

    core::Finding finding;
    finding.rule_id = rule.id;
    const std::string who = top(creators), where = top(namespaces);
    finding.title = "Attack chain: " + path + (where.empty() ? "" : " in " + where) + (who.empty() ? "" : " by " + who) +
                    " (" + std::to_string(steps.size()) + " steps)";
    finding.severity = (worst == core::Severity::critical || stages.size() >= 3) ? core::Severity::critical
                                                                                 : core::Severity::high;
    // A miner among the steps makes the incident a miner's; otherwise it is what its worst step is.
    finding.category = core::Category::execution;
    core::Severity category_severity = core::Severity::info;
    for (std::size_t i : steps) {
      if (steps_[i].category == core::Category::miner && steps_[i].severity >= core::Severity::medium) {
        finding.category = core::Category::miner;
        break;
      }
      if (steps_[i].severity > category_severity) {
        category_severity = steps_[i].severity;
        finding.category = steps_[i].category;
      }
    }
    finding.source = core::Source::audit;
    finding.techniques = rule.techniques;
    finding.remediation = rule.remediation;
    // Anchored on the first step that is not the exposure: where the attacker acted first.
    std::size_t anchor = steps.front();
    for (std::size_t i : steps)
      if (steps_[i].stage != Stage::exposure && steps_[i].severity >= core::Severity::medium) {
        anchor = i;
        break;
      }
    finding.location = steps_[anchor].where;
    std::size_t listed = 0;
    for (std::size_t i : steps) {
      if (listed++ == kListedSteps) {
        finding.evidence.push_back({"…", std::to_string(steps.size() - kListedSteps) + " more steps", std::nullopt});
        break;
      }
      const ChainStep& s = steps_[i];
      finding.evidence.push_back({(s.where.timestamp.empty() ? std::string("(no time)") : s.where.timestamp) + " " +
                                      std::string(to_string(s.stage)) + " " + s.rule_id,
                                  describe(s), std::nullopt});
    }
    out.push_back(std::move(finding));
  }
  std::stable_sort(out.begin(), out.end(), [](const core::Finding& a, const core::Finding& b) { return a.severity > b.severity; });
  return out;
}

}  // namespace mg::audit
