#pragma once
// Runs the minerguard binary as a user would, with stdout and stderr captured in files (so
// neither is a terminal), in a fresh temporary directory per test.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "temp_dir.hpp"

namespace mg::testing {

struct Outcome {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class Cli : public ::testing::Test {
 protected:
  // `args` is passed through the shell: quote paths that need it. `prefix` goes before the
  // binary (environment assignments such as PATH=...).
  Outcome run(const std::string& args, const std::string& prefix = "") {
    const auto out = dir_ / "stdout", err = dir_ / "stderr";
    const std::string command =
        prefix + " " + std::string(MG_BINARY) + " " + args + " >" + out.string() + " 2>" + err.string();
    const int status = std::system(command.c_str());
    Outcome result;
    result.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    result.out = slurp(out);
    result.err = slurp(err);
    return result;
  }

  TempDir temp_{"mg-cli"};
  const std::filesystem::path dir_ = temp_.path();
};

}  // namespace mg::testing
