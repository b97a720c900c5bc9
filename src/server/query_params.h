// QueryParams: strict reading of a request's query string for the
// compliance handlers (incidents, reports, status).
//
// Purpose: an unknown parameter, or a value of the wrong shape, is a 400
// naming the parameter, before anything is read from the store. The first
// problem is kept; later reads return nullopt.
// Thread-safety: one request, one thread. Ownership: borrows the request.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>

#include "common/instant.h"
#include "server/api_types.h"

namespace sladesk {

class QueryParams {
 public:
  QueryParams(const ApiRequest& req, std::initializer_list<const char*> allowed);

  std::optional<std::string> Text(const char* name, std::size_t max_len = 200);
  std::optional<std::int64_t> Id(const char* name);
  // RFC 3339, or YYYY-MM-DD meaning midnight UTC.
  std::optional<Instant> Time(const char* name);
  std::optional<bool> Bool(const char* name);

  bool ok() const { return !error_; }
  const ApiError& error() const { return *error_; }

 private:
  const std::string* Find(const char* name) const;
  void Fail(ApiError e) {
    if (!error_) error_ = std::move(e);
  }

  const ApiRequest& req_;
  std::optional<ApiError> error_;
};

}  // namespace sladesk
