// `sladesk calendar add|between|open` (CONTRACT §6).
#include <CLI/CLI.hpp>

#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"
#include "cli/cli_context.h"
#include "cli/cli_io.h"

namespace sladesk {
namespace {

Result<std::shared_ptr<const BusinessCalendar>> LoadCalendar(CliContext& ctx, const std::string& path) {
  std::error_code ec;
  if (path == "24x7" && !std::filesystem::exists(path, ec)) return BusinessCalendar::AlwaysOpen();
  auto text = ReadInput(ctx, path, "--calendar");
  if (!text.ok()) return text.error();
  auto spec = ParseCalendarJson(*text);
  if (!spec.ok()) {
    Error e = spec.error();
    e.file = path;
    return e;
  }
  auto calendar = BusinessCalendar::Create(std::move(spec).value());
  if (!calendar.ok()) {
    Error e = calendar.error();
    e.file = path;
    return e;
  }
  return calendar;
}

void Explain(CliContext& ctx, const BusinessCalendar& cal, Instant a, Instant b) {
  auto intervals = cal.OpenIntervals(a, b);
  *ctx.err << "open windows used (" << intervals.size() << "), calendar "
           << (cal.id().empty() ? "(unnamed)" : cal.id()) << " in " << cal.zone().name() << ":\n";
  for (const auto& w : intervals) {
    auto ls = cal.zone().ToLocal(w.start), le = cal.zone().ToLocal(w.end);
    *ctx.err << "  " << FormatInstant(w.start) << " .. " << FormatInstant(w.end) << "  (local "
             << date::format("%a %F %R", ls) << " .. " << date::format("%a %F %R", le) << ", "
             << ToEpoch(w.end) - ToEpoch(w.start) << " s)\n";
  }
}

// Parses "start_epoch,duration" lines from ctx.in and writes one epoch per
// line, streaming in large chunks so a million lines cost no per-line syscalls.
int RunBatch(CliContext& ctx, const BusinessCalendar& cal) {
  constexpr size_t kChunk = 1 << 16;
  std::string pending;
  std::string out;
  out.reserve(kChunk + 64);
  std::vector<char> buf(kChunk);
  long line_no = 0;
  auto handle_line = [&](std::string_view line) -> bool {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) return true;
    std::string field = "stdin line " + std::to_string(line_no);
    size_t comma = line.find(',');
    Seconds start = 0, duration = 0;
    auto parse = [](std::string_view s, Seconds& v) {
      while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      return ec == std::errc() && p == s.data() + s.size() && !s.empty();
    };
    if (comma == std::string_view::npos || !parse(line.substr(0, comma), start) ||
        !parse(line.substr(comma + 1), duration)) {
      Fail(ctx, MakeError(field, "expected \"start_epoch,duration_seconds\" (two whole numbers), got '" +
                                     std::string(line.substr(0, 80)) + "'"));
      return false;
    }
    if (start < kMinEpoch || start >= kMaxEpoch) {
      Fail(ctx, MakeError(field, "start_epoch " + std::to_string(start) +
                                     " is outside the supported range 1900-01-01 to 2199-12-31"));
      return false;
    }
    if (duration < 0) {
      Fail(ctx, MakeError(field, "duration must not be negative"));
      return false;
    }
    auto result = cal.Add(FromEpoch(start), duration);
    if (!result.ok()) {
      Error e = result.error();
      e.field = field;
      Fail(ctx, e);
      return false;
    }
    char num[24];
    auto [p, ec] = std::to_chars(num, num + sizeof num, ToEpoch(*result));
    out.append(num, p);
    out.push_back('\n');
    if (out.size() >= kChunk) {
      ctx.out->write(out.data(), static_cast<std::streamsize>(out.size()));
      out.clear();
    }
    return true;
  };
  bool ok = true;
  while (ok && *ctx.in) {
    ctx.in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
    std::streamsize n = ctx.in->gcount();
    if (n <= 0) break;
    std::string_view chunk(buf.data(), static_cast<size_t>(n));
    size_t pos = 0;
    while (ok) {
      size_t nl = chunk.find('\n', pos);
      if (nl == std::string_view::npos) {
        pending.append(chunk.substr(pos));
        break;
      }
      if (pending.empty()) {
        ok = handle_line(chunk.substr(pos, nl - pos));
      } else {
        pending.append(chunk.substr(pos, nl - pos));
        ok = handle_line(pending);
        pending.clear();
      }
      pos = nl + 1;
    }
  }
  if (ok && !pending.empty()) ok = handle_line(pending);
  ctx.out->write(out.data(), static_cast<std::streamsize>(out.size()));
  ctx.out->flush();
  return ok ? kExitOk : ctx.exit_code;
}

}  // namespace

