// `sladesk report statement --policy FILE --history FILE.jsonl
//    --organisation X --month YYYY-MM [--plan P] [--incidents FILE]
//    [--now T] [--template FILE] [--output FILE]`
//
// Writes the organisation's monthly statement as one self-contained HTML
// page (print it to PDF from a browser): tickets, attainment per target and
// by week (inline SVG), missed targets, incidents against the allowance,
// support hours and, with --incidents (the `report availability` input; its
// month may be left out), the month's availability level. The plan sets
// the month's zone: --plan, else the plan of the organisation's first
// ticket. Exit 0, or 2 with one "sladesk: ..." line naming the field.
#include <CLI/CLI.hpp>

#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "cli/history_input.h"
#include "cli/report_sla_command.h"
#include "cli/statement_command.h"
#include "compliance/availability_json.h"
#include "compliance/history_jsonl.h"
#include "compliance/statement.h"
#include "compliance/statement_html.h"
#include "policy/policy_loader.h"

namespace sladesk {
namespace {

struct StatementOptions {
  std::string policy;
  std::string history;
  std::string organisation;
  std::string month;
  std::string plan;
  std::string incidents;
  std::string now;
  std::string template_file;
  std::string output;
};

void RunStatement(CliContext& ctx, const StatementOptions& o) {
  auto fail = [&](const Error& e) { Fail(ctx, e); };
  auto month = ParseYearMonth(o.month);
  if (!month) return fail(MakeError("--month", "'" + o.month + "' is not a month YYYY-MM"));
  std::optional<Instant> now;
  if (!o.now.empty()) {
    auto t = ParseReportTime(o.now, "--now");
    if (!t.ok()) return fail(t.error());
    now = *t;
  }
  auto policy_text = ReadInput(ctx, o.policy, "--policy");
  if (!policy_text.ok()) return fail(policy_text.error());
  auto policy = ParsePolicy(*policy_text, o.policy == "-" ? "<stdin>" : o.policy);
  if (!policy.ok()) return fail(policy.error());
  std::string template_text = DefaultStatementTemplate();
  if (!o.template_file.empty()) {
    auto t = ReadInput(ctx, o.template_file, "--template");
    if (!t.ok()) return fail(t.error());
    template_text = std::move(t).value();
  }
  if (!o.plan.empty() && (*policy)->FindPlan(o.plan) == nullptr)
    return fail(MakeError("--plan", "unknown plan '" + o.plan + "'"));

  std::optional<StatementBuilder> builder;
  auto create = [&](const std::string& plan) -> Status {
    auto b = StatementBuilder::Create(**policy, o.organisation, plan, *month, now);
    if (!b.ok()) return b.error();
    builder.emplace(std::move(b).value());
    return Status::Ok();
  };
  if (!o.plan.empty() || (*policy)->plans.size() == 1) {
    if (Status s = create(o.plan.empty() ? (*policy)->plans[0].id : o.plan); !s.ok()) return fail(s.error());
  }
  HistoryTicket ticket;
  HistoryRunOptions ho;
  ho.path = o.history;
  ho.workers = 1;
  ho.progress_label = "statement";
  auto stats = RunHistory(ctx, ho, [&](int, std::string_view line, std::int64_t, std::string&) -> Status {
    if (Status s = ParseHistoryLine(line, ticket); !s.ok()) return s;
    if (ticket.organisation != o.organisation) return Status::Ok();
    if (!builder) {
      if (Status s = create(ticket.plan); !s.ok()) {
        Error e = s.error();
        e.field = "plan";
        return e;
      }
    }
    return builder->Add(ticket);
  });
  if (!stats.ok()) return fail(stats.error());
  if (!builder) return fail(MakeError("--organisation", "no tickets of '" + o.organisation + "' in the history; pass --plan"));

  std::optional<AvailabilityResult> availability;
  if (!o.incidents.empty()) {
    auto text = ReadInput(ctx, o.incidents, "--incidents");
    if (!text.ok()) return fail(text.error());
    nlohmann::json doc = nlohmann::json::parse(*text, nullptr, false);
    if (doc.is_object() && !doc.contains("month")) doc["month"] = o.month;
    auto req = ParseAvailabilityRequest(doc.is_discarded() ? *text : doc.dump());
    if (!req.ok()) {
      Error e = req.error();
      e.file = o.incidents;
      return fail(e);
    }
    if (req->month != *month)
      return fail(MakeError("--incidents", "its month " + FormatYearMonth(req->month) + " is not --month " + o.month));
    auto result = ComputeAvailability(*req, **policy);
    if (!result.ok()) return fail(result.error());
    availability = *result;
  }
  auto html = RenderStatementHtml(builder->Finish(availability), template_text);
  if (!html.ok()) return fail(html.error());
  if (o.output.empty()) {
    *ctx.out << *html;
    ctx.out->flush();
  } else {
    std::ofstream file(o.output, std::ios::binary | std::ios::trunc);
    file << *html;
    file.close();
    if (!file) return fail(MakeError("--output", "cannot write '" + o.output + "'"));
  }
  ctx.exit_code = kExitOk;
}

}  // namespace

void RegisterStatementCommand(CLI::App& report, CliContext& ctx) {
  auto o = std::make_shared<StatementOptions>();
  CLI::App* cmd = report.add_subcommand("statement", "An organisation's monthly statement (HTML, printable to PDF)");
  cmd->add_option("--policy", o->policy, "Policy file (TOML)")->required();
  cmd->add_option("--history", o->history, "Ticket history, one JSON ticket a line (- for stdin)")->required();
  cmd->add_option("--organisation", o->organisation, "The organisation")->required();
  cmd->add_option("--month", o->month, "The month, YYYY-MM")->required();
  cmd->add_option("--plan", o->plan, "The organisation's plan (default: the plan of its first ticket)");
  cmd->add_option("--incidents", o->incidents, "Service incidents of the month (the `report availability` input)");
  cmd->add_option("--now", o->now, "Read the clocks at this instant if it is before the month's end");
  cmd->add_option("--template", o->template_file, "A Mustache template instead of the built-in one");
  cmd->add_option("--output", o->output, "Write the HTML here instead of stdout");
  cmd->callback([&ctx, o] { RunStatement(ctx, *o); });
}

}  // namespace sladesk
