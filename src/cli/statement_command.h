// `sladesk report statement` (the monthly customer statement, HTML).
#pragma once

namespace CLI {
class App;
}

namespace sladesk {
struct CliContext;

void RegisterStatementCommand(CLI::App& report, CliContext& ctx);

}  // namespace sladesk
