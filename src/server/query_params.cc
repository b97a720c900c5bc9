#include "server/query_params.h"

#include "server/api_call.h"

namespace sladesk {

QueryParams::QueryParams(const ApiRequest& req, std::initializer_list<const char*> allowed) : req_(req) {
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  for (const auto& [k, v] : req.query) {
    bool known = false;
    for (const char* a : allowed) known = known || k == a;
    if (!known) {
      Fail(BadRequest(k, "unknown query parameter '" + k + "'" + (list.empty() ? "" : "; allowed: " + list)));
      return;
    }
  }
}

const std::string* QueryParams::Find(const char* name) const {
  auto it = req_.query.find(name);
  return it == req_.query.end() ? nullptr : &it->second;
}

std::optional<std::string> QueryParams::Text(const char* name, std::size_t max_len) {
  const std::string* v = Find(name);
  if (!v || error_) return std::nullopt;
  if (v->empty() || v->size() > max_len) {
    Fail(BadRequest(name, "'" + std::string(name) + "' must be 1 to " + std::to_string(max_len) + " characters"));
    return std::nullopt;
  }
  return *v;
}

std::optional<std::int64_t> QueryParams::Id(const char* name) {
  const std::string* v = Find(name);
  if (!v || error_) return std::nullopt;
  std::int64_t id = 0;
  if (!ParseId(*v, &id)) {
    Fail(BadRequest(name, "'" + std::string(name) + "' must be a positive integer"));
    return std::nullopt;
  }
  return id;
}

std::optional<Instant> QueryParams::Time(const char* name) {
  const std::string* v = Find(name);
  if (!v || error_) return std::nullopt;
  std::string text = *v;
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') text += "T00:00:00Z";
  auto t = ParseInstant(text, name);
  if (!t.ok()) {
    Fail(BadRequest(name, "'" + std::string(name) + "' must be RFC 3339 or YYYY-MM-DD: " + t.error().message));
    return std::nullopt;
  }
  return *t;
}

std::optional<bool> QueryParams::Bool(const char* name) {
  const std::string* v = Find(name);
  if (!v || error_) return std::nullopt;
  if (*v == "true") return true;
  if (*v == "false") return false;
  Fail(BadRequest(name, "'" + std::string(name) + "' must be true or false"));
  return std::nullopt;
}

}  // namespace sladesk
