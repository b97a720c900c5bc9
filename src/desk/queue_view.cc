#include "desk/queue_view.h"

namespace sladesk {

std::string_view QueueStateName(QueueState s) {
  switch (s) {
    case QueueState::kRunning: return "running";
    case QueueState::kWarning: return "warning";
    case QueueState::kPaused: return "paused";
    case QueueState::kBreached: return "breached";
    case QueueState::kMet: return "met";
    case QueueState::kNone: return "none";
  }
  return "none";
}

QueueEntry QueueView::Evaluate(QueueRow row, const PolicyRegistry& policies, Instant now) {
  QueueEntry e;
  const Ticket& t = row.ticket;
  e.breached = t.breached || (t.next_due && *t.next_due < now);
  const std::pair<Metric, std::optional<Instant>> dues[] = {{Metric::kFirstResponse, t.first_response_due},
                                                            {Metric::kNextUpdate, t.next_update_due},
                                                            {Metric::kResolution, t.resolution_due}};
  const bool running = t.next_due.has_value();
  for (const auto& [m, due] : dues) {
    if (!due) continue;
    if (running ? *due == *t.next_due : (!e.next_due_at || *due < *e.next_due_at)) {
      e.next_due_at = due;
      e.next_due_metric = m;
      if (running) break;
    }
  }
  if (!e.next_due_metric) {
    const bool done = t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed;
    e.state = e.breached ? QueueState::kBreached : done ? QueueState::kMet : QueueState::kNone;
    e.row = std::move(row);
    return e;
  }
  const Policy* policy = policies.Find(row.policy_id);
  const Plan* plan = policy ? policy->FindPlan(t.plan_id) : nullptr;
  const Target* target = plan ? plan->FindTarget(t.severity, *e.next_due_metric) : nullptr;
  if (target && target->calendar) {
    const BusinessCalendar& cal = *target->calendar;
    e.calendar = &cal;
    const Instant due = *e.next_due_at;
    e.business_seconds_left = due >= now ? cal.Between(now, due) : -cal.Between(due, now);
    e.calendar_open_now = cal.IsOpen(now);
    if (e.calendar_open_now) {
      auto windows = cal.OpenIntervals(now, now + std::chrono::hours(24 * 8));
      if (!windows.empty()) e.calendar_open_until = windows.front().end;
    } else {
      e.next_open_at = cal.NextOpen(now);
    }
    if (running) {
      if (now > due) {
        e.state = QueueState::kBreached;
      } else {
        e.state = QueueState::kRunning;
        const Seconds elapsed = target->seconds - *e.business_seconds_left;
        const auto& warn = target->warn_at_percent.empty() ? policy->warn_at_percent : target->warn_at_percent;
        for (int p : warn) {
          if (elapsed * 100 >= static_cast<Seconds>(p) * target->seconds) {
            e.state = QueueState::kWarning;
            continue;
          }
          const Seconds threshold = (static_cast<Seconds>(p) * target->seconds + 99) / 100;
          auto at = cal.Add(now, threshold - elapsed);
          if (at.ok() && (!e.warning_at || *at < *e.warning_at)) e.warning_at = *at;
        }
      }
    } else {
      e.state = t.status == TicketStatus::kWaitingOnCustomer || !e.breached ? QueueState::kPaused : QueueState::kBreached;
    }
  } else {
    e.state = running ? (now > *e.next_due_at ? QueueState::kBreached : QueueState::kRunning) : QueueState::kPaused;
  }
  e.row = std::move(row);
  return e;
}

}  // namespace sladesk
