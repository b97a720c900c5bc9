// ServerProcess: runs the built `sladesk` binary as a child process, for
// the tests that need a real process (kill -9, two servers on one database).
// Thread-safety: one owner thread. Ownership: kills (SIGKILL) and reaps the
// child on destruction if it still runs.
#pragma once

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace sladesk::testing {

class ServerProcess {
 public:
  // Runs `sladesk args...` with stdout+stderr to `log`; does not wait.
  ServerProcess(const std::vector<std::string>& args, const std::string& log) : log_(log) {
    pid_ = fork();
    if (pid_ == 0) {
      int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      dup2(fd, 1);
      dup2(fd, 2);
      std::vector<char*> argv;
      std::string bin = SLADESK_BINARY;
      argv.push_back(bin.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(bin.c_str(), argv.data());
      _exit(127);
    }
  }
  ~ServerProcess() {
    if (pid_ > 0 && running_) Kill(SIGKILL);
  }

  // Waits for "sladesk serving http://127.0.0.1:PORT" and returns PORT (0 on timeout/exit).
  unsigned short WaitForPort(std::chrono::seconds timeout = std::chrono::seconds(60)) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      std::string text = Log();
      auto p = text.find("serving http://127.0.0.1:");
      if (p != std::string::npos) {
        p += std::string("serving http://127.0.0.1:").size();
        auto end = text.find('/', p);
        if (end != std::string::npos) return static_cast<unsigned short>(std::stoi(text.substr(p, end - p)));
      }
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        running_ = false;
        return 0;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return 0;
  }

  // Waits for the process to exit; returns its exit status (-signal if killed).
  int Wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    running_ = false;
    if (WIFSIGNALED(status)) return -WTERMSIG(status);
    return WEXITSTATUS(status);
  }
  void Kill(int sig) {
    ::kill(pid_, sig);
    if (sig == SIGKILL) Wait();
  }
  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

 private:
  std::string log_;
  pid_t pid_ = -1;
  bool running_ = true;
};

// Runs `sladesk args...` to completion and returns its stdout (trimmed).
inline std::string RunSladesk(const std::vector<std::string>& args, const std::string& log, int* exit_code) {
  ServerProcess p(args, log);
  *exit_code = p.Wait();
  std::string out = p.Log();
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace sladesk::testing
