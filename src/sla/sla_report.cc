#include "sla/sla_report.h"

namespace sladesk {

std::string_view MetricStateName(MetricState state) {
  switch (state) {
    case MetricState::kNotStarted: return "not_started";
    case MetricState::kRunning: return "running";
    case MetricState::kPaused: return "paused";
    case MetricState::kMet: return "met";
    case MetricState::kBreached: return "breached";
    case MetricState::kNoTarget: return "no_target";
  }
  return "unknown";
}

}  // namespace sladesk
