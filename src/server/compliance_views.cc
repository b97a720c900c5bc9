#include "server/compliance_views.h"

#include "compliance/availability_json.h"

namespace sladesk {
namespace {

using nlohmann::json;

json OptInstant(const std::optional<Instant>& t) { return t ? json(FormatInstant(*t)) : json(nullptr); }
json OptId(const std::optional<Id>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

json IncidentJson(const ServiceIncidentRecord& r) {
  return json{{"id", r.id},
              {"kind", std::string(IncidentKindName(r.kind))},
              {"organisation_id", OptId(r.organisation_id)},
              {"service", r.service},
              {"cause", std::string(IncidentCauseName(r.cause))},
              {"counts_against_availability", CountsAgainstAvailability(r.cause)},
              {"title", r.title},
              {"description", r.description},
              {"start", FormatInstant(r.start)},
              {"end", OptInstant(r.end)},
              {"open", !r.end.has_value()},
              {"recorded_by", r.recorded_by},
              {"recorded_at", FormatInstant(r.recorded_at)},
              {"ended_by", OptId(r.ended_by)},
              {"version", r.version}};
}

std::string IncidentETag(const ServiceIncidentRecord& r) {
  return "\"i" + std::to_string(r.id) + "v" + std::to_string(r.version) + "\"";
}

json PublicIncidentJson(const StatusIncident& r) {
  return json{{"id", r.id},
              {"kind", std::string(IncidentKindName(r.kind))},
              {"service", r.service},
              {"cause", std::string(IncidentCauseName(r.cause))},
              {"title", r.title},
              {"start", FormatInstant(r.start)},
              {"end", OptInstant(r.end)}};
}

json AvailabilityMonthJson(const AvailabilityResult& r) {
  // The contract's keys in its order, from the same writer as the CLI.
  json out = json::parse(AvailabilityResultToJsonValue(r).dump());
  out["zone"] = r.zone;
  out["month_start"] = FormatInstant(r.month_start);
  out["month_end"] = FormatInstant(r.month_end);
  out["complete"] = r.complete;
  return out;
}

json RcaTaskJson(const RcaTaskRecord& t) {
  return json{{"id", t.id},
              {"organisation_id", t.organisation_id},
              {"month", t.month},
              {"assignee_id", OptId(t.assignee_id)},
              {"state", std::string(RcaStateName(t.state))},
              {"availability_percent", static_cast<double>(t.availability_micro_percent) / 1e6},
              {"target_percent", t.target_percent},
              {"opened_at", FormatInstant(t.opened_at)},
              {"updated_at", FormatInstant(t.updated_at)}};
}

json OrganisationAvailabilityJson(const OrganisationAvailability& a) {
  json incidents = json::array();
  for (const auto& i : a.incidents) incidents.push_back(IncidentJson(i));
  json out = AvailabilityMonthJson(a.result);
  out["organisation_id"] = a.organisation.id;
  out["policy_id"] = a.organisation.policy_id;
  out["incidents"] = std::move(incidents);
  out["rca_task"] = a.rca_task ? RcaTaskJson(*a.rca_task) : json(nullptr);
  return out;
}

json DowntimeNoticeJson(const DowntimeNoticeRecord& n) {
  json result = json::parse(n.result_json, nullptr, false);
  return json{{"id", n.id},
              {"organisation_id", n.organisation_id},
              {"notified_by", n.notified_by},
              {"notified_at", FormatInstant(n.notified_at)},
              {"downtime", n.downtime},
              {"result", result.is_discarded() ? json(nullptr) : result}};
}

json RemedyPeriodJson(const RemedyPeriodRecord& p) {
  return json{{"id", p.id},
              {"organisation_id", p.organisation_id},
              {"notice_id", p.notice_id},
              {"month", p.month},
              {"from", FormatInstant(p.starts_at)},
              {"to", FormatInstant(p.ends_at)},
              {"max_tickets", p.max_tickets},
              {"ended_at", OptInstant(p.ended_at)}};
}

json RemedyReportJson(const RemedyReport& r) {
  json tickets = json::array();
  for (const auto& t : r.tickets)
    tickets.push_back(json{{"number", t.number},
                           {"opened_at", FormatInstant(t.opened_at)},
                           {"severity", t.severity},
                           {"first_response", std::string(MetricStateName(t.first_response))},
                           {"next_update", std::string(MetricStateName(t.next_update))},
                           {"next_update_breaches", t.next_update_breaches},
                           {"within_targets", t.within_targets}});
  json out = RemedyPeriodJson(r.period);
  out["tracked"] = static_cast<std::int64_t>(r.tickets.size());
  out["within_targets"] = r.within_targets;
  out["breached"] = r.breached;
  out["tickets"] = std::move(tickets);
  return out;
}

json ServiceStatusJson(const ServiceStatus& s) {
  json current = json::array(), maintenance = json::array(), availability = json::array();
  for (const auto& i : s.current) current.push_back(PublicIncidentJson(i));
  for (const auto& i : s.maintenance) maintenance.push_back(PublicIncidentJson(i));
  for (const auto& a : s.availability) {
    json months = json::array();
    for (const auto& m : a.months)
      months.push_back(json{{"month", FormatYearMonth(m.month)},
                            {"availability_percent", m.availability_percent},
                            {"met", m.met},
                            {"complete", m.complete},
                            {"downtime_seconds", m.downtime_seconds}});
    availability.push_back(json{{"policy_id", a.policy_id},
                                {"policy_name", a.policy_name},
                                {"target_percent", json::parse(PercentJson(a.target_percent).dump())},
                                {"months", std::move(months)}});
  }
  return json{{"now", FormatInstant(s.now)},
              {"status", s.current.empty() ? "operational" : "incident"},
              {"current_incidents", std::move(current)},
              {"maintenance", std::move(maintenance)},
              {"availability", std::move(availability)}};
}

}  // namespace sladesk
