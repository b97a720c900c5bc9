// /api/v1/incidents and /api/v1/maintenance (staff: record, read, change,
// end, delete), /api/v1/rca-tasks (list, review a month).
#include "desk/incident_service.h"
#include "server/compliance_views.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/json_views.h"
#include "server/query_params.h"

namespace sladesk {
namespace {

using nlohmann::json;

constexpr std::initializer_list<const char*> kIncidentFields = {
    "organisation_id", "service", "cause", "title", "description", "start", "end"};

bool ReadTime(JsonFields& f, const char* name, std::optional<Instant>* out) {
  auto text = f.OptString(name, 64, false);
  if (!text) return f.ok();
  auto t = ParseInstant(*text, name);
  if (!t.ok()) {
    f.Fail(Invalid(name, "'" + std::string(name) + "' must be an RFC 3339 time: " + t.error().message));
    return false;
  }
  *out = *t;
  return true;
}

bool ReadIncident(JsonFields& f, IncidentInput& in) {
  in.organisation_id = f.OptInt("organisation_id", 1, INT64_MAX);
  in.clear_organisation = f.IsNull("organisation_id");
  in.service = f.OptString("service", 100, false);
  in.cause = f.OptString("cause", 40, false);
  in.title = f.OptString("title", 200);
  in.description = f.OptString("description", 10000);
  if (!ReadTime(f, "start", &in.start)) return false;
  if (!ReadTime(f, "end", &in.end)) return false;
  in.clear_end = f.IsNull("end");
  return f.ok();
}

ApiResponse IncidentResponse(int status, const ServiceIncidentRecord& r) {
  ApiResponse out = WithHeader(JsonResponse(status, IncidentJson(r)), "ETag", IncidentETag(r));
  return out;
}

const char* Base(IncidentKind kind) { return kind == IncidentKind::kMaintenance ? "/api/v1/maintenance/" : "/api/v1/incidents/"; }

// The record at path parameter 0 if it is of `kind` (the other kind is not found here).
Result<ServiceIncidentRecord> LoadKind(ApiCall& call, IncidentKind kind, Id id) {
  auto r = IncidentService(call.repo, call.policies).Get(call.actor, id);
  if (!r.ok()) return r.error();
  if (r->kind != kind)
    return NotFoundError(std::string(IncidentKindName(kind)) + " " + std::to_string(id) + " does not exist (it is " +
                         (r->kind == IncidentKind::kMaintenance ? "a maintenance window" : "an incident") + ")");
  return r;
}

ApiResponse Create(ApiCall& call, IncidentKind kind) {
  JsonFields f(call.body, kIncidentFields);
  IncidentInput in;
  if (!ReadIncident(f, in)) return ProblemResponse(f.error());
  auto r = IncidentService(call.repo, call.policies).Record(call.actor, call.now, kind, in);
  if (!r.ok()) return ProblemFor(r.error());
  return WithHeader(IncidentResponse(201, *r), "Location", Base(kind) + std::to_string(r->id));
}

ApiResponse List(ApiCall& call, IncidentKind kind) {
  QueryParams q(call.req, {"organisation_id", "open", "from", "to", "after", "limit"});
  IncidentQuery query;
  query.kind = kind;
  query.organisation_id = q.Id("organisation_id");
  if (query.organisation_id) query.include_service_wide = false;
  query.open_only = q.Bool("open").value_or(false);
  query.from = q.Time("from");
  query.to = q.Time("to");
  query.after_id = q.Id("after").value_or(0);
  query.limit = static_cast<int>(std::min<std::int64_t>(q.Id("limit").value_or(100), 1000));
  if (!q.ok()) return ProblemResponse(q.error());
  auto list = IncidentService(call.repo, call.policies).List(call.actor, query);
  if (!list.ok()) return ProblemFor(list.error());
  json items = json::array();
  for (const auto& r : *list) items.push_back(IncidentJson(r));
  json body{{"items", items}};
  body["next_after"] = static_cast<int>(list->size()) == query.limit ? json(list->back().id) : json(nullptr);
  return JsonResponse(200, body);
}

ApiResponse GetOne(ApiCall& call, IncidentKind kind) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto r = LoadKind(call, kind, id);
  if (!r.ok()) return ProblemFor(r.error());
  return IncidentResponse(200, *r);
}

ApiResponse Patch(ApiCall& call, IncidentKind kind) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  JsonFields f(call.body, kIncidentFields);
  IncidentInput in;
  if (!ReadIncident(f, in)) return ProblemResponse(f.error());
  if (auto r = LoadKind(call, kind, id); !r.ok()) return ProblemFor(r.error());
  ParsedIfMatch m = ParseIfMatch(call.req.if_match, 'i', id);
  ExpectedVersion expected{false, m.given, m.any, std::move(m.versions)};
  auto r = IncidentService(call.repo, call.policies).Update(call.actor, call.now, id, in, expected);
  if (!r.ok()) return ProblemFor(r.error());
  return IncidentResponse(200, *r);
}

