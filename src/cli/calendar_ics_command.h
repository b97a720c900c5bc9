// `sladesk calendar import-ics`: adds the all-day events of an iCalendar
// (.ics) file to a calendar JSON file's `holidays` and prints the result.
//
// Purpose: the CLI edge of calendar/ical_holidays.h; nothing is written to
// disk (redirect stdout to keep the result).
// Thread-safety: single-threaded CLI use only. Ownership: the subcommand's
// options live in a shared_ptr captured by its callback.
#pragma once

#include "cli/cli_context.h"

namespace sladesk {

// Adds `import-ics` under the `calendar` subcommand.
void RegisterCalendarImportCommand(CLI::App& calendar_subcommand, CliContext& ctx);

}  // namespace sladesk
