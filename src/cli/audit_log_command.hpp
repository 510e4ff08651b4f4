#pragma once
#include <CLI/CLI.hpp>

namespace mg::cli {

// `minerguard audit-log`: Kubernetes audit events → findings and attack chains.
void add_audit_log_command(CLI::App& app, int& exit_code);

// `minerguard rules validate|list`: for authors of audit rules.
void add_rules_command(CLI::App& app, int& exit_code);

}  // namespace mg::cli
