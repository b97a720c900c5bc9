// MonthlyStatement: what a customer success manager sends an organisation
// for one month: its SLA attainment (the month and week by week), breaches,
// incidents against the plan's allowance, support hours, and the month's
// availability level when the policy has one (CONTRACT §7).
//
// Purpose: the data of `sladesk report statement` (rendered to HTML by
// statement_html.h) and of the API's statement endpoint later. Built like
// an SLA report: StatementBuilder takes the organisation's tickets one at a
// time (others are skipped), so memory stays flat.
// The month is the local month in the organisation's plan's calendar zone
// (UTC for 24x7); weeks run Monday to Monday in that zone, clipped to the
// month. Clocks are read at min(now, month end).
// Thread-safety: single-threaded builder; the result is a plain value.
// Ownership: borrows the policy.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "compliance/availability.h"
#include "compliance/civil_month.h"
#include "compliance/history_ticket.h"
#include "compliance/sla_period_report.h"
#include "compliance/sla_report_builder.h"

namespace sladesk {

struct WeekAttainment {
  Instant from{};
  Instant to{};
  std::string label;  // "Mar 2" (the local date it starts)
  std::int64_t met = 0;       // every metric together
  std::int64_t breached = 0;
  std::optional<double> share_met() const {
    if (met + breached == 0) return std::nullopt;
    return static_cast<double>(met) / static_cast<double>(met + breached);
  }
};

struct MonthlyStatement {
  std::string organisation;
  std::string plan_id;
  std::string plan_name;
  std::string policy_name;
  YearMonth month;
  std::string zone;
  SlaPeriodReport report;              // the month, the organisation's tickets only
  std::vector<WeekAttainment> weeks;
  std::optional<AvailabilityResult> availability;
};

class StatementBuilder {
 public:
  // `plan_id` names the organisation's plan (its zone sets the month); the
  // tickets' own plans are still used for their clocks.
  [[nodiscard]] static Result<StatementBuilder> Create(const Policy& policy, const std::string& organisation,
                                                       const std::string& plan_id, YearMonth month,
                                                       std::optional<Instant> now);
  // Tickets of other organisations are skipped.
  [[nodiscard]] Status Add(const HistoryTicket& ticket);
  // With the month's availability when `availability` is given.
  MonthlyStatement Finish(std::optional<AvailabilityResult> availability) const;

  Instant month_start() const { return month_start_; }
  Instant month_end() const { return month_end_; }
  const TimeZone& zone() const { return *zone_; }

 private:
  StatementBuilder() = default;
  const Policy* policy_ = nullptr;
  const Plan* plan_ = nullptr;
  std::string organisation_;
  YearMonth month_;
  std::shared_ptr<const TimeZone> zone_;
  Instant month_start_{}, month_end_{};
  std::vector<SlaReportBuilder> builders_;  // [0] the month, then one per week
  std::vector<WeekAttainment> weeks_;
};

}  // namespace sladesk
