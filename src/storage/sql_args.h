// The short helpers every SQL repository binds its parameters and reads
// its instants with: I (integer), T (text), At (an instant as epoch
// seconds), OptAt (NULL when absent), OptInstant (a nullable column).
//
// Purpose: one definition for the repositories' .cc files, which bring
// them in with `using namespace sql_args;` (the names are short on
// purpose: statements bind many values).
// Thread-safety: pure functions. Ownership: values are copied.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/instant.h"
#include "storage/sql_value.h"

namespace sladesk::sql_args {

inline SqlValue I(std::int64_t v) { return SqlValue{v}; }
inline SqlValue T(const std::string& s) { return SqlValue{s}; }
inline SqlValue T(std::string_view s) { return SqlValue{std::string(s)}; }
inline SqlValue T(const char* s) { return SqlValue{std::string(s)}; }
inline SqlValue At(Instant t) { return SqlValue{ToEpoch(t)}; }
inline SqlValue OptAt(const std::optional<Instant>& t) { return t ? At(*t) : SqlNull(); }
inline std::optional<Instant> OptInstant(const SqlRow& r, std::size_t i) {
  return r.IsNull(i) ? std::nullopt : std::optional<Instant>(FromEpoch(r.Int(i)));
}

}  // namespace sladesk::sql_args
