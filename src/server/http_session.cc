#include "server/http_session.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>

#include "server/desk_api.h"
#include "server/request_framing.h"

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
    // An uncalled callback may hold the last reference: the session goes
    // before the server is told it may go.
    session.reset();
    pending.fetch_sub(1);
    pending.notify_all();
  }
  CallbackHolder(const CallbackHolder&) = delete;
  CallbackHolder& operator=(const CallbackHolder&) = delete;
};

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 256 * 1024;

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Defence in depth against response splitting: no CR, LF or NUL ever
// reaches a response header, whatever a handler put there.
std::string HeaderSafe(std::string_view v) {
  std::string out;
  out.reserve(v.size());
  for (char c : v)
    if (c != '\r' && c != '\n' && c != '\0') out += c;
  return out;
}

std::string Header(const http::request<http::string_body>& req, http::field f) {
  auto it = req.find(f);
  return it == req.end() ? std::string() : std::string(it->value());
}

}  // namespace

HttpSession::HttpSession(net::ip::tcp::socket socket, SessionContext& ctx,
                         std::unique_ptr<ConnectionLimiter::Slot> slot, std::string remote_address)
    : stream_(std::move(socket)),
      ctx_(ctx),
      slot_(std::move(slot)),
      remote_address_(std::move(remote_address)),
      heartbeat_(stream_.get_executor()) {
  if (ctx_.metrics) ctx_.metrics->ConnectionOpened();
}

HttpSession::~HttpSession() {
  if (event_stream_) event_stream_->Ended();
  if (ctx_.metrics) ctx_.metrics->ConnectionClosed();
}

void HttpSession::Start() {
  net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->ReadHeader(); });
}

void HttpSession::ReadHeader() {
  // One deadline for the wait between requests and the whole header.
  stream_.expires_after(ctx_.idle_timeout);
  scanned_ = 0;
  method_.clear();
  ContinueHeader();
}

void HttpSession::ContinueHeader() {
  const auto data = buffer_.data();
  std::string_view have(static_cast<const char*>(data.data()), data.size());
  auto end = have.find("\r\n\r\n", scanned_ >= 3 ? scanned_ - 3 : 0);
  if (end != std::string_view::npos) {
    OnHeaderBytes(end + 4);
    return;
  }
  scanned_ = have.size();
  if (have.size() >= ctx_.max_header_bytes) {
    Reject(431, "header-too-large", "Request header fields too large", "",
           "the request header is larger than " + std::to_string(ctx_.max_header_bytes) + " bytes");
    return;
  }
  auto space = buffer_.prepare(std::min<std::size_t>(16 * 1024, ctx_.max_header_bytes + 4 - have.size()));
  stream_.async_read_some(space, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
    // End of stream, a reset or the deadline while idle or mid-header: hang up.
    if (ec) {
      self->Close();
      return;
    }
    self->buffer_.commit(n);
    self->ContinueHeader();
  });
}

void HttpSession::OnHeaderBytes(std::size_t header_bytes) {
  const auto data = buffer_.data();
  std::string_view raw(static_cast<const char*>(data.data()), header_bytes);
  method_ = std::string(raw.substr(0, std::min<std::size_t>(raw.find(' '), 32)));
  started_ = std::chrono::steady_clock::now();
  if (HasObsFold(raw)) {
    Reject(400, "bad-request", "Bad request", "",
           "a header line continues the previous one (obs-fold); send each field on one line (RFC 9112 §5.2)");
    return;
  }
  parser_.emplace();
  parser_->header_limit(static_cast<std::uint32_t>(ctx_.max_header_bytes + 4));
  parser_->body_limit(ctx_.max_body_bytes);
  beast::error_code ec;
  std::size_t used = parser_->put(net::buffer(data.data(), header_bytes), ec);
  if (!ec && !parser_->is_header_done()) ec = http::error::partial_message;
  if (ec == http::error::body_limit) {
    Reject(413, "too-large", "Payload too large",
           "Content-Length", "the request body is larger than " + std::to_string(ctx_.max_body_bytes) + " bytes");
    return;
  }
  if (ec == http::error::header_limit) {
    Reject(431, "header-too-large", "Request header fields too large", "",
           "the request header is larger than " + std::to_string(ctx_.max_header_bytes) + " bytes");
    return;
  }
  if (ec) {
    std::string field = ec == http::error::bad_content_length        ? "Content-Length"
                        : ec == http::error::bad_transfer_encoding ? "Transfer-Encoding"
                                                                     : "";
    Reject(400, "bad-request", "Bad request", field, "malformed HTTP request: " + ec.message());
    return;
  }
  buffer_.consume(used);
  const auto& header = parser_->get();
  head_request_ = header.method() == http::verb::head;
  if (auto problem = CheckFraming(header)) {
    Reject(problem->status, problem->status == 501 ? "not-implemented" : "bad-request",
           problem->status == 501 ? "Not implemented" : "Bad request", problem->field, problem->detail);
    return;
  }
  auto expect = ExpectsContinue(header);
  if (expect && !*expect) {
    Reject(417, "expectation-failed", "Expectation failed", "Expect", "only 'Expect: 100-continue' is supported");
    return;
  }
  if (parser_->is_done()) {
    Dispatch(parser_->release());
    return;
  }
  if (expect) {
    stream_.expires_after(ctx_.write_timeout);
    net::async_write(stream_, net::buffer(kContinue.data(), kContinue.size()),
                     [self = shared_from_this()](beast::error_code e, std::size_t) {
                       if (e) {
                         self->Close();
                         return;
                       }
                       self->ReadBody();
                     });
    return;
  }
  ReadBody();
}

