// ProblemFor: the one mapping from an Error's code to an HTTP answer.
//
// Purpose: every failure a service or the store reports reaches a client
// the same way: an RFC 9457 problem+json with the status its ErrorCode
// says (invalid 422, unauthenticated 401, forbidden 403, not found 404,
// conflict 409, precondition failed 412 / required 428, too large 413,
// rate limited 429, unavailable 503, internal 500), the field at fault and
// the error's reason as its type. An outage (unavailable) or a bug
// (internal) never shows the driver's or the code's text: the client gets
// sladesk's own sentence (and Retry-After on 503), the log gets the rest.
// Thread-safety: stateless; the log is written under a lock.
// Ownership: none.
#pragma once

#include <string_view>

#include "common/error.h"
#include "server/api_types.h"

namespace sladesk {

ApiResponse ProblemFor(const Error& error);
// The HTTP status an ErrorCode maps to.
int HttpStatusFor(ErrorCode code);
// One line on stderr, with a UTC timestamp (the server's log).
void LogServerError(std::string_view what);

}  // namespace sladesk
