// Small helpers the subcommands share: reading an input file (or "-" for
// stdin) and printing an Error the same way everywhere.
#pragma once

#include <string>

#include "cli/cli_context.h"
#include "common/result.h"

namespace sladesk {

// Reads a whole file; "-" reads ctx.in. `field` names the flag in errors.
Result<std::string> ReadInput(CliContext& ctx, const std::string& path, const std::string& field);

// "sladesk: <error>" on ctx.err; sets ctx.exit_code and returns it.
int Fail(CliContext& ctx, const Error& error, int exit_code = kExitBadInput);

}  // namespace sladesk