void RegisterCalendarCommands(CLI::App& app, CliContext& ctx) {
  auto* calendar = app.add_subcommand("calendar", "Business-time arithmetic on a calendar JSON file");
  calendar->require_subcommand(1);

  struct AddOptions {
    std::string calendar, from;
    std::optional<Seconds> duration;
    bool batch = false, explain = false, stats = false;
  };
  auto add_opts = std::make_shared<AddOptions>();
  auto* add = calendar->add_subcommand("add", "The instant `duration` business seconds after --from");
  add->add_option("--calendar", add_opts->calendar, "Calendar JSON file (CONTRACT §2), or 24x7")->required();
  auto* from_opt = add->add_option("--from", add_opts->from, "Start instant, RFC 3339");
  auto* duration_opt = add->add_option("--duration", add_opts->duration, "Business seconds to add");
  auto* batch_opt = add->add_flag("--batch", add_opts->batch,
                                  "Read \"start_epoch,duration\" lines on stdin; print one epoch a line");
  batch_opt->excludes(from_opt)->excludes(duration_opt);
  add->add_flag("--explain", add_opts->explain, "Print the open windows used on stderr");
  add->add_flag("--stats", add_opts->stats,
                "With --batch: print the batch's own wall time on stderr (reading, computing and "
                "writing the lines; start-up and calendar loading excluded)")
      ->needs(batch_opt);
  add->callback([&ctx, add_opts] {
    auto cal = LoadCalendar(ctx, add_opts->calendar);
    if (!cal.ok()) return (void)Fail(ctx, cal.error());
    if (add_opts->batch) {
      // A monotonic clock in the adapter, for --stats only; the core never reads one.
      const auto started = std::chrono::steady_clock::now();
      ctx.exit_code = RunBatch(ctx, **cal);
      if (add_opts->stats) {
        const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        char line[96];
        std::snprintf(line, sizeof line, "batch: %.6f s\n", secs);
        *ctx.err << line;
      }
      return;
    }
    if (add_opts->from.empty()) return (void)Fail(ctx, MakeError("--from", "required (or use --batch)"));
    if (!add_opts->duration)
      return (void)Fail(ctx, MakeError("--duration", "required: a whole number of seconds >= 0"));
    if (*add_opts->duration < 0)
      return (void)Fail(ctx, MakeError("--duration", "must not be negative"));
    auto from = ParseInstant(add_opts->from, "--from");
    if (!from.ok()) return (void)Fail(ctx, from.error());
    auto due = (*cal)->Add(*from, *add_opts->duration);
    if (!due.ok()) return (void)Fail(ctx, due.error());
    *ctx.out << FormatInstant(*due) << "\n";
    if (add_opts->explain) Explain(ctx, **cal, *from, *due);
  });

  struct BetweenOptions {
    std::string calendar, from, to;
    bool explain = false;
  };
  auto between_opts = std::make_shared<BetweenOptions>();
  auto* between = calendar->add_subcommand("between", "Business seconds in [--from, --to)");
  between->add_option("--calendar", between_opts->calendar, "Calendar JSON file (CONTRACT §2), or 24x7")
      ->required();
  between->add_option("--from", between_opts->from, "Start instant, RFC 3339")->required();
  between->add_option("--to", between_opts->to, "End instant, RFC 3339")->required();
  between->add_flag("--explain", between_opts->explain, "Print the open windows used on stderr");
  between->callback([&ctx, between_opts] {
    auto cal = LoadCalendar(ctx, between_opts->calendar);
    if (!cal.ok()) return (void)Fail(ctx, cal.error());
    auto from = ParseInstant(between_opts->from, "--from");
    if (!from.ok()) return (void)Fail(ctx, from.error());
    auto to = ParseInstant(between_opts->to, "--to");
    if (!to.ok()) return (void)Fail(ctx, to.error());
    *ctx.out << (*cal)->Between(*from, *to) << "\n";
    if (between_opts->explain) Explain(ctx, **cal, *from, *to);
  });

  struct OpenOptions {
    std::string calendar, at;
  };
  auto open_opts = std::make_shared<OpenOptions>();
  auto* open = calendar->add_subcommand("open", "Whether the calendar is open at --at, and when it next opens");
  open->add_option("--calendar", open_opts->calendar, "Calendar JSON file (CONTRACT §2), or 24x7")->required();
  open->add_option("--at", open_opts->at, "Instant, RFC 3339")->required();
  open->callback([&ctx, open_opts] {
    auto cal = LoadCalendar(ctx, open_opts->calendar);
    if (!cal.ok()) return (void)Fail(ctx, cal.error());
    auto at = ParseInstant(open_opts->at, "--at");
    if (!at.ok()) return (void)Fail(ctx, at.error());
    bool is_open = (*cal)->IsOpen(*at);
    auto next = (*cal)->NextOpen(*at);
    *ctx.out << (is_open ? "open" : "closed");
    if (!is_open) *ctx.out << "; next open " << (next ? FormatInstant(*next) : std::string("never"));
    *ctx.out << "\n";
  });
}

}  // namespace sladesk
