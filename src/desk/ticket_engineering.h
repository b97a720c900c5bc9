// TicketEngineering: bug escalations to the engineering tracker, and the
// support hours spent on a ticket.
//
// Purpose: linking an engineering issue does not resolve a ticket: the
// ticket stays open for conversation and, where the policy says so, its
// handling-time targets are suspended while the issue is worked on (seed
// 001), or the ticket is resolved as a bug escalation (seed 000's "closed
// when the bug enters development planning"). The tracker's status updates
// come back as public updates on the ticket (and count as updates to the
// customer); the one that reports the issue done ends the suspension.
// Support hours (seed 004): agents log time and estimate what is left; a
// ticket whose remaining estimate goes past the organisation's remaining
// hours for the contract year is flagged, with an event once when it tips.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "desk/ticket_access.h"

namespace sladesk {

struct LinkIssueInput {
  std::string id;        // "ENG-412"
  std::string url;
  std::string priority;  // default: the ticket's severity, carried over
  ExpectedVersion expected;
};

struct EngineeringUpdateInput {
  std::string status;  // as the tracker names it ("in progress", "released")
  std::string note;
  bool done = false;   // the issue is fixed or closed: the suspension ends
};

struct TimeLogInput {
  Seconds seconds = 0;
  std::string note;
};

// An organisation's support hours in its contract year.
struct SupportHoursUsage {
  std::optional<Seconds> budget_seconds;  // nullopt: no budget
  Seconds used_seconds = 0;
  Instant period_from{}, period_to{};
  std::optional<Seconds> remaining_seconds() const {
    if (!budget_seconds) return std::nullopt;
    return *budget_seconds - used_seconds;
  }
};

class TicketEngineering {
 public:
  TicketEngineering(DeskRepository& repo, const PolicyRegistry& policies) : access_(repo, policies) {}

  Result<Ticket> LinkIssue(const User& actor, Instant now, std::int64_t number, const LinkIssueInput& input);
  Result<Ticket> PostUpdate(const User& actor, Instant now, std::int64_t number, const EngineeringUpdateInput& input);
  Result<Ticket> LogTime(const User& actor, Instant now, std::int64_t number, const TimeLogInput& input);
  // nullopt clears the estimate.
  Result<Ticket> SetEstimate(const User& actor, Instant now, std::int64_t number, std::optional<Seconds> estimate,
                             const ExpectedVersion& expected);

  static Result<SupportHoursUsage> Usage(DeskRepository& repo, const Plan& plan, const Organisation& organisation,
                                         Instant now);

 private:
  // Re-derives over_support_budget; appends a warning event when it tips over.
  Status CheckBudget(TicketScope& scope, const User& actor, Instant now, Seconds extra_used,
                     std::vector<TicketEventRecord>& events);

  TicketAccess access_;
};

}  // namespace sladesk
