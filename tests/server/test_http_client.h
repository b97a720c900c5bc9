// TestHttpClient: a small blocking HTTP/1.1 client (Beast, keep-alive) for
// the server tests, plus helpers to send JSON and raw bytes.
// Thread-safety: one client per thread. Ownership: owns its socket.
#pragma once

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace sladesk::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  nlohmann::json json() const { return nlohmann::json::parse(body, nullptr, false); }
  std::string header(const std::string& k) const {
    auto it = headers.find(k);
    return it == headers.end() ? "" : it->second;
  }
};

class TestHttpClient {
 public:
  explicit TestHttpClient(unsigned short port) : port_(port), socket_(ioc_) {}

  HttpResult Send(const std::string& method, const std::string& target, const std::string& token,
                  const std::optional<std::string>& body = std::nullopt,
                  const std::map<std::string, std::string>& headers = {},
                  const std::string& content_type = "application/json") {
    namespace http = boost::beast::http;
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (!socket_.is_open()) Connect();
      http::request<http::string_body> req{http::string_to_verb(method), target, 11};
      req.set(http::field::host, "127.0.0.1");
      req.keep_alive(true);
      if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
      for (const auto& [k, v] : headers) req.set(k, v);
      if (body) {
        req.set(http::field::content_type, content_type);
        req.body() = *body;
      }
      req.prepare_payload();
      boost::beast::error_code ec;
      http::write(socket_, req, ec);
      if (ec) {
        socket_.close();
        continue;
      }
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 * 1024 * 1024);
      http::read(socket_, buffer_, parser, ec);
      if (ec) {
        // The request may have been processed: never send it twice.
        socket_.close();
        buffer_.clear();
        return HttpResult{0, "transport error: " + ec.message(), {}};
      }
      auto res = parser.release();
      HttpResult out;
      out.status = static_cast<int>(res.result_int());
      out.body = res.body();
      for (const auto& f : res) out.headers[std::string(f.name_string())] = std::string(f.value());
      if (!res.keep_alive()) socket_.close();
      return out;
    }
    return HttpResult{0, "could not connect", {}};
  }

  HttpResult Json(const std::string& method, const std::string& target, const std::string& token,
                  const nlohmann::json& body, const std::map<std::string, std::string>& headers = {}) {
    return Send(method, target, token, body.dump(), headers);
  }
  HttpResult Get(const std::string& target, const std::string& token) { return Send("GET", target, token); }

 private:
  void Connect() {
    boost::asio::ip::tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), port_);
    socket_ = boost::asio::ip::tcp::socket(ioc_);
    boost::beast::error_code ec;
    socket_.connect(ep, ec);
    buffer_.clear();
  }

  unsigned short port_;
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::socket socket_;
  boost::beast::flat_buffer buffer_;
};

}  // namespace sladesk::testing
