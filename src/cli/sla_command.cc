// `sladesk sla evaluate --policy FILE --input FILE|- [--explain]` (CONTRACT §6).
//
// Prints the report JSON on stdout and exits 0. Any bad input (flags, an
// unreadable or invalid policy, a malformed request, an unknown plan or
// severity) prints one "sladesk: ..." line naming the field on stderr and
// exits 2. --explain writes a readable account of the evaluation (severity
// and calendar per metric, pauses, open windows counted, how each due time
// was reached) to stderr, so stdout stays exactly the contract's JSON.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "policy/policy_loader.h"
#include "sla/sla_clock.h"
#include "sla/sla_json.h"

namespace sladesk {
namespace {

struct SlaOptions {
  std::string policy;
  std::string input;
  bool explain = false;
};

void RunEvaluate(CliContext& ctx, const SlaOptions& opt) {
  if (opt.policy == "-" && opt.input == "-") {
    Fail(ctx, MakeError("--input", "stdin is already used by --policy"));
    return;
  }
  auto policy_text = ReadInput(ctx, opt.policy, "--policy");
  if (!policy_text.ok()) {
    Fail(ctx, policy_text.error());
    return;
  }
  auto policy = ParsePolicy(*policy_text, opt.policy == "-" ? "<stdin>" : opt.policy);
  if (!policy.ok()) {
    Fail(ctx, policy.error());
    return;
  }
  auto input = ReadInput(ctx, opt.input, "--input");
  if (!input.ok()) {
    Fail(ctx, input.error());
    return;
  }
  auto request = ParseSlaRequest(*input, **policy);
  if (!request.ok()) {
    Error e = request.error();
    e.file = opt.input == "-" ? "<stdin>" : opt.input;
    Fail(ctx, e);
    return;
  }
  SlaExplanation explanation;
  EvaluateOptions options;
  if (opt.explain) options.explanation = &explanation;
  auto report = EvaluateSla(**policy, *request->plan, request->severity, request->events, request->now, options);
  if (!report.ok()) {
    Fail(ctx, report.error());
    return;
  }
  *ctx.out << SlaReportToJson(*report);
  ctx.out->flush();
  if (opt.explain) *ctx.err << "plan " << request->plan->id << "\n" << FormatSlaExplanation(explanation);
  ctx.exit_code = kExitOk;
}

}  // namespace

void RegisterSlaCommands(CLI::App& app, CliContext& ctx) {
  auto opt = std::make_shared<SlaOptions>();
  CLI::App* sla = app.add_subcommand("sla", "The SLA clock");
  sla->require_subcommand(1);
  CLI::App* evaluate = sla->add_subcommand(
      "evaluate", "Evaluate a ticket's SLA metrics at `now` from its events (JSON in, JSON out)");
  evaluate->add_option("--policy", opt->policy, "Policy file (TOML)")->required();
  evaluate->add_option("--input", opt->input, "Request JSON file, or - for stdin")->required();
  evaluate->add_flag("--explain", opt->explain,
                     "Also write how each answer was reached to stderr (stdout stays the JSON)");
  evaluate->callback([&ctx, opt] { RunEvaluate(ctx, *opt); });
}

}  // namespace sladesk
