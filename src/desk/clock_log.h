// ClockLog: a ticket's clock-relevant events (CONTRACT §4) in one compact,
// versioned text, for a column of the tickets table (issue 11: the stored
// SLA report reads it with the ticket row instead of seeking the event log).
//
// Purpose: Encode digests an event log into what SlaProjector::ToSlaEvents
// and the opening severity depend on, independent of the policy (the
// bug-escalation suspension is applied at Decode, with the reader's
// policy), so Decode(policy, Encode(log)) gives exactly
// ToSlaEvents(policy, log). Format version 1: "1" then per event a kind
// letter and the signed seconds since the previous event (the first: since
// the epoch); 'o' and 's' add ".<length>.<severity bytes>". Letters:
// o opened (with severity) O opened (none) a agent_reply c customer_reply
// w waiting_on_customer s severity_changed r resolved p reopened x closed
// q status_changed waiting_on_customer->open l engineering_issue_linked
// u engineering_update d engineering_update (done). Other events are left
// out. SlaProjector::Project sets Ticket::clock_log with it on every save
// (stored in tickets.clock_log, migration 9); the stored report scan
// (StoredHistory) decodes it instead of reading the event rows.
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "desk/desk_types.h"
#include "policy/policy.h"
#include "sla/ticket_event.h"

namespace sladesk {

class ClockLog {
 public:
  static constexpr char kVersion = '1';
  static std::string Encode(std::span<const TicketEventRecord> log);
  // Whether `text` is of the version Decode reads (else: read the log).
  static bool IsCurrent(std::string_view text) { return !text.empty() && text[0] == kVersion; }
  // Fills `events` (cleared first) as ToSlaEvents would and `opening` with
  // the first opened event's severity (nullopt: none, so the ticket's
  // current one). False when `text` is not a version-1 log.
  static bool Decode(const Policy& policy, std::string_view text, std::vector<TicketEvent>& events,
                     std::optional<std::string>& opening);
};

}  // namespace sladesk
