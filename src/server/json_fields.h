// JsonFields: strict reading of a JSON request object.
//
// Purpose: every handler reads its body through this, so unknown fields,
// wrong types, empty or oversized strings all get a 4xx naming the field
// before anything is written. The first problem is kept; later reads are
// no-ops that return defaults.
// Thread-safety: one request, one thread. Ownership: borrows the object.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "server/api_types.h"

namespace sladesk {

class JsonFields {
 public:
  // `allowed` lists every field the object may have.
  JsonFields(const nlohmann::json& object, std::initializer_list<const char*> allowed);

  bool has(const char* name) const { return obj_.contains(name); }
  // Required non-empty string of at most max_len bytes.
  std::string RequiredString(const char* name, std::size_t max_len = 10000);
  std::optional<std::string> OptString(const char* name, std::size_t max_len = 10000, bool allow_empty = true);
  std::optional<std::int64_t> OptInt(const char* name, std::int64_t min, std::int64_t max);
  std::optional<double> OptNumber(const char* name, double min, double max);
  std::optional<bool> OptBool(const char* name);
  // An object whose values are all strings (each at most max_len bytes).
  std::optional<std::map<std::string, std::string>> OptStringMap(const char* name, std::size_t max_len);
  // Present and null (to clear a field with PATCH).
  bool IsNull(const char* name) const { return obj_.contains(name) && obj_.at(name).is_null(); }

  bool ok() const { return !error_; }
  const ApiError& error() const { return *error_; }
  void Fail(ApiError e) {
    if (!error_) error_ = std::move(e);
  }

 private:
  const nlohmann::json& obj_;
  std::optional<ApiError> error_;
};

}  // namespace sladesk
