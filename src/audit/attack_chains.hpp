#pragma once
// Attack chains: findings correlated into incidents. Two findings belong together when they are
// within the window of each other and share the person behind them (the attributed creator), the
// namespace the attack works in (a service account's own namespace counts), or when an exposure
// precedes the other within the window (exposure is cluster-wide: the door everyone came through).
// Only findings at medium or above take part. An incident is a group that spans at least two
// stages; it is reported as a timeline, each step with its event's auditID.
#include <cstdint>
#include <string>
#include <vector>

#include "audit/rule.hpp"
#include "core/finding.hpp"

namespace mg::audit {

struct ChainStep {
  std::int64_t time_us = 0;
  Stage stage = Stage::execution;
  core::Severity severity = core::Severity::info;
  core::Category category = core::Category::execution;
  std::string rule_id;
  std::string title;
  std::string creator;      // who is behind it
  std::string namespace_;   // where it happened (a service account's namespace when none)
  core::EventLocation where;
};

class AttackChains {
 public:
  explicit AttackChains(std::int64_t window_us) : window_us_(window_us) {}
  void add(ChainStep step) { steps_.push_back(std::move(step)); }
  std::size_t size() const { return steps_.size(); }

  // Incidents as findings (rule MG-AUD-100), most severe first.
  std::vector<core::Finding> incidents(const core::RuleInfo& rule) const;

 private:
  std::int64_t window_us_;
  std::vector<ChainStep> steps_;
};

}  // namespace mg::audit
