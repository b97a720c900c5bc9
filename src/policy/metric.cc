#include "policy/policy.h"

namespace sladesk {

std::string_view MetricName(Metric m) {
  switch (m) {
    case Metric::kFirstResponse: return "first_response";
    case Metric::kNextUpdate: return "next_update";
    case Metric::kResolution: return "resolution";
  }
  return "unknown";
}

std::optional<Metric> MetricFromName(std::string_view name) {
  for (Metric m : kAllMetrics)
    if (MetricName(m) == name) return m;
  return std::nullopt;
}

}  // namespace sladesk
