// NotificationPlanner: who is told what when a ticket changes: the saved
// events of one unit of work become outbox rows (webhook, in-app, email).
//
// Purpose: the one table of notifications (docs/OPERATIONS.md,
// "Notifications and webhooks"), pure so it is tested without a store:
//   opened              requester: ticket_acknowledgement (number, the
//                       assigned officer, the targets that apply; seed 000)
//   assigned            the new assignee: ticket_assigned (in-app)
//   agent_reply         requester: agent_reply (the message is read at send time)
//   customer_reply      assignee: customer_reply (in-app)
//   severity_changed    requester: severity_changed (old, new, reason,
//                       targets); assignee in-app
//   status changes      requester: status_update (waiting_on_customer,
//                       resolved, closed, reopened, open again; not the
//                       new -> open that an agent's first reply makes)
//   engineering_update  requester: status_update with the tracker's note
//   escalation_requested the ladder step's people (the CSM is always
//                       informed; the other roles it names go to the
//                       desk's leads): escalation_step; assignee in-app
//   sla_warning         assignee and team leads: sla_warning
//   sla_breached        assignee and team leads: sla_breach
//   auto_closed         requester: auto_close_notice
// Every notified event also goes to the webhooks as one row ("*") that the
// dispatcher copies to each endpoint subscribed to its type
// ("ticket.created", "ticket.agent_reply", ...). People get an in-app row
// and an email row (contacts and staff alike; the email transport is
// pluggable). The actor is not told about their own change.
// Scheduler events carry `metric`, `cycle`, `due` and `at` in their data;
// their rows are keyed on (ticket, kind, metric, cycle), not on the
// event's position, so a firing raced by two processes is written once.
// Thread-safety: stateless. Ownership: none; inputs are borrowed.
#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "desk/desk_types.h"
#include "desk/outbox_repository.h"
#include "policy/policy.h"

namespace sladesk {

// The people the plan may name, looked up by the caller.
struct NotificationPeople {
  std::optional<User> requester;
  std::optional<User> assignee;
  std::optional<User> csm;
  std::vector<User> leads;   // active staff with the lead role (the desk has no teams yet)
  std::map<Id, User> actors;  // the events' actors by id (system actors have none)
};

struct NotificationInput {
  const Ticket* ticket = nullptr;
  const Organisation* organisation = nullptr;
  const Policy* policy = nullptr;
  const Plan* plan = nullptr;
  std::span<const TicketEventRecord> events;  // this unit's events, in order
  std::int64_t first_index = 0;                // position of events[0] in the ticket's log
  const NotificationPeople* people = nullptr;
  Instant now{};
};

class NotificationPlanner {
 public:
  // What the caller must look up for these events.
  struct Needs {
    bool requester = false;
    bool assignee = false;
    bool csm = false;
    bool leads = false;
    std::vector<Id> actors;
    bool any() const { return requester || assignee || csm || leads; }
  };
  static Needs NeedsFor(std::span<const TicketEventRecord> events);
  static std::vector<OutboxEntry> Rows(const NotificationInput& in);

  // "ticket.created", ... for an event kind; empty when it is not notified.
  static std::string WebhookType(EventKind kind);
  // The targets of the ticket's severity with their due times, as the
  // templates' `targets` array.
  static nlohmann::json TargetsJson(const Plan& plan, const Ticket& ticket);
};

}  // namespace sladesk
