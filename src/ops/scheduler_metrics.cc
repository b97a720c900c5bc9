#include "ops/scheduler_metrics.h"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace sladesk {
namespace {

std::string Num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

void SchedulerMetrics::RecordFired(const std::string& kind, double lag) {
  std::lock_guard<std::mutex> lock(mu_);
  fired_[kind]++;
  lag = std::max(lag, 0.0);
  size_t i = 0;
  while (i < kBuckets.size() && lag > kBuckets[i]) ++i;
  lag_counts_[i]++;
  lag_count_++;
  lag_sum_ += lag;
  lag_max_ = std::max(lag_max_, lag);
}

void SchedulerMetrics::SetPending(std::int64_t pending) {
  std::lock_guard<std::mutex> lock(mu_);
  pending_ = pending;
}

std::uint64_t SchedulerMetrics::fired() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lag_count_;
}

std::uint64_t SchedulerMetrics::fired(const std::string& kind) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = fired_.find(kind);
  return it == fired_.end() ? 0 : it->second;
}

double SchedulerMetrics::LagQuantile(double q) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (lag_count_ == 0) return 0;
  const double want = q * static_cast<double>(lag_count_);
  std::uint64_t seen = 0;
  for (size_t i = 0; i < lag_counts_.size(); ++i) {
    seen += lag_counts_[i];
    if (static_cast<double>(seen) >= want) return i < kBuckets.size() ? kBuckets[i] : lag_max_;
  }
  return lag_max_;
}

double SchedulerMetrics::max_lag() const {
  std::lock_guard<std::mutex> lock(mu_);
  return lag_max_;
}

std::string SchedulerMetrics::Render() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  out << "# HELP sladesk_scheduler_fired_total SLA events the scheduler fired, by kind.\n"
         "# TYPE sladesk_scheduler_fired_total counter\n";
  for (const char* kind : {"sla_warning", "sla_breached", "auto_closed", "remedy_period_ended"})
    if (!fired_.count(kind)) out << "sladesk_scheduler_fired_total{kind=\"" << kind << "\"} 0\n";
  for (const auto& [kind, n] : fired_) out << "sladesk_scheduler_fired_total{kind=\"" << kind << "\"} " << n << "\n";
  out << "# HELP sladesk_scheduler_lag_seconds Fired minus due, per firing.\n"
         "# TYPE sladesk_scheduler_lag_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    cumulative += lag_counts_[i];
    out << "sladesk_scheduler_lag_seconds_bucket{le=\"" << Num(kBuckets[i]) << "\"} " << cumulative << "\n";
  }
  out << "sladesk_scheduler_lag_seconds_bucket{le=\"+Inf\"} " << lag_count_ << "\n"
      << "sladesk_scheduler_lag_seconds_sum " << Num(lag_sum_) << "\n"
      << "sladesk_scheduler_lag_seconds_count " << lag_count_ << "\n"
      << "# HELP sladesk_scheduler_pending Tickets due and not yet fired at the scheduler's last look.\n"
         "# TYPE sladesk_scheduler_pending gauge\n"
      << "sladesk_scheduler_pending " << pending_ << "\n";
  return out.str();
}

std::string SchedulerMetrics::LagTable() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::ostringstream out;
  for (size_t i = 0; i < lag_counts_.size(); ++i) {
    if (i < kBuckets.size()) out << "  <= " << Num(kBuckets[i]) << " s";
    else out << "  >  " << Num(kBuckets.back()) << " s";
    out << "\t" << lag_counts_[i] << "\n";
  }
  return out.str();
}

}  // namespace sladesk
