// Converting a CSV shaped like Zendesk's ticket metric events export into
// ticket histories (history_ticket.h).
//
// Purpose: `sladesk history import-zendesk --csv FILE`. The CSV has a
// header naming at least ticket_id, metric, instance_id, type and time
// (Zendesk's columns; `id` and others are ignored), and optionally
// organisation, plan, priority (or severity) and assignee per row. Rows are
// grouped by ticket (in any order) and mapped to CONTRACT §4 events:
//   agent_work_time or reply_time activate, first instance  -> opened
//   reply_time / periodic_update_time / pausable_update_time fulfill -> agent_reply
//   requester_wait_time pause                                -> waiting_on_customer
//   requester_wait_time activate after a pause, same instance -> customer_reply
//   requester_wait_time / agent_work_time / resolution_time fulfill -> resolved
//   any activate of a later instance after a resolve         -> reopened
//   apply_sla, breach, update_status, measure                -> ignored (Zendesk's
//                                                              own derived facts)
// Identical (type, time) events of a ticket are kept once; events are in
// time order (ties: file order). Memory grows with the tickets of the file
// (an import, not the replay path).
// Thread-safety: single-threaded. Ownership: owns what it collects.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "compliance/history_ticket.h"

namespace sladesk {

struct ZendeskDefaults {
  std::string organisation;  // when the CSV has no organisation column or it is empty
  std::string plan;
  std::string severity;      // empty: leave it to the policy's default
};

class ZendeskImport {
 public:
  explicit ZendeskImport(ZendeskDefaults defaults) : defaults_(std::move(defaults)) {}
  // The whole CSV text. Errors: "line 3: time: ...", a missing column, a
  // ticket with no plan anywhere.
  [[nodiscard]] Status AddCsv(std::string_view csv);
  // The tickets in ticket_id order (numeric ids numerically).
  [[nodiscard]] Result<std::vector<HistoryTicket>> Finish() const;
  std::int64_t rows() const { return rows_; }
  std::int64_t ignored_rows() const { return ignored_; }

 private:
  struct Row {
    Instant at;
    std::int64_t order;
    std::string metric;
    std::string type;
    std::string instance;
  };
  struct Pending {
    HistoryTicket ticket;
    std::vector<Row> rows;
  };
  ZendeskDefaults defaults_;
  std::map<std::string, Pending> tickets_;
  std::int64_t rows_ = 0;
  std::int64_t ignored_ = 0;
};

// RFC 4180 fields of one CSV record starting at `pos` (advanced past it);
// false at the end of the text. Quoted fields may hold commas, quotes ("")
// and newlines.
bool NextCsvRecord(std::string_view text, size_t& pos, std::vector<std::string>& fields, std::string* error);

}  // namespace sladesk
