// ComplianceRepository: the storage of service incidents, maintenance
// windows, downtime notices, remedy periods and RCA tasks, and the
// streaming read of stored tickets for SLA reports.
//
// Purpose: the persistence ComplianceService needs, reached from a unit of
// work as DeskRepository::compliance(), so it runs in the same transaction
// as everything else (SQLite and PostgreSQL: storage/sql_compliance_repository).
// Absent rows are std::nullopt; errors are database failures. Updates with
// an expected version return false when the row changed meanwhile.
// Thread-safety: not thread-safe; one transaction, one thread.
// Ownership: implementations borrow their connection.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/compliance_records.h"

namespace sladesk {

class ComplianceRepository {
 public:
  virtual ~ComplianceRepository() = default;

  virtual Result<Id> InsertIncident(const ServiceIncidentRecord& incident) = 0;
  virtual Result<std::optional<ServiceIncidentRecord>> GetIncident(Id id, bool lock) = 0;
  // Writes every field and bumps the version; false if the version moved.
  virtual Result<bool> UpdateIncident(const ServiceIncidentRecord& incident, std::int64_t expected_version) = 0;
  virtual Status DeleteIncident(Id id) = 0;
  // By start, then id.
  virtual Result<std::vector<ServiceIncidentRecord>> ListIncidents(const IncidentQuery& query) = 0;

  virtual Result<Id> InsertDowntimeNotice(const DowntimeNoticeRecord& notice) = 0;
  virtual Result<std::vector<DowntimeNoticeRecord>> ListDowntimeNotices(Id organisation_id) = 0;

  virtual Result<Id> InsertRemedyPeriod(const RemedyPeriodRecord& period) = 0;
  // Newest first.
  virtual Result<std::vector<RemedyPeriodRecord>> ListRemedyPeriods(Id organisation_id) = 0;
  // Numbers of the organisation's tickets opened in [from, to), in order, at most `limit`.
  virtual Result<std::vector<std::int64_t>> FirstTicketsOpened(Id organisation_id, Instant from, Instant to, int limit) = 0;

  virtual Result<Id> InsertRcaTask(const RcaTaskRecord& task) = 0;
  virtual Result<std::optional<RcaTaskRecord>> FindRcaTask(Id organisation_id, const std::string& month) = 0;
  // Of one organisation, or all; open ones only when `open_only`. By month, then id.
  virtual Result<std::vector<RcaTaskRecord>> ListRcaTasks(std::optional<Id> organisation_id, bool open_only) = 0;

  // The highest ticket id (0: none), for splitting a scan between readers.
  virtual Result<Id> MaxTicketId() = 0;
  // Every ticket the filter selects, by id, with its clock events (the
  // stored clock log, else the log's records), escalations and names,
  // handed to `visit` one at a time (the ticket is only valid during the
  // call). Reads in id windows (bounded memory whatever the ticket count);
  // stops at visit's first error. `visit` may be called while the store
  // is still reading: it must not use this repository.
  virtual Status ScanReportTickets(const ReportTicketFilter& filter,
                                   const std::function<Status(const StoredReportTicket&)>& visit) = 0;
};

}  // namespace sladesk
