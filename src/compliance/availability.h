// The availability level of a month (CONTRACT §7; seed 004): service
// incidents and maintenance windows in, the month's measured time, downtime,
// percentage and verdict against the policy's monthly target out.
//
// Purpose: the pure computation behind `sladesk report availability`, the
// API's per-organisation month and the customer statement. No I/O, never
// reads the clock: an incident that is still open is measured up to the
// request's `as_of`, which the caller sets to `now`.
// Rules: the month runs from local midnight on its first day to local
// midnight on the next month's first day in the policy's availability zone
// (AvailabilityZone below), so its length follows DST. Each class of
// incident (counted: outage, subcontractor; excluded: allowed_maintenance,
// excluded_cause, customer, third_party, force_majeure) is clipped to the
// month and merged into a union; excluded time wins where it overlaps
// counted time. measured = month - excluded; downtime = counted outside
// excluded; percent = 100 (measured - downtime) / measured, 100 when
// measured is 0; met compares the exact ratio with the exact target.
// Thread-safety: pure functions. Ownership: results own their values.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/time_zone.h"
#include "common/instant.h"
#include "common/result.h"
#include "compliance/civil_month.h"
#include "policy/exact_decimal.h"
#include "policy/policy.h"

namespace sladesk {

enum class IncidentCause {
  kOutage = 0,           // counted (the default)
  kSubcontractor,        // counted: a third party working for the provider
  kAllowedMaintenance,   // excluded from here on
  kExcludedCause,
  kCustomer,
  kThirdParty,
  kForceMajeure,
};
inline constexpr IncidentCause kAllIncidentCauses[] = {
    IncidentCause::kOutage,        IncidentCause::kSubcontractor, IncidentCause::kAllowedMaintenance,
    IncidentCause::kExcludedCause, IncidentCause::kCustomer,      IncidentCause::kThirdParty,
    IncidentCause::kForceMajeure};

// "outage", "subcontractor", "allowed_maintenance", "excluded_cause",
// "customer", "third_party", "force_majeure".
std::string_view IncidentCauseName(IncidentCause cause);
std::optional<IncidentCause> IncidentCauseFromName(std::string_view name);
std::string KnownIncidentCauseNames();  // "outage, subcontractor, ..."
// Whether the cause counts against availability (outage, subcontractor).
bool CountsAgainstAvailability(IncidentCause cause);

// A service incident or maintenance window. `service` and `description` are
// carried for the caller (the computation measures whatever it is given: the
// caller picks an organisation's or a service's incidents).
struct ServiceIncident {
  Instant start{};
  std::optional<Instant> end;  // nullopt: still open (measured up to as_of)
  IncidentCause cause = IncidentCause::kOutage;
  std::string service;
  std::string description;
};

struct AvailabilityRequest {
  YearMonth month;
  std::vector<ServiceIncident> incidents;
  // When set, time at or after as_of has not happened yet: the month is cut
  // there (a month in progress) and open incidents end there. Without it
  // an open incident is an error.
  std::optional<Instant> as_of;
};

// [start, end) in UTC.
struct TimeSpan {
  Instant start{};
  Instant end{};
  friend bool operator==(const TimeSpan&, const TimeSpan&) = default;
};

struct AvailabilityResult {
  YearMonth month;
  std::string zone;               // the zone the month was measured in
  Instant month_start{};          // local midnight of day 1
  Instant month_end{};            // local midnight of the next month's day 1 (or as_of, if earlier)
  bool complete = true;           // false when as_of cut the month short
  Seconds month_seconds = 0;      // month_end - month_start
  Seconds excluded_seconds = 0;
  Seconds measured_seconds = 0;
  Seconds downtime_seconds = 0;
  // 100 (measured - downtime) / measured rounded half up to 6 decimals, as
  // millionths of a percent (98.376184 % -> 98376184) and as a double.
  std::int64_t availability_micro_percent = 0;
  double availability_percent = 100;
  ExactDecimal target_percent;
  bool met = true;                // the exact ratio >= the exact target
  std::vector<TimeSpan> excluded_spans;  // the union, clipped, in order
  std::vector<TimeSpan> downtime_spans;  // counted outside excluded, in order
};

// The zone a policy's month is measured in: contract.availability.time_zone
// when set; otherwise the one zone shared by the plans' support-hours
// calendars (24x7 calendars aside), else by the policy's named calendars;
// UTC when it has only 24x7. Calendars in several zones without an explicit
// time_zone are an error naming contract.availability.time_zone.
[[nodiscard]] Result<std::shared_ptr<const TimeZone>> AvailabilityZone(const Policy& policy);

// The computation in `zone` against `target` (percent). Errors name the
// incident: "incidents[2].end" (end <= start, or open without as_of).
[[nodiscard]] Result<AvailabilityResult> ComputeAvailability(const AvailabilityRequest& request,
                                                             const TimeZone& zone,
                                                             const ExactDecimal& target);
// The same with the policy's zone and target; an error naming
// contract.availability when the policy has no availability level.
[[nodiscard]] Result<AvailabilityResult> ComputeAvailability(const AvailabilityRequest& request,
                                                             const Policy& policy);

}  // namespace sladesk
