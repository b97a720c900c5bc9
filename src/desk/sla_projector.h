// SlaProjector: derives a ticket's SLA clocks from its event log with the
// SLA engine (sla_clock.h) and writes the result into the ticket's stored,
// indexed SLA columns.
//
// Purpose: the one mapping from the desk's event log to the engine's
// TicketEvents: opened, agent_reply, customer_reply, waiting_on_customer,
// severity_changed, resolved, reopened, closed map one to one; an agent
// moving a ticket from waiting_on_customer back to open ends the wait and
// is given to the engine as `reopened` (which ends a wait like a
// customer_reply); notes, assignments and other events do not touch clocks.
// A status update from the engineering tracker counts as an update to the
// customer (an agent_reply). Bug escalations: where the policy says linked
// engineering issues suspend the handling-time targets (seed 001), the
// clocks pause from the link (a waiting_on_customer) until the tracker
// reports the issue done (a `reopened`, which resumes them and starts a
// fresh next_update cycle); meanwhile a customer's reply does not resume
// them.
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <span>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"
#include "policy/policy.h"
#include "sla/sla_explanation.h"
#include "sla/sla_report.h"
#include "sla/ticket_event.h"
#include "desk/desk_types.h"

namespace sladesk {

class SlaProjector {
 public:
  static std::vector<TicketEvent> ToSlaEvents(const Policy& policy, std::span<const TicketEventRecord> log);
  // The severity the ticket was opened with (from its `opened` event).
  static std::string InitialSeverity(std::span<const TicketEventRecord> log, const Ticket& ticket);
  // Evaluates at `now`; fills first_response_due, next_update_due,
  // resolution_due, next_due (earliest running deadline), breached and
  // sla_json, and clock_log (ClockLog::Encode of `log`, the ticket's whole
  // event log). Errors come from the engine (e.g. an unknown severity).
  static Status Project(const Policy& policy, const Plan& plan, std::span<const TicketEventRecord> log,
                        Instant now, Ticket& ticket);
  // The engine's report at `now`; with `explanation`, also its account.
  static Result<SlaReport> Report(const Policy& policy, const Plan& plan, std::span<const TicketEventRecord> log,
                                  const Ticket& ticket, Instant now, SlaExplanation* explanation = nullptr);
  // A report's metrics as the API's JSON (an array of metrics).
  static nlohmann::json MetricsJson(const SlaReport& report);
  // The engine's report at `now` as the API's JSON (an array of metrics).
  static Result<nlohmann::json> Evaluate(const Policy& policy, const Plan& plan,
                                         std::span<const TicketEventRecord> log, const Ticket& ticket,
                                         Instant now);
};

}  // namespace sladesk
