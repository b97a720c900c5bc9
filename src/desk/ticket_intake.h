// TicketIntake: opening a ticket, from any front end (the portal and API,
// e-mail, staff logging a call).
//
// Purpose: every rule that decides whether a ticket may be opened and what
// it starts with: who opens it for which organisation, named contacts
// (seed 003), the channels the plan includes, the policy's required fields
// (and typed fields of its own), the default severity, the plan in force
// (onboarding, seed 003), the monthly incident quota counted in the
// organisation's zone (refused or flagged as the policy says), assignment
// to the organisation's designated CSM, and the acknowledgement seed 000
// promises ("a ticket number and the name of the assigned support officer").
// Thread-safety: one unit of work, one thread. Ownership: borrows the
// repository and the registry.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/policy_registry.h"

namespace sladesk {

struct OpenTicketInput {
  std::string subject;
  std::string description;
  std::string steps_to_reproduce;
  std::string business_impact;
  std::string product_area;
  std::string error_details;
  std::map<std::string, std::string> fields;  // the policy's own ticket fields
  std::optional<TicketChannel> channel;       // default: portal for contacts, the plan's first for staff
  std::optional<std::string> severity;        // default: the policy's
  std::optional<Id> organisation_id;
  std::optional<Id> requester_id;             // required when staff open a ticket
  std::optional<Id> assignee_id;
};

struct OpenedTicket {
  Ticket ticket;
  std::optional<User> officer;   // the assigned support officer, if any
  std::string acknowledgement;   // what the customer is told
};

class TicketIntake {
 public:
  TicketIntake(DeskRepository& repo, const PolicyRegistry& policies) : repo_(repo), policies_(policies) {}

  Result<OpenedTicket> Open(const User& actor, Instant now, const OpenTicketInput& input);

 private:
  DeskRepository& repo_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
