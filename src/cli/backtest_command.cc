// `sladesk backtest --policy CANDIDATE --baseline CURRENT --history FILE.jsonl
//    [--now T] [--format table|json] [--jobs N]`
//   Replays every ticket of the history against both policies (a reader and
//   --jobs workers; a progress bar on a terminal) and prints the breaches
//   gained and lost per plan, severity and metric, and the staffed hours the
//   candidate's calendars need against the baseline's.
// `sladesk history import-zendesk --csv FILE [--plan P] [--organisation O]
//    [--severity S] [--output FILE]`
//   Converts a CSV shaped like Zendesk's ticket metric events export into
//   the history JSONL (docs/COMPLIANCE.md), on stdout or --output.
// Exit 0, or 2 with one "sladesk: ..." line naming the field (and the line).
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "cli/history_input.h"
#include "cli/report_sla_command.h"
#include "compliance/backtest.h"
#include "compliance/backtest_writers.h"
#include "compliance/history_jsonl.h"
#include "compliance/zendesk_import.h"
#include "policy/policy_loader.h"

namespace sladesk {
namespace {

struct BacktestOptions {
  std::string candidate;
  std::string baseline;
  std::string history;
  std::string now;
  std::string format = "table";
  int jobs = 2;
};

Result<std::shared_ptr<const Policy>> LoadPolicyArg(CliContext& ctx, const std::string& path, const std::string& flag) {
  auto text = ReadInput(ctx, path, flag);
  if (!text.ok()) return text.error();
  return ParsePolicy(*text, path == "-" ? "<stdin>" : path);
}

void RunBacktest(CliContext& ctx, const BacktestOptions& o) {
  auto fail = [&](const Error& e) { Fail(ctx, e); };
  Backtest::Options bo;
  if (!o.now.empty()) {
    auto now = ParseReportTime(o.now, "--now");
    if (!now.ok()) return fail(now.error());
    bo.now = *now;
  }
  if (o.format != "table" && o.format != "json") return fail(MakeError("--format", "'" + o.format + "' is not one of table, json"));
  if (o.jobs < 1 || o.jobs > 64) return fail(MakeError("--jobs", "must be 1 to 64"));
  int stdin_users = (o.candidate == "-") + (o.baseline == "-") + (o.history == "-");
  if (stdin_users > 1) return fail(MakeError("--history", "only one of --policy, --baseline, --history can be -"));
  auto candidate = LoadPolicyArg(ctx, o.candidate, "--policy");
  if (!candidate.ok()) return fail(candidate.error());
  auto baseline = LoadPolicyArg(ctx, o.baseline, "--baseline");
  if (!baseline.ok()) return fail(baseline.error());

  std::vector<Backtest> runs;
  for (int i = 0; i < o.jobs; ++i) runs.emplace_back(**baseline, **candidate, bo);
  std::vector<HistoryTicket> tickets(static_cast<size_t>(o.jobs));
  HistoryRunOptions ho;
  ho.path = o.history;
  ho.workers = o.jobs;
  ho.progress_label = "backtest";
  auto stats = RunHistory(ctx, ho, [&](int w, std::string_view line, std::int64_t, std::string&) -> Status {
    HistoryTicket& t = tickets[static_cast<size_t>(w)];
    if (Status s = ParseHistoryLine(line, t); !s.ok()) return s;
    return runs[static_cast<size_t>(w)].Add(t);
  });
  if (!stats.ok()) return fail(stats.error());
  for (size_t i = 1; i < runs.size(); ++i) runs[0].Merge(runs[i]);
  const BacktestResult result = runs[0].Finish();
  if (o.format == "json")
    *ctx.out << BacktestJson(result).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  else *ctx.out << BacktestTable(result, o.baseline, o.candidate);
  ctx.out->flush();
  ctx.exit_code = kExitOk;
}

struct ImportOptions {
  std::string csv;
  std::string output;
  ZendeskDefaults defaults;
};

void RunImportZendesk(CliContext& ctx, const ImportOptions& o) {
  auto text = ReadInput(ctx, o.csv, "--csv");
  if (!text.ok()) return (void)Fail(ctx, text.error());
  ZendeskImport import(o.defaults);
  if (Status s = import.AddCsv(*text); !s.ok()) {
    Error e = s.error();
    e.file = o.csv == "-" ? "<stdin>" : o.csv;
    return (void)Fail(ctx, e);
  }
  auto tickets = import.Finish();
  if (!tickets.ok()) return (void)Fail(ctx, tickets.error());
  std::ofstream file;
  std::ostream* out = ctx.out;
  if (!o.output.empty()) {
    file.open(o.output, std::ios::binary | std::ios::trunc);
    if (!file) return (void)Fail(ctx, MakeError("--output", "cannot write '" + o.output + "'"));
    out = &file;
  }
  for (const HistoryTicket& t : *tickets) *out << HistoryLineJson(t) << "\n";
  out->flush();
  if (!*out) return (void)Fail(ctx, MakeError("--output", "cannot write '" + o.output + "'"));
  if (!o.output.empty())
    *ctx.err << "sladesk: " << tickets->size() << " tickets from " << import.rows() << " rows (" << import.ignored_rows()
             << " apply_sla/breach/other rows not needed) written to " << o.output << "\n";
  ctx.exit_code = kExitOk;
}

}  // namespace

void RegisterBacktestCommands(CLI::App& app, CliContext& ctx) {
  auto o = std::make_shared<BacktestOptions>();
  CLI::App* bt = app.add_subcommand(
      "backtest", "Replay a ticket history against a candidate and the current policy and compare the breaches");
  bt->add_option("--policy", o->candidate, "The candidate policy (TOML)")->required();
  bt->add_option("--baseline", o->baseline, "The current policy (TOML)")->required();
  bt->add_option("--history", o->history, "Ticket history, one JSON ticket a line (- for stdin)")->required();
  bt->add_option("--now", o->now, "Read every ticket's clocks at this instant (default: at its last event)");
  bt->add_option("--format", o->format, "table (default) or json");
  bt->add_option("--jobs", o->jobs, "Worker threads (default 2)");
  bt->callback([&ctx, o] { RunBacktest(ctx, *o); });

  auto io = std::make_shared<ImportOptions>();
  CLI::App* history = app.add_subcommand("history", "Ticket history files (JSONL) for reports and backtests");
  history->require_subcommand(1);
  CLI::App* zd = history->add_subcommand(
      "import-zendesk", "Convert a Zendesk ticket metric events CSV into history JSONL");
  zd->add_option("--csv", io->csv, "The CSV (ticket_id, metric, instance_id, type, time; - for stdin)")->required();
  zd->add_option("--plan", io->defaults.plan, "Plan id for tickets without a plan column");
  zd->add_option("--organisation", io->defaults.organisation, "Organisation for tickets without one");
  zd->add_option("--severity", io->defaults.severity, "Severity for tickets without a priority column");
  zd->add_option("--output", io->output, "Write the JSONL here instead of stdout");
  zd->callback([&ctx, io] { RunImportZendesk(ctx, *io); });
}

}  // namespace sladesk
