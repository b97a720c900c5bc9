// /api/v1/queue (the agents' queue: only what a row shows, evaluated now,
// with a strong ETag for cheap polling) and /api/v1/stream (live changes).
#include <set>

#include <date/date.h>

#include "calendar/time_zone.h"
#include "desk/ticket_queries.h"
#include "server/desk_api.h"
#include "server/handlers.h"
#include "server/json_views.h"
#include "server/json_writer.h"
#include "server/token_codec.h"

namespace sladesk {
namespace {

using nlohmann::json;

constexpr std::int64_t kNoDueKey = 4'000'000'000'000'000LL;

std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= v.size()) {
    size_t c = v.find(',', i);
    std::string item = v.substr(i, c == std::string::npos ? std::string::npos : c - i);
    if (!item.empty()) out.push_back(item);
    if (c == std::string::npos) break;
    i = c + 1;
  }
  return out;
}

void WriteEntry(JsonWriter& w, const QueueEntry& e) {
  const Ticket& t = e.row.ticket;
  w.BeginObject();
  w.Key("number").Int(t.number);
  w.Key("subject").String(t.subject);
  w.Key("organisation_id").Int(t.organisation_id);
  w.Key("organisation_name").String(e.row.organisation_name);
  w.Key("requester_name").String(e.row.requester_name);
  w.Key("severity").String(t.severity);
  w.Key("status").String(StatusName(t.status));
  w.Key("assignee_id").OptInt(t.assignee_id);
  w.Key("assignee_name").OptString(e.row.assignee_name);
  w.Key("policy_id").String(e.row.policy_id);
  w.Key("plan_id").String(t.plan_id);
  w.Key("next_due_at").OptTime(e.next_due_at);
  w.Key("next_due_metric");
  if (e.next_due_metric) w.String(MetricName(*e.next_due_metric));
  else w.Null();
  w.Key("sla_state").String(QueueStateName(e.state));
  w.Key("warning_at").OptTime(e.warning_at);
  w.Key("business_seconds_left").OptInt(e.business_seconds_left);
  w.Key("time_zone");
  if (e.calendar) w.String(e.calendar->zone().name());
  else w.Null();
  w.Key("calendar_id");
  if (e.calendar) w.String(e.calendar->id());
  else w.Null();
  w.Key("calendar_open_now").Bool(e.calendar_open_now);
  w.Key("calendar_open_until").OptTime(e.calendar_open_until);
  w.Key("next_open_at").OptTime(e.next_open_at);
  w.Key("breached").Bool(e.breached);
  w.Key("escalation_level").Int(t.escalation_level);
  w.Key("updated_at").Time(t.updated_at);
  w.Key("version").Int(t.version);
  w.EndObject();
}

}  // namespace

