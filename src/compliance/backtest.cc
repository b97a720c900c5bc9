#include "compliance/backtest.h"

#include <algorithm>
#include <set>

#include "sla/sla_clock.h"

namespace sladesk {
namespace {

std::string KnownPlans(const Policy& policy) {
  std::string out;
  for (const auto& p : policy.plans) out += (out.empty() ? "" : ", ") + p.id;
  return out;
}

// Every calendar the plan's targets run on.
std::vector<const BusinessCalendar*> PlanCalendars(const Plan& plan) {
  std::vector<const BusinessCalendar*> out;
  auto add = [&](const BusinessCalendar* c) {
    if (c != nullptr && std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
  };
  for (const auto& [sev, metrics] : plan.targets)
    for (const auto& [metric, target] : metrics) {
      if (target.calendar) add(target.calendar.get());
      else if (plan.calendar) add(plan.calendar.get());
      else add(BusinessCalendar::AlwaysOpen().get());
    }
  return out;
}

std::vector<std::string> Names(const std::vector<const BusinessCalendar*>& cals) {
  std::vector<std::string> out;
  for (const auto* c : cals) out.push_back(c->always_open() ? "24x7" : c->id());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

Seconds CoveredSeconds(const std::vector<const BusinessCalendar*>& calendars, Instant from, Instant to) {
  if (to <= from) return 0;
  std::vector<OpenInterval> all;
  for (const BusinessCalendar* c : calendars) {
    if (c->always_open()) return ToEpoch(to) - ToEpoch(from);
    auto iv = c->OpenIntervals(from, to);
    all.insert(all.end(), iv.begin(), iv.end());
  }
  std::sort(all.begin(), all.end(), [](const OpenInterval& a, const OpenInterval& b) { return a.start < b.start; });
  Seconds total = 0;
  std::optional<OpenInterval> cur;
  for (const OpenInterval& i : all) {
    if (cur && i.start <= cur->end) {
      cur->end = std::max(cur->end, i.end);
      continue;
    }
    if (cur) total += ToEpoch(cur->end) - ToEpoch(cur->start);
    cur = i;
  }
  if (cur) total += ToEpoch(cur->end) - ToEpoch(cur->start);
  return total;
}

Status Backtest::Add(const HistoryTicket& t) {
  const Plan* base_plan = baseline_->FindPlan(t.plan);
  if (base_plan == nullptr)
    return MakeError("plan", "unknown plan '" + t.plan + "' in the baseline policy (known: " + KnownPlans(*baseline_) + ")");
  const Plan* cand_plan = candidate_->FindPlan(t.plan);
  if (cand_plan == nullptr)
    return MakeError("plan",
                     "unknown plan '" + t.plan + "' in the candidate policy (known: " + KnownPlans(*candidate_) + ")");
  std::optional<Instant> lo, hi;
  for (const TicketEvent& e : t.events) {
    lo = lo ? std::min(*lo, e.at) : e.at;
    hi = hi ? std::max(*hi, e.at) : e.at;
  }
  const Instant now = options_.now ? *options_.now : hi.value_or(Instant{});
  const std::string& base_sev = t.severity.empty() ? baseline_->default_severity : t.severity;
  const std::string& cand_sev = t.severity.empty() ? candidate_->default_severity : t.severity;
  auto base = EvaluateSla(*baseline_, *base_plan, base_sev, t.events, now);
  if (!base.ok()) {
    Error e = base.error();
    e.message += " (baseline policy)";
    return e;
  }
  auto cand = EvaluateSla(*candidate_, *cand_plan, cand_sev, t.events, now);
  if (!cand.ok()) {
    Error e = cand.error();
    e.message += " (candidate policy)";
    return e;
  }
  // The severity in force at now (for the key).
  std::string_view severity = base_sev;
  std::optional<Instant> latest_change;
  for (const TicketEvent& e : t.events)
    if (e.type == EventType::kSeverityChanged && e.at <= now && (!latest_change || e.at >= *latest_change)) {
      latest_change = e.at;
      severity = e.severity;
    }
  ++tickets_;
  if (lo) {
    first_ = first_ ? std::min(*first_, *lo) : *lo;
    last_ = last_ ? std::max(*last_, *hi) : *hi;
  }
  bool changed = false;
  for (Metric m : kAllMetrics) {
    const MetricReport& b = (*base)[m];
    const MetricReport& c = (*cand)[m];
    const bool counted = (b.state != MetricState::kNoTarget && b.state != MetricState::kNotStarted) ||
                         (c.state != MetricState::kNoTarget && c.state != MetricState::kNotStarted);
    if (!counted) continue;
    BacktestCell& cell = cells_[BacktestKey{t.plan, std::string(severity), m}];
    ++cell.instances;
    cell.baseline_breaches += b.breaches;
    cell.candidate_breaches += c.breaches;
    if (c.breaches > b.breaches) cell.gained += c.breaches - b.breaches;
    if (b.breaches > c.breaches) cell.lost += b.breaches - c.breaches;
    changed = changed || b.breaches != c.breaches;
  }
  changed_ += changed;
  return Status::Ok();
}

void Backtest::Merge(const Backtest& o) {
  for (const auto& [k, c] : o.cells_) {
    BacktestCell& into = cells_[k];
    into.instances += c.instances;
    into.baseline_breaches += c.baseline_breaches;
    into.candidate_breaches += c.candidate_breaches;
    into.gained += c.gained;
    into.lost += c.lost;
  }
  if (o.first_) {
    first_ = first_ ? std::min(*first_, *o.first_) : *o.first_;
    last_ = last_ ? std::max(*last_, *o.last_) : *o.last_;
  }
  tickets_ += o.tickets_;
  changed_ += o.changed_;
}

BacktestResult Backtest::Finish() const {
  BacktestResult r;
  r.cells = cells_;
  for (const auto& [k, c] : cells_) {
    r.total.instances += c.instances;
    r.total.baseline_breaches += c.baseline_breaches;
    r.total.candidate_breaches += c.candidate_breaches;
    r.total.gained += c.gained;
    r.total.lost += c.lost;
  }
  r.span_from = first_;
  r.span_to = last_;
  r.tickets = tickets_;
  r.tickets_changed = changed_;
  r.now = options_.now;
  std::set<std::string> plans;
  for (const auto& p : baseline_->plans) plans.insert(p.id);
  for (const auto& p : candidate_->plans) plans.insert(p.id);
  // Every plan's calendars together first: the desk's whole staffing.
  {
    CoverageChange all;
    all.plan = "(all plans)";
    std::vector<const BusinessCalendar*> bc, nc;
    for (const auto& p : baseline_->plans)
      for (const auto* c : PlanCalendars(p))
        if (std::find(bc.begin(), bc.end(), c) == bc.end()) bc.push_back(c);
    for (const auto& p : candidate_->plans)
      for (const auto* c : PlanCalendars(p))
        if (std::find(nc.begin(), nc.end(), c) == nc.end()) nc.push_back(c);
    all.baseline_calendars = Names(bc);
    all.candidate_calendars = Names(nc);
    if (first_ && last_) {
      all.baseline_seconds = CoveredSeconds(bc, *first_, *last_);
      all.candidate_seconds = CoveredSeconds(nc, *first_, *last_);
    }
    r.coverage.push_back(std::move(all));
  }
  for (const std::string& id : plans) {
    CoverageChange c;
    c.plan = id;
    const Plan* b = baseline_->FindPlan(id);
    const Plan* n = candidate_->FindPlan(id);
    const auto bc = b ? PlanCalendars(*b) : std::vector<const BusinessCalendar*>{};
    const auto nc = n ? PlanCalendars(*n) : std::vector<const BusinessCalendar*>{};
    c.baseline_calendars = Names(bc);
    c.candidate_calendars = Names(nc);
    if (first_ && last_) {
      c.baseline_seconds = CoveredSeconds(bc, *first_, *last_);
      c.candidate_seconds = CoveredSeconds(nc, *first_, *last_);
    }
    r.coverage.push_back(std::move(c));
  }
  return r;
}

}  // namespace sladesk
