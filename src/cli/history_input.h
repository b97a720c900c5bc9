// Streaming a ticket history file (JSONL, or - for stdin) through
// ParallelLines for the CLI: opens it, reads it on the calling thread, shows
// the progress bar on a terminal, and turns a failing line into one Error
// "FILE:LINE: field: message".
//
// Thread-safety: as ParallelLines: `process` runs on the worker threads.
// Ownership: the file is opened and closed inside RunHistory.
#pragma once

#include <string>

#include "cli/cli_context.h"
#include "common/result.h"
#include "compliance/parallel_lines.h"

namespace sladesk {

struct HistoryRunOptions {
  std::string path;            // a file, or "-" for ctx.in
  std::string field = "--history";
  int workers = 2;
  std::string progress_label;  // empty: no progress bar
};

[[nodiscard]] Result<ParallelLines::Stats> RunHistory(CliContext& ctx, const HistoryRunOptions& options,
                                                      const ParallelLines::ProcessFn& process,
                                                      const ParallelLines::EmitFn& emit = nullptr);

}  // namespace sladesk
