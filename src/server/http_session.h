// HttpSession: one client connection: reads HTTP/1.1 requests with Beast,
// hands each to DeskApi, writes the answer, and keeps the connection alive.
//
// Purpose: fully asynchronous, so idle keep-alive connections hold no
// thread. Bodies over the configured limit get 413, unparsable requests 400
// (both close the connection); idle connections time out.
// Thread-safety: all of its work runs on its strand; the API's completion
// is posted back onto it. Ownership: owned by shared_ptr from its own
// pending operations; borrows the API and the server's counters. The
// server outlives every API callback a session hands out (it waits on
// callbacks_pending before its io_context goes).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <memory>
#include <optional>

#include "server/desk_api.h"

namespace sladesk {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
 public:
  HttpSession(boost::asio::ip::tcp::socket socket, DeskApi& api, ServerMetrics* metrics,
              std::atomic<int>& in_flight, std::atomic<int>& callbacks_pending,
              const std::atomic<bool>& draining);
  ~HttpSession();
  void Start();

 private:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  void Read();
  void OnRead(boost::beast::error_code ec, std::size_t bytes);
  void Dispatch(Request req);
  void Write(ApiResponse response, bool keep_alive, bool counted);
  void Close();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  DeskApi& api_;
  ServerMetrics* metrics_;
  std::atomic<int>& in_flight_;
  std::atomic<int>& callbacks_pending_;  // API callbacks not yet run or destroyed
  const std::atomic<bool>& draining_;
};

}  // namespace sladesk
