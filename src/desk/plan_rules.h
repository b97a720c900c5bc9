// PlanRules: what an organisation's contract gives it: the plan in force,
// the channels it may use, the zone its months are counted in, and its
// contract year (for the support-hours budget).
//
// Purpose: the rules that read the policy's plan for an organisation, in
// one place for intake, the reports and the views.
// Thread-safety: stateless. Ownership: returned plans point into the policy.
#pragma once

#include <memory>
#include <utility>

#include "calendar/time_zone.h"
#include "common/result.h"
#include "desk/desk_types.h"
#include "policy/policy.h"

namespace sladesk {

class PlanRules {
 public:
  // The plan in force: the policy's onboarding plan while the organisation
  // has not completed onboarding (seed 003), otherwise its contracted plan.
  // nullptr when the policy has no such plan.
  static const Plan* EffectivePlan(const Policy& policy, const Organisation& organisation);
  // The zone an organisation's months are counted in: its own, else the
  // zone of its plan's calendar, else UTC.
  static std::shared_ptr<const TimeZone> MonthZone(const Plan& plan, const Organisation& organisation);
  // Whether the plan takes tickets on `channel` (portal and api tickets need
  // the plan's portal, the "online ticketing system"; a phone channel
  // limited to some severities takes only those). A plan that lists no
  // channels takes every one. kInvalid naming "channel" and what the plan
  // offers instead.
  static Status CheckChannel(const Plan& plan, TicketChannel channel, const std::string& severity);
  // The first channel the plan takes tickets on, for tickets staff open
  // without naming one.
  static TicketChannel DefaultChannel(const Plan& plan);
  // The contract year that holds `now`, [from, to): the twelve months up to
  // the next renewal date (local midnight in `zone`), or the calendar year
  // when no renewal date is set.
  static std::pair<Instant, Instant> ContractYear(const Organisation& organisation, const TimeZone& zone,
                                                  Instant now);
};

}  // namespace sladesk
