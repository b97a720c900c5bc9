// RawClient: a blocking loopback TCP client that sends exact bytes and
// reads whatever comes back, for tests of malformed and hostile requests
// (Beast's own client would refuse to send them).
// Thread-safety: one client per thread. Ownership: owns its socket.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>

namespace sladesk::testing {

class RawClient {
 public:
  // `source`: the local loopback address to connect from (another client).
  explicit RawClient(unsigned short port, const char* source = nullptr) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (source && fd_ >= 0) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      ::inet_pton(AF_INET, source, &local.sin_addr);
      if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) return;
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = fd_ >= 0 && ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~RawClient() { Close(); }
  RawClient(const RawClient&) = delete;
  RawClient& operator=(const RawClient&) = delete;

  bool connected() const { return connected_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool Send(const std::string& bytes) {
    std::size_t off = 0;
    while (off < bytes.size()) {
      ssize_t n = ::send(fd_, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
      if (n <= 0) return false;
      off += static_cast<std::size_t>(n);
    }
    return true;
  }
  // Reads until the peer closes, `until` appears in what was read, or
  // `timeout` passes. closed() says whether the peer closed.
  std::string Read(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000), const std::string& until = "") {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      if (!until.empty() && out.find(until) != std::string::npos) return out;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return out;
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return out;
      char buf[8192];
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        closed_ = true;
        return out;
      }
      out.append(buf, static_cast<std::size_t>(n));
    }
  }
  // Reads one response with a Content-Length body (or none).
  std::string ReadResponse(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    std::string out = pending_;
    pending_.clear();
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (true) {
      auto end = out.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t len = 0;
        std::string lower = out.substr(0, end);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto cl = lower.find("content-length:");
        if (cl != std::string::npos) len = std::stoul(lower.substr(cl + 15));
        if (out.size() >= end + 4 + len) {
          pending_ = out.substr(end + 4 + len);
          return out.substr(0, end + 4 + len);
        }
      }
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return out;
      std::string more = ReadSome(left);
      if (more.empty()) return out;
      out += more;
    }
  }
  // One recv (after waiting up to `timeout` for data).
  std::string ReadSome(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return "";
    char buf[8192];
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n <= 0) {
      closed_ = true;
      return "";
    }
    return std::string(buf, static_cast<std::size_t>(n));
  }
  bool closed() const { return closed_; }
  // True when the peer has closed (reads EOF) within `timeout`.
  bool WaitClosed(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
    Read(timeout, "");
    return closed_;
  }
  int fd() const { return fd_; }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string pending_;
};

inline int StatusOf(const std::string& response) {
  if (response.compare(0, 9, "HTTP/1.1 ") != 0 || response.size() < 12) return 0;
  return std::stoi(response.substr(9, 3));
}

}  // namespace sladesk::testing
