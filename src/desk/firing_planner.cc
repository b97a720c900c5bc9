#include "desk/firing_planner.h"

#include <algorithm>

#include "desk/sla_projector.h"
#include "sla/sla_clock.h"

namespace sladesk {
namespace {

constexpr int kMaxSteps = 512;  // instants visited per call; the rest waits for the next call

const BusinessCalendar& MetricCalendar(const Target& target, const Plan& plan) {
  if (target.calendar) return *target.calendar;
  if (plan.calendar) return *plan.calendar;
  return *BusinessCalendar::AlwaysOpen();
}

// When a warning that falls at `t` reaches agents: at once while the
// metric's calendar is open (or has just closed, at the end of its last
// open second), else at its next opening.
std::optional<Instant> Deliver(const BusinessCalendar& cal, Instant t) {
  if (cal.IsOpen(t) || cal.IsOpen(t - std::chrono::seconds{1})) return t;
  return cal.NextOpen(t);
}

void Earliest(std::optional<Instant>& acc, std::optional<Instant> t) {
  if (t && (!acc || *t < *acc)) acc = t;
}

class Walk {
 public:
  Walk(const Policy& policy, const Plan& plan, const Ticket& ticket, std::span<const TicketEventRecord> log)
      : policy_(policy), plan_(plan), events_(SlaProjector::ToSlaEvents(policy, log)),
        severity_(SlaProjector::InitialSeverity(log, ticket)) {
    for (const auto& e : log)
      if (auto f = Firing::FromEvent(e)) fired_.push_back(std::move(*f));
  }

  bool Fired(const Firing& f) const {
    return std::any_of(fired_.begin(), fired_.end(), [&](const Firing& g) { return g.SameKey(f); });
  }
  void Add(Firing f) {
    fired_.push_back(f);
    out_.due.push_back(std::move(f));
  }

  // Evaluates at `t`: adds what is due by `t`; returns the next instant
  // after `t` at which something may fall due.
  Result<std::optional<Instant>> Step(Instant t) {
    EvaluateOptions options;
    options.compute_next_change = true;
    options.instances = &instances_;
    auto report = EvaluateSla(policy_, plan_, severity_, events_, t, options);
    if (!report.ok()) return report.error();
    std::optional<Instant> next = report->next_change;
    for (const auto& inst : instances_) {
      if (inst.state != MetricState::kBreached || !inst.breached_at) continue;
      Firing f;
      f.kind = EventKind::kSlaBreached;
      f.metric = std::string(MetricName(inst.metric));
      f.cycle = inst.cycle;
      f.at = *inst.breached_at + std::chrono::seconds{1};
      f.due = inst.due_at;
      if (!Fired(f)) Add(std::move(f));
    }
    int latest_cycle = 0;
    for (const auto& inst : instances_)
      if (inst.metric == Metric::kNextUpdate && inst.latest) latest_cycle = inst.cycle;
    for (const auto& m : report->metrics) {
      if (m.state != MetricState::kRunning || !m.target || !m.elapsed_seconds) continue;
      const std::vector<int>& warn =
          m.target->warn_at_percent.empty() ? policy_.warn_at_percent : m.target->warn_at_percent;
      for (int pct : warn) {
        if (pct <= 0 || pct > 100) continue;
        const Seconds threshold = (m.target->seconds * pct + 99) / 100;
        if (*m.elapsed_seconds < threshold) continue;
        Firing f;
        f.kind = EventKind::kSlaWarning;
        f.metric = std::string(MetricName(m.metric));
        f.cycle = m.metric == Metric::kNextUpdate ? latest_cycle : 0;
        f.threshold = pct;
        f.due = m.due_at;
        if (Fired(f)) continue;
        auto deliver = Deliver(MetricCalendar(*m.target, plan_), t);
        if (deliver && *deliver <= t) {
          f.at = t;
          Add(std::move(f));
        } else {
          Earliest(next, deliver);
        }
      }
    }
    return next;
  }

