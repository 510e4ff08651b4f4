#pragma once
// The command line: parses arguments and hands each subcommand to its module. No detection
// logic lives here.

namespace mg::cli {

// Exit codes shared by every one-shot subcommand (docs/output.md).
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitBadInput = 2;

int run(int argc, char** argv);

}  // namespace mg::cli
