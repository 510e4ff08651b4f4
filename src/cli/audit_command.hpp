#pragma once
#include <CLI/CLI.hpp>

namespace mg::cli {

// `minerguard audit`: Kubernetes manifests or a live cluster (through kubectl), for the exposure
// and privileges that let the Kubeflow miners in.
void add_audit_command(CLI::App& app, int& exit_code);

}  // namespace mg::cli
