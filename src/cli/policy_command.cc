// `sladesk policy check FILE` and `sladesk policy explain FILE [--plan P]`.
//
// check: prints "FILE: ok" and exits 0, or prints every problem (a ticket
// field the desk cannot collect among them) as
// "file:line:col: field: message" on stderr and exits 1; a file that cannot
// be read exits 2 (bad input), like every other command.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <optional>
#include <string>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "desk/ticket_fields.h"
#include "policy/policy_explainer.h"
#include "policy/policy_loader.h"

namespace sladesk {
namespace {

struct PolicyOptions {
  std::string file;
  std::string plan;
};

void RunCheck(CliContext& ctx, const PolicyOptions& opt) {
  auto text = ReadInput(ctx, opt.file, "FILE");
  if (!text.ok()) {
    Fail(ctx, text.error());
    return;
  }
  const std::string source = opt.file == "-" ? "<stdin>" : opt.file;
  std::vector<Error> errors = CheckPolicyText(*text, source);
  if (errors.empty()) {
    // A valid policy may still ask for something the desk cannot collect.
    auto policy = ParsePolicy(*text, source);
    if (policy.ok())
      for (Error e : TicketFields::Uncollectable(**policy)) {
        const std::string id = e.field.substr(e.field.find('[') + 1, e.field.size() - e.field.find('[') - 2);
        e.file = source;
        const size_t at = text->find("\"" + id + "\"");
        if (at != std::string::npos) {
          e.line = 1 + static_cast<int>(std::count(text->begin(), text->begin() + static_cast<long>(at), '\n'));
          const size_t bol = text->rfind('\n', at);
          e.column = static_cast<int>(at - (bol == std::string::npos ? 0 : bol + 1)) + 1;
        }
        errors.push_back(std::move(e));
      }
  }
  if (errors.empty()) {
    *ctx.out << opt.file << ": ok\n";
    ctx.exit_code = kExitOk;
    return;
  }
  for (const Error& e : errors) *ctx.err << e.ToString() << "\n";
  ctx.exit_code = kExitCheckFailed;
}

void RunExplain(CliContext& ctx, const PolicyOptions& opt) {
  auto text = ReadInput(ctx, opt.file, "FILE");
  if (!text.ok()) {
    Fail(ctx, text.error());
    return;
  }
  auto policy = ParsePolicy(*text, opt.file == "-" ? "<stdin>" : opt.file);
  if (!policy.ok()) {
    // The policy is the input here, so an invalid one is bad input (2);
    // `policy check` lists every problem.
    *ctx.err << policy.error().ToString() << "\n";
    ctx.exit_code = kExitBadInput;
    return;
  }
  std::optional<std::string_view> plan;
  if (!opt.plan.empty()) {
    if (!(*policy)->FindPlan(opt.plan)) {
      std::string ids;
      for (const auto& p : (*policy)->plans) ids += (ids.empty() ? "" : ", ") + p.id;
      Fail(ctx, MakeError("--plan", "unknown plan '" + opt.plan + "'; plans: " + ids));
      return;
    }
    plan = opt.plan;
  }
  *ctx.out << ExplainPolicy(**policy, plan);
  ctx.exit_code = kExitOk;
}

}  // namespace

void RegisterPolicyCommands(CLI::App& app, CliContext& ctx) {
  auto opt = std::make_shared<PolicyOptions>();
  CLI::App* policy = app.add_subcommand("policy", "Check and explain support policy files (TOML)");
  policy->require_subcommand(1);

  CLI::App* check = policy->add_subcommand(
      "check", "Validate a policy file; print every error as file:line:col and exit 1");
  check->add_option("FILE", opt->file, "Policy file (TOML), or - for stdin")->required();
  check->callback([&ctx, opt] { RunCheck(ctx, *opt); });

  CLI::App* explain = policy->add_subcommand(
      "explain", "Print the policy as the tables of the contract (targets, hours, quotas, lifecycle)");
  explain->add_option("FILE", opt->file, "Policy file (TOML), or - for stdin")->required();
  explain->add_option("--plan", opt->plan, "Only this plan");
  explain->callback([&ctx, opt] { RunExplain(ctx, *opt); });
}

}  // namespace sladesk
