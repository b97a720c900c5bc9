// /api/v1/tickets and /api/v1/tickets/{number}: open, list, read, edit.
#include <cmath>

#include "desk/ticket_engineering.h"
#include "desk/ticket_intake.h"
#include "desk/ticket_queries.h"
#include "desk/ticket_workflow.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/json_views.h"
#include "server/token_codec.h"

namespace sladesk {
namespace {

using nlohmann::json;

// Sort key of tickets with no running clock (as the repository stores it).
constexpr std::int64_t kNoDueKey = 4'000'000'000'000'000LL;

std::string EncodeCursor(const std::string& raw) { return TokenCodec::Base64Encode(raw, true); }

bool ReadFieldMap(JsonFields& f, std::map<std::string, std::string>* out) {
  if (!f.has("fields") || f.IsNull("fields")) return f.ok();
  auto m = f.OptStringMap("fields", 20000);
  if (m) *out = std::move(*m);
  return f.ok();
}

std::optional<Seconds> HoursToSeconds(double h) { return static_cast<Seconds>(std::llround(h * 3600)); }

// A list of statuses "new,open".
bool ParseStatuses(const std::string& v, std::vector<TicketStatus>* out, ApiResponse* problem) {
  size_t start = 0;
  while (start <= v.size()) {
    size_t end = v.find(',', start);
    std::string s = v.substr(start, end == std::string::npos ? std::string::npos : end - start);
    auto st = StatusFromName(s);
    if (!st) {
      *problem = ProblemResponse(BadRequest("status", "unknown status '" + s + "'"));
      return false;
    }
    out->push_back(*st);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return true;
}

}  // namespace

ApiResponse CreateTicket(ApiCall& call) {
  JsonFields f(call.body, {"subject", "description", "steps_to_reproduce", "business_impact", "product_area",
                           "error_details", "fields", "channel", "severity", "organisation_id", "requester_id",
                           "assignee_id"});
  OpenTicketInput in;
  in.subject = f.RequiredString("subject", 300);
  in.description = f.RequiredString("description", 100000);
  in.steps_to_reproduce = f.OptString("steps_to_reproduce", 20000).value_or("");
  in.business_impact = f.OptString("business_impact", 20000).value_or("");
  in.product_area = f.OptString("product_area", 20000).value_or("");
  in.error_details = f.OptString("error_details", 20000).value_or("");
  ReadFieldMap(f, &in.fields);
  auto channel = f.OptString("channel", 20);
  in.severity = f.OptString("severity", 50);
  in.organisation_id = f.OptInt("organisation_id", 1, INT64_MAX);
  in.requester_id = f.OptInt("requester_id", 1, INT64_MAX);
  in.assignee_id = f.OptInt("assignee_id", 1, INT64_MAX);
  if (!f.ok()) return ProblemResponse(f.error());
  if (channel) {
    in.channel = TicketChannelFromName(*channel);
    if (!in.channel) return ProblemFor(MakeError("channel", "'channel' must be one of portal, email, chat, phone, api"));
  }
  auto opened = TicketIntake(call.repo, call.policies).Open(call.actor, call.now, in);
  if (!opened.ok()) return ProblemFor(opened.error());
  const Ticket t = opened->ticket;
  json officer = opened->officer ? json{{"id", opened->officer->id}, {"name", opened->officer->name}} : json(nullptr);
  ApiResponse r = DeferredJsonResponse(201, [t, ack = opened->acknowledgement, officer = std::move(officer)] {
    json body = TicketJson(t, StoredSla(t));
    body["acknowledgement"] = {{"message", ack}, {"support_officer", officer}};
    return body;
  });
  r = ChangedTicket(std::move(r), t);
  return WithHeader(std::move(r), "Location", "/api/v1/tickets/" + std::to_string(t.number));
}

ApiResponse ListTickets(ApiCall& call) {
  static const char* kAllowed[] = {"limit", "cursor", "sort", "status", "severity", "plan", "organisation_id",
                                   "assignee_id", "breached", "due_before"};
  for (const auto& [k, v] : call.req.query) {
    bool known = false;
    for (const char* a : kAllowed) known = known || k == a;
    if (!known)
      return ProblemResponse(BadRequest(k, "unknown query parameter '" + k +
                                               "'; allowed: limit, cursor, sort, status, severity, plan, "
                                               "organisation_id, assignee_id, breached, due_before"));
  }
  TicketQuery q;
  q.now = call.now;
  auto get = [&](const char* k) -> const std::string* {
    auto it = call.req.query.find(k);
    return it == call.req.query.end() ? nullptr : &it->second;
  };
  ApiResponse problem;
  if (auto v = get("limit")) {
    std::int64_t n = 0;
    if (!ParseId(*v, &n) || n > 200) return ProblemResponse(BadRequest("limit", "'limit' must be 1..200"));
    q.limit = static_cast<int>(n);
  }
  if (auto v = get("sort")) {
    if (*v == "urgency") q.order_by_urgency = true;
    else if (*v == "newest") q.order_by_urgency = false;
    else return ProblemResponse(BadRequest("sort", "'sort' must be urgency or newest"));
  }
  if (auto v = get("status"))
    if (!ParseStatuses(*v, &q.statuses, &problem)) return problem;
  if (auto v = get("severity")) q.severity = *v;
  if (auto v = get("plan")) q.plan_id = *v;
  if (auto v = get("organisation_id")) {
    std::int64_t id = 0;
    if (!ParseId(*v, &id)) return ProblemResponse(BadRequest("organisation_id", "'organisation_id' must be an integer"));
    q.organisation_id = id;
  }
  if (auto v = get("assignee_id")) {
    std::int64_t id = 0;
    if (*v == "none") q.unassigned = true;
    else if (*v == "me") q.assignee_id = call.actor.id;
    else if (ParseId(*v, &id)) q.assignee_id = id;
    else return ProblemResponse(BadRequest("assignee_id", "'assignee_id' must be an id, 'me' or 'none'"));
  }
  if (auto v = get("breached")) {
    if (*v == "true") q.breached = true;
    else if (*v == "false") q.breached = false;
    else return ProblemResponse(BadRequest("breached", "'breached' must be true or false"));
  }
  if (auto v = get("due_before")) {
    auto t = ParseInstant(*v, "due_before");
    if (!t.ok()) return ProblemResponse(BadRequest("due_before", t.error().message));
    q.due_before = *t;
  }
  if (auto v = get("cursor")) {
    auto raw = TokenCodec::Base64Decode(*v);
    bool ok = raw.has_value();
    std::int64_t a = 0, b = 0;
    if (ok && q.order_by_urgency) {
      ok = raw->size() > 2 && raw->substr(0, 2) == "u.";
      std::string rest = ok ? raw->substr(2) : std::string();
      size_t dot = rest.find('.');
      ok = ok && dot != std::string::npos;
      std::string ks = ok ? rest.substr(0, dot) : "";
      const bool neg = !ks.empty() && ks[0] == '-';
      ok = ok && ParseId(neg ? ks.substr(1) : ks, &a) && ParseId(rest.substr(dot + 1), &b);
      q.after_key = neg ? -a : a;
      q.after_number = b;
    } else if (ok) {
      ok = raw->size() > 2 && raw->substr(0, 2) == "n." && ParseId(raw->substr(2), &b);
      q.after_number = b;
    }
    if (!ok)
      return ProblemResponse(BadRequest("cursor", "'cursor' is not a cursor this list returned (is 'sort' the same?)"));
  }
  const int wanted = q.limit;
  q.limit = wanted + 1;
  auto rows = TicketQueries(call.repo, call.policies).List(call.actor, q);
  if (!rows.ok()) return ProblemFor(rows.error());
  json next = nullptr;
  if (static_cast<int>(rows->size()) > wanted) {
    const Ticket& last = (*rows)[wanted - 1];
    next = q.order_by_urgency ? EncodeCursor("u." + std::to_string(last.next_due ? ToEpoch(*last.next_due) : kNoDueKey) +
                                             "." + std::to_string(last.number))
                              : EncodeCursor("n." + std::to_string(last.number));
    rows->resize(wanted);
  }
  // Rendered on the HTTP thread: a page of tickets is most of this request's work.
  return DeferredJsonResponse(200, [rows = std::move(rows).value(), next = std::move(next), now = call.now] {
    json items = json::array();
    for (Ticket t : rows) {
      if (t.next_due && *t.next_due < now) t.breached = true;
      json item = TicketJson(t, StoredSlaAt(t, now));
      item["sla"]["evaluated_at"] = FormatInstant(t.updated_at);
      items.push_back(std::move(item));
    }
    return json{{"items", std::move(items)}, {"next_cursor", next}};
  });
}

ApiResponse GetTicket(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  auto d = TicketQueries(call.repo, call.policies).Get(call.actor, call.now, number);
  if (!d.ok()) return ProblemFor(d.error());
  std::string etag = TicketETag(d->ticket);
  ApiResponse r = DeferredJsonResponse(200, [d = std::move(d).value()] { return TicketDetailJson(d); });
  return WithHeader(std::move(r), "ETag", std::move(etag));
}

ApiResponse UpdateTicket(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"subject", "description", "steps_to_reproduce", "business_impact", "product_area",
                           "error_details", "fields", "assignee_id", "estimated_hours"});
  UpdateTicketInput in;
  in.subject = f.OptString("subject", 300, false);
  in.description = f.OptString("description", 100000, false);
  in.steps_to_reproduce = f.OptString("steps_to_reproduce", 20000);
  in.business_impact = f.OptString("business_impact", 20000);
  in.product_area = f.OptString("product_area", 20000);
  in.error_details = f.OptString("error_details", 20000);
  ReadFieldMap(f, &in.fields);
  in.change_assignee = f.has("assignee_id");
  if (in.change_assignee && !f.IsNull("assignee_id")) in.assignee_id = f.OptInt("assignee_id", 1, INT64_MAX);
  const bool estimate = f.has("estimated_hours");
  auto hours = f.OptNumber("estimated_hours", 0, 10000);
  if (!f.ok()) return ProblemResponse(f.error());
  in.expected = TicketExpectation(call, number, true);
  auto t = TicketWorkflow(call.repo, call.policies).Update(call.actor, call.now, number, in);
  if (!t.ok()) return ProblemFor(t.error());
  if (estimate) {
    t = TicketEngineering(call.repo, call.policies)
            .SetEstimate(call.actor, call.now, number, hours ? HoursToSeconds(*hours) : std::nullopt,
                         ExpectedVersion::None());
    if (!t.ok()) return ProblemFor(t.error());
  }
  return TicketResponse(200, *t);
}

}  // namespace sladesk
