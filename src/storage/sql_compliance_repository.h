// SqlComplianceRepository: ComplianceRepository in portable SQL over a
// SqlConnection (SQLite or PostgreSQL); tables of migration 7.
//
// Purpose: service incidents and maintenance windows, downtime notices,
// remedy periods, RCA tasks, and the scan of stored tickets that SLA
// reports stream (ScanReportTickets, in sql_report_scan.cc: windows of
// kScanWindow ticket ids; per window its escalations, then its tickets
// streamed with their clock_log (SqlConnection::QueryEach), and the
// clock-relevant event rows only of tickets without one).
// Thread-safety: not thread-safe; used by the thread that owns the connection.
// Ownership: borrows the connection, which must outlive it.
#pragma once

#include "desk/compliance_repository.h"
#include "storage/sql_connection.h"

namespace sladesk {

// The remedy_periods columns and their row mapper, shared with the
// scheduler's SQL (SqlDeskRepository::EndRemedyPeriods).
extern const char* const kRemedyPeriodColumns;
RemedyPeriodRecord RemedyPeriodFromRow(const SqlRow& r);

class SqlComplianceRepository final : public ComplianceRepository {
 public:
  static constexpr Id kScanWindow = 4096;

  explicit SqlComplianceRepository(SqlConnection& conn) : conn_(conn) {}

  Result<Id> InsertIncident(const ServiceIncidentRecord& incident) override;
  Result<std::optional<ServiceIncidentRecord>> GetIncident(Id id, bool lock) override;
  Result<bool> UpdateIncident(const ServiceIncidentRecord& incident, std::int64_t expected_version) override;
  Status DeleteIncident(Id id) override;
  Result<std::vector<ServiceIncidentRecord>> ListIncidents(const IncidentQuery& query) override;

  Result<Id> InsertDowntimeNotice(const DowntimeNoticeRecord& notice) override;
  Result<std::vector<DowntimeNoticeRecord>> ListDowntimeNotices(Id organisation_id) override;

  Result<Id> InsertRemedyPeriod(const RemedyPeriodRecord& period) override;
  Result<std::vector<RemedyPeriodRecord>> ListRemedyPeriods(Id organisation_id) override;
  Result<std::vector<std::int64_t>> FirstTicketsOpened(Id organisation_id, Instant from, Instant to, int limit) override;

  Result<Id> InsertRcaTask(const RcaTaskRecord& task) override;
  Result<std::optional<RcaTaskRecord>> FindRcaTask(Id organisation_id, const std::string& month) override;
  Result<std::vector<RcaTaskRecord>> ListRcaTasks(std::optional<Id> organisation_id, bool open_only) override;

  Result<Id> MaxTicketId() override;
  Status ScanReportTickets(const ReportTicketFilter& filter,
                           const std::function<Status(const StoredReportTicket&)>& visit) override;

 private:
  Result<Id> InsertReturningId(const std::string& sql, const std::vector<SqlValue>& params);

  SqlConnection& conn_;
};

}  // namespace sladesk
