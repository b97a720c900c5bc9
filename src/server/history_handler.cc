// /api/v1/tickets/{number}/events and .../sla: what happened, and the clocks.
#include "desk/ticket_queries.h"
#include "server/handlers.h"
#include "server/json_views.h"

namespace sladesk {

using nlohmann::json;

ApiResponse ListEvents(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  auto log = TicketQueries(call.repo, call.policies).Events(call.actor, number);
  if (!log.ok()) return ProblemFor(log.error());
  return DeferredJsonResponse(200, [log = std::move(log).value()] {
    json items = json::array();
    for (const auto& e : log) items.push_back(EventJson(e));
    return json{{"items", std::move(items)}};
  });
}

ApiResponse GetSla(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  bool explain = false;
  for (const auto& [k, v] : call.req.query) {
    if (k != "explain")
      return ProblemResponse(BadRequest(k, "unknown query parameter '" + k + "'; allowed: explain"));
    if (v != "true" && v != "false") return ProblemResponse(BadRequest("explain", "'explain' must be true or false"));
    explain = v == "true";
  }
  auto r = TicketQueries(call.repo, call.policies).Sla(call.actor, call.now, number, explain);
  if (!r.ok()) return ProblemFor(r.error());
  return DeferredJsonResponse(200, [r = std::move(r).value(), now = call.now] { return SlaReportJson(r, now); });
}

}  // namespace sladesk
