#include "server/api_types.h"

#include <nlohmann/json.hpp>

namespace sladesk {

ApiResponse ProblemResponse(const ApiError& e) {
  nlohmann::json j;
  j["type"] = "https://sladesk.dev/problems/" + e.type;
  j["title"] = e.title;
  j["status"] = e.status;
  j["detail"] = e.detail;
  if (!e.field.empty()) j["field"] = e.field;
  ApiResponse r;
  r.status = e.status;
  r.content_type = "application/problem+json";
  r.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (e.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"sladesk\"");
  return r;
}

}  // namespace sladesk
