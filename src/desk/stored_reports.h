// StoredReports: SLA reports and monthly statements computed from the
// store, with the pure builders of src/compliance (SlaReportBuilder,
// StatementBuilder) and the same figures as `sladesk report sla` /
// `report statement` on the same tickets.
//
// Purpose: Prepare resolves a query (the policy: the organisation's, else
// `policy_id`, else the only one loaded; the agent's name; the builder's
// options) and the store filter; Scan streams the selected stored tickets
// (ComplianceRepository::ScanReportTickets, pages of a few thousand, so
// memory stays flat) into a builder, over a ticket-id range so callers may
// split a large report between reader threads and Merge the builders.
// SlaReport does both in one unit of work; Statement builds an
// organisation's month with its availability when the policy has a level.
// Staff only; a contact may read their own organisation's statement.
// Thread-safety: one unit of work, one thread (Prepare's result may be
// shared read-only). Ownership: borrows; PreparedSlaReport borrows the
// registry's policy.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "compliance/sla_report_builder.h"
#include "compliance/statement.h"
#include "desk/compliance_records.h"
#include "desk/desk_repository.h"
#include "desk/policy_registry.h"

namespace sladesk {

struct StoredSlaQuery {
  Instant from{};
  Instant to{};
  ReportGrouping group_by = ReportGrouping::kOrganisation;
  std::optional<Id> organisation_id;
  std::string policy_id;  // empty: the organisation's, or the only policy loaded
  std::string plan;       // empty: every plan
  std::string severity;   // in force at as_of; empty: every severity
  std::optional<Id> agent_id;
  std::size_t worst_breaches = 10;
  std::optional<double> support_hours_budget;
};

struct PreparedSlaReport {
  const Policy* policy = nullptr;
  SlaReportOptions options;
  ReportTicketFilter filter;
};

class StoredReports {
 public:
  StoredReports(DeskRepository& repo, const PolicyRegistry& policies) : repo_(repo), policies_(policies) {}

  Result<PreparedSlaReport> Prepare(const User& actor, Instant now, const StoredSlaQuery& query);
  // The store filter for builder options on a policy: its organisations'
  // tickets opened before `to`, less those resolved and untouched since
  // before `from` (which the builder leaves out of scope anyway).
  static ReportTicketFilter FilterFor(const SlaReportOptions& options, const std::string& policy_id);
  // Adds the tickets with after_id < id <= up_to_id (0: no bound) to `builder`.
  static Status Scan(DeskRepository& repo, const PreparedSlaReport& prepared, Id after_id, Id up_to_id,
                     SlaReportBuilder& builder);
  Result<SlaPeriodReport> SlaReport(const User& actor, Instant now, const StoredSlaQuery& query);

  // `month` YYYY-MM, local to the organisation's plan's calendar.
  Result<MonthlyStatement> Statement(const User& actor, Instant now, Id organisation_id, const std::string& month);

 private:
  DeskRepository& repo_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
