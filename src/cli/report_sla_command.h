// `sladesk report sla` and `sladesk report statement` (SLA reports over a
// ticket history file; see report_sla_command.cc).
#pragma once

#include <string>

#include "common/instant.h"
#include "common/result.h"

namespace CLI {
class App;
}

namespace sladesk {
struct CliContext;

// Adds `sla` and `statement` under the `report` subcommand.
void RegisterReportSlaCommands(CLI::App& report, CliContext& ctx);

// --from/--to/--now values: RFC 3339, or YYYY-MM-DD meaning midnight UTC.
[[nodiscard]] Result<Instant> ParseReportTime(const std::string& text, const std::string& field);

}  // namespace sladesk
