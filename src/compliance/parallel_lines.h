// ParallelLines: reads a stream of lines on the calling thread and processes
// them on worker threads, in chunks, with memory bounded by the number of
// chunks in flight, and per-chunk output emitted in input order.
//
// Purpose: the pipeline of `report sla` and `backtest` over history JSONL
// (a reader + workers on the 2 cores). The caller does the I/O (ReadFn, on
// the calling thread) and owns per-worker state (ProcessFn gets the worker
// index); nothing here touches files or the clock.
// Errors: the first failing line in input order wins (deterministic however
// the chunks were scheduled): its Status, with Error::line set to the line
// number (1-based). Reading stops then; chunks already handed out finish.
// Blank lines are skipped. A line longer than Options::max_line_bytes is an
// error (no unbounded buffer).
// Thread-safety: Run() is called from one thread; ProcessFn runs
// concurrently on different workers; EmitFn and ProgressFn are serialized.
// Ownership: borrows the callbacks for the duration of Run().
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sladesk {

class ParallelLines {
 public:
  struct Options {
    int workers = 2;
    size_t chunk_bytes = size_t{1} << 20;  // ~1 MiB of lines per chunk
    size_t max_chunks_in_flight = 8;       // read but not yet emitted
    size_t max_line_bytes = size_t{64} << 20;
  };
  struct Stats {
    std::int64_t lines = 0;   // non-blank lines processed
    std::int64_t bytes = 0;
    std::int64_t chunks = 0;
  };

  // Reads up to n bytes into buf; 0 at the end; an error stops the run.
  using ReadFn = std::function<Result<size_t>(char* buf, size_t n)>;
  // One line (no newline) with its 1-based number; may append to `output`.
  using ProcessFn = std::function<Status(int worker, std::string_view line, std::int64_t line_number,
                                         std::string& output)>;
  // A chunk's output, in input order.
  using EmitFn = std::function<void(std::string_view output)>;
  // Bytes read so far, after each chunk.
  using ProgressFn = std::function<void(std::int64_t bytes_read)>;

  [[nodiscard]] static Result<Stats> Run(const Options& options, const ReadFn& read, const ProcessFn& process,
                                         const EmitFn& emit = nullptr, const ProgressFn& progress = nullptr);
};

}  // namespace sladesk
