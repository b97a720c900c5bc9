// SlaPeriodReport: what an SLA report says about a period, per group and in
// total: the result type of SlaReportBuilder (sla_report_builder.h), written
// by sla_report_writers.h as a table, JSON or CSV.
//
// Purpose: plain values for the CLI (`report sla`), the API
// (`GET /api/v1/reports/sla`) and the customer statement.
// Thread-safety: plain value types. Ownership: owns everything.
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/instant.h"
#include "compliance/civil_month.h"
#include "compliance/duration_histogram.h"
#include "policy/policy.h"

namespace sladesk {

enum class ReportGrouping { kOrganisation, kPlan, kSeverity, kAgent };
// "organisation", "plan", "severity", "agent".
std::string_view ReportGroupingName(ReportGrouping g);
std::optional<ReportGrouping> ReportGroupingFromName(std::string_view name);

// Met and breached instances of one metric in the period. Counted: instances
// that stopped in [from, to) (met or breached), and instances still running
// or paused at as_of that are breached (a running breach counts, as Jira
// Service Management's goal success does). Running instances within target
// are not counted yet.
struct MetricAttainment {
  std::int64_t met = 0;
  std::int64_t breached = 0;
  std::int64_t running_breached = 0;  // of `breached`
  // met / (met + breached); nullopt when nothing was counted.
  std::optional<double> share_met() const {
    const std::int64_t n = met + breached;
    if (n == 0) return std::nullopt;
    return static_cast<double>(met) / static_cast<double>(n);
  }
};

// One breached instance: which ticket, which metric (and next_update cycle),
// when it went over and by how much: business seconds over the target and
// wall-clock seconds from the deadline to where it was judged (its stop, or
// as_of for a running one).
struct BreachRecord {
  std::string ticket_id;
  std::string organisation;
  Metric metric = Metric::kFirstResponse;
  int cycle = 0;  // next_update cycle number, 0 otherwise
  std::string severity;
  Instant breached_at{};
  Seconds target_seconds = 0;
  Seconds late_business_seconds = 0;
  Seconds late_wall_seconds = 0;
  bool running = false;  // not stopped at as_of
};

// Incidents (tickets opened) by an organisation in one calendar month (in
// its plan's calendar zone) against the plan's incidents_per_month.
struct IncidentAllowance {
  std::string organisation;
  std::string plan;
  YearMonth month;
  std::int64_t incidents = 0;
  std::optional<int> allowance;  // nullopt: the plan sets none (unlimited)
  bool over() const { return allowance && incidents > *allowance; }
};

// Support time logged on the period's tickets against a budget (the plan's
// quota.support_hours, or the one the caller passes).
struct SupportHoursUse {
  std::string organisation;
  std::string plan;
  Seconds used_seconds = 0;
  std::optional<double> budget_hours;
  // used >= 80 % of the budget: the warning before it is exceeded.
  bool warning() const { return budget_hours && used_seconds * 5 >= static_cast<Seconds>(*budget_hours * 3600 * 4); }
  bool over() const { return budget_hours && static_cast<double>(used_seconds) > *budget_hours * 3600; }
};

struct SlaGroupReport {
  std::string key;                   // the group ("acme", "gold", "high", "ana"); "total" for the total
  std::int64_t opened = 0;           // first opened in [from, to)
  std::int64_t resolved = 0;         // resolved/closed in [from, to) and still so at as_of
  std::int64_t open = 0;             // opened before as_of and not resolved at as_of
  std::array<MetricAttainment, 3> metrics;  // by Metric
  DurationHistogram first_response;  // business seconds of first responses stopped in the period
  DurationHistogram resolution;      // business seconds of resolutions stopped in the period
  std::int64_t next_update_cycles = 0;    // cycles counted (= next_update met + breached)
  std::int64_t next_update_breaches = 0;
  std::int64_t breaches = 0;              // breaches that happened in [from, to), every metric
  DurationHistogram late_business;        // of those breaches
  DurationHistogram late_wall;
  std::vector<BreachRecord> worst_breaches;  // the latest `worst_breaches` by wall lateness
  std::int64_t escalations = 0;
  std::map<std::string, std::int64_t> escalations_by_level;
  Seconds support_seconds = 0;
};

struct SlaPeriodReport {
  Instant from{};
  Instant to{};
  Instant as_of{};  // min(now, to): when the clocks were read
  ReportGrouping group_by = ReportGrouping::kOrganisation;
  std::vector<SlaGroupReport> groups;  // sorted by key
  SlaGroupReport total;
  std::vector<IncidentAllowance> incident_allowance;  // by organisation, month
  std::vector<SupportHoursUse> support_hours;         // by organisation
  std::int64_t tickets_read = 0;
  std::int64_t tickets_in_scope = 0;  // opened before to and not resolved before from
};

}  // namespace sladesk
