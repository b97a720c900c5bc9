// ExplainPolicy: renders a loaded Policy back as the tables a person reads
// in the signed contract, so a support manager can check the file against it.
//
// Purpose: `sladesk policy explain` and the service's policy page. Targets
// appear as written and as the seconds and calendar the SLA clock will use
// ("3 Business Days = 24 h on berlin-business"), calendars as hours in words
// with their time zone and holidays, then quotas, channels, lifecycle and
// contract levels.
// Thread-safety: pure functions of their arguments.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "calendar/business_calendar.h"
#include "policy/policy.h"

namespace sladesk {

// The whole policy, or only `plan`'s column and details when given (an
// unknown plan id yields a one-line message listing the plans).
std::string ExplainPolicy(const Policy& policy, std::optional<std::string_view> plan);

// "Mon–Fri 09:00–17:00 (Europe/Berlin); business day 8 h; holidays: ..."
std::string DescribeCalendar(const BusinessCalendar& calendar);
// "8 h", "1 h 30 min", "45 min", "27 h".
std::string DescribeSeconds(Seconds seconds);
// "8 business hours = 8 h on berlin-business" /
// "1 - 2 business days = goal 9 h, limit 18 h on london".
std::string DescribeTarget(const Target& target);

}  // namespace sladesk
