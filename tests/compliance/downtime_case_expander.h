// Expands a downtime case's "repeat" entries ({"count": N, "ticket": {...}})
// into N copies of the ticket with ids "<id>-1" .. "<id>-N", appended to the
// input's tickets in order, so a case with ten similar tickets stays short.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace sladesk::testing {

inline nlohmann::json ExpandDowntimeInput(const nlohmann::json& c) {
  nlohmann::json input = c.at("input");
  if (!c.contains("repeat")) return input;
  for (const auto& r : c.at("repeat")) {
    for (int k = 1; k <= r.at("count").get<int>(); ++k) {
      nlohmann::json t = r.at("ticket");
      t["id"] = t.at("id").get<std::string>() + "-" + std::to_string(k);
      input["tickets"].push_back(t);
    }
  }
  return input;
}

}  // namespace sladesk::testing
