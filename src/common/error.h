// Error: what went wrong with an input, as a value.
//
// Purpose: expected failures (bad calendar JSON, an unknown plan, a malformed
// time, a forbidden change, a database outage) travel as an Error inside
// Result<T>/Status and are turned into exit codes or HTTP statuses only at
// the edge (CLI, server), by their ErrorCode.
// Thread-safety: a plain value type. Ownership: owns its strings.
#pragma once

#include <string>

namespace sladesk {

// What kind of failure, so every front end maps it the same way (the HTTP
// status and the CLI exit code are chosen from this alone).
enum class ErrorCode {
  kInvalid,               // the input is wrong (a field, a flag, a file): 422 / exit 2
  kUnauthenticated,       // no or bad credentials: 401
  kForbidden,             // the actor may not do this: 403
  kNotFound,              // no such thing (or not visible to the actor): 404
  kConflict,              // the thing's state forbids it now: 409
  kPreconditionFailed,    // the caller's expected version is stale: 412
  kPreconditionRequired,  // the caller must say which version it expects: 428
  kTooLarge,              // over a size limit: 413
  kRateLimited,           // too many attempts; retry later: 429
  kUnavailable,           // a dependency (the database) is down; retry later: 503
  kInternal,              // a bug or an unexpected failure: 500
};

// "invalid", "unauthenticated", "forbidden", "not_found", "conflict", ...
const char* ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInvalid;
  // A short machine-readable reason within the code ("quota-exceeded",
  // "reopen-window-passed"); empty for the code's generic meaning.
  std::string reason;
  // Where the problem is: a JSON path ("weekly.wed[1]"), a TOML key path, or
  // a flag name ("--from"). Empty when the error is not about one field.
  std::string field;
  std::string message;
  // Source position for file inputs (1-based); 0 when unknown.
  std::string file;
  int line = 0;
  int column = 0;

  // "file:line:col: field: message", leaving out the parts that are unset.
  std::string ToString() const;
};

}  // namespace sladesk
