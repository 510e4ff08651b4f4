#pragma once
// The audit-log engine: one RuleSet and the indicator catalog, fed events in log order. For each
// event it learns (who is new, who is a controller, who created what), evaluates every rule, and
// returns the findings; incidents() then correlates the findings so far into attack chains.
// The same engine serves `minerguard audit-log` and, later, the audit webhook.
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "audit/attack_chains.hpp"
#include "audit/event.hpp"
#include "audit/event_decoder.hpp"
#include "audit/identity_book.hpp"
#include "audit/rule.hpp"
#include "core/error.hpp"
#include "core/finding.hpp"
#include "core/rule_info.hpp"
#include "indicators/matcher.hpp"

namespace mg::audit {

inline constexpr std::string_view kRuleAttackChain = "MG-AUD-100";

struct EngineSettings {
  // An actor first seen this long after the log began is "new" (actor.new) for this long.
  std::int64_t new_actor_after_us = 3600ll * 1'000'000;
  // Findings farther apart than this are not one incident.
  std::int64_t chain_window_us = 2 * 3600ll * 1'000'000;
  // Identities that act for others, besides the rules' controller_identities list (globs).
  std::vector<std::string> controllers;
  IdentityLimits limits;
  std::size_t max_findings = 100'000;   // kept for chains; past it findings are still returned
};

struct EngineStats {
  std::uint64_t events = 0;
  std::uint64_t findings = 0;
  std::uint64_t learned_controllers = 0;
  std::uint64_t repeats = 0;   // matches not reported again (a rule's once_per)
};

class Engine {
 public:
  static core::Result<std::unique_ptr<Engine>> create(RuleSet rules,
                                                      std::shared_ptr<const indicators::CompiledCatalog> catalog,
                                                      EngineSettings settings = {});
  ~Engine();

  // One event, in log order: the findings it raises are appended to `out`.
  void process(const Event& event, std::vector<core::Finding>& out);

  // Attack chains among the findings so far: one MG-AUD-100 finding per incident.
  std::vector<core::Finding> incidents() const;

  const RuleSet& rules() const { return rules_; }
  // The optional event fields some rule reads: what a decoder feeding this engine must decode.
  DecodeFields decode_fields() const;
  const EngineStats& stats() const { return stats_; }
  // Every rule this engine can report, MG-AUD-100 included (for SARIF and `rules list`).
  std::vector<core::RuleInfo> rule_infos() const;

 private:
  Engine(RuleSet rules, std::shared_ptr<const indicators::CompiledCatalog> catalog, EngineSettings settings);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  RuleSet rules_;
  EngineStats stats_;
};

// The chain rule's metadata.
core::RuleInfo attack_chain_rule();

}  // namespace mg::audit
