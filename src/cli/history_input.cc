#include "cli/history_input.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "cli/progress_bar.h"

namespace sladesk {

Result<ParallelLines::Stats> RunHistory(CliContext& ctx, const HistoryRunOptions& o,
                                        const ParallelLines::ProcessFn& process, const ParallelLines::EmitFn& emit) {
  const bool from_stdin = o.path == "-";
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> file(nullptr, std::fclose);
  std::int64_t total = 0;
  if (!from_stdin) {
    struct stat st {};
    if (::stat(o.path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
      return MakeError(o.field, "'" + o.path + "' is a directory, not a file");
    file.reset(std::fopen(o.path.c_str(), "rb"));
    if (!file) return MakeError(o.field, "cannot read '" + o.path + "': " + std::strerror(errno));
    if (S_ISREG(st.st_mode)) total = static_cast<std::int64_t>(st.st_size);
  }
  ParallelLines::ReadFn read = [&](char* buf, size_t n) -> Result<size_t> {
    if (from_stdin) {
      ctx.in->read(buf, static_cast<std::streamsize>(n));
      if (ctx.in->bad()) return MakeError(o.field, "cannot read stdin");
      return static_cast<size_t>(ctx.in->gcount());
    }
    const size_t got = std::fread(buf, 1, n, file.get());
    if (got == 0 && std::ferror(file.get())) return MakeError(o.field, "cannot read '" + o.path + "'");
    return got;
  };
  ProgressBar bar(*ctx.err, !o.progress_label.empty() && ctx.err == &std::cerr && ProgressBar::StderrIsTerminal(),
                  total, o.progress_label);
  ParallelLines::Options opts;
  opts.workers = o.workers;
  auto stats = ParallelLines::Run(opts, read, process, emit, [&](std::int64_t done) { bar.Update(done); });
  bar.Finish();
  if (!stats.ok()) {
    Error e = stats.error();
    if (e.file.empty()) e.file = from_stdin ? "<stdin>" : o.path;
    if (e.field == o.field) e.line = 0;  // a read error, not a line's
    return e;
  }
  return stats;
}

}  // namespace sladesk
