#include "server/json_views.h"

#include <cstdlib>

#include "desk/sla_projector.h"

namespace sladesk {

using nlohmann::json;

json OptTimeJson(const std::optional<Instant>& t) { return t ? json(FormatInstant(*t)) : json(nullptr); }
json OptIntJson(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

std::string DumpJson(const json& body) { return body.dump(-1, ' ', false, json::error_handler_t::replace); }

std::string TicketETag(const Ticket& t) {
  return "\"t" + std::to_string(t.number) + "v" + std::to_string(t.version) + "\"";
}
std::string OrgETag(const Organisation& o) {
  return "\"o" + std::to_string(o.id) + "v" + std::to_string(o.version) + "\"";
}

ParsedIfMatch ParseIfMatch(const std::string& header, char kind, std::int64_t id) {
  ParsedIfMatch out;
  if (header.empty()) return out;
  out.given = true;
  const std::string prefix = std::string("\"") + kind + std::to_string(id) + "v";
  size_t i = 0;
  while (i < header.size()) {
    size_t comma = header.find(',', i);
    std::string tag = header.substr(i, comma == std::string::npos ? std::string::npos : comma - i);
    i = comma == std::string::npos ? header.size() : comma + 1;
    while (!tag.empty() && (tag.front() == ' ' || tag.front() == '\t')) tag.erase(0, 1);
    while (!tag.empty() && (tag.back() == ' ' || tag.back() == '\t')) tag.pop_back();
    if (tag == "*") {
      out.any = true;
      continue;
    }
    if (tag.rfind("W/", 0) == 0) tag.erase(0, 2);
    if (tag.size() <= prefix.size() + 1 || tag.rfind(prefix, 0) != 0 || tag.back() != '"') continue;
    const std::string digits = tag.substr(prefix.size(), tag.size() - prefix.size() - 1);
    if (digits.empty() || digits.size() > 18 || digits.find_first_not_of("0123456789") != std::string::npos) continue;
    out.versions.push_back(std::strtoll(digits.c_str(), nullptr, 10));
  }
  return out;
}

json UserJson(const User& u) {
  return json{{"id", u.id},
              {"name", u.name},
              {"email", u.email},
              {"phone", u.phone.empty() ? json(nullptr) : json(u.phone)},
              {"role", RoleName(u.role)},
              {"organisation_id", OptIntJson(u.organisation_id)},
              {"named_contact", u.named_contact},
              {"active", u.active},
              {"created_at", FormatInstant(u.created_at)}};
}

json OrgJson(const Organisation& o) {
  return json{{"id", o.id},
              {"name", o.name},
              {"policy_id", o.policy_id},
              {"plan_id", o.plan_id},
              {"support_hours_budget", o.support_hours_budget ? json(*o.support_hours_budget) : json(nullptr)},
              {"incidents_per_month", OptIntJson(o.incidents_per_month)},
              {"renewal_date", o.renewal_date ? json(*o.renewal_date) : json(nullptr)},
              {"csm_user_id", OptIntJson(o.csm_user_id)},
              {"named_contact_limit", OptIntJson(o.named_contact_limit)},
              {"time_zone", o.time_zone ? json(*o.time_zone) : json(nullptr)},
              {"onboarding_complete", !o.onboarding_pending},
              {"created_at", FormatInstant(o.created_at)},
              {"version", o.version}};
}

json OrgDetailJson(const OrganisationDetail& d) {
  json j = OrgJson(d.organisation);
  j["effective_plan_id"] = d.effective_plan_id;
  j["escalation_requests"] = d.escalation_requests;
  if (d.escalations) {
    const auto& s = *d.escalations;
    j["escalations"] = {{"requests", s.requests},   {"threshold", s.threshold},
                        {"within_days", s.within_days}, {"excessive", s.excessive},
                        {"consequence", s.consequence}, {"note", s.note}};
  }
  j["incidents_this_month"] = d.incidents_this_month;
  j["incident_limit"] = OptIntJson(d.incident_limit);
  const auto& h = d.support_hours;
  j["support_hours"] = {{"budget_hours", h.budget_seconds ? json(*h.budget_seconds / 3600.0) : json(nullptr)},
                        {"used_hours", h.used_seconds / 3600.0},
                        {"remaining_hours", h.remaining_seconds() ? json(*h.remaining_seconds() / 3600.0) : json(nullptr)},
                        {"period_from", FormatInstant(h.period_from)},
                        {"period_to", FormatInstant(h.period_to)}};
  return j;
}

json StoredSla(const Ticket& t) {
  auto j = json::parse(t.sla_json, nullptr, false);
  return j.is_discarded() ? json::array() : j;
}

json StoredSlaAt(const Ticket& t, Instant now) {
  json metrics = StoredSla(t);
  for (auto& m : metrics) {
    if (!m.is_object() || m.value("state", "") != "running" || !m.contains("due_at") || !m["due_at"].is_string())
      continue;
    auto due = ParseInstant(m["due_at"].get<std::string>(), "due_at");
    if (!due.ok() || now <= *due) continue;
    m["state"] = "breached";
    m["breaches"] = m.value("breaches", 0) + 1;
  }
  return metrics;
}

json TicketJson(const Ticket& t, const json& sla) {
  json engineering = nullptr;
  if (!t.external_issue.empty())
    engineering = {{"id", t.external_issue},
                   {"url", t.external_issue_url.empty() ? json(nullptr) : json(t.external_issue_url)},
                   {"priority", t.external_issue_priority},
                   {"status", t.external_issue_status},
                   {"linked_at", OptTimeJson(t.bug_escalated_at)}};
  return json{{"number", t.number},
              {"organisation_id", t.organisation_id},
              {"requester_id", t.requester_id},
              {"subject", t.subject},
              {"description", t.description},
              {"steps_to_reproduce", t.steps_to_reproduce},
              {"business_impact", t.business_impact},
              {"product_area", t.product_area},
              {"error_details", t.error_details},
              {"fields", t.fields},
              {"channel", TicketChannelName(t.channel)},
              {"severity", t.severity},
              {"plan_id", t.plan_id},
              {"status", StatusName(t.status)},
              {"assignee_id", OptIntJson(t.assignee_id)},
              {"outcome", t.outcome ? json(TicketOutcomeName(*t.outcome)) : json(nullptr)},
              {"external_issue", t.external_issue.empty() ? json(nullptr) : json(t.external_issue)},
              {"engineering_issue", engineering},
              {"escalation_level", t.escalation_level},
              {"over_quota", t.over_quota},
              {"support_time",
               {{"spent_seconds", t.time_spent_seconds},
                {"estimated_seconds", OptIntJson(t.estimated_seconds)},
                {"over_support_budget", t.over_support_budget}}},
              {"reopen_requested_at", OptTimeJson(t.reopen_requested_at)},
              {"opened_at", FormatInstant(t.opened_at)},
              {"updated_at", FormatInstant(t.updated_at)},
              {"resolved_at", OptTimeJson(t.resolved_at)},
              {"closed_at", OptTimeJson(t.closed_at)},
              {"version", t.version},
              {"sla",
               {{"next_due_at", OptTimeJson(t.next_due)},
                {"breached", t.breached},
                {"first_response_due_at", OptTimeJson(t.first_response_due)},
                {"next_update_due_at", OptTimeJson(t.next_update_due)},
                {"resolution_due_at", OptTimeJson(t.resolution_due)},
                {"metrics", sla}}}};
}

json TicketDetailJson(const TicketDetail& d) {
  json body = TicketJson(d.ticket, StoredSla(d.ticket));
  if (d.assignee) body["assignee"] = {{"id", d.assignee->id}, {"name", d.assignee->name}};
  if (d.requester) body["requester"] = {{"id", d.requester->id}, {"name", d.requester->name}, {"email", d.requester->email}};
  body["organisation_name"] = d.organisation_name;
  body["reopen_deadline"] = OptTimeJson(d.reopen_deadline);
  return body;
}

json MessageJson(const Message& m, std::int64_t ticket_number, const User* author) {
  json j{{"id", m.id},
         {"ticket_number", ticket_number},
         {"author_id", m.author_id},
         {"visibility", VisibilityName(m.visibility)},
         {"body", m.body},
         {"created_at", FormatInstant(m.created_at)}};
  if (author) j["author"] = {{"id", author->id}, {"name", author->name}, {"role", RoleName(author->role)}};
  return j;
}

json AttachmentJson(const Attachment& a) {
  return {{"id", a.id},     {"filename", a.filename},       {"content_type", a.content_type},
          {"size", a.size}, {"uploader_id", a.uploader_id}, {"created_at", FormatInstant(a.created_at)}};
}

json EventJson(const TicketEventRecord& e) {
  return {{"id", e.id},
          {"at", FormatInstant(e.at)},
          {"actor_id", e.actor_id},
          {"type", EventKindName(e.kind)},
          {"data", json::parse(e.data_json, nullptr, false)}};
}

json TimeEntryJson(const TimeEntry& e) {
  return {{"id", e.id}, {"agent_id", e.agent_id}, {"seconds", e.seconds}, {"note", e.note}, {"at", FormatInstant(e.at)}};
}

namespace {

json WindowsJson(const std::vector<OpenInterval>& windows) {
  json out = json::array();
  for (const auto& w : windows)
    out.push_back({{"start", FormatInstant(w.start)}, {"end", FormatInstant(w.end)},
                   {"business_seconds", ToEpoch(w.end) - ToEpoch(w.start)}});
  return out;
}

json ExplanationJson(const SlaExplanation& x) {
  json instances = json::array();
  for (const auto& i : x.instances) {
    json spans = json::array();
    for (const auto& s : i.spans)
      spans.push_back({{"from", FormatInstant(s.from)}, {"to", FormatInstant(s.to)},
                       {"business_seconds", s.business_seconds}, {"open_windows", WindowsJson(s.open_windows)}});
    json pauses = json::array();
    for (const auto& [from, to] : i.pauses) pauses.push_back({{"from", FormatInstant(from)}, {"to", OptTimeJson(to)}});
    // Where the due computation starts: the last resume, else the start.
    std::optional<Instant> resumed = i.start;
    for (const auto& [from, to] : i.pauses)
      if (to) resumed = to;
    Seconds before = 0;
    for (const auto& s : i.spans)
      if (resumed && s.from < *resumed) before += s.business_seconds;
    SlaExplanation one;
    one.initial_severity = x.initial_severity;
    one.severity_at_now = x.severity_at_now;
    one.now = x.now;
    one.instances = {i};
    std::string text = FormatSlaExplanation(one);
    if (auto nl = text.find('\n'); nl != std::string::npos) text = text.substr(nl + 1);  // the header is the report's
    while (!text.empty() && text.front() == '\n') text.erase(0, 1);
    json calendar = nullptr;
    if (i.calendar_ref) calendar = {{"id", i.calendar_ref->id()}, {"time_zone", i.calendar_ref->zone().name()}};
    else if (!i.calendar.empty()) calendar = {{"id", i.calendar}, {"time_zone", i.calendar_zone}};
    instances.push_back({{"metric", MetricName(i.metric)},
                         {"cycle", i.cycle},
                         {"latest", i.latest},
                         {"state", MetricStateName(i.state)},
                         {"severity", i.severity},
                         {"severity_reason", i.severity_reason},
                         {"has_target", i.has_target},
                         {"target_seconds", i.has_target ? json(i.target_seconds) : json(nullptr)},
                         {"goal_seconds", i.goal_seconds ? json(*i.goal_seconds) : json(nullptr)},
                         {"calendar", calendar},
                         {"start", FormatInstant(i.start)},
                         {"spans", spans},
                         {"pauses", pauses},
                         {"stopped_at", OptTimeJson(i.stopped_at)},
                         {"judged_at", OptTimeJson(i.judged_at)},
                         {"elapsed_seconds", i.elapsed_seconds},
                         {"due_at", OptTimeJson(i.due_at)},
                         {"goal_due_at", OptTimeJson(i.goal_due_at)},
                         {"due_reason", i.due_reason},
                         {"resumed_at", i.has_target ? OptTimeJson(resumed) : json(nullptr)},
                         {"elapsed_before_resume_seconds", before},
                         {"due_windows", WindowsJson(i.due_windows)},
                         {"text", text}});
  }
  return {{"initial_severity", x.initial_severity},
          {"severity_at_now", x.severity_at_now},
          {"notes", x.notes},
          {"instances", instances},
          {"text", FormatSlaExplanation(x)}};
}

}  // namespace

json SlaReportJson(const TicketSlaReport& r, Instant now) {
  json body{{"ticket_number", r.ticket.number},
            {"now", FormatInstant(now)},
            {"severity", r.ticket.severity},
            {"metrics", SlaProjector::MetricsJson(r.report)}};
  if (r.explanation) body["explanation"] = ExplanationJson(*r.explanation);
  return body;
}

}  // namespace sladesk
