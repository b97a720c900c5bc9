// Writers for a BacktestResult: the table `sladesk backtest` prints for
// people and the JSON for tools (docs/COMPLIANCE.md).
// Thread-safety: pure functions. Ownership: none.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "compliance/backtest.h"

namespace sladesk {

std::string BacktestTable(const BacktestResult& result, const std::string& baseline_name,
                          const std::string& candidate_name);
nlohmann::ordered_json BacktestJson(const BacktestResult& result);

}  // namespace sladesk
