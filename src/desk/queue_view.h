// QueueView: the agents' queue row as it stands at `now`: which clock is
// due next, its state (running, warning, paused, breached, met, none), the
// business time left on its calendar, the next warning threshold, and
// whether business time is passing right now.
//
// Purpose: the queue shows many tickets at once, so it never re-reads
// event logs: everything comes from the stored due columns (as of the last
// change) and the policy's calendars (a few binary searches a row). With
// no event since, the only things time changes are a running clock
// passing a warning threshold or its due time: both are computed here.
// Thread-safety: pure. Ownership: the calendar pointer points into the
// policy registry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/policy_registry.h"

namespace sladesk {

enum class QueueState { kRunning, kWarning, kPaused, kBreached, kMet, kNone };
std::string_view QueueStateName(QueueState s);  // "running", "warning", ...

struct QueueEntry {
  QueueRow row;
  std::optional<Instant> next_due_at;
  std::optional<Metric> next_due_metric;
  QueueState state = QueueState::kNone;
  std::optional<Instant> warning_at;
  std::optional<Seconds> business_seconds_left;
  const BusinessCalendar* calendar = nullptr;
  bool calendar_open_now = false;
  std::optional<Instant> calendar_open_until;
  std::optional<Instant> next_open_at;
  bool breached = false;
};

class QueueView {
 public:
  static QueueEntry Evaluate(QueueRow row, const PolicyRegistry& policies, Instant now);
};

}  // namespace sladesk
