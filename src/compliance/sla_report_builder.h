// SlaReportBuilder: aggregates ticket histories one at a time into an SLA
// report for a period (SlaPeriodReport), with memory that does not grow with
// the number of tickets.
//
// Purpose: the computation behind `sladesk report sla`, the API's
// /reports/sla and the monthly statement. Each ticket is evaluated by the
// SLA clock (src/sla) at as_of = min(now, to) with every instance reported
// (EvaluateOptions::instances), then counted into its group and the total.
// What is counted (see SlaGroupReport): tickets opened in [from, to),
// resolved in it, open at as_of; per metric the instances that stopped in
// the period plus those breached and still running at as_of; median / p90
// business time of first responses and resolutions that stopped in the
// period; every breach whose deadline passed in the period (lateness
// histograms and the worst few by wall lateness); escalations in the period;
// tickets opened per organisation and month against the plan's allowance;
// support time logged on tickets opened in the period.
// Memory: per group a few histograms (bounded, see duration_histogram.h) and
// `worst_breaches` records; per organisation one counter per month.
// Thread-safety: one builder per thread; Merge() combines them (the result
// does not depend on how tickets were split).
// Ownership: borrows the policy, which must outlive the builder.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "compliance/history_ticket.h"
#include "compliance/sla_period_report.h"
#include "policy/policy.h"
#include "sla/sla_report.h"

namespace sladesk {

struct SlaReportOptions {
  Instant from{};
  Instant to{};
  std::optional<Instant> now;  // default: to
  ReportGrouping group_by = ReportGrouping::kOrganisation;
  size_t worst_breaches = 10;  // kept per group
  // Budget for every organisation, overriding the plans' quota.support_hours.
  std::optional<double> support_hours_budget;
  // Only tickets of this organisation (empty: all).
  std::string organisation;
  // Only tickets of this plan, of this severity (the one in force at
  // as_of, as grouped) and of this assignee (empty: all).
  std::string plan;
  std::string severity;
  std::string assignee;
};

class SlaReportBuilder {
 public:
  // Errors: from >= to ("--to").
  [[nodiscard]] static Result<SlaReportBuilder> Create(const Policy& policy, SlaReportOptions options);

  // Counts one ticket. Errors name the ticket's field (unknown plan or
  // severity); the builder is unchanged then.
  [[nodiscard]] Status Add(const HistoryTicket& ticket);
  // Called with every breach counted (in Add's order), if set.
  void set_breach_sink(std::function<void(const BreachRecord&)> sink) { sink_ = std::move(sink); }

  void Merge(const SlaReportBuilder& other);
  SlaPeriodReport Finish() const;

  Instant as_of() const { return as_of_; }
  const SlaReportOptions& options() const { return options_; }

 private:
  SlaReportBuilder(const Policy& policy, SlaReportOptions options);
  static void MergeGroup(SlaGroupReport& into, const SlaGroupReport& from, size_t worst);
  static void KeepWorst(std::vector<BreachRecord>& list, const BreachRecord& b, size_t worst);

  const Policy* policy_;
  SlaReportOptions options_;
  Instant as_of_{};
  std::map<std::string, SlaGroupReport, std::less<>> groups_;
  SlaGroupReport total_;
  // (organisation, month) -> tickets opened, and organisation -> plan.
  std::map<std::pair<std::string, YearMonth>, std::int64_t> incidents_;
  std::map<std::string, std::string, std::less<>> org_plan_;
  std::map<std::string, Seconds, std::less<>> support_;
  std::int64_t tickets_read_ = 0;
  std::int64_t tickets_in_scope_ = 0;
  std::vector<InstanceReport> instances_;  // reused
  std::vector<BreachRecord> breaches_;     // reused per ticket
  std::function<void(const BreachRecord&)> sink_;
};

}  // namespace sladesk
