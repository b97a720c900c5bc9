// Starts scripts/smtp-test-server.py (Debian's aiosmtpd, run with
// /usr/bin/python3) as a child process on a free loopback port and stops it
// by its pid. Tests skip when aiosmtpd is not installed, unless
// SLADESK_REQUIRE_SMTP is set (then they fail).
#pragma once

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sladesk::testing {

inline bool SmtpTestServerAvailable() {
  static const bool ok = std::system("/usr/bin/python3 -c 'import aiosmtpd' >/dev/null 2>&1") == 0;
  return ok;
}

#define SLADESK_SKIP_WITHOUT_SMTP()                                                              \
  do {                                                                                           \
    if (!::sladesk::testing::SmtpTestServerAvailable()) {                                        \
      if (std::getenv("SLADESK_REQUIRE_SMTP")) FAIL() << "aiosmtpd (python3-aiosmtpd) not found"; \
      GTEST_SKIP() << "python3-aiosmtpd not installed";                                          \
    }                                                                                            \
  } while (0)

class SmtpTestServer {
 public:
  // `args` are smtp-test-server.py options besides --maildir.
  explicit SmtpTestServer(const std::vector<std::string>& args) {
    static int counter = 0;
    dir_ = ::testing::TempDir() + "sladesk_smtp_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    int out[2];
    if (::pipe(out) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<std::string> argv_s = {"/usr/bin/python3", std::string(SLADESK_SOURCE_DIR) + "/scripts/smtp-test-server.py",
                                         "--maildir", dir_ + "/maildir"};
      for (const auto& a : args) argv_s.push_back(a == "@TLS" ? dir_ + "/tls" : a);
      std::vector<char*> argv;
      for (auto& a : argv_s) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    // Blocks until the server prints READY (or exits).
    FILE* f = ::fdopen(out[0], "r");
    char line[128] = {0};
    if (f && std::fgets(line, sizeof line, f) && std::sscanf(line, "READY %d", &port_) == 1) ready_ = true;
    if (f) std::fclose(f);
  }
  ~SmtpTestServer() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
    std::filesystem::remove_all(dir_);
  }
  SmtpTestServer(const SmtpTestServer&) = delete;
  SmtpTestServer& operator=(const SmtpTestServer&) = delete;

  bool ready() const { return ready_; }
  int port() const { return port_; }
  std::string url(const char* scheme = "smtp") const { return std::string(scheme) + "://127.0.0.1:" + std::to_string(port_); }
  std::string ca_file() const { return dir_ + "/tls/cert.pem"; }

  // The messages received so far, in arrival order, as stored (bytes as sent).
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    std::ifstream index(dir_ + "/maildir/envelopes.jsonl");
    std::string line;
    while (std::getline(index, line)) {
      const auto b = line.find("\"file\": \"") + 9;
      const auto e = line.find('"', b);
      std::ifstream in(dir_ + "/maildir/" + line.substr(b, e - b), std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      out.push_back(ss.str());
    }
    return out;
  }
  // The envelope lines ({"file", "mail_from", "rcpt_tos"}).
  std::vector<std::string> Envelopes() const {
    std::vector<std::string> out;
    std::ifstream index(dir_ + "/maildir/envelopes.jsonl");
    std::string line;
    while (std::getline(index, line)) out.push_back(line);
    return out;
  }

 private:
  std::string dir_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool ready_ = false;
};

}  // namespace sladesk::testing
