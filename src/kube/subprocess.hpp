#pragma once
// Runs a program with arguments (no shell), capturing stdout and stderr with bounds and a
// deadline. Used for kubectl; kept apart so the bounds are in one place.
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace mg::kube {

struct ProcessOutput {
  int exit_code = 0;        // the program's exit status; 128+N when killed by signal N
  std::string out;
  std::string err;          // at most 64 KiB kept
};

// Fails (io) when the program cannot be started, (limit_exceeded) when stdout exceeds max_stdout
// or the deadline passes; the child is killed in both cases.
core::Result<ProcessOutput> run_process(const std::vector<std::string>& argv, std::uint64_t max_stdout,
                                        std::chrono::milliseconds timeout);

}  // namespace mg::kube
