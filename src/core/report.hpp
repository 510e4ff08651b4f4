#pragma once
// A Report is what one run of a one-shot subcommand produces: findings of every target, a
// verdict per target and for the whole run, and counters.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/finding.hpp"
#include "core/rule_info.hpp"

namespace mg::core {

struct TargetResult {
  std::string target;                           // as the user named it
  std::string kind;                             // "docker-archive", "oci", "oci-archive", …
  std::string error;                            // non-empty: the target could not be processed
  Verdict verdict = Verdict::clean;
  std::map<std::string, std::uint64_t> stats;   // layers, files, bytes_compressed, …
};

struct Report {
  std::string tool_name = "minerguard";
  std::string tool_version;
  std::string command;                          // "scan"
  std::vector<TargetResult> targets;
  std::vector<Finding> findings;
  std::vector<RuleInfo> rules;                  // metadata of every rule the command can emit
  std::map<std::string, std::uint64_t> stats;   // summed over targets, plus elapsed_ms

  Verdict verdict() const;                      // the worst target verdict
  // Raises each target's verdict to what the findings located in it support (core::target_of);
  // findings of no listed target are left out.
  void raise_target_verdicts();
  std::string target_label() const;             // one target's name, or "N targets"
};

// The verdict that a set of findings supports: malicious if a miner-category finding is high or
// above, suspicious if anything is medium or above, clean otherwise.
Verdict verdict_of(const std::vector<Finding>& findings);
// The verdict one finding supports on its own; a set's verdict is the worst of these.
Verdict verdict_of(const Finding& finding);

// Highest severity among findings (info when there are none).
Severity max_severity(const std::vector<Finding>& findings);

}  // namespace mg::core
