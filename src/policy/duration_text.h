// DurationText: parses the durations a support policy writes in words
// ("8 business hours", "1 - 2 business days", "Under 1 business day",
// "30 minutes", "Best Effort") and the civil periods of its lifecycle rules
// ("12 months", "1 year").
//
// Purpose: one grammar for every target in a policy file, so a typo such as
// "8 buisness hours" is an error naming the word, never a silent default.
// Converting days to seconds needs the target's calendar and is done by the
// caller (PolicyReader) with BusinessDaySeconds().
// Thread-safety: pure functions on values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/instant.h"
#include "common/result.h"
#include "policy/policy.h"

namespace sladesk {

enum class DurationUnit { kMinute, kHour, kBusinessDay };

struct DurationText {
  // "best effort", "by mutual agreement", "none", "–": the policy states that
  // there is no target.
  bool no_target = false;
  double amount = 0;             // the limit (a range's upper bound)
  std::optional<double> goal;    // a range's lower bound ("1 - 2 days": goal 1)
  DurationUnit unit = DurationUnit::kHour;
};

// Errors name the word at fault; `field` is used as Error::field.
Result<DurationText> ParseDurationText(std::string_view text, std::string_view field);

// Seconds of `amount` units; days need the calendar's business-day length
// (nullopt -> error naming the calendar). Rounds to whole seconds.
Result<Seconds> DurationSeconds(double amount, DurationUnit unit,
                                std::optional<Seconds> business_day_seconds,
                                std::string_view calendar_id, std::string_view field);

// "12 months", "1 year", "30 days", "2 weeks" -> Period (text kept).
Result<Period> ParsePeriodText(std::string_view text, std::string_view field);

}  // namespace sladesk
