// ExpectedVersion: the version of a resource a caller last saw (HTTP
// If-Match), for optimistic concurrency.
//
// Purpose: a change applies only while the resource is at one of
// `versions` ("*": any). `required`: a change that names none is refused
// (kPreconditionRequired); a stale one is kPreconditionFailed.
// Thread-safety: plain value type. Ownership: owns its versions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.h"

namespace sladesk {

struct ExpectedVersion {
  bool required = false;
  bool given = false;
  bool any = false;
  std::vector<std::int64_t> versions;

  static ExpectedVersion None() { return {}; }
  static ExpectedVersion Of(std::int64_t v) { return {false, true, false, {v}}; }

  // `what`: "ticket", "organisation", for the message.
  Status Check(std::int64_t current, const std::string& what) const {
    if (!given) {
      if (required)
        return MakeError(ErrorCode::kPreconditionRequired, "If-Match",
                         "send If-Match with the ETag from your last GET to update this resource");
      return Status::Ok();
    }
    if (any || std::find(versions.begin(), versions.end(), current) != versions.end()) return Status::Ok();
    return MakeError(ErrorCode::kPreconditionFailed, "If-Match",
                     "the " + what + " has changed since you read it (it is at version " + std::to_string(current) + ")");
  }
};

}  // namespace sladesk
