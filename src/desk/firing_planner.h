// FiringPlanner: what the SLA scheduler fires for one ticket, and when it
// next has to look at it.
//
// Purpose: the pure rule behind TicketClockService::FireDue and behind the
// due instant every save stores (TicketAccess::Save). It walks the ticket's
// clocks from `from` (the ticket's last save, when everything before was
// settled) to `now`, visiting each instant the SLA engine's NextChange
// names, and lists what fell due on the way and is not yet in the log:
// * sla_warning: a running metric instance reached a warning threshold of
//   its target (Target::warn_at_percent, else Policy::warn_at_percent; the
//   policy registry supplies 75 when a policy states none). A warning that
//   falls while the metric's calendar is closed waits for its next opening
//   (an instant at the very end of an open window, e.g. 17:00 of 09–17,
//   counts as open); a 24x7 metric is never closed. A metric that is no
//   longer running when its warning would be delivered is not warned (it
//   is warned when it runs again, if the threshold still stands).
// * sla_breached: a metric instance ran past its deadline: `at` is the
//   first second of the breach (due + 1 s), recorded whatever the hours,
//   also for a next_update cycle already left behind.
// * auto_closed: the ticket has waited on the customer for the policy's
//   auto_close period (business time on its calendar, default the plan's
//   support hours) since the wait began; nothing after that instant fires.
// Each firing has a key (metric, cycle, kind, threshold) under which it is
// recorded once: the log is read for those already fired, and storage
// holds the same key unique as the last guard. `next_fire` is the next
// instant after `now` at which something may fire (nullopt: nothing runs);
// when something is due, the earliest due `at` (the scheduler claims it at
// once).
// Thread-safety: stateless. Ownership: none; the result owns its values.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "desk/desk_types.h"
#include "policy/policy.h"

namespace sladesk {

// The default warning threshold where a policy states none.
inline constexpr int kDefaultWarnPercent = 75;

struct Firing {
  EventKind kind = EventKind::kSlaWarning;  // kSlaWarning, kSlaBreached or kAutoClosed
  std::string metric;         // "first_response", "next_update", "resolution"; "" for auto_closed
  int cycle = 0;              // next_update cycle (1, 2, ...); auto_closed: the wait (1, 2, ...); else 0
  int threshold = 0;          // warning percent; 0 otherwise
  Instant at{};               // when it fires (the event's `at`)
  std::optional<Instant> due;  // the metric's deadline (auto_closed: the end of the wait)

  // The event's payload: metric, cycle, due, at (and percent for warnings).
  nlohmann::json Data() const;
  // Reads a logged sla_warning / sla_breached / auto_closed event's key.
  static std::optional<Firing> FromEvent(const TicketEventRecord& event);
  bool SameKey(const Firing& o) const {
    return kind == o.kind && metric == o.metric && cycle == o.cycle && threshold == o.threshold;
  }
};

struct FiringPlan {
  std::vector<Firing> due;           // in `at` order
  std::optional<Instant> next_fire;  // see above
};

class FiringPlanner {
 public:
  // `from` <= `now`; a `from` after `now` is taken as `now`. Errors come from
  // the SLA engine (an unknown severity, an unreachable deadline).
  static Result<FiringPlan> Compute(const Policy& policy, const Plan& plan, const Ticket& ticket,
                                    std::span<const TicketEventRecord> log, Instant from, Instant now);
};

}  // namespace sladesk
