// Policy views: a loaded support policy as the API shows it (the policy
// viewer, the portal's severity chooser and ticket form).
//
// Purpose: renders src/policy's model (severities with definitions and
// examples, plans with channels, quotas and the plan × severity × metric
// target table, the ticket fields with where the desk finds each one, the
// lifecycle and the escalation ladder) as api/openapi.json's Policy.
// Thread-safety: pure functions. Ownership: none.
#pragma once

#include <nlohmann/json.hpp>

#include "policy/policy.h"

namespace sladesk {

nlohmann::json CalendarRefJson(const BusinessCalendar& calendar);
nlohmann::json PolicySummaryJson(const Policy& policy);
nlohmann::json PolicyJson(const Policy& policy);

}  // namespace sladesk
