// DurationHistogram: a fixed-resolution histogram of durations in seconds
// for medians and percentiles over any number of tickets in bounded memory.
//
// Purpose: the SLA report's median and 90th percentile business times. The
// first kExactLimit values are kept as they are, so small groups (one
// customer's month) get exact quantiles. Beyond that, values go into
// buckets: exact below 1,024 s, above that log-linear buckets of 1/128 of a
// power of two, so a reported quantile is the lower edge of the bucket
// holding it: at most 0.8 % below the true value (never above it), clamped
// to the observed min/max. Memory grows with the largest value seen (at most
// ~4,900 buckets of 4 bytes up to 2^40 s), never with the count. Quantiles use
// the nearest-rank definition: the smallest value with at least
// ceil(p x n) values at or below it (the median of 1, 2, 3, 4 is 2).
// Thread-safety: not synchronised; one per thread, then Merge().
// Ownership: owns its buckets.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "common/instant.h"

namespace sladesk {

class DurationHistogram {
 public:
  static constexpr size_t kExactLimit = 256;

  void Add(Seconds value);  // negative values count as 0
  void Merge(const DurationHistogram& other);

  std::int64_t count() const { return count_; }
  Seconds min() const { return min_; }
  Seconds max() const { return max_; }
  Seconds sum() const { return sum_; }
  // p in (0, 1]; nullopt when empty.
  std::optional<Seconds> Quantile(double p) const;

  // The bucket of a value and the lowest value of a bucket (exposed for tests).
  static std::uint32_t BucketOf(Seconds value);
  static Seconds BucketFloor(std::uint32_t bucket);

 private:
  void Spill();  // exact values into buckets

  std::vector<Seconds> exact_;  // while count_ <= kExactLimit and nothing spilled
  bool spilled_ = false;
  std::vector<std::uint32_t> buckets_;
  std::int64_t count_ = 0;
  Seconds min_ = 0;
  Seconds max_ = 0;
  Seconds sum_ = 0;
};

}  // namespace sladesk
