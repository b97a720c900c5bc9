// Per organisation: the availability of a month, downtime notices and the
// remedy periods they opened, the monthly statement (HTML); and the SLA
// report over the store (/api/v1/reports/sla, JSON or CSV).
#include "compliance/sla_report_writers.h"
#include "compliance/statement_html.h"
#include "desk/downtime_service.h"
#include "desk/incident_service.h"
#include "desk/stored_reports.h"
#include "server/compliance_views.h"
#include "server/handlers.h"
#include "server/json_views.h"
#include "server/query_params.h"

namespace sladesk {
namespace {

using nlohmann::json;

ApiResponse TextResponse(int status, std::string content_type, std::string body) {
  ApiResponse r;
  r.status = status;
  r.content_type = std::move(content_type);
  r.body = std::move(body);
  return r;
}

// The organisation in the path and the required ?month=YYYY-MM (the
// availability month and the statement); false with *problem set otherwise.
bool OrganisationMonth(ApiCall& call, std::int64_t* id, std::string* month, ApiResponse* problem) {
  if (!IdParam(call, 0, "id", id, problem)) return false;
  QueryParams q(call.req, {"month"});
  auto m = q.Text("month", 7);
  if (!q.ok()) {
    *problem = ProblemResponse(q.error());
    return false;
  }
  if (!m) {
    *problem = ProblemResponse(BadRequest("month", "'month' (YYYY-MM) is required"));
    return false;
  }
  *month = *m;
  return true;
}

}  // namespace

ApiResponse GetAvailability(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  std::string month;
  if (!OrganisationMonth(call, &id, &month, &problem)) return problem;
  auto a = IncidentService(call.repo, call.policies).Availability(call.actor, call.now, id, month);
  if (!a.ok()) return ProblemFor(a.error());
  // Contacts see the figures, not the staff's incident records.
  json body = OrganisationAvailabilityJson(*a);
  if (call.actor.role == Role::kContact) {
    body.erase("incidents");
    body.erase("rca_task");
  }
  return JsonResponse(200, body);
}

ApiResponse NotifyDowntime(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  if (!call.body.empty())
    return ProblemResponse(BadRequest("", "send no body: the notice is recorded as of now, for the caller"));
  auto out = DowntimeService(call.repo, call.policies).Notify(call.actor, call.now, id);
  if (!out.ok()) return ProblemFor(out.error());
  json body = DowntimeNoticeJson(out->notice);
  body["remedy_period"] = out->remedy ? RemedyPeriodJson(*out->remedy) : json(nullptr);
  body["remedy_period_running"] = out->running ? RemedyPeriodJson(*out->running) : json(nullptr);
  return WithHeader(JsonResponse(201, body), "Location",
                    "/api/v1/organisations/" + std::to_string(id) + "/downtime-notices");
}

ApiResponse ListDowntimeNotices(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto list = DowntimeService(call.repo, call.policies).Notices(call.actor, id);
  if (!list.ok()) return ProblemFor(list.error());
  json items = json::array();
  for (const auto& n : *list) items.push_back(DowntimeNoticeJson(n));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse ListRemedyPeriods(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto list = DowntimeService(call.repo, call.policies).Remedies(call.actor, call.now, id);
  if (!list.ok()) return ProblemFor(list.error());
  json items = json::array();
  for (const auto& r : *list) items.push_back(RemedyReportJson(r));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse GetStatement(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  std::string month;
  if (!OrganisationMonth(call, &id, &month, &problem)) return problem;
  auto statement = StoredReports(call.repo, call.policies).Statement(call.actor, call.now, id, month);
  if (!statement.ok()) return ProblemFor(statement.error());
  auto html = RenderStatementHtml(*statement, DefaultStatementTemplate());
  if (!html.ok()) return ProblemFor(html.error());
  return TextResponse(200, "text/html; charset=utf-8", std::move(html).value());
}

ApiResponse GetSlaReport(ApiCall& call) {
  QueryParams q(call.req, {"from", "to", "organisation", "policy", "plan", "severity", "agent", "group_by", "worst",
                           "format"});
  StoredSlaQuery query;
  auto from = q.Time("from");
  auto to = q.Time("to");
  query.organisation_id = q.Id("organisation");
  query.policy_id = q.Text("policy", 100).value_or("");
  query.plan = q.Text("plan", 100).value_or("");
  query.severity = q.Text("severity", 100).value_or("");
  query.agent_id = q.Id("agent");
  auto group = q.Text("group_by", 20);
  auto worst = q.Id("worst");
  auto format = q.Text("format", 10).value_or("json");
  if (!q.ok()) return ProblemResponse(q.error());
  if (!from) return ProblemResponse(BadRequest("from", "'from' is required (RFC 3339 or YYYY-MM-DD)"));
  if (!to) return ProblemResponse(BadRequest("to", "'to' is required (RFC 3339 or YYYY-MM-DD)"));
  query.from = *from;
  query.to = *to;
  if (group) {
    auto g = ReportGroupingFromName(*group);
    if (!g) return ProblemResponse(BadRequest("group_by", "'group_by' must be organisation, plan, severity or agent"));
    query.group_by = *g;
  }
  if (worst) {
    if (*worst > 1000) return ProblemResponse(BadRequest("worst", "'worst' must be 1 to 1000"));
    query.worst_breaches = static_cast<std::size_t>(*worst);
  }
  if (format != "json" && format != "csv") return ProblemResponse(BadRequest("format", "'format' must be json or csv"));
  auto report = StoredReports(call.repo, call.policies).SlaReport(call.actor, call.now, query);
  if (!report.ok()) return ProblemFor(report.error());
  if (format == "csv") return TextResponse(200, "text/csv; charset=utf-8", SlaPeriodReportCsv(*report));
  return TextResponse(200, "application/json",
                      SlaPeriodReportJson(*report).dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace));
}

}  // namespace sladesk
