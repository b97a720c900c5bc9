// ParseJsonBody: parses a request body into nlohmann::json with limits,
// turning every way a body can be wrong into an Error value.
//
// Purpose: one unauthenticated request must never stop the server. The
// nesting depth is capped while parsing (a SAX handler refuses the opening
// bracket past the limit, so no deep tree is ever built and nothing later
// recurses on one); numbers that do not fit a double (1e400, a 400-digit
// integer) are refused as "number out of range"; syntax errors, invalid
// UTF-8 and anything nlohmann throws become an Error naming what is wrong
// and the byte offset where.
// Thread-safety: a pure function. Ownership: the result owns its tree.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace sladesk {

struct JsonBodyLimits {
  std::size_t max_depth = 64;         // arrays + objects open at once; the top-level value is depth 1
  std::size_t max_string_bytes = 4 * 1024 * 1024;  // one string or key
};

// Error.field is empty (the body as a whole); Error.message reads, e.g.,
// "the body is not valid JSON: syntax error at byte 12: ..." or
// "number out of range at byte 6: 1e400", "nesting deeper than 64 levels at byte 70".
Result<nlohmann::json> ParseJsonBody(std::string_view body, const JsonBodyLimits& limits = {});

}  // namespace sladesk
