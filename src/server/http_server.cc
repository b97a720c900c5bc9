#include "server/http_server.h"

#include <sys/resource.h>

#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

namespace sladesk {

namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// Raises the soft descriptor limit to the hard one and returns how many
// connections fit in it, leaving `reserved` for everything else.
std::size_t ConnectionsTheDescriptorLimitAllows(std::size_t wanted, std::size_t reserved) {
  struct rlimit rl {};
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return wanted;
  if (rl.rlim_cur != rl.rlim_max) {
    struct rlimit raised = rl;
    raised.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &raised) == 0) rl = raised;
  }
  if (rl.rlim_cur == RLIM_INFINITY) return wanted;
  std::size_t usable = rl.rlim_cur > reserved + 16 ? static_cast<std::size_t>(rl.rlim_cur) - reserved : 16;
  return std::min(wanted, usable);
}

std::string PeerAddress(const tcp::socket& socket) {
  boost::system::error_code ec;
  auto ep = socket.remote_endpoint(ec);
  if (ec) return "unknown";
  auto a = ep.address();
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return a.to_v6().to_v4().to_string();
  return a.to_string();
}

// Over the cap: one short answer written without blocking, then close.
void Refuse(tcp::socket& socket, const char* why) {
  std::string body = std::string("{\"type\":\"https://sladesk.dev/problems/unavailable\",\"title\":\"Service "
                                 "unavailable\",\"status\":503,\"detail\":\"") +
                     why + "\"}";
  std::string msg = "HTTP/1.1 503 Service Unavailable\r\nServer: sladesk\r\nContent-Type: application/problem+json\r\n"
                    "Retry-After: 5\r\nConnection: close\r\nContent-Length: " +
                    std::to_string(body.size()) + "\r\n\r\n" + body;
  boost::system::error_code ec;
  socket.non_blocking(true, ec);
  socket.write_some(net::buffer(msg), ec);
  socket.shutdown(tcp::socket::shutdown_send, ec);
  socket.close(ec);
}

}  // namespace

HttpServer::HttpServer(Handler handler, ServerMetrics* metrics, HttpServerOptions options)
    : metrics_(metrics),
      options_(std::move(options)),
      ioc_(std::max(1, options_.threads)),
      acceptor_(ioc_),
      signals_(ioc_),
      drain_timer_(ioc_),
      accept_timer_(ioc_) {
  ctx_.handler = std::move(handler);
  ctx_.static_files = options_.static_files;
  ctx_.metrics = metrics_;
  ctx_.max_body_bytes = options_.max_body_bytes ? options_.max_body_bytes : 4 * 1024 * 1024;
  ctx_.max_header_bytes = options_.max_header_bytes;
  ctx_.idle_timeout = options_.idle_timeout;
  ctx_.body_timeout = options_.body_timeout;
  ctx_.min_body_bytes_per_second = options_.min_body_bytes_per_second;
  ctx_.write_timeout = options_.write_timeout;
  ctx_.sse_heartbeat = options_.sse_heartbeat;
  limiter_ = std::make_unique<ConnectionLimiter>(
      ConnectionsTheDescriptorLimitAllows(std::max<std::size_t>(1, options_.max_connections),
                                          options_.reserved_descriptors),
      std::max<std::size_t>(1, options_.max_connections_per_address));
}

Result<std::unique_ptr<HttpServer>> HttpServer::Create(DeskApi& api, ServerMetrics* metrics,
                                                       HttpServerOptions options) {
  if (options.max_body_bytes == 0) options.max_body_bytes = api.config().max_body_bytes;
  return Create([&api](ApiRequest r, DeskApi::Respond respond) { api.Handle(std::move(r), std::move(respond)); },
                metrics, std::move(options));
}

Result<std::unique_ptr<HttpServer>> HttpServer::Create(Handler handler, ServerMetrics* metrics,
                                                       HttpServerOptions options) {
  std::unique_ptr<HttpServer> s(new HttpServer(std::move(handler), metrics, options));
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
  // Streams whose sessions never ran again after the io_context stopped.
  ctx_.streams.EndAll();
  // The store may still run (or drop) API callbacks that post to this
  // io_context; it must outlive them.
  for (int n = ctx_.callbacks_pending.load(); n != 0; n = ctx_.callbacks_pending.load())
    ctx_.callbacks_pending.wait(n);
}

void HttpServer::Accept() {
  acceptor_.async_accept(net::make_strand(ioc_), [this](boost::system::error_code ec, tcp::socket socket) {
    OnAccept(ec, std::move(socket));
  });
}

void HttpServer::OnAccept(boost::system::error_code ec, tcp::socket socket) {
  if (!acceptor_.is_open()) return;  // shutting down
  if (ec) {
    if (metrics_) metrics_->AcceptFailed();
    if (ec == net::error::no_descriptors || ec.value() == ENFILE || ec == net::error::no_buffer_space ||
        ec == net::error::no_memory) {
      // Out of descriptors or memory: the pending connection stays in the
      // backlog; try again later rather than spin (or stop accepting).
      accept_backoff_ = std::min<std::chrono::milliseconds>(
          std::chrono::seconds(1), accept_backoff_.count() ? accept_backoff_ * 2 : std::chrono::milliseconds(10));
      accept_timer_.expires_after(accept_backoff_);
      accept_timer_.async_wait([this](const boost::system::error_code& e) {
        if (!e && acceptor_.is_open()) Accept();
      });
      return;
    }
    Accept();  // the peer went away before we took it, and the like
    return;
  }
  accept_backoff_ = std::chrono::milliseconds(0);
  std::string peer = PeerAddress(socket);
  ConnectionLimiter::Refusal why = ConnectionLimiter::Refusal::kNone;
  auto slot = limiter_->TryAcquire(peer, &why);
  if (!slot) {
    bool total = why == ConnectionLimiter::Refusal::kTotal;
    if (metrics_) metrics_->ConnectionRefused(total ? "total" : "per_address");
    Refuse(socket, total ? "the server has too many open connections; try again shortly"
                         : "too many open connections from your address; close some and try again");
  } else {
    boost::system::error_code ignore;
    socket.set_option(tcp::no_delay(true), ignore);
    std::make_shared<HttpSession>(std::move(socket), ctx_, std::move(slot), std::move(peer))->Start();
  }
  Accept();
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
  if (ctx_.draining.exchange(true)) return;
  boost::system::error_code ec;
  acceptor_.close(ec);
  accept_timer_.cancel();
  signals_.cancel(ec);
  // Event streams are not requests in flight: they end now.
  ctx_.streams.CloseAll();
  CheckDrained(std::chrono::steady_clock::now() + options_.grace);
}

void HttpServer::CheckDrained(std::chrono::steady_clock::time_point deadline) {
  // Requests already handed to the API finish and are answered; idle
  // keep-alive connections are simply closed when the io_context stops.
  if (ctx_.in_flight.load() == 0 || std::chrono::steady_clock::now() >= deadline) {
    ioc_.stop();
    return;
  }
  drain_timer_.expires_after(std::chrono::milliseconds(10));
  drain_timer_.async_wait([this, deadline](const boost::system::error_code&) { CheckDrained(deadline); });
}

}  // namespace sladesk
