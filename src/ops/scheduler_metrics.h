// SchedulerMetrics: what the SLA scheduler did, for /metrics.
//
// Purpose: sladesk_scheduler_fired_total{kind} (firings written),
// sladesk_scheduler_lag_seconds (a histogram of fired − due: the commit
// instant on the scheduler's clock minus the firing's `at`) and
// sladesk_scheduler_pending (rows due and not yet fired at the last look),
// in the Prometheus text format; the lag histogram's quantiles for the
// benchmark.
// Thread-safety: every method is safe from any thread (one mutex).
// Ownership: owns its counters.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace sladesk {

class SchedulerMetrics {
 public:
  static constexpr std::array<double, 14> kBuckets{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                                   1,     2.5,  5,     10,  60,  300, 3600};

  void RecordFired(const std::string& kind, double lag_seconds);
  void SetPending(std::int64_t pending);
  std::uint64_t fired() const;
  std::uint64_t fired(const std::string& kind) const;
  // The q-quantile of the lag (upper bound of its bucket; +Inf as the
  // largest lag seen), 0 when nothing fired.
  double LagQuantile(double q) const;
  double max_lag() const;
  std::string Render() const;
  // "le count" lines of the lag histogram, for people (the bench prints it).
  std::string LagTable() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::uint64_t> fired_;
  std::array<std::uint64_t, kBuckets.size() + 1> lag_counts_{};  // last: +Inf
  std::uint64_t lag_count_ = 0;
  double lag_sum_ = 0;
  double lag_max_ = 0;
  std::int64_t pending_ = 0;
};

}  // namespace sladesk
