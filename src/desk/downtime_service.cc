#include "desk/downtime_service.h"

#include "compliance/civil_month.h"
#include "compliance/downtime_json.h"
#include "desk/sla_projector.h"
#include "desk/stored_history.h"

namespace sladesk {

Result<Organisation> DowntimeService::Load(const User& actor, Id organisation_id) {
  if (actor.role == Role::kContact && actor.organisation_id != organisation_id)
    return NotFoundError("organisation " + std::to_string(organisation_id) + " does not exist");
  auto org = repo_.GetOrganisation(organisation_id, false);
  if (!org.ok()) return org.error();
  if (!*org) return NotFoundError("organisation " + std::to_string(organisation_id) + " does not exist");
  return **org;
}

Result<DowntimeNoticeOutcome> DowntimeService::Notify(const User& actor, Instant now, Id organisation_id) {
  auto org = Load(actor, organisation_id);
  if (!org.ok()) return org.error();
  const Policy* policy = policies_.Find(org->policy_id);
  if (!policy) return ConflictError("organisation", "policy '" + org->policy_id + "' is not loaded");
  if (!policy->contract.downtime)
    return ConflictError("organisation", "the " + policy->name + " policy has no downtime rule", "no-downtime-rule");
  auto evaluator = DowntimeEvaluator::Create(*policy, now);
  if (!evaluator.ok()) return evaluator.error();

  ReportTicketFilter filter;
  filter.policy_id = policy->id;
  filter.organisation_id = organisation_id;
  filter.opened_from = evaluator->window_from();
  filter.opened_before = evaluator->window_to();
  DowntimeTicket ticket;
  Status scanned = repo_.compliance().ScanReportTickets(filter, [&](const StoredReportTicket& t) -> Status {
    ticket.id = std::to_string(t.number);
    ticket.plan = policy->FindPlan(t.plan_id);
    if (!ticket.plan)
      return MakeError(ErrorCode::kInternal, "plan", "ticket " + ticket.id + " has plan '" + t.plan_id +
                                                         "', which the " + policy->name + " policy lacks");
    if (Status st = StoredHistory::ClockEvents(*policy, t, ticket.events, ticket.severity); !st.ok()) return st;
    auto verdict = evaluator->Add(ticket, "ticket " + ticket.id);
    if (!verdict.ok()) return verdict.error();
    return Status::Ok();
  });
  if (!scanned.ok()) return scanned.error();

  DowntimeNoticeOutcome out;
  out.result = evaluator->Finish();
  out.notice.organisation_id = organisation_id;
  out.notice.notified_by = actor.id;
  out.notice.notified_at = now;
  out.notice.window_from = out.result.window_from;
  out.notice.window_to = out.result.window_to;
  out.notice.submitted = out.result.submitted;
  out.notice.considered = out.result.considered;
  out.notice.over = out.result.over;
  out.notice.downtime = out.result.downtime;
  out.notice.result_json = DowntimeResultToJson(out.result);
  auto id = repo_.compliance().InsertDowntimeNotice(out.notice);
  if (!id.ok()) return id.error();
  out.notice.id = *id;
  if (!out.result.downtime || !out.result.remedy_from || !out.result.remedy_to) return out;

  auto periods = repo_.compliance().ListRemedyPeriods(organisation_id);
  if (!periods.ok()) return periods.error();
  for (const auto& p : *periods)
    if (!p.ended_at && p.starts_at <= now && now < p.ends_at) {
      out.running = p;
      return out;
    }
  auto zone = DowntimeZone(*policy);
  if (!zone.ok()) return zone.error();
  RemedyPeriodRecord period;
  period.organisation_id = organisation_id;
  period.notice_id = out.notice.id;
  period.month = FormatYearMonth(MonthOf(*out.result.remedy_from, **zone));
  period.starts_at = *out.result.remedy_from;
  period.ends_at = *out.result.remedy_to;
  period.max_tickets = policy->contract.downtime->remedy_max_tickets > 0 ? policy->contract.downtime->remedy_max_tickets : 10;
  period.created_at = now;
  auto pid = repo_.compliance().InsertRemedyPeriod(period);
  if (!pid.ok()) return pid.error();
  period.id = *pid;
  out.remedy = period;
  return out;
}

Result<std::vector<DowntimeNoticeRecord>> DowntimeService::Notices(const User& actor, Id organisation_id) {
  auto org = Load(actor, organisation_id);
  if (!org.ok()) return org.error();
  return repo_.compliance().ListDowntimeNotices(organisation_id);
}

Result<std::vector<RemedyReport>> DowntimeService::Remedies(const User& actor, Instant now, Id organisation_id) {
  auto org = Load(actor, organisation_id);
  if (!org.ok()) return org.error();
  const Policy* policy = policies_.Find(org->policy_id);
  if (!policy) return ConflictError("organisation", "policy '" + org->policy_id + "' is not loaded");
  auto periods = repo_.compliance().ListRemedyPeriods(organisation_id);
  if (!periods.ok()) return periods.error();
  std::vector<RemedyReport> out;
  for (const auto& p : *periods) {
    RemedyReport report;
    report.period = p;
    auto numbers = repo_.compliance().FirstTicketsOpened(organisation_id, p.starts_at, p.ends_at,
                                                         static_cast<int>(p.max_tickets));
    if (!numbers.ok()) return numbers.error();
    for (std::int64_t n : *numbers) {
      auto t = repo_.GetTicketByNumber(n, false);
      if (!t.ok()) return t.error();
      if (!*t) continue;
      const Plan* plan = policy->FindPlan((*t)->plan_id);
      if (!plan) continue;
      auto log = repo_.ListEvents((*t)->id);
      if (!log.ok()) return log.error();
      auto sla = SlaProjector::Report(*policy, *plan, *log, **t, now);
      if (!sla.ok()) return sla.error();
      RemedyTicket rt;
      rt.number = n;
      rt.opened_at = (*t)->opened_at;
      rt.severity = (*t)->severity;
      for (const auto& m : sla->metrics) {
        const bool breached = m.state == MetricState::kBreached || m.breaches > 0;
        if (m.metric == Metric::kFirstResponse) rt.first_response = m.state;
        else if (m.metric == Metric::kNextUpdate) {
          rt.next_update = m.state;
          rt.next_update_breaches = m.breaches;
        } else {
          continue;  // resolution is not a handling-time target
        }
        if (breached) rt.within_targets = false;
      }
      (rt.within_targets ? report.within_targets : report.breached) += 1;
      report.tickets.push_back(std::move(rt));
    }
    out.push_back(std::move(report));
  }
  return out;
}

}  // namespace sladesk
