// TicketQueries: what people may read about tickets: one ticket with its
// clocks evaluated now, lists, the conversation, the event log, the SLA
// report (with the engine's explanation), attachments and logged time.
//
// Purpose: the read side of the ticket services, with the same visibility
// rules as the writes: a contact sees their organisation's tickets only,
// and never internal notes (nor their events).
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <optional>
#include <vector>

#include "common/result.h"
#include "desk/queue_view.h"
#include "desk/ticket_access.h"
#include "sla/sla_explanation.h"
#include "sla/sla_report.h"

namespace sladesk {

struct TicketDetail {
  Ticket ticket;  // its SLA columns evaluated at `now`
  std::optional<User> assignee;
  std::optional<User> requester;
  std::string organisation_name;
  std::optional<Instant> reopen_deadline;  // while resolved/closed, when the window allows one
};

struct TicketSlaReport {
  Ticket ticket;
  SlaReport report;
  std::optional<SlaExplanation> explanation;
};

class TicketQueries {
 public:
  TicketQueries(DeskRepository& repo, const PolicyRegistry& policies) : access_(repo, policies) {}

  Result<TicketDetail> Get(const User& actor, Instant now, std::int64_t number);
  // `query` as asked; a contact's is narrowed to their organisation
  // (asking for another one is kForbidden).
  Result<std::vector<Ticket>> List(const User& actor, TicketQuery query);
  // The agents' queue (contacts: their organisation's), evaluated at `now`.
  Result<std::vector<QueueEntry>> Queue(const User& actor, Instant now, TicketQuery query);
  // Each message with its author (contacts cannot list staff).
  Result<std::vector<std::pair<Message, std::optional<User>>>> Messages(const User& actor, std::int64_t number);
  Result<std::vector<TicketEventRecord>> Events(const User& actor, std::int64_t number);
  Result<TicketSlaReport> Sla(const User& actor, Instant now, std::int64_t number, bool explain);
  Result<std::vector<Attachment>> Attachments(const User& actor, std::int64_t number);
  Result<Attachment> GetAttachment(const User& actor, std::int64_t number, Id attachment_id);
  Result<std::vector<TimeEntry>> TimeEntries(const User& actor, std::int64_t number);

 private:
  TicketAccess access_;
};

}  // namespace sladesk