ApiResponse EndOne(ApiCall& call, IncidentKind kind) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  JsonFields f(call.body, {"end"});
  std::optional<Instant> end;
  if (!ReadTime(f, "end", &end)) return ProblemResponse(f.error());
  if (auto r = LoadKind(call, kind, id); !r.ok()) return ProblemFor(r.error());
  auto r = IncidentService(call.repo, call.policies).End(call.actor, call.now, id, end);
  if (!r.ok()) return ProblemFor(r.error());
  return IncidentResponse(200, *r);
}

ApiResponse DeleteOne(ApiCall& call, IncidentKind kind) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  if (auto r = LoadKind(call, kind, id); !r.ok()) return ProblemFor(r.error());
  Status st = IncidentService(call.repo, call.policies).Delete(call.actor, call.now, id);
  if (!st.ok()) return ProblemFor(st.error());
  ApiResponse out;
  out.status = 204;
  return out;
}

}  // namespace

ApiResponse ListIncidents(ApiCall& call) { return List(call, IncidentKind::kIncident); }
ApiResponse CreateIncident(ApiCall& call) { return Create(call, IncidentKind::kIncident); }
ApiResponse GetIncident(ApiCall& call) { return GetOne(call, IncidentKind::kIncident); }
ApiResponse UpdateIncident(ApiCall& call) { return Patch(call, IncidentKind::kIncident); }
ApiResponse EndIncident(ApiCall& call) { return EndOne(call, IncidentKind::kIncident); }
ApiResponse DeleteIncident(ApiCall& call) { return DeleteOne(call, IncidentKind::kIncident); }
ApiResponse ListMaintenance(ApiCall& call) { return List(call, IncidentKind::kMaintenance); }
ApiResponse CreateMaintenance(ApiCall& call) { return Create(call, IncidentKind::kMaintenance); }
ApiResponse GetMaintenance(ApiCall& call) { return GetOne(call, IncidentKind::kMaintenance); }
ApiResponse UpdateMaintenance(ApiCall& call) { return Patch(call, IncidentKind::kMaintenance); }
ApiResponse EndMaintenance(ApiCall& call) { return EndOne(call, IncidentKind::kMaintenance); }
ApiResponse DeleteMaintenance(ApiCall& call) { return DeleteOne(call, IncidentKind::kMaintenance); }

ApiResponse ListRcaTasks(ApiCall& call) {
  QueryParams q(call.req, {"organisation_id", "state"});
  auto org = q.Id("organisation_id");
  auto state = q.Text("state", 10);
  if (!q.ok()) return ProblemResponse(q.error());
  if (state && *state != "open" && *state != "all")
    return ProblemResponse(BadRequest("state", "'state' must be open or all"));
  auto list = IncidentService(call.repo, call.policies).RcaTasks(call.actor, org, state && *state == "open");
  if (!list.ok()) return ProblemFor(list.error());
  json items = json::array();
  for (const auto& t : *list) items.push_back(RcaTaskJson(t));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse ReviewRcaMonth(ApiCall& call) {
  JsonFields f(call.body, {"month"});
  std::string month = f.RequiredString("month", 7);
  if (!f.ok()) return ProblemResponse(f.error());
  auto opened = IncidentService(call.repo, call.policies).ReviewMonth(call.actor, call.now, month);
  if (!opened.ok()) return ProblemFor(opened.error());
  json items = json::array();
  for (const auto& t : *opened) items.push_back(RcaTaskJson(t));
  return JsonResponse(200, json{{"month", month}, {"opened", items}});
}

}  // namespace sladesk
