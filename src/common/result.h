// Result<T> and Status: expected failures as values (after leveldb's Status
// and DuckDB's ErrorData).
//
// A Result<T> holds either a T or an Error; Status is Result<void>. Both are
// [[nodiscard]]: ignoring one is a compile warning. Nothing in the domain core
// throws past its own boundary; callers check ok() and read value()/error().
// Thread-safety: value types; no shared state.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include "common/error.h"

namespace sladesk {

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}          // NOLINT: implicit on purpose
  Result(Error error) : data_(std::move(error)) {}      // NOLINT: implicit on purpose

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  const T& value() const& { assert(ok()); return std::get<0>(data_); }
  T& value() & { assert(ok()); return std::get<0>(data_); }
  T&& value() && { assert(ok()); return std::get<0>(std::move(data_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }

  const Error& error() const { assert(!ok()); return std::get<1>(data_); }

 private:
  std::variant<T, Error> data_;
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  static Status Ok() { return Status(); }

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { assert(!ok_); return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

// Builds an Error for a field: MakeError("weekly.mon[0]", "end must be after start").
inline Error MakeError(std::string field, std::string message) {
  Error e;
  e.field = std::move(field);
  e.message = std::move(message);
  return e;
}

// An Error of another code: MakeError(ErrorCode::kConflict, "status", "...", "reopen-window-passed").
inline Error MakeError(ErrorCode code, std::string field, std::string message, std::string reason = {}) {
  Error e = MakeError(std::move(field), std::move(message));
  e.code = code;
  e.reason = std::move(reason);
  return e;
}

inline Error NotFoundError(std::string message) { return MakeError(ErrorCode::kNotFound, "", std::move(message)); }
inline Error ForbiddenError(std::string message) { return MakeError(ErrorCode::kForbidden, "", std::move(message)); }
inline Error ConflictError(std::string field, std::string message, std::string reason = {}) {
  return MakeError(ErrorCode::kConflict, std::move(field), std::move(message), std::move(reason));
}
inline Error UnavailableError(std::string message) {
  return MakeError(ErrorCode::kUnavailable, "", std::move(message));
}
inline Error InternalError(std::string message) { return MakeError(ErrorCode::kInternal, "", std::move(message)); }

}  // namespace sladesk
