// Request framing checks: what an HTTP/1.1 server must refuse before it
// reads a body, so no request is ever smuggled inside another.
//
// Purpose: Beast parses a request header, but it accepts obs-fold lines,
// treats `Transfer-Encoding: xchunked` (or `gzip`, `chunked, identity`)
// without Content-Length as a request with no body, and does not insist on
// Host. These pure functions apply RFC 9112 §3.2, §5.2, §6.1 and §6.3 to the
// raw header bytes and the parsed header; HttpSession answers what they
// return and closes the connection.
// Thread-safety: pure functions. Ownership: none.
#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace sladesk {

struct FramingProblem {
  int status = 400;
  std::string field;   // the header at fault
  std::string detail;
};

// A header line that continues the previous one (a line starting with SP
// or HTAB inside the header block `raw`, which ends at the empty line).
bool HasObsFold(std::string_view raw);

// Host, Transfer-Encoding and Content-Length rules for a parsed request
// header. nullopt: acceptable. Every problem returned is a framing problem:
// the caller answers it and closes the connection.
std::optional<FramingProblem> CheckFraming(
    const boost::beast::http::request_header<>& header);

// Expect: nullopt when absent; true for "100-continue" on HTTP/1.1; false
// for anything else (417).
std::optional<bool> ExpectsContinue(const boost::beast::http::request_header<>& header);

}  // namespace sladesk
