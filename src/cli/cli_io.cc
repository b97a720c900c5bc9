#include "cli/cli_io.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace sladesk {

Result<std::string> ReadInput(CliContext& ctx, const std::string& path, const std::string& field) {
  std::ostringstream buffer;
  if (path == "-") {
    buffer << ctx.in->rdbuf();
    return buffer.str();
  }
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return MakeError(field, "'" + path + "' is a directory, not a file");
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(field, "cannot read '" + path + "': " + std::strerror(errno));
  buffer << in.rdbuf();
  if (in.bad()) return MakeError(field, "cannot read '" + path + "'");
  return buffer.str();
}

int Fail(CliContext& ctx, const Error& error, int exit_code) {
  *ctx.err << "sladesk: " << error.ToString() << "\n";
  ctx.exit_code = exit_code;
  return exit_code;
}

}  // namespace sladesk
