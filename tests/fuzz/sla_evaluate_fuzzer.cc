// libFuzzer target: `sla evaluate` request parsing and the SLA clock, on the
// seed policies gold-support, supermetrics and agency-support (which between
// them have every metric, ranges aside). Any input must give a report or an
// Error, never a crash, hang or sanitizer report; and the explained and the
// plain evaluation must agree.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "policy/policy_loader.h"
#include "sla/sla_clock.h"
#include "sla/sla_json.h"

namespace {

const std::vector<std::shared_ptr<const sladesk::Policy>>& Policies() {
  static const auto* policies = [] {
    auto* out = new std::vector<std::shared_ptr<const sladesk::Policy>>;
    for (const char* name : {"gold-support.toml", "supermetrics.toml", "agency-support.toml"}) {
      auto p = sladesk::LoadPolicyFile(std::string(SLADESK_SOURCE_DIR) + "/policies/" + name);
      if (!p.ok()) std::abort();  // the seed policies must load
      out->push_back(*p);
    }
    return out;
  }();
  return *policies;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (const auto& policy : Policies()) {
    auto request = sladesk::ParseSlaRequest(text, *policy);
    if (!request.ok()) {
      (void)request.error().ToString();
      continue;
    }
    sladesk::SlaExplanation explanation;
    sladesk::EvaluateOptions options;
    options.explanation = &explanation;
    options.compute_next_change = true;
    auto explained = sladesk::EvaluateSla(*policy, *request->plan, request->severity, request->events,
                                          request->now, options);
    auto plain = sladesk::EvaluateSla(*policy, *request->plan, request->severity, request->events, request->now);
    if (explained.ok() != plain.ok()) std::abort();
    if (!plain.ok()) continue;
    const std::string json = sladesk::SlaReportToJson(*plain);
    if (json != sladesk::SlaReportToJson(*explained)) std::abort();
    (void)sladesk::FormatSlaExplanation(explanation);
  }
  return 0;
}
