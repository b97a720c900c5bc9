// HttpServer: the `sladesk serve` listener: Boost.Beast on an Asio
// io_context run by a few threads, accepting connections into HttpSessions.
//
// Purpose: serves DeskApi over HTTP/1.1 with keep-alive. SIGTERM/SIGINT (or
// Stop()) start a graceful shutdown: stop accepting, let requests in flight
// finish and answer (up to a grace period), then stop the io_context.
// Thread-safety: Start/Run/Stop may be called from any thread; Run blocks.
// Ownership: owns its io_context, acceptor and threads; borrows the API.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "server/desk_api.h"

namespace sladesk {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: pick a free port (tests)
  int threads = 2;
  bool handle_signals = true;  // SIGTERM/SIGINT trigger Stop()
  std::chrono::milliseconds grace{10000};
};

class HttpServer {
 public:
  // Binds and listens (errors name --port / --address); does not serve yet.
  static Result<std::unique_ptr<HttpServer>> Create(DeskApi& api, ServerMetrics* metrics, HttpServerOptions options);
  ~HttpServer();

  unsigned short port() const { return port_; }
  // Serves on `threads` threads until stopped (blocks).
  void Run();
  // Serves in the background; Stop()+Wait() end it.
  void Start();
  void Wait();
  // Graceful stop: safe from any thread or a signal handler.
  void Stop();

 private:
  HttpServer(DeskApi& api, ServerMetrics* metrics, HttpServerOptions options);
  void Accept();
  void BeginShutdown();
  void CheckDrained(std::chrono::steady_clock::time_point deadline);

  DeskApi& api_;
  ServerMetrics* metrics_;
  HttpServerOptions options_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_timer_;
  std::vector<std::thread> threads_;
  std::atomic<int> in_flight_{0};
  std::atomic<int> callbacks_pending_{0};
  std::atomic<bool> draining_{false};
  unsigned short port_ = 0;
};

}  // namespace sladesk
