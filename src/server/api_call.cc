#include "server/api_call.h"

#include "server/json_views.h"

namespace sladesk {

ApiResponse JsonResponse(int status, const nlohmann::json& body) {
  ApiResponse r;
  r.status = status;
  r.body = DumpJson(body);
  return r;
}

ApiResponse DeferredJsonResponse(int status, std::function<nlohmann::json()> make) {
  ApiResponse r;
  r.status = status;
  r.render_body = [make = std::move(make)] { return DumpJson(make()); };
  return r;
}

ApiResponse TicketResponse(int status, const Ticket& t) {
  return ChangedTicket(DeferredJsonResponse(status, [t] { return TicketJson(t, StoredSla(t)); }), t);
}

ApiResponse ChangedTicket(ApiResponse r, const Ticket& t) {
  r.headers.emplace_back("ETag", TicketETag(t));
  r.changed = ApiResponse::ChangedTicket{t.organisation_id, t.number, t.version, t.next_fire};
  return r;
}

ApiResponse WithHeader(ApiResponse r, std::string name, std::string value) {
  r.headers.emplace_back(std::move(name), std::move(value));
  return r;
}

bool ParseId(const std::string& s, std::int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  if (v == 0) return false;
  *out = v;
  return true;
}

bool IdParam(const ApiCall& call, std::size_t index, const char* field, std::int64_t* out, ApiResponse* problem) {
  if (ParseId(call.params.at(index), out)) return true;
  *problem = ProblemResponse(BadRequest(field, std::string("'") + field + "' must be a positive integer, not '" +
                                                   call.params.at(index) + "'"));
  return false;
}

ExpectedVersion TicketExpectation(const ApiCall& call, std::int64_t number, bool required) {
  ParsedIfMatch m = ParseIfMatch(call.req.if_match, 't', number);
  ExpectedVersion e;
  e.required = required;
  e.given = m.given;
  e.any = m.any;
  e.versions = std::move(m.versions);
  return e;
}

}  // namespace sladesk
