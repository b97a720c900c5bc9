// ServerMetrics: request counters and latency histograms, written in the
// Prometheus text exposition format for /metrics.
//
// Purpose: operators see request rates, error rates, latency and the
// store's batching (commits vs write units) without extra tooling.
// Thread-safety: all methods are safe from any thread (one mutex; the
// per-request cost is a map lookup).
// Cardinality is bounded whatever clients send: methods outside GET, HEAD,
// POST, PUT, PATCH, DELETE and OPTIONS count as "other"; routes are the
// API's patterns or fixed names ("unmatched", "static", "transport"); a
// status outside 100-599 counts as 0.
// Ownership: owns its counters.
#pragma once

#include <atomic>
#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <functional>
#include <vector>

#include "storage/desk_store.h"

namespace sladesk {

class ServerMetrics {
 public:
  void RecordRequest(const std::string& method, const std::string& route, int status, double seconds);
  // The label a method is counted under.
  static const std::string& MethodLabel(const std::string& method);
  // Series of sladesk_http_requests_total (for the cardinality test).
  std::size_t request_series() const;
  void ConnectionOpened() { open_connections_++; }
  void ConnectionRefused(const std::string& reason);  // "total" or "per_address"
  void AcceptFailed() { accept_errors_++; }
  std::uint64_t accept_errors() const { return accept_errors_.load(); }
  std::uint64_t connections_refused() const;
  void ConnectionClosed() { open_connections_--; }
  // Appends another component's exposition (the SLA scheduler's) to
  // Render; call before serving. The section renders itself thread-safely.
  void AddSection(std::function<std::string()> section) { sections_.push_back(std::move(section)); }
  // The whole exposition, with the store's counters when `store` is set.
  std::string Render(const DeskStore* store) const;

 private:
  static constexpr std::array<double, 12> kBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02,
                                                   0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;  // by route
  std::map<std::string, std::uint64_t> refused_;  // by reason
  std::atomic<std::int64_t> open_connections_{0};
  std::atomic<std::uint64_t> accept_errors_{0};
  std::vector<std::function<std::string()>> sections_;
};

}  // namespace sladesk