  FiringPlan& out() { return out_; }

 private:
  const Policy& policy_;
  const Plan& plan_;
  std::vector<TicketEvent> events_;
  std::string severity_;
  std::vector<Firing> fired_;
  std::vector<InstanceReport> instances_;
  FiringPlan out_;
};

}  // namespace

nlohmann::json Firing::Data() const {
  nlohmann::json j;
  if (!metric.empty()) j["metric"] = metric;
  j["cycle"] = cycle;
  if (kind == EventKind::kSlaWarning) j["percent"] = threshold;
  j["due"] = due ? nlohmann::json(FormatInstant(*due)) : nlohmann::json(nullptr);
  j["at"] = FormatInstant(at);
  return j;
}

std::optional<Firing> Firing::FromEvent(const TicketEventRecord& e) {
  if (e.kind != EventKind::kSlaWarning && e.kind != EventKind::kSlaBreached && e.kind != EventKind::kAutoClosed)
    return std::nullopt;
  auto data = nlohmann::json::parse(e.data_json, nullptr, false);
  if (!data.is_object()) return std::nullopt;
  Firing f;
  f.kind = e.kind;
  f.at = e.at;
  if (data.contains("metric") && data["metric"].is_string()) f.metric = data["metric"].get<std::string>();
  if (data.contains("cycle") && data["cycle"].is_number_integer()) f.cycle = data["cycle"].get<int>();
  if (data.contains("percent") && data["percent"].is_number_integer()) f.threshold = data["percent"].get<int>();
  return f;
}

Result<FiringPlan> FiringPlanner::Compute(const Policy& policy, const Plan& plan, const Ticket& ticket,
                                       std::span<const TicketEventRecord> log, Instant from, Instant now) {
  Walk walk(policy, plan, ticket, log);
  Instant limit = now;

  // Auto-close: the end of the current wait on the customer.
  std::optional<Firing> close;
  std::optional<Instant> close_later;
  if (policy.lifecycle.auto_close_after && ticket.status == TicketStatus::kWaitingOnCustomer) {
    int waits = 0;
    std::optional<Instant> since;
    for (const auto& e : log)
      if (e.kind == EventKind::kWaitingOnCustomer) {
        ++waits;
        since = e.at;
      }
    if (since) {
      const BusinessDuration& after = *policy.lifecycle.auto_close_after;
      const BusinessCalendar& cal =
          after.calendar ? *after.calendar : plan.calendar ? *plan.calendar : *BusinessCalendar::AlwaysOpen();
      auto end = cal.Add(*since, after.seconds);
      if (!end.ok()) return MakeError("auto_close", "the auto-close period never ends: " + end.error().message);
      Firing f;
      f.kind = EventKind::kAutoClosed;
      f.cycle = waits;
      f.at = *end;
      f.due = *end;
      if (!walk.Fired(f)) {
        if (*end <= now) {
          close = f;
          limit = *end;  // the ticket is resolved then: nothing after it fires
        } else {
          close_later = *end;
        }
      }
    }
  }

  Instant t = std::min(from, limit);
  std::optional<Instant> next;
  for (int step = 0;; ++step) {
    auto n = walk.Step(t);
    if (!n.ok()) return n.error();
    if (t == limit) {
      next = *n;
      break;
    }
    if (step >= kMaxSteps) {
      next = t;  // more to walk: come back at once
      break;
    }
    t = (*n && **n < limit) ? **n : limit;
  }
  FiringPlan& out = walk.out();
  if (close) out.due.push_back(*close);
  std::stable_sort(out.due.begin(), out.due.end(), [](const Firing& a, const Firing& b) { return a.at < b.at; });
  Earliest(next, close_later);
  if (!out.due.empty()) next = out.due.front().at;
  out.next_fire = next;
  return std::move(out);
}

}  // namespace sladesk
