// `sladesk report ...`: the compliance reports.
//
//   report availability --policy FILE --input FILE|-   (CONTRACT §7)
//   report downtime     --policy FILE --input FILE|-   (CONTRACT §8)
//   report sla          --policy FILE --history FILE.jsonl --from T --to T ...
//   report statement    --policy FILE --history FILE.jsonl --organisation X --month YYYY-MM ...
//
// Each prints its answer on stdout and exits 0; any bad input (flags, an
// unreadable or invalid policy, a malformed request, a policy without the
// contract level asked for) prints one "sladesk: ..." line naming the field
// on stderr and exits 2. The computations live in src/compliance.
#include <CLI/CLI.hpp>

#include <memory>
#include <string>

#include "cli/cli_context.h"
#include "cli/cli_io.h"
#include "cli/report_sla_command.h"
#include "compliance/availability_json.h"
#include "compliance/downtime_json.h"
#include "policy/policy_loader.h"

namespace sladesk {
namespace {

struct ContractReportOptions {
  std::string policy;
  std::string input;
};

// Reads the policy and the request; false after reporting an error.
bool ReadPolicyAndInput(CliContext& ctx, const ContractReportOptions& opt, std::shared_ptr<const Policy>& policy,
                        std::string& input) {
  if (opt.policy == "-" && opt.input == "-") {
    Fail(ctx, MakeError("--input", "stdin is already used by --policy"));
    return false;
  }
  auto policy_text = ReadInput(ctx, opt.policy, "--policy");
  if (!policy_text.ok()) return Fail(ctx, policy_text.error()), false;
  auto parsed = ParsePolicy(*policy_text, opt.policy == "-" ? "<stdin>" : opt.policy);
  if (!parsed.ok()) return Fail(ctx, parsed.error()), false;
  policy = *parsed;
  auto text = ReadInput(ctx, opt.input, "--input");
  if (!text.ok()) return Fail(ctx, text.error()), false;
  input = std::move(text).value();
  return true;
}

Error InPolicy(Error e, const std::string& policy_path) {
  if (e.file.empty()) e.file = policy_path == "-" ? "<stdin>" : policy_path;
  return e;
}

Error InInput(Error e, const std::string& input_path) {
  if (e.file.empty()) e.file = input_path == "-" ? "<stdin>" : input_path;
  return e;
}

void RunAvailability(CliContext& ctx, const ContractReportOptions& opt) {
  std::shared_ptr<const Policy> policy;
  std::string input;
  if (!ReadPolicyAndInput(ctx, opt, policy, input)) return;
  // The policy's contract level first: without one no request can be answered.
  if (!policy->contract.availability) {
    Fail(ctx, InPolicy(MakeError("contract.availability",
                                 "the policy sets no availability level (add [contract.availability] "
                                 "monthly_target_percent)"),
                       opt.policy));
    return;
  }
  auto zone = AvailabilityZone(*policy);
  if (!zone.ok()) return (void)Fail(ctx, InPolicy(zone.error(), opt.policy));
  auto request = ParseAvailabilityRequest(input);
  if (!request.ok()) return (void)Fail(ctx, InInput(request.error(), opt.input));
  auto result = ComputeAvailability(*request, *policy);
  if (!result.ok()) return (void)Fail(ctx, InInput(result.error(), opt.input));
  *ctx.out << AvailabilityResultToJson(*result);
  ctx.out->flush();
  ctx.exit_code = kExitOk;
}

void RunDowntime(CliContext& ctx, const ContractReportOptions& opt) {
  std::shared_ptr<const Policy> policy;
  std::string input;
  if (!ReadPolicyAndInput(ctx, opt, policy, input)) return;
  auto zone = DowntimeZone(*policy);
  if (!zone.ok()) return (void)Fail(ctx, InPolicy(zone.error(), opt.policy));
  auto request = ParseDowntimeRequest(input, *policy);
  if (!request.ok()) return (void)Fail(ctx, InInput(request.error(), opt.input));
  auto result = EvaluateDowntime(*policy, *request);
  if (!result.ok()) return (void)Fail(ctx, InInput(result.error(), opt.input));
  *ctx.out << DowntimeResultToJson(*result);
  ctx.out->flush();
  ctx.exit_code = kExitOk;
}

void AddContractReport(CLI::App* report, CliContext& ctx, const char* name, const char* help,
                       void (*run)(CliContext&, const ContractReportOptions&)) {
  auto opt = std::make_shared<ContractReportOptions>();
  CLI::App* cmd = report->add_subcommand(name, help);
  cmd->add_option("--policy", opt->policy, "Policy file (TOML)")->required();
  cmd->add_option("--input", opt->input, "Request JSON file, or - for stdin")->required();
  cmd->callback([&ctx, opt, run] { run(ctx, *opt); });
}

}  // namespace

void RegisterReportCommands(CLI::App& app, CliContext& ctx) {
  CLI::App* report = app.add_subcommand("report", "Compliance reports: availability, downtime, SLA, statements");
  report->require_subcommand(1);
  AddContractReport(report, ctx, "availability",
                    "A month's availability level against the policy's target (CONTRACT §7; JSON in, JSON out)",
                    RunAvailability);
  AddContractReport(report, ctx, "downtime",
                    "The downtime rule at the customer's notice (CONTRACT §8; JSON in, JSON out)", RunDowntime);
  RegisterReportSlaCommands(*report, ctx);
}

}  // namespace sladesk
