// The compliance records the desk stores (issue 11): service incidents and
// maintenance windows, customers' downtime notices, remedy periods and
// root-cause-analysis tasks, and the compact form of a stored ticket that
// the SLA report reads.
//
// Purpose: the vocabulary shared by ComplianceRepository, its SQL backend
// (storage/sql_compliance_repository) and ComplianceService. The rules on
// them live in src/compliance (pure) and desk/compliance_service.
// Thread-safety: plain value types. Ownership: each record owns its strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/instant.h"
#include "compliance/availability.h"
#include "desk/desk_types.h"

namespace sladesk {

enum class IncidentKind { kIncident, kMaintenance };
std::string_view IncidentKindName(IncidentKind k);  // "incident", "maintenance"

// A service incident or a maintenance window. organisation_id nullopt: the
// whole service (it counts for every organisation and is public on the
// status page); set: that organisation's only (private).
struct ServiceIncidentRecord {
  Id id = 0;
  IncidentKind kind = IncidentKind::kIncident;
  std::optional<Id> organisation_id;
  std::string service;      // the affected service ("hosting", "api"); public
  IncidentCause cause = IncidentCause::kOutage;
  std::string title;        // a short public summary (may be empty)
  std::string description;  // internal: never on the status page
  Instant start{};
  std::optional<Instant> end;  // nullopt: still open
  Id recorded_by = 0;
  Instant recorded_at{};
  std::optional<Id> ended_by;
  std::int64_t version = 1;
};

// Filters for listing incidents: overlapping [from, to), of one
// organisation (with or without the service-wide ones).
struct IncidentQuery {
  std::optional<IncidentKind> kind;
  std::optional<Id> organisation_id;
  bool include_service_wide = true;  // with organisation_id: also the service-wide ones
  bool service_wide_only = false;
  std::optional<Instant> from;  // ends after from (or open)
  std::optional<Instant> to;    // starts before to
  bool open_only = false;
  Id after_id = 0;
  int limit = 1000;
};

// A customer's notice of downtime (CONTRACT §8), as evaluated at its instant.
struct DowntimeNoticeRecord {
  Id id = 0;
  Id organisation_id = 0;
  Id notified_by = 0;
  Instant notified_at{};
  Instant window_from{};
  Instant window_to{};
  std::int64_t submitted = 0;
  std::int64_t considered = 0;
  std::int64_t over = 0;
  bool downtime = false;
  std::string result_json;  // the rule's whole answer (DowntimeResultToJson)
};

// The remedy period a downtime opens: the organisation's first max_tickets
// new tickets in [starts_at, ends_at) are tracked against their
// handling-time targets. The scheduler ends it (ended_at).
struct RemedyPeriodRecord {
  Id id = 0;
  Id organisation_id = 0;
  Id notice_id = 0;
  std::string month;  // YYYY-MM of starts_at in the rule's zone
  Instant starts_at{};
  Instant ends_at{};
  std::int64_t max_tickets = 0;
  std::optional<Instant> ended_at;
  Instant created_at{};
};

enum class RcaState { kOpen, kDone };
std::string_view RcaStateName(RcaState s);
std::optional<RcaState> RcaStateFromName(std::string_view s);

// A root-cause analysis owed for a month that missed its availability
// target (seed 004). One per organisation and month.
struct RcaTaskRecord {
  Id id = 0;
  Id organisation_id = 0;
  std::string month;  // YYYY-MM
  std::optional<Id> assignee_id;  // a team lead
  RcaState state = RcaState::kOpen;
  std::int64_t availability_micro_percent = 0;
  std::string target_percent;  // as written in the policy ("98")
  Instant opened_at{};
  Instant updated_at{};
};

// Which stored tickets an SLA report reads.
struct ReportTicketFilter {
  std::string policy_id;           // the organisations of this policy
  std::optional<Id> organisation_id;
  std::optional<std::string> plan_id;
  std::optional<Id> assignee_id;
  Instant opened_before{};         // the period's end: later tickets are out of scope
  std::optional<Instant> opened_from;  // and earlier ones, when set
  // Tickets resolved or closed with no change since this instant are out
  // of scope (resolved before the period); nullopt: no such cut.
  std::optional<Instant> untouched_resolved_before;
  Id after_id = 0;   // scan tickets with after_id < id <= up_to_id
  Id up_to_id = 0;   // 0: no upper bound
};

// A stored ticket as the SLA report reads it: only what HistoryTicket needs.
struct StoredReportTicket {
  Id id = 0;
  std::int64_t number = 0;
  std::string organisation;  // its name
  std::string plan_id;
  std::string severity;      // the current one (the opening one is in the `opened` event)
  std::string assignee;      // the assignee's name; empty: unassigned
  Seconds time_spent_seconds = 0;
  // Its clock events: the stored ClockLog text (tickets.clock_log, of the
  // version this build reads) when has_clock_log, and then `events` is
  // empty; else the clock-relevant records of its log, in log order.
  bool has_clock_log = false;
  std::string clock_log;
  std::vector<TicketEventRecord> events;
  std::vector<std::pair<Instant, std::int64_t>> escalations;  // (at, level)
};

}  // namespace sladesk
