// `sladesk report sla --db URL`: the SLA report over the stored tickets of
// the policy's organisations (see report_store_command.cc).
#pragma once

#include <string>

#include "compliance/sla_report_builder.h"
#include "policy/policy.h"

namespace sladesk {
struct CliContext;

// Scans the store on `jobs` reader threads (ticket-id ranges, one builder
// each, merged) and prints the report in `format` (table, json, csv).
void RunStoredSlaReport(CliContext& ctx, const Policy& policy, const SlaReportOptions& options, const std::string& db,
                        int jobs, const std::string& format);

}  // namespace sladesk
