#include "server/server_metrics.h"

#include <sstream>

namespace sladesk {

const std::string& ServerMetrics::MethodLabel(const std::string& method) {
  static const std::array<std::string, 7> kKnown{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"};
  static const std::string kOther = "other";
  for (const auto& m : kKnown)
    if (m == method) return m;
  return kOther;
}

void ServerMetrics::RecordRequest(const std::string& method, const std::string& route, int status,
                                  double seconds) {
  if (status < 100 || status > 599) status = 0;
  std::lock_guard<std::mutex> lock(mu_);
  requests_[{MethodLabel(method), route, status}]++;
  Histogram& h = latency_[route];
  for (size_t i = 0; i < kBuckets.size(); ++i)
    if (seconds <= kBuckets[i]) h.counts[i]++;
  h.count++;
  h.sum += seconds;
}

std::size_t ServerMetrics::request_series() const {
  std::lock_guard<std::mutex> lock(mu_);
  return requests_.size();
}

void ServerMetrics::ConnectionRefused(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  refused_[reason]++;
}

std::uint64_t ServerMetrics::connections_refused() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::uint64_t n = 0;
  for (const auto& [k, v] : refused_) n += v;
  return n;
}

std::string ServerMetrics::Render(const DeskStore* store) const {
  std::ostringstream out;
  std::lock_guard<std::mutex> lock(mu_);
  out << "# HELP sladesk_http_requests_total HTTP requests by method, route and status.\n"
         "# TYPE sladesk_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out << "sladesk_http_requests_total{method=\"" << method << "\",route=\"" << route << "\",status=\""
        << status << "\"} " << n << "\n";
  }
  out << "# HELP sladesk_http_request_duration_seconds Request latency by route.\n"
         "# TYPE sladesk_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (size_t i = 0; i < kBuckets.size(); ++i)
      out << "sladesk_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << kBuckets[i]
          << "\"} " << h.counts[i] << "\n";
    out << "sladesk_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count
        << "\n";
    out << "sladesk_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n";
    out << "sladesk_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
  }
  out << "# HELP sladesk_http_open_connections Open client connections.\n"
         "# TYPE sladesk_http_open_connections gauge\n"
      << "sladesk_http_open_connections " << open_connections_.load() << "\n"
      << "# HELP sladesk_http_connections_refused_total Connections refused over the connection caps.\n"
         "# TYPE sladesk_http_connections_refused_total counter\n";
  for (const char* reason : {"total", "per_address"}) {
    auto it = refused_.find(reason);
    out << "sladesk_http_connections_refused_total{reason=\"" << reason << "\"} "
        << (it == refused_.end() ? 0 : it->second) << "\n";
  }
  out << "# HELP sladesk_http_accept_errors_total Failed accepts (e.g. out of file descriptors; accept backs off).\n"
         "# TYPE sladesk_http_accept_errors_total counter\n"
      << "sladesk_http_accept_errors_total " << accept_errors_.load() << "\n";
  if (store) {
    auto s = store->stats();
    out << "# HELP sladesk_store_write_units_total Units of work written (one per API write).\n"
           "# TYPE sladesk_store_write_units_total counter\n"
        << "sladesk_store_write_units_total " << s.write_units << "\n"
        << "# HELP sladesk_store_commits_total Database commits (group commit: several units each).\n"
           "# TYPE sladesk_store_commits_total counter\n"
        << "sladesk_store_commits_total " << s.commits << "\n"
        << "# HELP sladesk_store_retries_total Units run again after a conflict.\n"
           "# TYPE sladesk_store_retries_total counter\n"
        << "sladesk_store_retries_total " << s.retries << "\n"
        << "# HELP sladesk_store_read_units_total Read units of work.\n"
           "# TYPE sladesk_store_read_units_total counter\n"
        << "sladesk_store_read_units_total " << s.read_units << "\n"
        << "# HELP sladesk_store_queued_writes Writes waiting for the writer.\n"
           "# TYPE sladesk_store_queued_writes gauge\n"
        << "sladesk_store_queued_writes " << store->queued_writes() << "\n";
  }
  for (const auto& section : sections_) out << section();
  return out.str();
}

}  // namespace sladesk
