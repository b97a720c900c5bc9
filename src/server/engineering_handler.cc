// /api/v1/tickets/{number}/engineering-issue, .../engineering-updates and
// .../time: bug escalations and support hours.
#include <cmath>

#include "desk/ticket_engineering.h"
#include "desk/ticket_queries.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/json_views.h"

namespace sladesk {
namespace {

using nlohmann::json;

}  // namespace

ApiResponse LinkEngineeringIssue(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"id", "url", "priority"});
  LinkIssueInput in;
  in.id = f.RequiredString("id", 200);
  in.url = f.OptString("url", 2000).value_or("");
  in.priority = f.OptString("priority", 50).value_or("");
  if (!f.ok()) return ProblemResponse(f.error());
  in.expected = TicketExpectation(call, number, false);
  auto t = TicketEngineering(call.repo, call.policies).LinkIssue(call.actor, call.now, number, in);
  if (!t.ok()) return ProblemFor(t.error());
  return TicketResponse(200, *t);
}

ApiResponse PostEngineeringUpdate(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"status", "note", "done"});
  EngineeringUpdateInput in;
  in.status = f.RequiredString("status", 100);
  in.note = f.OptString("note", 20000).value_or("");
  in.done = f.OptBool("done").value_or(false);
  if (!f.ok()) return ProblemResponse(f.error());
  auto t = TicketEngineering(call.repo, call.policies).PostUpdate(call.actor, call.now, number, in);
  if (!t.ok()) return ProblemFor(t.error());
  return TicketResponse(201, *t);
}

ApiResponse ListTimeEntries(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  auto rows = TicketQueries(call.repo, call.policies).TimeEntries(call.actor, number);
  if (!rows.ok()) return ProblemFor(rows.error());
  json items = json::array();
  Seconds total = 0;
  for (const auto& e : *rows) {
    items.push_back(TimeEntryJson(e));
    total += e.seconds;
  }
  return JsonResponse(200, json{{"items", items}, {"total_seconds", total}});
}

ApiResponse LogTime(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"minutes", "note"});
  auto minutes = f.OptInt("minutes", 1, 24 * 60);
  std::string note = f.OptString("note", 5000).value_or("");
  if (f.ok() && !minutes) f.Fail(Invalid("minutes", "'minutes' is required"));
  if (!f.ok()) return ProblemResponse(f.error());
  auto t = TicketEngineering(call.repo, call.policies).LogTime(call.actor, call.now, number, {*minutes * 60, note});
  if (!t.ok()) return ProblemFor(t.error());
  return TicketResponse(201, *t);
}

}  // namespace sladesk
