// HttpServer: the `sladesk serve` listener: Boost.Beast on an Asio
// io_context run by a few threads, accepting connections into HttpSessions.
//
// Purpose: serves the API (DeskApi, or any handler: tests) and the web app's
// static files over HTTP/1.1 with keep-alive. Connections are capped in
// total and per remote address (over the cap: a 503 and close), and the
// total is clamped to what RLIMIT_NOFILE allows (the soft limit is raised
// to the hard one at start). Accept never stops: when the process runs out
// of descriptors (EMFILE/ENFILE) it backs off (10 ms doubling to 1 s) and
// tries again. SIGTERM/SIGINT (or Stop()) start a graceful shutdown: stop
// accepting, end open event streams, let requests in flight finish and
// answer (up to a grace period), then stop the io_context.
// Thread-safety: Start/Run/Stop may be called from any thread; Run blocks.
// Ownership: owns its io_context, acceptor, threads and the sessions'
// shared context; borrows the API handler's target and the metrics.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "common/result.h"
#include "server/connection_limiter.h"
#include "server/desk_api.h"
#include "server/http_session.h"
#include "server/static_files.h"

namespace sladesk {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  unsigned short port = 8080;  // 0: pick a free port (tests)
  int threads = 2;
  bool handle_signals = true;  // SIGTERM/SIGINT trigger Stop()
  std::chrono::milliseconds grace{10000};
  std::size_t max_connections = 10000;
  std::size_t max_connections_per_address = 256;
  std::chrono::milliseconds idle_timeout{15000};  // between requests, and for a whole request header
  std::chrono::milliseconds body_timeout{10000};  // plus the body's length at min_body_bytes_per_second
  std::size_t min_body_bytes_per_second = 64 * 1024;
  std::chrono::milliseconds write_timeout{30000};
  std::size_t max_header_bytes = 64 * 1024;
  std::size_t max_body_bytes = 0;  // 0: the DeskApi's max_body_bytes (4 MiB without one)
  std::chrono::milliseconds sse_heartbeat{15000};
  std::shared_ptr<const StaticFiles> static_files;  // null: no web app at /
  // File descriptors kept free of connections (database, logs, files).
  std::size_t reserved_descriptors = 64;
};

class HttpServer {
 public:
  using Handler = std::function<void(ApiRequest, DeskApi::Respond)>;

  // Binds and listens (errors name --port / --address); does not serve yet.
  static Result<std::unique_ptr<HttpServer>> Create(DeskApi& api, ServerMetrics* metrics, HttpServerOptions options);
  // The same transport in front of any handler (tests, tools).
  static Result<std::unique_ptr<HttpServer>> Create(Handler handler, ServerMetrics* metrics,
                                                    HttpServerOptions options);
  ~HttpServer();

  unsigned short port() const { return port_; }
  // The connection cap in force: max_connections, or less when
  // RLIMIT_NOFILE cannot hold that many.
  std::size_t effective_max_connections() const { return limiter_->max_total(); }
  std::size_t open_connections() const { return limiter_->open(); }
  std::size_t open_event_streams() const { return ctx_.streams.open(); }
  // Serves on `threads` threads until stopped (blocks).
  void Run();
  // Serves in the background; Stop()+Wait() end it.
  void Start();
  void Wait();
  // Graceful stop: safe from any thread or a signal handler.
  void Stop();

 private:
  HttpServer(Handler handler, ServerMetrics* metrics, HttpServerOptions options);
  void Accept();
  void OnAccept(boost::system::error_code ec, boost::asio::ip::tcp::socket socket);
  void BeginShutdown();
  void CheckDrained(std::chrono::steady_clock::time_point deadline);

  ServerMetrics* metrics_;
  HttpServerOptions options_;
  SessionContext ctx_;
  std::unique_ptr<ConnectionLimiter> limiter_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::signal_set signals_;
  boost::asio::steady_timer drain_timer_;
  boost::asio::steady_timer accept_timer_;
  std::chrono::milliseconds accept_backoff_{0};
  std::vector<std::thread> threads_;
  unsigned short port_ = 0;
};

}  // namespace sladesk
