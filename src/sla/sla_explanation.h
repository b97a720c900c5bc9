// SlaExplanation: how the SLA clock reached each answer, for
// `sla evaluate --explain`.
//
// Purpose: lists, per metric instance (every next_update cycle included),
// the severity and calendar used, the spans the clock ran, the pauses, the
// open windows of the calendar that were counted (BusinessCalendar::
// OpenIntervals) and how the due time was computed; plus notes on events
// the clock ignored and why. FormatSlaExplanation renders it for people.
// Thread-safety: plain value type. Ownership: owns everything it holds.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "calendar/business_calendar.h"
#include "common/instant.h"
#include "policy/policy.h"
#include "sla/sla_report.h"

namespace sladesk {

struct ExplainedSpan {
  Instant from;  // the clock ran over [from, to)
  Instant to;
  Seconds business_seconds = 0;
  std::vector<OpenInterval> open_windows;  // open windows inside [from, to)
};

struct InstanceExplanation {
  Metric metric = Metric::kFirstResponse;
  int cycle = 0;                 // next_update: 1-based cycle number; 0 otherwise
  bool latest = true;            // the instance the report describes
  MetricState state = MetricState::kNotStarted;
  std::string severity;          // the severity it was judged with
  std::string severity_reason;   // "in force at now" / "in force when it stopped"
  bool has_target = false;
  Seconds target_seconds = 0;
  std::optional<Seconds> goal_seconds;
  std::string calendar;          // calendar id
  std::shared_ptr<const BusinessCalendar> calendar_ref;  // for local times in the text
  std::string calendar_zone;
  Instant start;
  std::vector<ExplainedSpan> spans;
  // (paused at, resumed at); an open pause has no resume.
  std::vector<std::pair<Instant, std::optional<Instant>>> pauses;
  std::optional<Instant> stopped_at;
  std::optional<Instant> judged_at;  // the moment compared with the deadline
  Seconds elapsed_seconds = 0;
  std::optional<Instant> due_at;
  std::string due_reason;            // "add(2026-.., 28800 - 1800 s) = ..."
  std::vector<OpenInterval> due_windows;  // open windows from that resume to due_at
  std::optional<Instant> goal_due_at;
};

struct SlaExplanation {
  std::string initial_severity;
  std::string severity_at_now;
  Instant now;
  std::vector<std::string> notes;  // ignored events and why, severity changes
  std::vector<InstanceExplanation> instances;
};

// A readable multi-line account (UTC instants, open windows with local times).
std::string FormatSlaExplanation(const SlaExplanation& explanation);

}  // namespace sladesk
