// HttpSession: one client connection: reads HTTP/1.1 requests with Beast,
// serves the web app's static files or hands the request to the API handler,
// writes the answer, and keeps the connection alive.
//
// Purpose: fully asynchronous, so idle keep-alive connections hold no
// thread. The header is read first (the whole header must arrive within the
// idle timeout, which also bounds the wait between keep-alive requests:
// slowloris holds a connection for one timeout at most) and checked against
// RFC 9112's framing rules (request_framing.h) before any body byte is read;
// a framing problem is answered 400/501 and the connection closes, so a
// body can never run as a second request. `Expect: 100-continue` gets
// "100 Continue" when the header is acceptable, 413/417 without reading the
// body when not. The body must arrive within a deadline that grows with its
// length (a minimum rate). A response with `event_stream` set turns the
// connection into a Server-Sent Events stream (event_stream.h).
// Thread-safety: all of its work runs on its strand; the API's completion
// is posted back onto it. Ownership: owned by shared_ptr from its own
// pending operations; holds its connection slot; borrows the server's
// SessionContext. The server outlives every API callback a session hands
// out (it waits on callbacks_pending before its io_context goes).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "server/api_types.h"
#include "server/connection_limiter.h"
#include "server/event_stream.h"
#include "server/server_metrics.h"
#include "server/static_files.h"

namespace sladesk {

// What every session of one server shares (owned by HttpServer).
struct SessionContext {
  using Respond = std::function<void(ApiResponse)>;
  std::function<void(ApiRequest, Respond)> handler;
  std::shared_ptr<const StaticFiles> static_files;  // null: no web app
  ServerMetrics* metrics = nullptr;
  std::size_t max_body_bytes = 4 * 1024 * 1024;
  std::size_t max_header_bytes = 64 * 1024;
  std::chrono::milliseconds idle_timeout{15000};
  std::chrono::milliseconds body_timeout{10000};    // plus the body's length at the minimum rate
  std::size_t min_body_bytes_per_second = 64 * 1024;
  std::chrono::milliseconds write_timeout{30000};
  std::chrono::milliseconds sse_heartbeat{15000};
  std::size_t sse_max_pending_bytes = 1024 * 1024;
  std::atomic<int> in_flight{0};
  std::atomic<int> callbacks_pending{0};  // API callbacks not yet run or destroyed
  std::atomic<bool> draining{false};
  EventStreamRegistry streams;
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, SessionContext& ctx,
              std::unique_ptr<ConnectionLimiter::Slot> slot, std::string remote_address);
  ~HttpSession();
  void Start();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  void ReadHeader();
  void ContinueHeader();
  void OnHeaderBytes(std::size_t header_bytes);
  void ReadBody();
  void OnBody(boost::beast::error_code ec);
  void Dispatch(Request req);
  // Answers a request that could not be framed or read; closes after.
  void Reject(int status, const std::string& type, const std::string& title, const std::string& field,
              const std::string& detail);
  void Write(ApiResponse response, bool keep_alive, bool counted);
  void Close();
  // Half-closes, then reads and drops what the client still sends (briefly,
  // boundedly) so a close after an unread body does not reset the
  // connection before the client has read our answer.
  void LingeringClose();
  void Linger(std::shared_ptr<std::array<char, 4096>> sink, std::size_t left);
  void Record(const std::string& route, int status);

  // Server-Sent Events.
  void StartStream(ApiResponse response);
  void FlushStream();
  void Heartbeat();
  void WatchForDisconnect();
  void EndStream();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::size_t scanned_ = 0;  // header bytes already searched for the empty line
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  SessionContext& ctx_;
  std::unique_ptr<ConnectionLimiter::Slot> slot_;
  std::string remote_address_;
  std::string method_;  // of the request being read or answered, for metrics
  std::chrono::steady_clock::time_point started_;
  bool head_request_ = false;

  std::shared_ptr<EventStream> event_stream_;
  std::string stream_write_;
  bool stream_writing_ = false;
  bool stream_ended_ = false;
  boost::asio::steady_timer heartbeat_;
  std::array<char, 512> watch_buffer_{};
};

}  // namespace sladesk
