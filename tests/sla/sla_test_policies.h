// Policies for the SLA clock tests, built field by field (no TOML loader).
//
// "gold-support": seed 002 as CONTRACT §5 reads it (Mon–Fri 09–17
// Europe/Berlin, 8 h business day, no holidays, no next_update targets).
// "desk": a test policy that exercises every metric: plans `std` (24x7),
// `biz` (Mon–Fri 09–17 UTC), `afr` (24x7, resolution from first response),
// severities urgent, high, low (low: first response only).
// Thread-safety: returns immutable shared policies.
#pragma once

#include <memory>
#include <string>

#include "policy/policy.h"

namespace sladesk::testing {

std::shared_ptr<const Policy> GoldSupportPolicy();
std::shared_ptr<const Policy> DeskPolicy();
// By name ("gold-support", "desk"); nullptr when unknown.
std::shared_ptr<const Policy> TestPolicy(const std::string& name);

// The Mon–Fri 09:00–17:00 calendar in `zone` with an 8 h business day.
std::shared_ptr<const BusinessCalendar> OfficeCalendar(const std::string& id, const std::string& zone);

// Reads tests/<relative> from the source tree.
std::string ReadTestFile(const std::string& relative);

}  // namespace sladesk::testing
