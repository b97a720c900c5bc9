// Runs the built `sladesk` binary as a child process for end-to-end CLI
// tests: stdin from a string, stdout and stderr captured, exit status kept.
#pragma once

#include <sys/wait.h>

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace sladesk::testing {

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// `args` is appended to the binary path as shell words (tests quote them).
inline CliResult RunSladesk(const std::string& args, const std::string& stdin_text = "") {
  static int counter = 0;
  std::string base = ::testing::TempDir() + "sladesk_cli_" + std::to_string(::getpid()) + "_" +
                     std::to_string(counter++);
  std::ofstream(base + ".in") << stdin_text;
  std::string cmd = std::string(SLADESK_BINARY) + " " + args + " < " + base + ".in > " + base + ".out 2> " +
                    base + ".err";
  int status = std::system(cmd.c_str());
  CliResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = Slurp(base + ".out");
  r.err = Slurp(base + ".err");
  std::remove((base + ".in").c_str());
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return r;
}

}  // namespace sladesk::testing
