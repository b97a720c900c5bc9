#include "storage/sql_ticket_row.h"

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "storage/sql_args.h"

namespace sladesk {
namespace {

using namespace sql_args;  // I, T, At, OptAt, OptInstant

std::string FieldsJson(const std::map<std::string, std::string>& fields) {
  return nlohmann::json(fields).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::map<std::string, std::string> FieldsFromJson(const std::string& text) {
  std::map<std::string, std::string> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [k, v] : j.items())
    if (v.is_string()) out[k] = v.get<std::string>();
  return out;
}

}  // namespace

const char* const SqlTicketRow::kSelectColumns =
    "id, number, organisation_id, requester_id, subject, description, steps_to_reproduce, "
    "business_impact, product_area, error_details, channel, severity, status, assignee_id, outcome, "
    "external_issue, escalation_level, opened_at, updated_at, resolved_at, closed_at, version, "
    "first_response_due, next_update_due, resolution_due, next_due, breached, sla_json, over_quota, "
    "fields, plan_id, external_issue_url, external_issue_priority, external_issue_status, bug_escalated_at, "
    "time_spent_seconds, estimated_seconds, over_support_budget, reopen_requested_at";

const char* const SqlTicketRow::kInsertColumns =
    "number, organisation_id, requester_id, subject, description, "
    "steps_to_reproduce, business_impact, product_area, error_details, channel, severity, status, "
    "assignee_id, outcome, external_issue, escalation_level, opened_at, updated_at, resolved_at, "
    "closed_at, first_response_due, next_update_due, resolution_due, next_due, urgency_key, breached, "
    "sla_json, over_quota, fields, plan_id, external_issue_url, external_issue_priority, external_issue_status, "
    "bug_escalated_at, time_spent_seconds, estimated_seconds, over_support_budget, reopen_requested_at, clock_log, "
    "version";

const char* const SqlTicketRow::kInsertPlaceholders =
    "?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?";

const char* const SqlTicketRow::kUpdateSet =
    "organisation_id = ?, requester_id = ?, subject = ?, description = ?, "
    "steps_to_reproduce = ?, business_impact = ?, product_area = ?, error_details = ?, channel = ?, "
    "severity = ?, status = ?, assignee_id = ?, outcome = ?, external_issue = ?, escalation_level = ?, "
    "opened_at = ?, updated_at = ?, resolved_at = ?, closed_at = ?, first_response_due = ?, "
    "next_update_due = ?, resolution_due = ?, next_due = ?, urgency_key = ?, breached = ?, sla_json = ?, "
    "over_quota = ?, fields = ?, plan_id = ?, external_issue_url = ?, external_issue_priority = ?, "
    "external_issue_status = ?, bug_escalated_at = ?, time_spent_seconds = ?, estimated_seconds = ?, "
    "over_support_budget = ?, reopen_requested_at = ?, clock_log = ?, version = version + 1";

Ticket SqlTicketRow::FromRow(const SqlRow& r) {
  Ticket t;
  t.id = r.Int(0);
  t.number = r.Int(1);
  t.organisation_id = r.Int(2);
  t.requester_id = r.Int(3);
  t.subject = r.Text(4);
  t.description = r.Text(5);
  t.steps_to_reproduce = r.Text(6);
  t.business_impact = r.Text(7);
  t.product_area = r.Text(8);
  t.error_details = r.Text(9);
  t.channel = TicketChannelFromName(r.Text(10)).value_or(TicketChannel::kPortal);
  t.severity = r.Text(11);
  t.status = StatusFromName(r.Text(12)).value_or(TicketStatus::kNew);
  t.assignee_id = r.OptInt(13);
  if (!r.IsNull(14)) t.outcome = TicketOutcomeFromName(r.Text(14));
  t.external_issue = r.Text(15);
  t.escalation_level = r.Int(16);
  t.opened_at = FromEpoch(r.Int(17));
  t.updated_at = FromEpoch(r.Int(18));
  t.resolved_at = OptInstant(r, 19);
  t.closed_at = OptInstant(r, 20);
  t.version = r.Int(21);
  t.first_response_due = OptInstant(r, 22);
  t.next_update_due = OptInstant(r, 23);
  t.resolution_due = OptInstant(r, 24);
  t.next_due = OptInstant(r, 25);
  t.breached = r.Int(26) != 0;
  t.sla_json = r.Text(27);
  t.over_quota = r.Int(28) != 0;
  t.fields = FieldsFromJson(r.Text(29));
  t.plan_id = r.Text(30);
  t.external_issue_url = r.Text(31);
  t.external_issue_priority = r.Text(32);
  t.external_issue_status = r.Text(33);
  t.bug_escalated_at = OptInstant(r, 34);
  t.time_spent_seconds = r.Int(35);
  t.estimated_seconds = r.OptInt(36);
  t.over_support_budget = r.Int(37) != 0;
  t.reopen_requested_at = OptInstant(r, 38);
  return t;
}

std::vector<SqlValue> SqlTicketRow::Values(const Ticket& t) {
  return {I(t.organisation_id), I(t.requester_id), T(t.subject), T(t.description),
          T(t.steps_to_reproduce), T(t.business_impact), T(t.product_area), T(t.error_details),
          T(std::string(TicketChannelName(t.channel))), T(t.severity), T(std::string(StatusName(t.status))),
          SqlOpt(t.assignee_id),
          t.outcome ? T(std::string(TicketOutcomeName(*t.outcome))) : SqlNull(), T(t.external_issue),
          I(t.escalation_level), At(t.opened_at), At(t.updated_at), OptAt(t.resolved_at),
          OptAt(t.closed_at), OptAt(t.first_response_due), OptAt(t.next_update_due),
          OptAt(t.resolution_due), OptAt(t.next_due), I(t.next_due ? ToEpoch(*t.next_due) : kNoDueKey),
          I(t.breached ? 1 : 0), T(t.sla_json), I(t.over_quota ? 1 : 0), T(FieldsJson(t.fields)), T(t.plan_id),
          T(t.external_issue_url), T(t.external_issue_priority), T(t.external_issue_status),
          OptAt(t.bug_escalated_at), I(t.time_spent_seconds), SqlOpt(t.estimated_seconds),
          I(t.over_support_budget ? 1 : 0), OptAt(t.reopen_requested_at),
          t.clock_log.empty() ? SqlNull() : T(t.clock_log)};
}

}  // namespace sladesk