void HttpSession::ReadBody() {
  // A deadline that grows with the body: a minimum rate, not a fixed time.
  std::uint64_t expected = parser_->content_length().value_or(ctx_.max_body_bytes);
  auto rate = std::max<std::size_t>(1, ctx_.min_body_bytes_per_second);
  stream_.expires_after(ctx_.body_timeout + std::chrono::milliseconds(expected * 1000 / rate));
  http::async_read(stream_, buffer_, *parser_,
                   [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnBody(ec); });
}

void HttpSession::OnBody(beast::error_code ec) {
  if (ec == http::error::body_limit) {
    Reject(413, "too-large", "Payload too large", "",
           "the request body is larger than " + std::to_string(ctx_.max_body_bytes) + " bytes");
    return;
  }
  if (ec == http::error::end_of_stream || ec == http::error::partial_message || ec == beast::error::timeout ||
      ec == net::error::operation_aborted || ec == net::error::connection_reset || ec == net::error::eof) {
    Close();
    return;
  }
  if (ec) {
    Reject(400, "bad-request", "Bad request", "", "malformed HTTP request body: " + ec.message());
    return;
  }
  Dispatch(parser_->release());
}

void HttpSession::Dispatch(Request req) {
  ApiRequest api;
  api.method = std::string(req.method_string());
  api.target = std::string(req.target());
  const bool keep_alive = req.keep_alive() && !ctx_.draining.load();
  std::string path = api.target.substr(0, api.target.find('?'));
  std::string query = api.target.find('?') == std::string::npos ? "" : api.target.substr(api.target.find('?') + 1);
  // '+' means a space in queries only.
  if (!DeskApi::PercentDecode(path, &api.path, /*plus_is_space=*/false) || !DeskApi::ParseQuery(query, &api.query)) {
    Record("transport", 400);
    Write(ProblemResponse(BadRequest("", "bad percent-encoding in the URL")), keep_alive, false);
    return;
  }
  api.body = std::move(req.body());
  api.authorization = Header(req, http::field::authorization);
  api.if_match = Header(req, http::field::if_match);
  api.idempotency_key = std::string(req["Idempotency-Key"]);
  api.content_type = Header(req, http::field::content_type);
  api.remote_address = remote_address_;
  api.host = Header(req, http::field::host);
  for (auto it = req.find(http::field::cookie); it != req.end() && it->name() == http::field::cookie; ++it)
    api.cookie += (api.cookie.empty() ? "" : "; ") + std::string(it->value());
  api.origin = Header(req, http::field::origin);
  api.accept = Header(req, http::field::accept);
  api.accept_encoding = Header(req, http::field::accept_encoding);
  api.if_none_match = Header(req, http::field::if_none_match);
  api.last_event_id = std::string(req["Last-Event-ID"]);
  api.csrf_token = std::string(req["X-CSRF-Token"]);

  if (ctx_.static_files && StaticFiles::Handles(api)) {
    ApiResponse r = ctx_.static_files->Serve(api);
    Record("static", r.status);
    Write(std::move(r), keep_alive, false);
    return;
  }
  ctx_.in_flight++;
  auto holder = std::make_shared<CallbackHolder>(shared_from_this(), ctx_.callbacks_pending);
  ctx_.handler(std::move(api), [holder, keep_alive](ApiResponse r) {
    std::shared_ptr<HttpSession> self = std::move(holder->session);
    if (!self) return;
    auto executor = self->stream_.get_executor();
    net::post(executor, [self = std::move(self), keep_alive, r = std::move(r)]() mutable {
      self->Write(std::move(r), keep_alive, true);
    });
  });
}

void HttpSession::Reject(int status, const std::string& type, const std::string& title, const std::string& field,
                         const std::string& detail) {
  Record("transport", status);
  Write(ProblemResponse({status, type, title, detail, field}), /*keep_alive=*/false, false);
}

void HttpSession::Record(const std::string& route, int status) {
  if (!ctx_.metrics) return;
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  ctx_.metrics->RecordRequest(method_, route, status, secs);
}

