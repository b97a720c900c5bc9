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

}  // namespace sladesk
