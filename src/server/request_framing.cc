#include "server/request_framing.h"

#include <boost/beast/core/string.hpp>

#include <vector>

namespace sladesk {

namespace http = boost::beast::http;

namespace {

std::string Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Every coding named by every Transfer-Encoding line, in order, lowercased,
// parameters dropped; empty elements kept (as "") so "chunked," is refused.
std::vector<std::string> Codings(const http::request_header<>& h) {
  std::vector<std::string> out;
  for (auto it = h.find(http::field::transfer_encoding); it != h.end() && it->name() == http::field::transfer_encoding;
       ++it) {
    std::string_view v(it->value().data(), it->value().size());
    std::size_t start = 0;
    while (true) {
      std::size_t comma = v.find(',', start);
      std::string_view part = v.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      out.push_back(Lower(Trim(part.substr(0, part.find(';')))));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  return out;
}

}  // namespace

bool HasObsFold(std::string_view raw) {
  // Skip the request line; any later line that opens with whitespace folds.
  std::size_t p = raw.find("\r\n");
  while (p != std::string_view::npos && p + 2 < raw.size()) {
    char next = raw[p + 2];
    if (next == ' ' || next == '\t') return true;
    if (next == '\r') return false;  // the empty line ends the header
    p = raw.find("\r\n", p + 2);
  }
  return false;
}

std::optional<FramingProblem> CheckFraming(const http::request_header<>& h) {
  const unsigned version = h.version();
  const auto hosts = h.count(http::field::host);
  if (version >= 11 && hosts == 0)
    return FramingProblem{400, "Host", "an HTTP/1.1 request must carry a Host header (RFC 9112 §3.2)"};
  if (hosts > 1) return FramingProblem{400, "Host", "more than one Host header (RFC 9112 §3.2)"};

  if (h.count(http::field::transfer_encoding) == 0) return std::nullopt;
  if (version < 11)
    return FramingProblem{400, "Transfer-Encoding",
                          "Transfer-Encoding is not allowed in an HTTP/1.0 request (RFC 9112 §6.1)"};
  if (h.count(http::field::content_length) != 0)
    return FramingProblem{400, "Transfer-Encoding",
                          "a request must not carry both Transfer-Encoding and Content-Length (RFC 9112 §6.1)"};
  auto codings = Codings(h);
  if (codings.empty() || codings.back() != "chunked")
    return FramingProblem{400, "Transfer-Encoding",
                          "the final transfer coding of a request must be chunked (RFC 9112 §6.3)"};
  for (std::size_t i = 0; i + 1 < codings.size(); ++i) {
    if (codings[i] == "chunked")
      return FramingProblem{400, "Transfer-Encoding", "chunked may be applied only once (RFC 9112 §7)"};
    return FramingProblem{501, "Transfer-Encoding",
                          "the transfer coding '" + codings[i] + "' is not supported; send the body chunked only"};
  }
  return std::nullopt;
}

std::optional<bool> ExpectsContinue(const http::request_header<>& h) {
  auto it = h.find(http::field::expect);
  if (it == h.end()) return std::nullopt;
  std::string v = Lower(Trim(std::string_view(it->value().data(), it->value().size())));
  return v == "100-continue" && h.version() >= 11 && h.count(http::field::expect) == 1;
}

}  // namespace sladesk
