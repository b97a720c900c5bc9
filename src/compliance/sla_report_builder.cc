#include "compliance/sla_report_builder.h"

#include <algorithm>
#include <numeric>

#include "sla/sla_clock.h"

namespace sladesk {
namespace {

// What one ticket adds to its group and to the total.
struct TicketTally {
  bool opened = false;
  bool resolved = false;
  bool open = false;
  std::array<MetricAttainment, 3> metrics{};
  std::optional<Seconds> first_response;
  std::optional<Seconds> resolution;
  std::int64_t nu_cycles = 0;
  std::int64_t nu_breaches = 0;
};

bool Worse(const BreachRecord& a, const BreachRecord& b) {
  if (a.late_wall_seconds != b.late_wall_seconds) return a.late_wall_seconds > b.late_wall_seconds;
  if (a.ticket_id != b.ticket_id) return a.ticket_id < b.ticket_id;
  if (a.metric != b.metric) return a.metric < b.metric;
  return a.cycle < b.cycle;
}

std::string KnownPlans(const Policy& policy) {
  std::string out;
  for (const auto& p : policy.plans) out += (out.empty() ? "" : ", ") + p.id;
  return out;
}

const TimeZone& ZoneOf(const Plan& plan) {
  static const std::shared_ptr<const TimeZone> utc = *TimeZone::Locate("UTC");
  if (plan.calendar && !plan.calendar->always_open()) return plan.calendar->zone();
  return *utc;
}

}  // namespace

std::string_view ReportGroupingName(ReportGrouping g) {
  switch (g) {
    case ReportGrouping::kOrganisation: return "organisation";
    case ReportGrouping::kPlan: return "plan";
    case ReportGrouping::kSeverity: return "severity";
    case ReportGrouping::kAgent: return "agent";
  }
  return "organisation";
}

std::optional<ReportGrouping> ReportGroupingFromName(std::string_view name) {
  for (ReportGrouping g : {ReportGrouping::kOrganisation, ReportGrouping::kPlan, ReportGrouping::kSeverity,
                           ReportGrouping::kAgent})
    if (ReportGroupingName(g) == name) return g;
  return std::nullopt;
}

SlaReportBuilder::SlaReportBuilder(const Policy& policy, SlaReportOptions options)
    : policy_(&policy), options_(std::move(options)) {
  as_of_ = std::min(options_.now.value_or(options_.to), options_.to);
  total_.key = "total";
}

Result<SlaReportBuilder> SlaReportBuilder::Create(const Policy& policy, SlaReportOptions options) {
  if (options.from >= options.to)
    return MakeError("--to", FormatInstant(options.to) + " is not after --from " + FormatInstant(options.from));
  return SlaReportBuilder(policy, std::move(options));
}

void SlaReportBuilder::KeepWorst(std::vector<BreachRecord>& list, const BreachRecord& b, size_t worst) {
  if (worst == 0) return;
  if (list.size() == worst) {
    if (!Worse(b, list.back())) return;
    list.pop_back();
  }
  list.insert(std::upper_bound(list.begin(), list.end(), b, Worse), b);
}

Status SlaReportBuilder::Add(const HistoryTicket& t) {
  ++tickets_read_;
  if (!options_.organisation.empty() && t.organisation != options_.organisation) return Status::Ok();
  if (!options_.plan.empty() && t.plan != options_.plan) return Status::Ok();
  if (!options_.assignee.empty() && t.assignee != options_.assignee) return Status::Ok();
  const Plan* plan = policy_->FindPlan(t.plan);
  if (plan == nullptr)
    return MakeError("plan", "unknown plan '" + t.plan + "' (known: " + KnownPlans(*policy_) + ")");
  const std::string& initial = t.severity.empty() ? policy_->default_severity : t.severity;
  if (policy_->FindSeverity(initial) == nullptr) return MakeError("severity", "unknown severity '" + initial + "'");
  for (size_t i = 0; i < t.events.size(); ++i)
    if (t.events[i].type == EventType::kSeverityChanged && policy_->FindSeverity(t.events[i].severity) == nullptr)
      return MakeError("events[" + std::to_string(i) + "].severity",
                       "unknown severity '" + t.events[i].severity + "'");

  // The ticket's state at as_of, in §4 order (ties in input order).
  const size_t n = t.events.size();
  bool sorted = true;
  for (size_t i = 1; i < n && sorted; ++i) sorted = t.events[i - 1].at <= t.events[i].at;
  std::vector<size_t> order;
  if (!sorted) {
    order.resize(n);
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return t.events[a].at < t.events[b].at; });
  }
  std::string_view severity = initial;
  // Plain flags, not optionals: GCC 12 warns falsely on optional<Instant> here.
  bool opened = false, resolved = false;
  Instant opened_at{}, resolved_at{};
  for (size_t k = 0; k < n; ++k) {
    const TicketEvent& e = t.events[sorted ? k : order[k]];
    if (e.at > as_of_) break;
    switch (e.type) {
      case EventType::kSeverityChanged: severity = e.severity; break;
      case EventType::kOpened:
        if (!opened) {
          opened = true;
          opened_at = e.at;
        }
        break;
      case EventType::kResolved:
      case EventType::kClosed:
        if (opened && !resolved) {
          resolved = true;
          resolved_at = e.at;
        }
        break;
      case EventType::kReopened:
        if (opened) resolved = false;
        break;
      default: break;
    }
  }
  if (!opened || opened_at >= options_.to) return Status::Ok();
  if (resolved && resolved_at < options_.from) return Status::Ok();
  if (!options_.severity.empty() && severity != options_.severity) return Status::Ok();

  EvaluateOptions eval;
  eval.instances = &instances_;
  auto report = EvaluateSla(*policy_, *plan, initial, t.events, as_of_, eval);
  if (!report.ok()) return report.error();
  const std::string severity_now(severity);
  ++tickets_in_scope_;

  TicketTally tally;
  tally.opened = opened_at >= options_.from;
  tally.resolved = resolved;  // and not before from (checked above)
  tally.open = !resolved;
  breaches_.clear();
  for (const InstanceReport& inst : instances_) {
    if (inst.state == MetricState::kNoTarget || !inst.target_seconds || !inst.elapsed_seconds) continue;
    const int m = static_cast<int>(inst.metric);
    const bool stopped_in_period =
        inst.stopped_at && *inst.stopped_at >= options_.from && *inst.stopped_at < options_.to;
    const bool running = !inst.stopped_at;
    const bool breached = inst.state == MetricState::kBreached;
    bool counted = false;
    if (stopped_in_period) {
      counted = true;
      (breached ? tally.metrics[m].breached : tally.metrics[m].met) += 1;
      if (inst.metric == Metric::kFirstResponse) tally.first_response = inst.elapsed_seconds;
      if (inst.metric == Metric::kResolution) tally.resolution = inst.elapsed_seconds;
    } else if (running && breached) {
      counted = true;
      tally.metrics[m].breached += 1;
      tally.metrics[m].running_breached += 1;
    }
    if (inst.metric == Metric::kNextUpdate && counted) {
      ++tally.nu_cycles;
      if (breached) ++tally.nu_breaches;
    }
    if (breached && inst.breached_at && *inst.breached_at >= options_.from && *inst.breached_at < options_.to) {
      BreachRecord b;
      b.ticket_id = t.id;
      b.organisation = t.organisation;
      b.metric = inst.metric;
      b.cycle = inst.cycle;
      b.severity = inst.severity;
      b.breached_at = *inst.breached_at;
      b.target_seconds = *inst.target_seconds;
      b.late_business_seconds = std::max<Seconds>(0, *inst.elapsed_seconds - *inst.target_seconds);
      b.late_wall_seconds = std::max<Seconds>(0, ToEpoch(inst.judged_at) - ToEpoch(*inst.breached_at));
      b.running = running;
      breaches_.push_back(std::move(b));
    }
  }

  std::string key;
  switch (options_.group_by) {
    case ReportGrouping::kOrganisation: key = t.organisation.empty() ? "(none)" : t.organisation; break;
    case ReportGrouping::kPlan: key = plan->id; break;
    case ReportGrouping::kSeverity: key = severity_now; break;
    case ReportGrouping::kAgent: key = t.assignee.empty() ? "(unassigned)" : t.assignee; break;
  }
  auto it = groups_.find(key);
  if (it == groups_.end()) {
    it = groups_.emplace(key, SlaGroupReport{}).first;
    it->second.key = key;
  }
  const Seconds support = tally.opened ? t.support_seconds.value_or(0) : 0;
  for (SlaGroupReport* g : {&it->second, &total_}) {
    g->opened += tally.opened;
    g->resolved += tally.resolved;
    g->open += tally.open;
    for (int m = 0; m < 3; ++m) {
      g->metrics[m].met += tally.metrics[m].met;
      g->metrics[m].breached += tally.metrics[m].breached;
      g->metrics[m].running_breached += tally.metrics[m].running_breached;
    }
    if (tally.first_response) g->first_response.Add(*tally.first_response);
    if (tally.resolution) g->resolution.Add(*tally.resolution);
    g->next_update_cycles += tally.nu_cycles;
    g->next_update_breaches += tally.nu_breaches;
    for (const BreachRecord& b : breaches_) {
      ++g->breaches;
      g->late_business.Add(b.late_business_seconds);
      g->late_wall.Add(b.late_wall_seconds);
      KeepWorst(g->worst_breaches, b, options_.worst_breaches);
    }
    for (const HistoryEscalation& e : t.escalations) {
      if (e.at < options_.from || e.at >= options_.to) continue;
      ++g->escalations;
      ++g->escalations_by_level[e.level.empty() ? "(unnamed)" : e.level];
    }
    g->support_seconds += support;
  }
  if (sink_)
    for (const BreachRecord& b : breaches_) sink_(b);

  if (tally.opened) {
    ++incidents_[{t.organisation, MonthOf(opened_at, ZoneOf(*plan))}];
    org_plan_[t.organisation] = plan->id;
    support_[t.organisation] += support;
  }
  return Status::Ok();
}

