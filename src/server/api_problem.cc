#include "server/api_problem.h"

#include <chrono>
#include <iostream>
#include <mutex>

#include "common/instant.h"

namespace sladesk {

int HttpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalid: return 422;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kPreconditionFailed: return 412;
    case ErrorCode::kPreconditionRequired: return 428;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

void LogServerError(std::string_view what) {
  static std::mutex mu;
  const auto now = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
  std::lock_guard<std::mutex> lock(mu);
  std::cerr << FormatInstant(now) << " sladesk: " << what << "\n";
}

ApiResponse ProblemFor(const Error& e) {
  ApiError p;
  p.status = HttpStatusFor(e.code);
  p.field = e.field;
  p.detail = e.message;
  switch (e.code) {
    case ErrorCode::kInvalid: p.type = "validation"; p.title = "Invalid field"; break;
    case ErrorCode::kUnauthenticated: p.type = "unauthorized"; p.title = "Unauthorized"; break;
    case ErrorCode::kForbidden: p.type = "forbidden"; p.title = "Forbidden"; break;
    case ErrorCode::kNotFound: p.type = "not-found"; p.title = "Not found"; break;
    case ErrorCode::kConflict: p.type = "conflict"; p.title = "Conflict"; break;
    case ErrorCode::kPreconditionFailed: p.type = "precondition-failed"; p.title = "Precondition failed"; break;
    case ErrorCode::kPreconditionRequired: p.type = "precondition-required"; p.title = "Precondition required"; break;
    case ErrorCode::kTooLarge: p.type = "too-large"; p.title = "Payload too large"; break;
    case ErrorCode::kRateLimited: p.type = "rate-limited"; p.title = "Too many requests"; break;
    case ErrorCode::kUnavailable:
      LogServerError("unavailable: " + e.ToString());
      p = {503, "unavailable", "Service unavailable",
           "the help desk's database is unavailable right now; nothing was changed, retry in a few seconds", ""};
      break;
    case ErrorCode::kInternal:
      LogServerError("internal error: " + e.ToString());
      p = {500, "internal", "Internal error", "sladesk failed unexpectedly; the error is in the server's log", ""};
      break;
  }
  if (e.field == "database" && e.code == ErrorCode::kConflict) {
    // A unique race the services did not foresee: the driver's text names tables.
    LogServerError("conflict: " + e.ToString());
    p.detail = "the change conflicted with another one made at the same time; retry";
    p.field.clear();
  }
  if (!e.reason.empty() && e.field != "database" && e.code != ErrorCode::kUnavailable && e.code != ErrorCode::kInternal) {
    p.type = e.reason;
    if (e.reason == "quota-exceeded") p.title = "Incident quota exceeded";
  }
  ApiResponse r = ProblemResponse(p);
  if (e.code == ErrorCode::kUnavailable) r.headers.emplace_back("Retry-After", "2");
  if (e.code == ErrorCode::kRateLimited) r.headers.emplace_back("Retry-After", "60");
  return r;
}

}  // namespace sladesk
