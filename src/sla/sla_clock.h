// The SLA clock: evaluates the three SLA metrics of one ticket at an instant
// `now` from its event history (CONTRACT §4).
//
// Purpose: the pure core of `sla evaluate`, of the desk's ticket views and of
// the breach/warning scheduler (NextChange). No I/O, never reads the clock.
// Thread-safety: pure functions; safe to call concurrently (the calendars
// are thread-safe). Ownership: borrows everything; the returned report's
// Target pointers point into `plan`.
//
// Rules (CONTRACT §4) and the readings chosen where the contract is silent:
// * Events are applied in `at` order, ties in input order. Events with
//   at > now have not happened yet and are ignored (but still validated).
// * Nothing but severity_changed has an effect before the first `opened`; a
//   second `opened` is ignored. Without `opened` every metric is
//   not_started (or no_target).
// * first_response runs from `opened` to the first agent_reply, resolved or
//   closed; it never pauses and `reopened` does not touch it.
// * next_update: a cycle starts at every agent_reply (which first stops the
//   running cycle), at a customer_reply that ends a wait and at `reopened`;
//   it stops at agent_reply, resolved, closed. A cycle started while waiting
//   (an agent_reply during a wait) starts paused. A cycle never resumes: the
//   customer_reply that ends its wait leaves it behind and starts a new one,
//   so it is judged at its pause with the severity in force when it was left
//   behind. Each cycle is judged with its own severity (in force when it
//   stopped, or at now for the latest running/paused one); `breaches` counts
//   breached cycles over the whole history, the latest one included.
// * resolution runs from `opened` (or from the first agent_reply when
//   Plan::resolution_starts_at_first_response; a ticket resolved before any
//   agent_reply then leaves it not_started until a later agent_reply),
//   pauses at waiting_on_customer, resumes at the next customer_reply or
//   reopened, stops at resolved/closed, and resumes at reopened.
// * While resolved/closed, only `reopened` and severity_changed have an
//   effect: agent_reply, customer_reply and waiting_on_customer on a resolved
//   ticket change no clock; a second resolved/closed keeps the first stop.
// * `reopened` on a ticket that is not resolved: while waiting it ends the
//   wait like a customer_reply (resolution resumes, a new next_update cycle
//   starts); otherwise it starts a new next_update cycle (the contract
//   starts one at every `reopened`; the running cycle is left behind, judged
//   at that instant) and changes nothing else. waiting_on_customer while
//   already waiting is ignored.
// * The severity used for an instance is the one in force when it stopped
//   (the stop event's time, also when it was stopped while paused; a
//   severity_changed at the same instant counts when it comes first in
//   input order), or the one in force at now for a running/paused instance,
//   applied retroactively from its start (calendar and target alike). So a
//   severity change while paused moves the paused instance's due_at too.
//   A metric whose (plan, severity) has no target is no_target, also before
//   it starts; its other fields are null.
// * The clock of an instance runs over spans [resume, pause); elapsed is the
//   business time of those spans on the target's calendar. For each span the
//   deadline is add(span start, target − elapsed before it); the instance is
//   breached when a span ended (paused, stopped, or reached now) after its
//   deadline, and stays breached afterwards (paused or resumed). due_at is
//   the deadline of the last span, add(last resume or start, target −
//   elapsed before it), as CONTRACT §4 writes it: for a running instance
//   the live deadline, for a paused one the deadline that stood when it
//   paused (it moves when the clock resumes), for a stopped one the deadline
//   it met or crossed (e.g. 17:00 for a 17:30 reply). A clock resumed after
//   its target ran out has add(resume, ≤ 0) = the resume instant (§3).
//   elapsed_seconds of a paused instance is the time counted up to the
//   pause; of a stopped one up to the stop (or to the pause when stopped
//   while paused, which is also the moment it is judged at). goal_due_at is
//   the same computation with a range's lower bound.
// * Stopped at t ≤ due_at: met; running with now == due_at: running; running
//   with now > due_at: breached.
// * not_started reports the target of the severity at now, no elapsed or
//   due time.
// * A due time the calendar cannot reach in the supported range (a calendar
//   that never opens) is an error naming the metric.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "common/instant.h"
#include "common/result.h"
#include "policy/policy.h"
#include "sla/sla_explanation.h"
#include "sla/sla_report.h"
#include "sla/ticket_event.h"

namespace sladesk {

struct EvaluateOptions {
  // Also compute SlaReport::next_change (costs a few calendar lookups).
  bool compute_next_change = false;
  // When set, filled with the account of every instance (slow; for --explain).
  SlaExplanation* explanation = nullptr;
  // When set, cleared and filled with every started instance as judged:
  // the finished next_update cycles in the order they finished, then
  // first_response, the latest next_update cycle and resolution. Costs one
  // extra Add per finished cycle; the report itself is unchanged.
  std::vector<InstanceReport>* instances = nullptr;
};

// Evaluates `events` at `now` for `plan` (which must belong to `policy`).
// `initial_severity` is the severity the ticket was opened with. Errors:
// an unknown severity ("severity", "events[3].severity"), a due time the
// calendar cannot reach ("first_response", ...).
[[nodiscard]] Result<SlaReport> EvaluateSla(const Policy& policy, const Plan& plan,
                                            std::string_view initial_severity,
                                            std::span<const TicketEvent> events, Instant now,
                                            const EvaluateOptions& options = {});

// The next instant after `now` at which the evaluation changes with no new
// event: the first second of a breach (due_at + 1 s) or the instant a running
// instance's elapsed time reaches a warn_at_percent threshold of its target
// (Target::warn_at_percent, else Policy::warn_at_percent). nullopt when
// nothing runs toward a target. Only running instances change by time.
[[nodiscard]] Result<std::optional<Instant>> NextChange(const Policy& policy, const Plan& plan,
                                                        std::string_view initial_severity,
                                                        std::span<const TicketEvent> events,
                                                        Instant now);

}  // namespace sladesk