ApiResponse GetQueue(ApiCall& call) {
  static const std::set<std::string> kAllowed = {"limit", "cursor", "status", "severity", "organisation_id", "plan",
                                                 "assignee_id", "team", "due_today", "tz", "breached"};
  for (const auto& [k, v] : call.req.query)
    if (!kAllowed.count(k))
      return ProblemResponse(BadRequest(k, "unknown query parameter '" + k +
                                               "'; allowed: limit, cursor, status, severity, organisation_id, plan, "
                                               "assignee_id, team, due_today, tz, breached"));
  auto get = [&](const char* k) -> const std::string* {
    auto it = call.req.query.find(k);
    return it == call.req.query.end() ? nullptr : &it->second;
  };
  TicketQuery q;
  q.order_by_urgency = true;
  q.limit = 100;
  if (auto v = get("limit")) {
    std::int64_t n = 0;
    if (!ParseId(*v, &n) || n > 500) return ProblemResponse(BadRequest("limit", "'limit' must be 1..500"));
    q.limit = static_cast<int>(n);
  }
  const std::string statuses = get("status") ? *get("status") : "new,open,waiting_on_customer";
  for (const auto& s : SplitList(statuses)) {
    auto st = StatusFromName(s);
    if (!st) return ProblemResponse(BadRequest("status", "unknown status '" + s + "'"));
    q.statuses.push_back(*st);
  }
  if (auto v = get("severity")) q.severities = SplitList(*v);
  if (auto v = get("organisation_id")) {
    std::int64_t id = 0;
    if (!ParseId(*v, &id)) return ProblemResponse(BadRequest("organisation_id", "'organisation_id' must be an integer"));
    q.organisation_id = id;
  }
  if (auto v = get("plan")) {
    const size_t colon = v->find(':');
    if (colon == std::string::npos) {
      q.plan_id = *v;
    } else {
      q.policy_id = v->substr(0, colon);
      q.plan_id = v->substr(colon + 1);
    }
  }
  if (auto v = get("assignee_id")) {
    std::int64_t id = 0;
    if (*v == "none") q.unassigned = true;
    else if (*v == "me") q.assignee_id = call.actor.id;
    else if (ParseId(*v, &id)) q.assignee_id = id;
    else return ProblemResponse(BadRequest("assignee_id", "'assignee_id' must be an id, 'me' or 'none'"));
  }
  if (auto v = get("team")) {
    if (*v != "mine") return ProblemResponse(BadRequest("team", "'team' must be mine"));
    q.assigned = true;
  }
  if (auto v = get("breached")) {
    if (*v != "true" && *v != "false") return ProblemResponse(BadRequest("breached", "'breached' must be true or false"));
    q.breached = *v == "true";
  }
  if (auto v = get("due_today")) {
    if (*v != "true" && *v != "false") return ProblemResponse(BadRequest("due_today", "'due_today' must be true or false"));
    if (*v == "true") {
      auto zone = TimeZone::Locate(get("tz") ? *get("tz") : "UTC");
      if (!zone.ok()) return ProblemResponse(BadRequest("tz", "unknown time zone '" + *get("tz") + "'"));
      const auto today = date::floor<date::days>((*zone)->ToLocal(call.now));
      q.due_before = (*zone)->ToSys(date::local_seconds{today + date::days{1}});
    }
  }
  if (auto v = get("cursor")) {
    auto raw = TokenCodec::Base64Decode(*v);
    std::int64_t a = 0, b = 0;
    bool ok = raw && raw->size() > 2 && raw->substr(0, 2) == "u.";
    std::string rest = ok ? raw->substr(2) : std::string();
    const size_t dot = rest.find('.');
    ok = ok && dot != std::string::npos;
    std::string ks = ok ? rest.substr(0, dot) : "";
    const bool neg = !ks.empty() && ks[0] == '-';
    ok = ok && ParseId(neg ? ks.substr(1) : ks, &a) && ParseId(rest.substr(dot + 1), &b);
    if (!ok) return ProblemResponse(BadRequest("cursor", "'cursor' is not a cursor this queue returned"));
    q.after_key = neg ? -a : a;
    q.after_number = b;
  }
  const int wanted = q.limit;
  q.limit = wanted + 1;
  auto rows = TicketQueries(call.repo, call.policies).Queue(call.actor, call.now, q);
  if (!rows.ok()) return ProblemFor(rows.error());
  json next = nullptr;
  if (static_cast<int>(rows->size()) > wanted) {
    const Ticket& last = (*rows)[wanted - 1].row.ticket;
    next = TokenCodec::Base64Encode(
        "u." + std::to_string(last.next_due ? ToEpoch(*last.next_due) : kNoDueKey) + "." + std::to_string(last.number),
        true);
    rows->resize(wanted);
  }
  // The page's ETag: its rows' versions and the minute of `now` (states and
  // business time left change with time), so a poller gets 304 until then.
  std::string tag_source = std::to_string(ToEpoch(call.now) / 60) + "|" + call.req.target + "|" + call.actor.email;
  for (const auto& e : *rows) tag_source += "|" + std::to_string(e.row.ticket.number) + "v" + std::to_string(e.row.ticket.version);
  const std::string etag = "\"q" + TokenCodec::Sha256Hex(tag_source).substr(0, 32) + "\"";
  if (!call.req.if_none_match.empty() && call.req.if_none_match.find(etag) != std::string::npos) {
    ApiResponse r;
    r.status = 304;
    r.headers.emplace_back("ETag", etag);
    r.headers.emplace_back("Cache-Control", "private, no-cache");
    return r;
  }
  // Written straight to text: a page is most of this request's work.
  ApiResponse r;
  r.render_body = [rows = std::move(rows).value(), next = std::move(next), now = call.now] {
    JsonWriter w;
    w.Reserve(1024 + rows.size() * 700);
    w.BeginObject().Key("now").Time(now).Key("items").BeginArray();
    for (const auto& e : rows) WriteEntry(w, e);
    w.EndArray().Key("next_cursor");
    if (next.is_string()) w.String(next.get<std::string>());
    else w.Null();
    w.Key("total").Null().EndObject();
    return w.Take();
  };
  r.headers.emplace_back("ETag", etag);
  r.headers.emplace_back("Cache-Control", "private, no-cache");
  return r;
}

ApiResponse OpenStream(ApiCall& call) {
  TicketChangeHub* hub = call.config.hub;
  if (!hub) return ProblemFor(NotFoundError("this server has no live stream"));
  std::optional<std::int64_t> only;
  if (call.actor.role == Role::kContact) only = call.actor.organisation_id;
  ApiResponse r;
  r.status = 200;
  r.content_type = "text/event-stream";
  r.event_stream = [hub, only](std::shared_ptr<EventStream> stream) {
    stream->SendComment("connected");
    hub->Subscribe(stream, only);
  };
  return r;
}

}  // namespace sladesk
