// Reading a ticket history line: one JSON object of the history JSONL format
// (docs/COMPLIANCE.md) into a HistoryTicket, fast and allocation-light.
//
// Purpose: `report sla` and `backtest` replay millions of lines; a general
// JSON DOM costs more than the SLA clock itself, so this is a small
// validating parser for exactly this shape:
//   {"id": "T-1", "organisation": "acme", "plan": "gold", "severity": "high",
//    "assignee": "ana", "events": [{"at": RFC 3339, "type": §4 type,
//    "severity": id (severity_changed only)}, ...],
//    "escalations": [{"at": ..., "level": "..."}], "support_hours": 1.5}
// `id`, `plan` and `events` are required; `organisation`, `severity`,
// `assignee` may be absent or null; unknown keys are skipped (any JSON
// value, nested up to 64 levels). Strings are full JSON strings (escapes,
// \u surrogate pairs). Errors name the field ("events[2].at: ...") or say
// where the JSON is broken ("input: not valid JSON: ... at column 17").
// Thread-safety: pure function. Ownership: writes into the caller's ticket.
#pragma once

#include <string_view>

#include "common/result.h"
#include "compliance/history_ticket.h"

namespace sladesk {

// Parses `line` (without its newline) into `out`, which is cleared first.
[[nodiscard]] Status ParseHistoryLine(std::string_view line, HistoryTicket& out);

// One line of the format for `ticket` (no newline): the inverse of
// ParseHistoryLine, used by the converters and generators.
std::string HistoryLineJson(const HistoryTicket& ticket);

}  // namespace sladesk
