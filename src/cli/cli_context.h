// CliContext: what every subcommand shares: its streams and the process exit
// status it sets.
//
// Exit statuses: 0 success; 1 a check found problems (`policy check`);
// 2 bad input (a flag, a file, a field), with one message on stderr.
// Thread-safety: single-threaded CLI use only.
#pragma once

#include <iostream>

namespace CLI {
class App;
}

namespace sladesk {

inline constexpr int kExitOk = 0;
inline constexpr int kExitCheckFailed = 1;
inline constexpr int kExitBadInput = 2;

struct CliContext {
  std::istream* in = &std::cin;
  std::ostream* out = &std::cout;
  std::ostream* err = &std::cerr;
  int exit_code = kExitOk;
};

// Each adds its subcommands to `app`; the callbacks set ctx.exit_code.
void RegisterCalendarCommands(CLI::App& app, CliContext& ctx);
void RegisterMailCommands(CLI::App& app, CliContext& ctx);
void RegisterMailIngestCommands(CLI::App& mail, CliContext& ctx);  // under `mail`
void RegisterPolicyCommands(CLI::App& app, CliContext& ctx);
void RegisterServeCommands(CLI::App& app, CliContext& ctx);
void RegisterSlaCommands(CLI::App& app, CliContext& ctx);
void RegisterReportCommands(CLI::App& app, CliContext& ctx);
void RegisterBacktestCommands(CLI::App& app, CliContext& ctx);
void RegisterIncidentCommands(CLI::App& app, CliContext& ctx);

}  // namespace sladesk
