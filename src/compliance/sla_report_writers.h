// Writers for an SlaPeriodReport: a table for people, JSON and CSV for
// tools, and one CSV line per breach for `report sla --breaches FILE`.
//
// Purpose: the output half of `sladesk report sla`, kept apart from the
// computation (sla_report_builder.h) so the API can serve the same JSON.
// Thread-safety: pure functions. Ownership: none.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "compliance/sla_period_report.h"

namespace sladesk {

// The JSON object (key order fixed; see docs/COMPLIANCE.md).
nlohmann::ordered_json SlaPeriodReportJson(const SlaPeriodReport& report);
// Aligned columns, one row a group and the total, then the incidents over
// allowance, support hours and the worst breaches.
std::string SlaPeriodReportTable(const SlaPeriodReport& report);
// RFC 4180: a header, one row a group, then the total (key "total").
std::string SlaPeriodReportCsv(const SlaPeriodReport& report);

std::string BreachCsvHeader();  // with the newline
std::string BreachCsvLine(const BreachRecord& breach);  // with the newline

// "2h 05m", "3d 4h", "45s": a duration for people.
std::string HumanDuration(Seconds s);
// A CSV field, quoted when it needs to be.
std::string CsvField(const std::string& s);

}  // namespace sladesk
