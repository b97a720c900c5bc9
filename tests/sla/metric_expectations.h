// ExpectMetrics: compares an `sla evaluate` report (CONTRACT §6 JSON) with
// the hand-worked fields of a table-driven case: {"first_response": {"state":
// ..., "due_at": ...}, ...}. Only the listed fields are compared; null means
// "must be null". Shared by the in-process cases and the end-to-end ones.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace sladesk::testing {

// `context` is appended to every failure (the full output, an explanation).
inline void ExpectMetrics(const nlohmann::json& report, const nlohmann::json& expect,
                          const std::string& context) {
  for (const auto& [metric, expected] : expect.items()) {
    const nlohmann::json* actual = nullptr;
    for (const auto& m : report.at("metrics"))
      if (m.at("metric") == metric) actual = &m;
    ASSERT_NE(actual, nullptr) << metric;
    for (const auto& [key, value] : expected.items()) {
      ASSERT_TRUE(actual->contains(key)) << metric << "." << key;
      EXPECT_EQ(actual->at(key), value) << metric << "." << key << "\n" << context;
    }
  }
}

}  // namespace sladesk::testing
