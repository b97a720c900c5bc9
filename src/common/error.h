// Error: what went wrong with an input, as a value.
//
// Purpose: expected failures (bad calendar JSON, an unknown plan, a malformed
// time) travel as an Error inside Result<T>/Status and are turned into exit
// codes or HTTP statuses only at the edge (CLI, server).
// Thread-safety: a plain value type. Ownership: owns its strings.
#pragma once

#include <string>

namespace sladesk {

struct Error {
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
