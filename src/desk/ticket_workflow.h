// TicketWorkflow: the changes people make to a ticket's state: its fields
// and assignee, severity, status (wait, resume, resolve, close, reopen),
// the customer's escalation requests and reopen requests, and requests for
// remote assistance.
//
// Purpose: the rules of each change, in the policy's terms. Severity is
// staff's decision, with a reason the customer is told (seed 000: "change
// it, notifying the client"); a customer's escalation request is recorded
// and shown to the team with the ladder step it reaches, and a suggested
// severity where the policy names one, but raising the severity stays an
// agent's decision (seed 001: "at Supermetrics' discretion"). A reopen
// follows the policy's rule (ticket_reopen.h); where an agent reviews the
// request (seed 004), ReviewReopen reopens it or declines, optionally
// opening a follow-up ticket instead. Field changes keep old and new values
// in the event log.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/ticket_access.h"

namespace sladesk {

struct UpdateTicketInput {
  std::optional<std::string> subject, description, steps_to_reproduce, business_impact, product_area,
      error_details;
  // The policy's own fields; an empty value removes one.
  std::map<std::string, std::string> fields;
  bool change_assignee = false;
  std::optional<Id> assignee_id;  // with change_assignee: nullopt unassigns
  ExpectedVersion expected;
};

struct SeverityInput {
  std::string severity;
  std::string reason;
  ExpectedVersion expected;
};

struct StatusInput {
  TicketStatus status = TicketStatus::kOpen;
  std::optional<TicketOutcome> outcome;  // required to resolve
  std::optional<std::string> external_issue;  // a bug escalation's issue, when none is linked yet
  std::string reason;
  ExpectedVersion expected;
};

struct StatusResult {
  Ticket ticket;
  bool reopen_requested = false;  // a customer's reopen waits for an agent's review
};

struct EscalationInput {
  std::string business_impact;
  ExpectedVersion expected;
};

struct EscalationResult {
  Ticket ticket;
  std::int64_t level = 0;
  std::string level_name;
  std::vector<std::string> notify;
  std::string suggested_severity;  // the ladder step's, if any; not applied
  std::int64_t organisation_escalations = 0;
};

struct ReopenReviewInput {
  bool approve = false;
  std::string reason;
  bool open_new_ticket = false;  // when declining: a follow-up ticket instead
};

struct ReopenReviewResult {
  Ticket ticket;
  std::optional<Ticket> follow_up;
};

class TicketWorkflow {
 public:
  TicketWorkflow(DeskRepository& repo, const PolicyRegistry& policies)
      : access_(repo, policies), policies_(policies) {}

  Result<Ticket> Update(const User& actor, Instant now, std::int64_t number, const UpdateTicketInput& input);
  Result<Ticket> ChangeSeverity(const User& actor, Instant now, std::int64_t number, const SeverityInput& input);
  Result<StatusResult> ChangeStatus(const User& actor, Instant now, std::int64_t number, const StatusInput& input);
  Result<EscalationResult> RequestEscalation(const User& actor, Instant now, std::int64_t number,
                                             const EscalationInput& input);
  Result<ReopenReviewResult> ReviewReopen(const User& actor, Instant now, std::int64_t number,
                                          const ReopenReviewInput& input);
  // Seed 002: "remote assistance via phone and video call upon request".
  Result<Ticket> RequestRemoteAssistance(const User& actor, Instant now, std::int64_t number,
                                         const std::string& note);

 private:
  TicketAccess access_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