void HttpSession::Write(ApiResponse response, bool keep_alive, bool counted) {
  if (response.event_stream) {
    StartStream(std::move(response));
    if (counted) ctx_.in_flight--;
    return;
  }
  response.Materialize();
  auto res = std::make_shared<http::response<http::string_body>>();
  res->version(11);
  int status = response.status >= 100 && response.status <= 999 ? response.status : 500;
  res->result(static_cast<unsigned>(status));
  res->set(http::field::server, "sladesk");
  res->set(http::field::content_type, HeaderSafe(response.content_type));
  for (const auto& [k, v] : response.headers) {
    if (IEquals(k, "Content-Type"))
      res->set(http::field::content_type, HeaderSafe(v));
    else if (!k.empty())
      res->insert(HeaderSafe(k), HeaderSafe(v));
  }
  res->keep_alive(keep_alive);
  const bool no_body = status < 200 || status == 204 || status == 304;
  if (no_body) {
    // These answers never carry a body (Beast would throw on one).
  } else if (head_request_) {
    // HEAD: the length the GET would have, and no body.
    res->content_length(response.body.size());
  } else {
    res->body() = std::move(response.body);
    res->prepare_payload();
  }
  stream_.expires_after(ctx_.write_timeout);
  http::async_write(stream_, *res,
                    [self = shared_from_this(), res, keep_alive, counted](beast::error_code ec, std::size_t) {
                      if (counted) self->ctx_.in_flight--;
                      if (ec) {
                        self->Close();
                        return;
                      }
                      if (!keep_alive) {
                        self->LingeringClose();
                        return;
                      }
                      self->ReadHeader();
                    });
}

void HttpSession::Close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  stream_.socket().close(ec);
}

void HttpSession::LingeringClose() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
  if (ec) {
    Close();
    return;
  }
  stream_.expires_after(kLingerTime);
  Linger(std::make_shared<std::array<char, 4096>>(), kLingerBytes);
}

void HttpSession::Linger(std::shared_ptr<std::array<char, 4096>> sink, std::size_t left) {
  stream_.async_read_some(net::buffer(*sink), [self = shared_from_this(), sink, left](beast::error_code ec,
                                                                                      std::size_t n) {
    if (ec || n >= left) {
      self->Close();
      return;
    }
    self->Linger(sink, left - n);
  });
}

// ---- Server-Sent Events ----

void HttpSession::StartStream(ApiResponse response) {
  std::weak_ptr<HttpSession> weak = shared_from_this();
  auto executor = stream_.get_executor();
  event_stream_ = std::make_shared<EventStream>(
      [weak, executor] {
        net::post(executor, [weak] {
          if (auto self = weak.lock()) self->FlushStream();
        });
      },
      ctx_.sse_max_pending_bytes);
  std::string head =
      "HTTP/1.1 200 OK\r\nServer: sladesk\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      "X-Accel-Buffering: no\r\nConnection: close\r\n";
  for (const auto& [k, v] : response.headers) {
    if (k.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos) continue;
    head += k + ": " + v + "\r\n";
  }
  head += "\r\n";
  stream_write_ = std::move(head);
  stream_writing_ = true;
  stream_.expires_after(ctx_.write_timeout);
  net::async_write(stream_, net::buffer(stream_write_),
                   [self = shared_from_this(), open = std::move(response.event_stream)](beast::error_code ec,
                                                                                        std::size_t) {
                     self->stream_writing_ = false;
                     if (ec) {
                       self->EndStream();
                       return;
                     }
                     self->ctx_.streams.Add(self->event_stream_);
                     open(self->event_stream_);
                     if (self->ctx_.draining.load()) self->event_stream_->Close();
                     self->Heartbeat();
                     self->WatchForDisconnect();
                     self->FlushStream();
                   });
}

void HttpSession::FlushStream() {
  if (stream_ended_ || !event_stream_) return;
  if (event_stream_->overflowed()) {
    EndStream();  // aborts the write the client is not reading
    return;
  }
  if (stream_writing_) return;
  bool closing = false;
  std::string data = event_stream_->TakePending(&closing);
  if (data.empty()) {
    if (closing) EndStream();
    return;
  }
  stream_write_ = std::move(data);
  stream_writing_ = true;
  stream_.expires_after(ctx_.write_timeout);
  net::async_write(stream_, net::buffer(stream_write_), [self = shared_from_this()](beast::error_code ec,
                                                                                    std::size_t) {
    self->stream_writing_ = false;
    if (ec) {
      self->EndStream();
      return;
    }
    self->FlushStream();
  });
}

void HttpSession::Heartbeat() {
  if (stream_ended_) return;
  heartbeat_.expires_after(ctx_.sse_heartbeat);
  heartbeat_.async_wait([self = shared_from_this()](beast::error_code ec) {
    if (ec || self->stream_ended_) return;
    (void)self->event_stream_->SendComment("ping");
    self->Heartbeat();
  });
}

void HttpSession::WatchForDisconnect() {
  // The client sends nothing on an event stream; a read that completes means
  // it went away (or sent something we drop).
  stream_.socket().async_read_some(net::buffer(watch_buffer_),
                                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                     if (ec) {
                                       self->EndStream();
                                       return;
                                     }
                                     self->WatchForDisconnect();
                                   });
}

void HttpSession::EndStream() {
  if (stream_ended_) return;
  stream_ended_ = true;
  heartbeat_.cancel();
  if (event_stream_) event_stream_->Ended();
  Close();
}

}  // namespace sladesk
