// `sladesk calendar import-ics --calendar FILE --ics FILE
//      [--from-year Y] [--to-year Y] [--skip-timed]`
// Prints the calendar JSON with the imported dates merged into `holidays`
// (sorted, one entry per date, hand-written entries win). Notes about
// skipped events go to stderr; any bad input exits 2 with one message.
#include "cli/calendar_ics_command.h"

#include <CLI/CLI.hpp>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "calendar/ical_holidays.h"
#include "cli/cli_io.h"

namespace sladesk {

void RegisterCalendarImportCommand(CLI::App& calendar_subcommand, CliContext& ctx) {
  struct Options {
    std::string calendar, ics;
    int from_year = 1970, to_year = 2100;
    bool skip_timed = false;
  };
  auto opts = std::make_shared<Options>();
  auto* cmd = calendar_subcommand.add_subcommand(
      "import-ics", "Add the all-day events of an iCalendar file to a calendar's holidays; "
                    "prints the calendar JSON");
  cmd->add_option("--calendar", opts->calendar, "Calendar JSON file (CONTRACT §2), or - for stdin")
      ->required();
  cmd->add_option("--ics", opts->ics, "iCalendar (.ics) file of all-day events, or - for stdin")
      ->required();
  cmd->add_option("--from-year", opts->from_year, "First year to import (default 1970)");
  cmd->add_option("--to-year", opts->to_year,
                  "Last year to import; recurring events are expanded up to it (default 2100)");
  cmd->add_flag("--skip-timed", opts->skip_timed,
                "Skip timed (non all-day) events with a note instead of failing");
  cmd->callback([&ctx, opts] {
    if (opts->calendar == "-" && opts->ics == "-") {
      return (void)Fail(ctx, MakeError("--ics", "--calendar and --ics cannot both read stdin"));
    }
    auto calendar_text = ReadInput(ctx, opts->calendar, "--calendar");
    if (!calendar_text.ok()) return (void)Fail(ctx, calendar_text.error());
    auto spec = ParseCalendarJson(*calendar_text);
    if (!spec.ok()) {
      Error e = spec.error();
      e.file = opts->calendar;
      return (void)Fail(ctx, e);
    }
    auto ics_text = ReadInput(ctx, opts->ics, "--ics");
    if (!ics_text.ok()) return (void)Fail(ctx, ics_text.error());

    IcalImportOptions options;
    options.from_year = opts->from_year;
    options.to_year = opts->to_year;
    options.skip_timed_events = opts->skip_timed;
    options.source_name = opts->ics == "-" ? "<stdin>" : opts->ics;
    auto imported = ImportIcalHolidays(*ics_text, options);
    if (!imported.ok()) {
      Error e = imported.error();
      // The year range errors name the options, not the file.
      if (e.field == "from_year" || e.field == "to_year") {
        e.field = e.field == "from_year" ? "--from-year" : "--to-year";
        e.file.clear();
      }
      return (void)Fail(ctx, e);
    }
    for (const std::string& note : imported->notes) *ctx.err << "sladesk: note: " << note << "\n";

    AddImportedHolidays(*spec, imported->dates);
    // The result must still be a valid calendar (e.g. its zone and windows),
    // so a broken file is reported now rather than when it is used.
    auto check = BusinessCalendar::Create(*spec);
    if (!check.ok()) {
      Error e = check.error();
      e.file = opts->calendar;
      return (void)Fail(ctx, e);
    }
    *ctx.out << CalendarSpecToJson(*spec).dump(2) << "\n";
    *ctx.err << "sladesk: imported " << imported->dates.size() << " date"
             << (imported->dates.size() == 1 ? "" : "s") << " from " << options.source_name
             << "\n";
  });
}

}  // namespace sladesk
