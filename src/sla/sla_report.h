// SlaReport: the answer of the SLA clock for one ticket at one instant
// (CONTRACT §4, §6): one MetricReport per metric, in the order
// first_response, next_update, resolution.
//
// Purpose: what EvaluateSla (sla_clock.h) returns and what sla_json.h writes
// as the `sla evaluate` output. Fields that do not apply are nullopt (null in
// JSON).
// Thread-safety: plain value type. Ownership: owns its values; `target`
// points into the Plan that was evaluated and lives as long as that Plan.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "common/instant.h"
#include "policy/policy.h"

namespace sladesk {

enum class MetricState { kNotStarted, kRunning, kPaused, kMet, kBreached, kNoTarget };

// "not_started", "running", "paused", "met", "breached", "no_target".
std::string_view MetricStateName(MetricState state);

struct MetricReport {
  Metric metric = Metric::kFirstResponse;
  MetricState state = MetricState::kNotStarted;
  std::optional<Seconds> target_seconds;   // the applicable target (a range's upper bound)
  std::optional<Seconds> elapsed_seconds;  // business seconds counted so far
  std::optional<Instant> due_at;
  std::optional<Instant> goal_due_at;      // a range's lower bound as an instant
  std::optional<Instant> stopped_at;       // the stop event's time
  // Breached instances of this metric: breached next_update cycles over the
  // whole history; 0 or 1 for first_response and resolution.
  int breaches = 0;
  // Not part of the JSON output; for the scheduler and notifications.
  const Target* target = nullptr;          // the target judged against, if any
  int warned_percent = 0;                  // highest warn_at_percent reached, 0 = none
};

// One judged metric instance: first_response, resolution, or one next_update
// cycle (finished or the latest). Filled only on request
// (EvaluateOptions::instances), for reports that need every cycle's figures
// (the downtime rule of CONTRACT §8, SLA reports, backtests).
struct InstanceReport {
  Metric metric = Metric::kFirstResponse;
  int cycle = 0;                       // next_update: 1 for the first cycle; 0 otherwise
  bool latest = true;                  // false for a finished next_update cycle left behind
  MetricState state = MetricState::kNotStarted;  // met, breached, running, paused or no_target
  std::string severity;                // the severity it was judged with (§4)
  std::optional<Seconds> target_seconds;   // nullopt when no_target
  std::optional<Seconds> elapsed_seconds;  // business seconds counted; nullopt when no_target
  Instant started_at{};                // its start (opened, first reply, cycle start)
  // Where its clock was last read: the stop (or the pause before a stop while
  // paused), the pause of a paused instance, or `now` for a running one.
  Instant judged_at{};
  std::optional<Instant> stopped_at;   // the stop event's time
  std::optional<Instant> due_at;       // as in MetricReport
  // The deadline of the first clock span that ran past it: the instant the
  // instance became breached (nullopt unless state == kBreached).
  std::optional<Instant> breached_at;
};

struct SlaReport {
  std::array<MetricReport, 3> metrics;  // indexed by Metric
  // The next instant after `now` at which a report would change by the mere
  // passage of time (a warning threshold or a breach); filled only when
  // EvaluateOptions::compute_next_change is set.
  std::optional<Instant> next_change;

  const MetricReport& operator[](Metric m) const { return metrics[static_cast<int>(m)]; }
  MetricReport& operator[](Metric m) { return metrics[static_cast<int>(m)]; }
};

}  // namespace sladesk