void SlaReportBuilder::MergeGroup(SlaGroupReport& into, const SlaGroupReport& from, size_t worst) {
  into.opened += from.opened;
  into.resolved += from.resolved;
  into.open += from.open;
  for (int m = 0; m < 3; ++m) {
    into.metrics[m].met += from.metrics[m].met;
    into.metrics[m].breached += from.metrics[m].breached;
    into.metrics[m].running_breached += from.metrics[m].running_breached;
  }
  into.first_response.Merge(from.first_response);
  into.resolution.Merge(from.resolution);
  into.next_update_cycles += from.next_update_cycles;
  into.next_update_breaches += from.next_update_breaches;
  into.breaches += from.breaches;
  into.late_business.Merge(from.late_business);
  into.late_wall.Merge(from.late_wall);
  for (const BreachRecord& b : from.worst_breaches) KeepWorst(into.worst_breaches, b, worst);
  into.escalations += from.escalations;
  for (const auto& [level, count] : from.escalations_by_level) into.escalations_by_level[level] += count;
  into.support_seconds += from.support_seconds;
}

void SlaReportBuilder::Merge(const SlaReportBuilder& other) {
  for (const auto& [key, g] : other.groups_) {
    auto it = groups_.find(key);
    if (it == groups_.end()) {
      it = groups_.emplace(key, SlaGroupReport{}).first;
      it->second.key = key;
    }
    MergeGroup(it->second, g, options_.worst_breaches);
  }
  MergeGroup(total_, other.total_, options_.worst_breaches);
  for (const auto& [k, v] : other.incidents_) incidents_[k] += v;
  for (const auto& [k, v] : other.org_plan_) org_plan_.emplace(k, v);
  for (const auto& [k, v] : other.support_) support_[k] += v;
  tickets_read_ += other.tickets_read_;
  tickets_in_scope_ += other.tickets_in_scope_;
}

