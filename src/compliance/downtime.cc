#include "compliance/downtime.h"

#include <algorithm>
#include <numeric>

#include "compliance/civil_month.h"
#include "sla/sla_clock.h"

namespace sladesk {
namespace {

const BusinessCalendar* CalendarFor(const Plan& plan, const std::string& severity) {
  for (Metric m : {Metric::kFirstResponse, Metric::kNextUpdate}) {
    if (const Target* t = plan.FindTarget(severity, m)) {
      if (t->calendar) return t->calendar.get();
      if (plan.calendar) return plan.calendar.get();
      return BusinessCalendar::AlwaysOpen().get();
    }
  }
  return nullptr;
}

}  // namespace

Result<std::shared_ptr<const TimeZone>> DowntimeZone(const Policy& policy) {
  if (!policy.contract.downtime)
    return MakeError("contract.downtime", "the policy sets no downtime rule (add [contract.downtime])");
  const DowntimeRule& rule = *policy.contract.downtime;
  // The least severe listed severity: the one furthest down policy.severities.
  std::string least;
  int least_rank = -1;
  for (const std::string& s : rule.severities) {
    for (int i = 0; i < static_cast<int>(policy.severities.size()); ++i)
      if (policy.severities[static_cast<size_t>(i)].id == s && i > least_rank) {
        least_rank = i;
        least = s;
      }
  }
  const BusinessCalendar* cal = nullptr;
  for (const Plan& plan : policy.plans)
    if ((cal = CalendarFor(plan, least)) != nullptr) break;
  if (cal == nullptr && !policy.plans.empty()) {
    const Plan& first = policy.plans.front();
    if (auto it = first.severity_calendars.find(least); it != first.severity_calendars.end()) cal = it->second.get();
    else cal = first.calendar.get();
  }
  const std::string zone = cal == nullptr || cal->always_open() ? "UTC" : cal->zone().name();
  auto z = TimeZone::Locate(zone);
  if (!z.ok()) return z.error();
  return *z;
}

bool OverMargin(Seconds elapsed, Seconds target, const ExactDecimal& margin) {
  // elapsed / target > 1 + units / den  <=>  elapsed * 100 * den > target * (100 * den + units)
  const __int128 den = margin.denominator();
  const __int128 lhs = static_cast<__int128>(elapsed) * 100 * den;
  const __int128 rhs = static_cast<__int128>(target) * (100 * den + margin.units);
  return lhs > rhs;
}

DowntimeEvaluator::DowntimeEvaluator(const Policy& policy, const DowntimeRule& rule,
                                     std::shared_ptr<const TimeZone> zone, Instant notified_at)
    : policy_(&policy), rule_(&rule), zone_(std::move(zone)) {
  const YearMonth notice_month = MonthOf(notified_at, *zone_);
  result_.zone = zone_->name();
  result_.notified_at = notified_at;
  result_.window_from = MonthStart(AddMonths(notice_month, -rule.lookback_months), *zone_);
  result_.window_to = MonthStart(notice_month, *zone_);
}

Result<DowntimeEvaluator> DowntimeEvaluator::Create(const Policy& policy, Instant notified_at) {
  auto zone = DowntimeZone(policy);
  if (!zone.ok()) return zone.error();
  return DowntimeEvaluator(policy, *policy.contract.downtime, *zone, notified_at);
}

Result<DowntimeVerdict> DowntimeEvaluator::Add(const DowntimeTicket& ticket, const std::string& field) {
  if (ticket.plan == nullptr) return MakeError(field + ".plan", "missing");
  if (!ids_.insert(ticket.id).second)
    return MakeError(field + ".id", "duplicate ticket id '" + ticket.id + "'");
  const std::string& initial = ticket.severity.empty() ? policy_->default_severity : ticket.severity;
  if (policy_->FindSeverity(initial) == nullptr)
    return MakeError(field + ".severity", "unknown severity '" + initial + "'");
  const Instant now = result_.notified_at;

  // §4 order: by time, ties in input order.
  std::vector<size_t> order(ticket.events.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return ticket.events[a].at < ticket.events[b].at; });
  DowntimeVerdict v;
  v.severity_at_notice = initial;
  std::optional<Instant> opened;
  for (size_t i : order) {
    const TicketEvent& e = ticket.events[i];
    if (e.at > now) break;
    if (e.type == EventType::kOpened && !opened) opened = e.at;
    if (e.type == EventType::kSeverityChanged) v.severity_at_notice = e.severity;
  }
  v.submitted = opened && *opened >= result_.window_from && *opened < result_.window_to;
  if (!v.submitted) return v;
  ++result_.submitted;
  v.considered = std::find(rule_->severities.begin(), rule_->severities.end(), v.severity_at_notice) !=
                 rule_->severities.end();
  if (!v.considered) return v;
  ++result_.considered;
  EvaluateOptions options;
  options.instances = &instances_;
  auto report = EvaluateSla(*policy_, *ticket.plan, initial, ticket.events, now, options);
  if (!report.ok()) {
    Error e = report.error();
    e.field = e.field.empty() ? field : field + "." + e.field;
    return e;
  }
  for (const InstanceReport& inst : instances_) {
    if (inst.metric == Metric::kResolution || !inst.target_seconds || !inst.elapsed_seconds) continue;
    if (OverMargin(*inst.elapsed_seconds, *inst.target_seconds, rule_->over_target_by))
      v.over_instances.push_back(inst);
  }
  v.over = !v.over_instances.empty();
  if (v.over) {
    ++result_.over;
    result_.over_ids.push_back(ticket.id);
  }
  return v;
}

DowntimeResult DowntimeEvaluator::Finish() const {
  DowntimeResult r = result_;
  const ExactDecimal& share = rule_->share;
  // over >= share% x considered  <=>  over * 100 * den >= units * considered
  const bool share_reached = static_cast<__int128>(r.over) * 100 * share.denominator() >=
                             static_cast<__int128>(share.units) * r.considered;
  r.downtime = r.submitted >= rule_->minimum_tickets && r.considered > 0 && share_reached;
  if (r.downtime) {
    const int months = rule_->remedy_within_calendar_months > 0 ? rule_->remedy_within_calendar_months : 1;
    r.remedy_from = r.notified_at;
    r.remedy_to = SameWallTimeMonthsLater(r.notified_at, months, *zone_);
  }
  return r;
}

Result<DowntimeResult> EvaluateDowntime(const Policy& policy, const DowntimeRequest& request) {
  auto evaluator = DowntimeEvaluator::Create(policy, request.notified_at);
  if (!evaluator.ok()) return evaluator.error();
  for (size_t i = 0; i < request.tickets.size(); ++i) {
    auto v = evaluator->Add(request.tickets[i], "tickets[" + std::to_string(i) + "]");
    if (!v.ok()) return v.error();
  }
  return evaluator->Finish();
}

}  // namespace sladesk
