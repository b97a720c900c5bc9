#include "server/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>

namespace sladesk {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;

namespace {

// Shared by every copy of one API callback. The first call moves the session
// out; the last copy to go (after the call, or uncalled when the store drops
// it) tells the server, which keeps its io_context alive until then.
struct CallbackHolder {
  std::shared_ptr<HttpSession> session;
  std::atomic<int>& pending;
  CallbackHolder(std::shared_ptr<HttpSession> s, std::atomic<int>& p) : session(std::move(s)), pending(p) {
    pending.fetch_add(1);
  }
  ~CallbackHolder() {
    pending.fetch_sub(1);
    pending.notify_all();
  }
  CallbackHolder(const CallbackHolder&) = delete;
  CallbackHolder& operator=(const CallbackHolder&) = delete;
};

constexpr auto kIdleTimeout = std::chrono::seconds(120);
constexpr auto kWriteTimeout = std::chrono::seconds(30);
}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, DeskApi& api, ServerMetrics* metrics,
                         std::atomic<int>& in_flight, std::atomic<int>& callbacks_pending,
                         const std::atomic<bool>& draining)
    : stream_(std::move(socket)),
      api_(api),
      metrics_(metrics),
      in_flight_(in_flight),
      callbacks_pending_(callbacks_pending),
      draining_(draining) {
  if (metrics_) metrics_->ConnectionOpened();
}

HttpSession::~HttpSession() {
  if (metrics_) metrics_->ConnectionClosed();
}

void HttpSession::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->Read(); });
}

void HttpSession::Read() {
  parser_.emplace();
  parser_->body_limit(api_.config().max_body_bytes);
  parser_->header_limit(64 * 1024);
  stream_.expires_after(kIdleTimeout);
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t n) { self->OnRead(ec, n); });
}

void HttpSession::OnRead(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
      ec == net::error::connection_reset || ec == net::error::eof) {
    Close();
    return;
  }
  if (ec == http::error::body_limit) {
    Write(ProblemResponse({413, "too-large", "Payload too large",
                           "the request body is larger than " + std::to_string(api_.config().max_body_bytes) +
                               " bytes",
                           ""}),
          false, false);
    return;
  }
  if (ec) {
    // A request we cannot even parse: answer once, then hang up.
    if (ec == http::error::partial_message) {
      Close();
      return;
    }
    Write(ProblemResponse(BadRequest("", "malformed HTTP request: " + ec.message())), false, false);
    return;
  }
  Dispatch(parser_->release());
}

void HttpSession::Dispatch(Request req) {
  ApiRequest api;
  api.method = std::string(req.method_string());
  api.target = std::string(req.target());
  const bool keep_alive = req.keep_alive() && !draining_.load();
  std::string path = api.target.substr(0, api.target.find('?'));
  std::string query = api.target.find('?') == std::string::npos ? "" : api.target.substr(api.target.find('?') + 1);
  // '+' means a space in queries only.
  if (!DeskApi::PercentDecode(path, &api.path, /*plus_is_space=*/false) || !DeskApi::ParseQuery(query, &api.query)) {
    Write(ProblemResponse(BadRequest("", "bad percent-encoding in the URL")), keep_alive, false);
    return;
  }
  api.body = std::move(req.body());
  api.authorization = std::string(req[http::field::authorization]);
  api.if_match = std::string(req[http::field::if_match]);
  api.idempotency_key = std::string(req["Idempotency-Key"]);
  api.content_type = std::string(req[http::field::content_type]);
  in_flight_++;
  auto holder = std::make_shared<CallbackHolder>(shared_from_this(), callbacks_pending_);
  api_.Handle(std::move(api), [holder, keep_alive](ApiResponse r) {
    std::shared_ptr<HttpSession> self = std::move(holder->session);
    if (!self) return;
    auto executor = self->stream_.get_executor();
    net::post(executor, [self = std::move(self), keep_alive, r = std::move(r)]() mutable {
      self->Write(std::move(r), keep_alive, true);
    });
  });
}

void HttpSession::Write(ApiResponse response, bool keep_alive, bool counted) {
  response.Materialize();
  auto res = std::make_shared<http::response<http::string_body>>();
  res->version(11);
  res->result(static_cast<http::status>(response.status));
  res->set(http::field::server, "sladesk");
  res->set(http::field::content_type, response.content_type);
  for (const auto& [k, v] : response.headers) res->set(k, v);
  res->body() = std::move(response.body);
  res->keep_alive(keep_alive);
  res->prepare_payload();
  stream_.expires_after(kWriteTimeout);
  http::async_write(stream_, *res,
                    [self = shared_from_this(), res, keep_alive, counted](beast::error_code ec, std::size_t) {
                      if (counted) self->in_flight_--;
                      if (ec || !keep_alive) {
                        self->Close();
                        return;
                      }
                      self->Read();
                    });
}

void HttpSession::Close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

}  // namespace sladesk
