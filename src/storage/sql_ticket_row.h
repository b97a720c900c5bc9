// SqlTicketRow: the tickets table's columns as SqlDeskRepository reads and
// writes them (moved out of sql_desk_repository.cc, which is at the size cap).
//
// Purpose: one place for the column lists and their mapping to Ticket, so
// the SELECT, INSERT and UPDATE cannot disagree: kSelectColumns and FromRow
// (what a read returns; clock_log is write-only here, only the stored SLA
// report reads it), kInsertColumns / kUpdateSet and Values (every written
// column after id, in that order; number and version are the callers').
// clock_log (migration 9): Ticket::clock_log, NULL when empty (not derived).
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <vector>

#include "desk/desk_types.h"
#include "storage/sql_value.h"

namespace sladesk {

class SqlTicketRow {
 public:
  // Sort key for tickets with no running clock: after every real due time.
  static constexpr std::int64_t kNoDueKey = 4'000'000'000'000'000LL;
  static const char* const kSelectColumns;
  // "number, <the Values columns>, version" and its placeholders.
  static const char* const kInsertColumns;
  static const char* const kInsertPlaceholders;
  // "organisation_id = ?, ..." for the Values columns, then "version = version + 1".
  static const char* const kUpdateSet;

  static Ticket FromRow(const SqlRow& r);
  static std::vector<SqlValue> Values(const Ticket& t);
};

}  // namespace sladesk
