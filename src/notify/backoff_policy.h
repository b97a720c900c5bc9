// BackoffPolicy: when to try a failed delivery again: exponential backoff
// with jitter, capped, with a limit on attempts, honouring Retry-After.
//
// Purpose: the outbox dispatcher asks it after each failed attempt. The
// random part comes from the caller (a value in [0, 1)), so the policy is a
// pure function and tests drive it with fixed values.
//   delay = min(max_delay, initial * multiplier^(failed_attempts - 1)),
//   then scaled by a factor in [1 - jitter, 1 + jitter) and capped again;
//   a Retry-After the receiver sent wins when it is longer (up to
//   max_retry_after). After max_attempts attempts in all: no more tries.
// With the defaults (5 s, x4, 10 attempts, cap 12 h) the schedule spans
// about two days, close to the Standard Webhooks example schedule.
// Thread-safety: immutable value. Ownership: none.
#pragma once

#include <chrono>
#include <optional>

#include "common/result.h"

namespace sladesk {

struct BackoffOptions {
  std::chrono::seconds initial{5};
  double multiplier = 4.0;
  std::chrono::seconds max_delay{12 * 3600};
  double jitter = 0.2;  // ±20 %
  int max_attempts = 10;  // attempts in all, the first included
  std::chrono::seconds max_retry_after{24 * 3600};
};

class BackoffPolicy {
 public:
  // Errors name the option at fault ("initial", "multiplier", ...).
  static Result<BackoffPolicy> Create(const BackoffOptions& options);
  BackoffPolicy() : BackoffPolicy(BackoffOptions{}) {}

  // The wait before the next attempt after `failed_attempts` failures (1 =
  // the first attempt failed); nullopt when the limit is reached.
  // `unit_random` is in [0, 1) (clamped); `retry_after` is the receiver's.
  std::optional<std::chrono::seconds> NextDelay(int failed_attempts, double unit_random,
                                                std::optional<std::chrono::seconds> retry_after = std::nullopt) const;
  const BackoffOptions& options() const { return options_; }

 private:
  explicit BackoffPolicy(BackoffOptions options) : options_(options) {}
  BackoffOptions options_;
};

}  // namespace sladesk
