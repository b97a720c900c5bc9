#include "server/policy_views.h"

#include "desk/ticket_fields.h"
#include "policy/policy_explainer.h"

namespace sladesk {

using nlohmann::json;

json CalendarRefJson(const BusinessCalendar& cal) {
  return {{"id", cal.id()}, {"time_zone", cal.zone().name()}, {"description", DescribeCalendar(cal)}};
}

json PolicySummaryJson(const Policy& p) {
  json plans = json::array();
  for (const auto& pl : p.plans) plans.push_back({{"id", pl.id}, {"name", pl.name.empty() ? pl.id : pl.name}});
  return {{"id", p.id}, {"name", p.name}, {"source", p.source}, {"plans", plans}};
}

namespace {

json TargetJson(const Target& t, const Policy& policy) {
  return {{"text", t.text},
          {"seconds", t.seconds},
          {"goal_seconds", t.goal_seconds ? json(*t.goal_seconds) : json(nullptr)},
          {"calendar", CalendarRefJson(*t.calendar)},
          {"warn_at_percent", t.warn_at_percent.empty() ? policy.warn_at_percent : t.warn_at_percent}};
}

json PlanJson(const Plan& plan, const Policy& policy) {
  json channels = json::array();
  for (const auto& c : plan.channels)
    channels.push_back({{"kind", ChannelKindName(c.kind)},
                        {"note", c.note},
                        {"calendar", c.calendar ? CalendarRefJson(*c.calendar) : json(nullptr)},
                        {"severities", c.severities}});
  json targets = json::object();
  for (const auto& sev : policy.severities) {
    json row = json::object();
    for (Metric m : kAllMetrics) {
      if (const Target* t = plan.FindTarget(sev.id, m)) row[std::string(MetricName(m))] = TargetJson(*t, policy);
      else if (const std::string* words = plan.FindNoTarget(sev.id, m)) row[std::string(MetricName(m))] = {{"no_target", *words}};
    }
    targets[sev.id] = row;
  }
  const Quota& q = plan.quota;
  return {{"id", plan.id},
          {"name", plan.name.empty() ? plan.id : plan.name},
          {"description", plan.description},
          {"price", plan.price},
          {"channels", channels},
          {"coverage", plan.coverage},
          {"features", plan.features},
          {"named_contacts", plan.named_contacts ? json(*plan.named_contacts) : json(nullptr)},
          {"csm", ProvisionName(plan.csm)},
          {"tam", ProvisionName(plan.tam)},
          {"quota",
           {{"incidents_per_month", q.incidents_per_month ? json(*q.incidents_per_month) : json(nullptr)},
            {"incidents_exceeded", QuotaActionName(q.incidents_exceeded)},
            {"support_hours", q.support_hours ? json(*q.support_hours) : json(nullptr)},
            {"support_hours_note", q.support_hours_note},
            {"support_hours_exceeded", QuotaActionName(q.support_hours_exceeded)}}},
          {"calendar", plan.calendar ? CalendarRefJson(*plan.calendar) : json(nullptr)},
          {"resolution_starts_at_first_response", plan.resolution_starts_at_first_response},
          {"targets", targets}};
}

// Where the portal puts a field's value: a ticket text field, the
// `fields` object, or nowhere (the desk takes it from the contact or the
// organisation; "phone" may also be given in `fields`).
const char* FieldSource(const TicketField& f) {
  auto s = TicketFields::SourceOf(f);
  if (!s) return "uncollectable";
  switch (*s) {
    case TicketFields::Source::kTicketText: return "ticket";
    case TicketFields::Source::kCustom: return "fields";
    case TicketFields::Source::kRequester: return f.id == "phone" ? "contact_or_fields" : "contact";
    case TicketFields::Source::kOrganisation: return "organisation";
  }
  return "ticket";
}

const char* FieldTypeFor(const TicketField& f) {
  if (f.type) return FieldTypeName(*f.type).data();
  if (f.id == "phone") return "phone";
  if (f.id == "email") return "email";
  if (f.id == "subject" || f.id == "product_area" || f.id == "company_name" || f.id == "contact_name") return "text";
  return "multiline";
}

}  // namespace

json PolicyJson(const Policy& p) {
  json severities = json::array();
  for (const auto& s : p.severities)
    severities.push_back({{"id", s.id}, {"name", s.name}, {"definition", s.definition}, {"examples", s.examples}});
  json calendars = json::array();
  for (const auto& [id, cal] : p.calendars) calendars.push_back(CalendarRefJson(*cal));
  json plans = json::array();
  for (const auto& pl : p.plans) plans.push_back(PlanJson(pl, p));
  json fields = json::array();
  for (const auto* list : {&p.required_fields, &p.requested_fields})
    for (const auto& f : *list)
      fields.push_back({{"id", f.id},
                        {"name", f.name},
                        {"type", FieldTypeFor(f)},
                        {"requirement", list == &p.required_fields ? "required" : "requested"},
                        {"help", f.help},
                        {"source", FieldSource(f)}});
  const Lifecycle& lc = p.lifecycle;
  json ladder = json::array();
  for (size_t i = 0; i < lc.escalation.size(); ++i) {
    const auto& l = lc.escalation[i];
    ladder.push_back({{"level", static_cast<int>(i) + 1},
                      {"name", l.name},
                      {"trigger", l.trigger},
                      {"notify", l.notify},
                      {"raises_severity_to", l.raises_severity_to.empty() ? json(nullptr) : json(l.raises_severity_to)},
                      {"note", l.note}});
  }
  json lifecycle{
      {"closure", lc.closure},
      {"auto_close_after", lc.auto_close_after ? json{{"seconds", lc.auto_close_after->seconds},
                                                      {"calendar", CalendarRefJson(*lc.auto_close_after->calendar)},
                                                      {"text", lc.auto_close_after->text}}
                                               : json(nullptr)},
      {"reopen_stated", lc.reopen_stated},
      {"reopen_allowed", lc.reopen_allowed},
      {"reopen_by", lc.reopen_by == ReopenBy::kAgentReview ? "agent_review" : "customer"},
      {"reopen_window", lc.reopen_window ? json{{"months", lc.reopen_window->months},
                                                {"days", lc.reopen_window->days},
                                                {"text", lc.reopen_window->text}}
                                         : json(nullptr)},
      {"reopen_note", lc.reopen_note},
      {"bug_escalation_suspends_targets", lc.bug_escalation_suspends_targets},
      {"bug_escalation_closes_ticket", lc.bug_escalation_closes_ticket},
      {"bug_escalation_note", lc.bug_escalation_note},
      {"feature_request_closes_ticket", lc.feature_request_closes_ticket},
      {"feature_request_note", lc.feature_request_note},
      {"escalation", ladder}};
  json contract = json::object();
  if (p.contract.availability)
    contract["availability"] = {{"monthly_target_percent", p.contract.availability->monthly_target_percent},
                                {"exclusions", p.contract.availability->exclusions},
                                {"note", p.contract.availability->note}};
  else
    contract["availability"] = nullptr;
  if (p.contract.downtime) {
    const auto& d = *p.contract.downtime;
    contract["downtime"] = {{"share_percent", d.share_percent}, {"over_target_by_percent", d.over_target_by_percent},
                            {"severities", d.severities},       {"lookback_months", d.lookback_months},
                            {"minimum_tickets", d.minimum_tickets}, {"remedy_max_tickets", d.remedy_max_tickets},
                            {"note", d.note}};
  } else {
    contract["downtime"] = nullptr;
  }
  contract["notes"] = p.contract.notes;
  return {{"id", p.id},
          {"name", p.name},
          {"source", p.source},
          {"effective_date", p.effective_date},
          {"languages", p.languages},
          {"notes", p.notes},
          {"default_severity", p.default_severity},
          {"severities", severities},
          {"calendars", calendars},
          {"plans", plans},
          {"fields", fields},
          {"warn_at_percent", p.warn_at_percent},
          {"scope_covered", p.scope_covered},
          {"scope_excluded", p.scope_excluded},
          {"lifecycle", lifecycle},
          {"onboarding", p.onboarding ? json{{"plan_until_complete", p.onboarding->plan_until_complete},
                                             {"note", p.onboarding->note}}
                                      : json(nullptr)},
          {"contract", contract}};
}

}  // namespace sladesk
