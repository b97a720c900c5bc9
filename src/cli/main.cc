// sladesk: one binary, subcommands for the calendar engine, policies, the SLA
// clock and the server. Parsing errors exit with status 2 like any bad input.
#include <CLI/CLI.hpp>

#include "cli/cli_context.h"

int main(int argc, char** argv) {
  sladesk::CliContext ctx;
  CLI::App app{"sladesk: a support desk with a real SLA engine"};
  app.require_subcommand(1);
  sladesk::RegisterCalendarCommands(app, ctx);
  sladesk::RegisterMailCommands(app, ctx);
  sladesk::RegisterPolicyCommands(app, ctx);
  sladesk::RegisterServeCommands(app, ctx);
  sladesk::RegisterSlaCommands(app, ctx);
  sladesk::RegisterReportCommands(app, ctx);
  sladesk::RegisterBacktestCommands(app, ctx);
  sladesk::RegisterIncidentCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "sladesk: " << e.what() << "\n";
    return sladesk::kExitBadInput;
  }
  return ctx.exit_code;
}
