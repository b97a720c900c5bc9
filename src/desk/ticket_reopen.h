// TicketReopen: whether and how a resolved or closed ticket opens again.
//
// Purpose: the policy's reopen rule in one place, for an explicit reopen
// and for a customer's reply to a resolved ticket. Without a rule in the
// policy, reopening is allowed with no time limit; a rule may forbid it
// ("open a new ticket"), bound it by a window of calendar months or days
// counted in the plan's zone (seed 004: 12 months), or leave the decision
// to an agent's review of the customer's request (seed 004: "reviewed and
// re-opened or a new issue created"). A reply to a ticket resolved as a
// bug escalation or a feature request is conversation ("status updates on
// demand", seed 000): it reopens nothing.
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <vector>

#include "common/result.h"
#include "desk/ticket_access.h"

namespace sladesk {

enum class ReopenOutcome {
  kReopen,            // the ticket opens again now
  kRequestReview,     // the request is recorded; an agent decides
  kConversationOnly,  // a reply is added; the status stays
};

class TicketReopen {
 public:
  // For a reopen asked by `actor` (`by_reply`: a customer's reply to a
  // resolved ticket). kConflict when the policy or its window refuses.
  static Result<ReopenOutcome> Decide(const TicketScope& scope, const User& actor, Instant now, bool by_reply);
  // Opens the ticket again: status open, resolution undone, a `reopened` event.
  static void Apply(TicketScope& scope, const User& actor, Instant now, std::vector<TicketEventRecord>& events,
                    const std::string& reason);
  // Records the customer's request for an agent's review.
  static void Request(TicketScope& scope, const User& actor, Instant now, std::vector<TicketEventRecord>& events,
                      const std::string& reason);
};

}  // namespace sladesk
