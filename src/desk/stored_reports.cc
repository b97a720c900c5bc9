#include "desk/stored_reports.h"

#include "desk/incident_service.h"
#include "desk/stored_history.h"

namespace sladesk {
namespace {

std::string Loaded(const PolicyRegistry& policies) {
  std::string ids;
  for (const auto& id : policies.Ids()) ids += (ids.empty() ? "" : ", ") + id;
  return ids;
}

}  // namespace

Result<PreparedSlaReport> StoredReports::Prepare(const User& actor, Instant now, const StoredSlaQuery& q) {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff read SLA reports");
  PreparedSlaReport out;
  std::string policy_id = q.policy_id;
  if (q.organisation_id) {
    auto org = repo_.GetOrganisation(*q.organisation_id, false);
    if (!org.ok()) return org.error();
    if (!*org) return MakeError("organisation", "organisation " + std::to_string(*q.organisation_id) + " does not exist");
    if (!policy_id.empty() && policy_id != (*org)->policy_id)
      return MakeError("policy", "organisation " + std::to_string(*q.organisation_id) + " is on policy '" +
                                     (*org)->policy_id + "', not '" + policy_id + "'");
    policy_id = (*org)->policy_id;
    out.options.organisation = (*org)->name;
    out.filter.organisation_id = q.organisation_id;
  }
  if (policy_id.empty()) {
    if (policies_.size() != 1) return MakeError("policy", "name the policy to report on (loaded: " + Loaded(policies_) + ")");
    policy_id = policies_.Ids().front();
  }
  out.policy = policies_.Find(policy_id);
  if (!out.policy) return MakeError("policy", "unknown policy '" + policy_id + "' (loaded: " + Loaded(policies_) + ")");
  if (!q.plan.empty() && !out.policy->FindPlan(q.plan))
    return MakeError("plan", "the " + out.policy->name + " policy has no plan '" + q.plan + "'");
  if (!q.severity.empty() && !out.policy->FindSeverity(q.severity))
    return MakeError("severity", "the " + out.policy->name + " policy has no severity '" + q.severity + "'");
  if (q.agent_id) {
    auto agent = repo_.GetUser(*q.agent_id);
    if (!agent.ok()) return agent.error();
    if (!*agent || !IsStaff((*agent)->role))
      return MakeError("agent", "user " + std::to_string(*q.agent_id) + " is not a staff member");
    out.options.assignee = (*agent)->name;
    out.filter.assignee_id = q.agent_id;
  }
  out.options.from = q.from;
  out.options.to = q.to;
  out.options.now = now;
  out.options.group_by = q.group_by;
  out.options.worst_breaches = q.worst_breaches;
  out.options.support_hours_budget = q.support_hours_budget;
  out.options.plan = q.plan;
  out.options.severity = q.severity;
  if (q.from >= q.to) return MakeError("to", FormatInstant(q.to) + " is not after from " + FormatInstant(q.from));
  const ReportTicketFilter base = FilterFor(out.options, policy_id);
  out.filter.policy_id = base.policy_id;
  out.filter.plan_id = base.plan_id;
  out.filter.opened_before = base.opened_before;
  out.filter.untouched_resolved_before = base.untouched_resolved_before;
  return out;
}

ReportTicketFilter StoredReports::FilterFor(const SlaReportOptions& o, const std::string& policy_id) {
  ReportTicketFilter f;
  f.policy_id = policy_id;
  if (!o.plan.empty()) f.plan_id = o.plan;
  f.opened_before = o.to;
  // A ticket resolved with no change since before the period is out of
  // scope for the builder too (true while the clocks are read at or after from).
  if (std::min(o.now.value_or(o.to), o.to) >= o.from) f.untouched_resolved_before = o.from;
  return f;
}

Status StoredReports::Scan(DeskRepository& repo, const PreparedSlaReport& prepared, Id after_id, Id up_to_id,
                           SlaReportBuilder& builder) {
  ReportTicketFilter filter = prepared.filter;
  filter.after_id = after_id;
  filter.up_to_id = up_to_id;
  HistoryTicket ticket;
  return repo.compliance().ScanReportTickets(filter, [&](const StoredReportTicket& t) -> Status {
    Status st = StoredHistory::ToHistoryTicket(*prepared.policy, t, ticket);
    if (st.ok()) st = builder.Add(ticket);
    if (!st.ok()) {
      Error e = st.error();
      e.message = "ticket " + ticket.id + ": " + e.message;
      e.code = ErrorCode::kInternal;  // stored data the policy refuses: not the caller's fault
      return e;
    }
    return Status::Ok();
  });
}

Result<SlaPeriodReport> StoredReports::SlaReport(const User& actor, Instant now, const StoredSlaQuery& query) {
  auto prepared = Prepare(actor, now, query);
  if (!prepared.ok()) return prepared.error();
  auto builder = SlaReportBuilder::Create(*prepared->policy, prepared->options);
  if (!builder.ok()) return builder.error();
  if (Status st = Scan(repo_, *prepared, 0, 0, *builder); !st.ok()) return st.error();
  return builder->Finish();
}

Result<MonthlyStatement> StoredReports::Statement(const User& actor, Instant now, Id organisation_id,
                                                  const std::string& month_text) {
  if (actor.role == Role::kContact && actor.organisation_id != organisation_id)
    return NotFoundError("organisation " + std::to_string(organisation_id) + " does not exist");
  auto month = ParseYearMonth(month_text);
  if (!month) return MakeError("month", "'" + month_text + "' is not a month YYYY-MM");
  auto org = repo_.GetOrganisation(organisation_id, false);
  if (!org.ok()) return org.error();
  if (!*org) return NotFoundError("organisation " + std::to_string(organisation_id) + " does not exist");
  const Policy* policy = policies_.Find((*org)->policy_id);
  if (!policy) return ConflictError("organisation", "policy '" + (*org)->policy_id + "' is not loaded");
  auto builder = StatementBuilder::Create(*policy, (*org)->name, (*org)->plan_id, *month, now);
  if (!builder.ok()) return builder.error();
  if (builder->month_start() > now) return MakeError("month", month_text + " has not started yet");
  ReportTicketFilter filter;
  filter.policy_id = policy->id;
  filter.organisation_id = organisation_id;
  filter.opened_before = builder->month_end();
  HistoryTicket ticket;
  Status st = repo_.compliance().ScanReportTickets(filter, [&](const StoredReportTicket& t) -> Status {
    if (Status st = StoredHistory::ToHistoryTicket(*policy, t, ticket); !st.ok()) return st;
    return builder->Add(ticket);
  });
  if (!st.ok()) return st.error();
  std::optional<AvailabilityResult> availability;
  if (policy->contract.availability) {
    User system = SystemUser();
    auto a = IncidentService(repo_, policies_).Availability(system, now, organisation_id, month_text);
    if (a.ok()) availability = a->result;
  }
  return builder->Finish(availability);
}

}  // namespace sladesk
