// Helpers for the notify tests: run a Python helper script as a child
// process with pipes (it reads stdin until EOF, so closing it ends the
// child), and read data files.
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sladesk::testing {

inline std::string DataPath(const std::string& name) {
  return std::string(SLADESK_SOURCE_DIR) + "/tests/notify/data/" + name;
}

inline std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// python3 SCRIPT ARGS... with its stdin and stdout connected to us.
class PythonChild {
 public:
  PythonChild(const std::string& script, const std::vector<std::string>& args) {
    int in[2], out[2];
    if (pipe(in) != 0 || pipe(out) != 0) return;
    pid_ = fork();
    if (pid_ == 0) {
      dup2(in[0], 0);
      dup2(out[1], 1);
      close(in[1]);
      close(out[0]);
      std::vector<std::string> all = {"python3", script};
      all.insert(all.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& a : all) argv.push_back(a.data());
      argv.push_back(nullptr);
      execvp("python3", argv.data());
      _exit(127);
    }
    close(in[0]);
    close(out[1]);
    to_child_ = in[1];
    from_child_ = fdopen(out[0], "r");
  }
  ~PythonChild() {
    if (to_child_ >= 0) close(to_child_);
    if (from_child_) fclose(from_child_);
    if (pid_ > 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  std::string ReadLine() {
    char buf[4096];
    if (!from_child_ || !fgets(buf, sizeof buf, from_child_)) return "";
    std::string s(buf);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }
  bool WriteLine(const std::string& line) {
    std::string l = line + "\n";
    return write(to_child_, l.data(), l.size()) == static_cast<ssize_t>(l.size());
  }
  // Closes the child's stdin: it finishes and exits.
  void Finish() {
    if (to_child_ >= 0) close(to_child_);
    to_child_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int to_child_ = -1;
  FILE* from_child_ = nullptr;
};

}  // namespace sladesk::testing
