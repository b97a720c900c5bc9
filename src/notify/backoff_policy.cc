#include "notify/backoff_policy.h"

#include <algorithm>
#include <cmath>

namespace sladesk {

Result<BackoffPolicy> BackoffPolicy::Create(const BackoffOptions& o) {
  if (o.initial.count() < 1) return MakeError("initial", "must be at least 1 second");
  if (!(o.multiplier >= 1.0) || o.multiplier > 100) return MakeError("multiplier", "must be 1..100");
  if (o.max_delay < o.initial) return MakeError("max_delay", "must be at least the initial delay");
  if (!(o.jitter >= 0.0) || o.jitter >= 1.0) return MakeError("jitter", "must be in [0, 1)");
  if (o.max_attempts < 1) return MakeError("max_attempts", "must be at least 1");
  if (o.max_retry_after.count() < 0) return MakeError("max_retry_after", "must not be negative");
  return BackoffPolicy(o);
}

std::optional<std::chrono::seconds> BackoffPolicy::NextDelay(int failed_attempts, double unit_random,
                                                             std::optional<std::chrono::seconds> retry_after) const {
  if (failed_attempts < 1) failed_attempts = 1;
  if (failed_attempts >= options_.max_attempts) return std::nullopt;
  if (!(unit_random >= 0.0)) unit_random = 0.0;  // also NaN
  if (unit_random >= 1.0) unit_random = std::nextafter(1.0, 0.0);
  const double cap = static_cast<double>(options_.max_delay.count());
  // In doubles, capped before it can overflow.
  double base = static_cast<double>(options_.initial.count());
  for (int i = 1; i < failed_attempts && base < cap; ++i) base *= options_.multiplier;
  base = std::min(base, cap);
  double factor = 1.0 - options_.jitter + 2.0 * options_.jitter * unit_random;
  double delay = std::min(cap, std::max(1.0, std::round(base * factor)));
  auto out = std::chrono::seconds(static_cast<std::int64_t>(delay));
  if (retry_after) {
    auto asked = std::min(*retry_after, options_.max_retry_after);
    if (asked > out) out = asked;
  }
  return out;
}

}  // namespace sladesk
