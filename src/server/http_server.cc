#include "server/http_server.h"

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "server/http_session.h"

namespace sladesk {

namespace net = boost::asio;
using tcp = net::ip::tcp;

HttpServer::HttpServer(DeskApi& api, ServerMetrics* metrics, HttpServerOptions options)
    : api_(api),
      metrics_(metrics),
      options_(std::move(options)),
      ioc_(std::max(1, options_.threads)),
      acceptor_(ioc_),
      signals_(ioc_),
      drain_timer_(ioc_) {}

Result<std::unique_ptr<HttpServer>> HttpServer::Create(DeskApi& api, ServerMetrics* metrics,
                                                       HttpServerOptions options) {
  std::unique_ptr<HttpServer> s(new HttpServer(api, metrics, options));
  boost::system::error_code ec;
  auto addr = net::ip::make_address(options.address, ec);
  if (ec) return MakeError("--address", "'" + options.address + "' is not an IP address");
  tcp::endpoint ep(addr, options.port);
  s->acceptor_.open(ep.protocol(), ec);
  if (!ec) s->acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s->acceptor_.bind(ep, ec);
  if (!ec) s->acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    return MakeError("--port", "cannot listen on " + options.address + ":" + std::to_string(options.port) + ": " +
                                   ec.message());
  s->port_ = s->acceptor_.local_endpoint().port();
  if (options.handle_signals) {
    s->signals_.add(SIGTERM);
    s->signals_.add(SIGINT);
    s->signals_.async_wait([srv = s.get()](const boost::system::error_code& e, int) {
      if (!e) srv->BeginShutdown();
    });
  }
  s->Accept();
  return s;
}

HttpServer::~HttpServer() {
  Stop();
  Wait();
  // The store may still run (or drop) API callbacks that post to this
  // io_context; it must outlive them.
  for (int n = callbacks_pending_.load(); n != 0; n = callbacks_pending_.load()) callbacks_pending_.wait(n);
}

void HttpServer::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!acceptor_.is_open()) return;  // shutting down
    } else {
      boost::system::error_code ignore;
      socket.set_option(tcp::no_delay(true), ignore);
      std::make_shared<HttpSession>(std::move(socket), api_, metrics_, in_flight_, callbacks_pending_, draining_)
          ->Start();
    }
    Accept();
  });
}

void HttpServer::Run() {
  Start();
  Wait();
}

void HttpServer::Start() {
  int n = std::max(1, options_.threads);
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

void HttpServer::Wait() {
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

void HttpServer::Stop() {
  net::post(ioc_, [this] { BeginShutdown(); });
}

void HttpServer::BeginShutdown() {
  if (draining_.exchange(true)) return;
  boost::system::error_code ec;
  acceptor_.close(ec);
  signals_.cancel(ec);
  CheckDrained(std::chrono::steady_clock::now() + options_.grace);
}

void HttpServer::CheckDrained(std::chrono::steady_clock::time_point deadline) {
  // Requests already handed to the API finish and are answered; idle
  // keep-alive connections are simply closed when the io_context stops.
  if (in_flight_.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(10));
  drain_timer_.async_wait([this, deadline](const boost::system::error_code&) { CheckDrained(deadline); });
}

}  // namespace sladesk
