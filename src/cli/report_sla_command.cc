// `sladesk report sla --policy FILE --history FILE.jsonl --from T --to T
//   [--now T] [--group-by organisation|plan|severity|agent]
//   [--format table|json|csv] [--organisation X] [--breaches FILE]
//   [--worst N] [--support-hours-budget H] [--jobs N]`
// or, instead of --history, `--db URL` (the stored tickets of the policy's
// organisations, report_store_command.cc); --plan, --severity and --agent
// (assignee name) filter both.
//
// Streams the history (one ticket a line, docs/COMPLIANCE.md) through
// SlaReportBuilder on --jobs worker threads (a reader and the workers) and
// prints the report; --breaches also writes every breach in the period as
// CSV, in input order. Exit 0, or 2 with one "sladesk: FILE:LINE: field:
// message" line for any bad flag, policy or line.
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "cli/history_input.h"
#include "cli/report_sla_command.h"
#include "cli/report_store_command.h"
#include "cli/statement_command.h"
#include "compliance/history_jsonl.h"
#include "compliance/sla_report_builder.h"
#include "compliance/sla_report_writers.h"
#include "policy/policy_loader.h"

namespace sladesk {
namespace {

struct SlaOptions {
  std::string policy;
  std::string history;
  std::string from;
  std::string to;
  std::string now;
  std::string group_by = "organisation";
  std::string format = "table";
  std::string organisation;
  std::string plan, severity, agent;
  std::string db;
  std::string breaches;
  size_t worst = 10;
  std::optional<double> support_hours_budget;
  int jobs = 2;
};

void RunSlaReport(CliContext& ctx, const SlaOptions& o) {
  auto fail = [&](const Error& e) { Fail(ctx, e); };
  SlaReportOptions ro;
  auto from = ParseReportTime(o.from, "--from");
  if (!from.ok()) return fail(from.error());
  auto to = ParseReportTime(o.to, "--to");
  if (!to.ok()) return fail(to.error());
  ro.from = *from;
  ro.to = *to;
  if (!o.now.empty()) {
    auto now = ParseReportTime(o.now, "--now");
    if (!now.ok()) return fail(now.error());
    ro.now = *now;
  }
  auto group = ReportGroupingFromName(o.group_by);
  if (!group) return fail(MakeError("--group-by", "'" + o.group_by + "' is not one of organisation, plan, severity, agent"));
  ro.group_by = *group;
  if (o.format != "table" && o.format != "json" && o.format != "csv")
    return fail(MakeError("--format", "'" + o.format + "' is not one of table, json, csv"));
  ro.worst_breaches = o.worst;
  ro.support_hours_budget = o.support_hours_budget;
  ro.organisation = o.organisation;
  ro.plan = o.plan;
  ro.severity = o.severity;
  ro.assignee = o.agent;
  if (o.jobs < 1 || o.jobs > 64) return fail(MakeError("--jobs", "must be 1 to 64"));
  if (o.db.empty() == o.history.empty()) return fail(MakeError("--history", "give either --history FILE or --db URL"));
  if (!o.db.empty() && !o.breaches.empty()) return fail(MakeError("--breaches", "not with --db (yet)"));
  if (o.policy == "-" && o.history == "-") return fail(MakeError("--history", "stdin is already used by --policy"));

  auto policy_text = ReadInput(ctx, o.policy, "--policy");
  if (!policy_text.ok()) return fail(policy_text.error());
  auto policy = ParsePolicy(*policy_text, o.policy == "-" ? "<stdin>" : o.policy);
  if (!policy.ok()) return fail(policy.error());
  if (!o.db.empty()) return RunStoredSlaReport(ctx, **policy, ro, o.db, o.jobs, o.format);

  std::vector<SlaReportBuilder> builders;
  for (int i = 0; i < o.jobs; ++i) {
    auto b = SlaReportBuilder::Create(**policy, ro);
    if (!b.ok()) return fail(b.error());
    builders.push_back(std::move(b).value());
  }
  std::ofstream breaches;
  if (!o.breaches.empty()) {
    breaches.open(o.breaches, std::ios::binary | std::ios::trunc);
    if (!breaches) return fail(MakeError("--breaches", "cannot write '" + o.breaches + "'"));
    breaches << BreachCsvHeader();
  }
  std::vector<std::string*> outputs(static_cast<size_t>(o.jobs), nullptr);
  if (breaches.is_open())
    for (int i = 0; i < o.jobs; ++i)
      builders[static_cast<size_t>(i)].set_breach_sink(
          [&outputs, i](const BreachRecord& b) { *outputs[static_cast<size_t>(i)] += BreachCsvLine(b); });
  std::vector<HistoryTicket> tickets(static_cast<size_t>(o.jobs));

  HistoryRunOptions ho;
  ho.path = o.history;
  ho.workers = o.jobs;
  ho.progress_label = "report sla";
  auto stats = RunHistory(
      ctx, ho,
      [&](int w, std::string_view line, std::int64_t, std::string& output) -> Status {
        HistoryTicket& t = tickets[static_cast<size_t>(w)];
        if (Status s = ParseHistoryLine(line, t); !s.ok()) return s;
        outputs[static_cast<size_t>(w)] = &output;
        return builders[static_cast<size_t>(w)].Add(t);
      },
      [&](std::string_view out) { breaches.write(out.data(), static_cast<std::streamsize>(out.size())); });
  if (!stats.ok()) return fail(stats.error());
  for (size_t i = 1; i < builders.size(); ++i) builders[0].Merge(builders[i]);
  const SlaPeriodReport report = builders[0].Finish();
  if (o.format == "json")
    *ctx.out << SlaPeriodReportJson(report).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  else if (o.format == "csv") *ctx.out << SlaPeriodReportCsv(report);
  else *ctx.out << SlaPeriodReportTable(report);
  ctx.out->flush();
  if (breaches.is_open()) {
    breaches.close();
    if (!breaches) return fail(MakeError("--breaches", "cannot write '" + o.breaches + "'"));
  }
  ctx.exit_code = kExitOk;
}

}  // namespace

Result<Instant> ParseReportTime(const std::string& text, const std::string& field) {
  // A plain date is its midnight UTC; anything else must be RFC 3339.
  if (text.size() == 10 && text[4] == '-' && text[7] == '-') return ParseInstant(text + "T00:00:00Z", field);
  return ParseInstant(text, field);
}

void RegisterReportSlaCommands(CLI::App& report, CliContext& ctx) {
  auto o = std::make_shared<SlaOptions>();
  CLI::App* sla = report.add_subcommand("sla", "SLA attainment over a period from a ticket history (JSONL)");
  sla->add_option("--policy", o->policy, "Policy file (TOML)")->required();
  sla->add_option("--history", o->history, "Ticket history, one JSON ticket a line (- for stdin)");
  sla->add_option("--db", o->db, "Instead of --history: the stored tickets (sqlite:PATH or postgresql://...)");
  sla->add_option("--from", o->from, "Period start (RFC 3339, or YYYY-MM-DD = midnight UTC)")->required();
  sla->add_option("--to", o->to, "Period end, exclusive")->required();
  sla->add_option("--now", o->now, "Read the clocks at this instant if it is before --to (default: --to)");
  sla->add_option("--group-by", o->group_by, "organisation (default), plan, severity or agent");
  sla->add_option("--format", o->format, "table (default), json or csv");
  sla->add_option("--organisation", o->organisation, "Only this organisation's tickets");
  sla->add_option("--plan", o->plan, "Only this plan's tickets");
  sla->add_option("--severity", o->severity, "Only tickets of this severity (in force at the report's as_of)");
  sla->add_option("--agent", o->agent, "Only this assignee's tickets");
  sla->add_option("--breaches", o->breaches, "Also write every breach in the period to this CSV file");
  sla->add_option("--worst", o->worst, "Worst breaches listed per group (default 10)");
  sla->add_option("--support-hours-budget", o->support_hours_budget,
                  "Support-hours budget per organisation (default: the plan's quota.support_hours)");
  sla->add_option("--jobs", o->jobs, "Worker threads (default 2)");
  sla->callback([&ctx, o] { RunSlaReport(ctx, *o); });
  RegisterStatementCommand(report, ctx);
}

}  // namespace sladesk
