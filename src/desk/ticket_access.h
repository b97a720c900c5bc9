// TicketAccess: what every ticket operation starts and ends with: load the
// ticket the actor may see with its organisation, policy and plan; check
// the caller's expected version; append events, re-derive the SLA clocks
// and save under the version check.
//
// Purpose: the shared half of the ticket services (ticket_intake.h,
// ticket_conversation.h, ticket_workflow.h, ticket_engineering.h,
// ticket_queries.h), so tenant isolation, optimistic locking and the SLA
// projection are written once. Another organisation's ticket is reported
// as not found (its existence is not revealed).
// Thread-safety: one unit of work, one thread. Ownership: borrows the
// repository (the unit's transaction) and the policy registry.
#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/expected_version.h"
#include "desk/policy_registry.h"

namespace sladesk {

// A ticket with what its rules come from.
struct TicketScope {
  Ticket ticket;
  Organisation organisation;
  const Policy* policy = nullptr;
  const Plan* plan = nullptr;             // the plan the ticket runs on
  std::vector<TicketEventRecord> log;     // filled when loaded with_log
};

struct PolicyPlan {
  const Policy* policy = nullptr;
  const Plan* plan = nullptr;
};

class TicketAccess {
 public:
  TicketAccess(DeskRepository& repo, const PolicyRegistry& policies) : repo_(repo), policies_(policies) {}

  // `lock`: for a change (row lock where the backend has one). `with_log`:
  // also the event log, read before any write so a batch can queue writes.
  Result<TicketScope> Load(const User& actor, std::int64_t number, bool lock, bool with_log);
  // The policy and the plan in force for an organisation (kInternal when
  // the server has not loaded its policy).
  Result<PolicyPlan> RulesFor(const Organisation& organisation) const;
  // The plan a ticket runs on: the one it was opened under.
  Result<PolicyPlan> RulesFor(const Organisation& organisation, const Ticket& ticket) const;

  static Status CheckVersion(const Ticket& ticket, const ExpectedVersion& expected);
  static TicketEventRecord Event(const User& actor, Instant now, EventKind kind,
                                 nlohmann::json data = nlohmann::json::object());

  // Appends `events` to the log, re-derives the SLA clocks from the whole
  // log at `now`, saves the ticket (its version moves by one), stores
  // when the SLA scheduler next acts on it (FiringPlanner, from the
  // previous save to `now`) and writes the notifications the events cause
  // to the outbox (TicketNotifications; the same unit of work). kConflict
  // when another request changed it first.
  Result<Ticket> Save(TicketScope& scope, Instant now, std::vector<TicketEventRecord> events);

  DeskRepository& repo() { return repo_; }
  const PolicyRegistry& policies() const { return policies_; }

 private:
  DeskRepository& repo_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
