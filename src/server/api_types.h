// ApiRequest / ApiResponse / ApiError: the HTTP-independent shapes the
// router and its handlers exchange.
//
// Purpose: keeps Beast out of the handlers (they are tested without a
// socket) and gives every 4xx/5xx one form: RFC 9457 problem+json naming the
// field at fault.
// Thread-safety: plain value types. Ownership: own their strings.
#pragma once

#include <map>
#include <optional>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "common/instant.h"

namespace sladesk {

struct ApiRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path and query as received
  std::string path;    // path only, percent-decoded
  std::map<std::string, std::string> query;
  std::string body;
  std::string authorization;  // the Authorization header
  std::string if_match;
  std::string idempotency_key;
  std::string content_type;
  // Set by the transport for every request (empty when absent):
  std::string remote_address;   // the peer's IP address, e.g. "127.0.0.1" or "::1"
  std::string host;             // the Host header
  std::string cookie;           // the Cookie header(s), joined with "; "
  std::string origin;           // the Origin header (CSRF checks)
  std::string accept;           // the Accept header
  std::string accept_encoding;  // the Accept-Encoding header
  std::string if_none_match;    // the If-None-Match header
  std::string last_event_id;    // the Last-Event-ID header (an EventSource reconnecting)
  std::string csrf_token;       // the X-CSRF-Token header (cookie sessions' unsafe requests)
};

class EventStream;

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  // Set instead of `body` when the body is rendered from values the closure
  // owns: then the HTTP thread that writes the answer renders it, not the
  // store's writer thread, which every write waits on.
  std::function<std::string()> render_body;
  // Set to answer with a long-lived text/event-stream instead of a body:
  // the transport sends status 200 and the stream headers (`headers` too),
  // then calls this once with the open stream (see server/event_stream.h).
  // `body` and `content_type` are ignored.
  std::function<void(std::shared_ptr<EventStream>)> event_stream;
  // An answer of 400 or more normally rolls its unit of work back; set
  // this when the unit's writes are the point (a failed sign-in is recorded).
  bool keep_writes = false;
  // The ticket this (committed) answer changed, for the live stream.
  struct ChangedTicket {
    std::int64_t organisation_id = 0, number = 0, version = 0;
    std::optional<Instant> next_fire;  // when the SLA scheduler next acts on it
  };
  std::optional<ChangedTicket> changed;

  // Renders a deferred body into `body`; does nothing if there is none.
  void Materialize() {
    if (!render_body) return;
    body = render_body();
    render_body = nullptr;
  }
};

struct ApiError {
  int status = 400;
  std::string type;    // short slug: "validation", "not-found", ...
  std::string title;
  std::string detail;
  std::string field;   // the request field, header or parameter at fault; may be empty
};

// The problem+json response for an error.
ApiResponse ProblemResponse(const ApiError& error);

inline ApiError BadRequest(std::string field, std::string detail) {
  return {400, "bad-request", "Bad request", std::move(detail), std::move(field)};
}
inline ApiError Invalid(std::string field, std::string detail) {
  return {422, "validation", "Invalid field", std::move(detail), std::move(field)};
}
inline ApiError NotFound(std::string what) {
  return {404, "not-found", "Not found", std::move(what), ""};
}
inline ApiError Forbidden(std::string detail) {
  return {403, "forbidden", "Forbidden", std::move(detail), ""};
}
inline ApiError Conflict(std::string field, std::string detail) {
  return {409, "conflict", "Conflict", std::move(detail), std::move(field)};
}

}  // namespace sladesk
