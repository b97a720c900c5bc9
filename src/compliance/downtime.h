// The downtime rule (CONTRACT §8; seed 001): whether the share of tickets
// handled more than a margin over their targets in the three calendar
// months before a customer's notice gives a Downtime, and its remedy period.
//
// Purpose: the pure computation behind `sladesk report downtime` and the
// API's evaluation from stored tickets. Tickets are added one at a time
// (DowntimeEvaluator) so the caller can stream them; EvaluateDowntime takes
// a whole request. No I/O, never reads the clock.
// Rules: the window [from, to) is the rule's lookback_months whole calendar
// months before the month of notified_at, in DowntimeZone(policy). A ticket
// is submitted when its first `opened` (in §4 event order) lies in the
// window; considered when its severity in force at notified_at is one of the
// rule's severities; over when its first response or any next_update cycle
// with a target, judged by the SLA clock (src/sla) as of notified_at (events
// after it ignored; each instance with the severity §4 gives it), counted
// elapsed business seconds > target x (1 + margin), decided in integers.
// Downtime: submitted >= minimum_tickets, considered > 0 and over >= share x
// considered. Remedy: [notified_at, the same local wall time
// remedy_within_calendar_months (1 when unset) calendar months later).
// Thread-safety: DowntimeEvaluator is single-threaded; the functions are pure.
// Ownership: DowntimeEvaluator borrows the policy; tickets' plan pointers
// point into it.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "calendar/time_zone.h"
#include "common/instant.h"
#include "common/result.h"
#include "policy/policy.h"
#include "sla/sla_report.h"
#include "sla/ticket_event.h"

namespace sladesk {

struct DowntimeTicket {
  std::string id;
  const Plan* plan = nullptr;  // a plan of the policy evaluated against
  std::string severity;        // the opening severity; empty = the policy's default
  std::vector<TicketEvent> events;
};

struct DowntimeRequest {
  Instant notified_at{};
  std::vector<DowntimeTicket> tickets;
};

// How one ticket was judged (for explanations and the remedy tracking).
struct DowntimeVerdict {
  bool submitted = false;
  bool considered = false;
  bool over = false;
  std::string severity_at_notice;
  std::vector<InstanceReport> over_instances;  // the instances that went over the margin
};

struct DowntimeResult {
  std::string zone;             // the window's zone
  Instant window_from{};
  Instant window_to{};
  Instant notified_at{};
  int submitted = 0;
  int considered = 0;
  int over = 0;
  std::vector<std::string> over_ids;  // in the order the tickets were added
  bool downtime = false;
  std::optional<Instant> remedy_from;  // set when downtime
  std::optional<Instant> remedy_to;
};

// The zone of the calendar that the rule's least severe listed severity runs
// on: of the first plan (policy order) that sets it a first_response, else a
// next_update, target, that target's calendar; else that plan's severity
// calendar or support hours. 24x7 is UTC. Errors: no downtime rule.
[[nodiscard]] Result<std::shared_ptr<const TimeZone>> DowntimeZone(const Policy& policy);

// Whether `elapsed` business seconds are more than `margin_percent` over
// `target`: elapsed x 100 > target x (100 + margin), exactly.
bool OverMargin(Seconds elapsed, Seconds target, const ExactDecimal& margin_percent);

class DowntimeEvaluator {
 public:
  // Errors: the policy has no downtime rule ("contract.downtime").
  [[nodiscard]] static Result<DowntimeEvaluator> Create(const Policy& policy, Instant notified_at);

  // Judges one ticket. `field` names it in errors ("tickets[3]"): a
  // duplicate id, a missing plan, an unknown severity.
  [[nodiscard]] Result<DowntimeVerdict> Add(const DowntimeTicket& ticket, const std::string& field);
  DowntimeResult Finish() const;

  Instant window_from() const { return result_.window_from; }
  Instant window_to() const { return result_.window_to; }

 private:
  DowntimeEvaluator(const Policy& policy, const DowntimeRule& rule, std::shared_ptr<const TimeZone> zone,
                    Instant notified_at);

  const Policy* policy_;
  const DowntimeRule* rule_;
  std::shared_ptr<const TimeZone> zone_;
  std::set<std::string, std::less<>> ids_;
  std::vector<InstanceReport> instances_;  // reused between tickets
  DowntimeResult result_;
};

[[nodiscard]] Result<DowntimeResult> EvaluateDowntime(const Policy& policy, const DowntimeRequest& request);

}  // namespace sladesk