SlaPeriodReport SlaReportBuilder::Finish() const {
  SlaPeriodReport r;
  r.from = options_.from;
  r.to = options_.to;
  r.as_of = as_of_;
  r.group_by = options_.group_by;
  for (const auto& [key, g] : groups_) r.groups.push_back(g);
  r.total = total_;
  for (const auto& [key, count] : incidents_) {
    IncidentAllowance a;
    a.organisation = key.first;
    a.month = key.second;
    a.incidents = count;
    if (auto p = org_plan_.find(key.first); p != org_plan_.end()) {
      a.plan = p->second;
      if (const Plan* plan = policy_->FindPlan(p->second)) a.allowance = plan->quota.incidents_per_month;
    }
    r.incident_allowance.push_back(std::move(a));
  }
  for (const auto& [org, plan_id] : org_plan_) {
    SupportHoursUse u;
    u.organisation = org;
    u.plan = plan_id;
    if (auto s = support_.find(org); s != support_.end()) u.used_seconds = s->second;
    if (options_.support_hours_budget) {
      u.budget_hours = options_.support_hours_budget;
    } else if (const Plan* plan = policy_->FindPlan(plan_id)) {
      u.budget_hours = plan->quota.support_hours;
    }
    r.support_hours.push_back(std::move(u));
  }
  r.tickets_read = tickets_read_;
  r.tickets_in_scope = tickets_in_scope_;
  return r;
}

}  // namespace sladesk
