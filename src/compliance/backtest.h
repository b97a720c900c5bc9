// Backtest: replays ticket histories against a candidate policy and the
// baseline (current) one and counts the breaches the change gains or loses,
// per plan, severity and metric, and the staffed hours the candidate's
// calendars need compared with the baseline's over the history's span.
//
// Purpose: `sladesk backtest` ("what would this policy change have done to
// last quarter?"). Each ticket is evaluated with the SLA clock under both
// policies at the same `now`: Options::now, or else the ticket's own last
// event (its clocks as they stood when the history ends for it). A
// ticket's breaches per metric are MetricReport::breaches (first response
// and resolution 0 or 1, next_update the breached cycles); gained = more
// under the candidate, lost = fewer. The key is (plan, the severity in force
// at now under the baseline's default, metric). Coverage: per plan, the
// union of the open intervals of every calendar its targets run on (plan
// calendar, severity calendars, target calendars), summed over
// [first event, last event] of the history; 24x7 counts every second.
// Memory: one cell per (plan, severity, metric) and a span.
// Thread-safety: one Backtest per thread, then Merge (order-independent).
// Ownership: borrows both policies.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "common/result.h"
#include "compliance/history_ticket.h"
#include "policy/policy.h"

namespace sladesk {

struct BacktestCell {
  std::int64_t instances = 0;           // tickets counted for this metric (a target under either policy)
  std::int64_t baseline_breaches = 0;
  std::int64_t candidate_breaches = 0;
  std::int64_t gained = 0;              // breaches the candidate adds
  std::int64_t lost = 0;                // breaches the candidate removes
};

struct BacktestKey {
  std::string plan;
  std::string severity;
  Metric metric = Metric::kFirstResponse;
  friend bool operator<(const BacktestKey& a, const BacktestKey& b) {
    return std::tie(a.plan, a.severity, a.metric) < std::tie(b.plan, b.severity, b.metric);
  }
};

struct CoverageChange {
  std::string plan;
  Seconds baseline_seconds = 0;   // staffed seconds over the span
  Seconds candidate_seconds = 0;
  std::vector<std::string> baseline_calendars;
  std::vector<std::string> candidate_calendars;
};

struct BacktestResult {
  std::map<BacktestKey, BacktestCell> cells;
  BacktestCell total;
  std::vector<CoverageChange> coverage;  // by plan
  std::optional<Instant> span_from;      // the history's first and last event
  std::optional<Instant> span_to;
  std::int64_t tickets = 0;
  std::int64_t tickets_changed = 0;      // any metric's breaches differ
  std::optional<Instant> now;            // Options::now, if set
};

class Backtest {
 public:
  struct Options {
    std::optional<Instant> now;
  };
  Backtest(const Policy& baseline, const Policy& candidate, Options options)
      : baseline_(&baseline), candidate_(&candidate), options_(options) {}

  // Errors name the field and the policy: "plan: unknown plan 'x' in the
  // candidate policy (known: ...)".
  [[nodiscard]] Status Add(const HistoryTicket& ticket);
  void Merge(const Backtest& other);
  // Computes the coverage (calendar lookups over the span).
  BacktestResult Finish() const;

 private:
  const Policy* baseline_;
  const Policy* candidate_;
  Options options_;
  std::map<BacktestKey, BacktestCell> cells_;
  std::optional<Instant> first_, last_;
  std::int64_t tickets_ = 0;
  std::int64_t changed_ = 0;
};

// Staffed seconds of the union of `calendars` over [from, to).
Seconds CoveredSeconds(const std::vector<const BusinessCalendar*>& calendars, Instant from, Instant to);

}  // namespace sladesk
