// ProgressBar: a one-line progress bar on stderr for long history replays,
// drawn only when stderr is a terminal (never in pipes, files or tests).
//
// Purpose: `backtest` and `report sla` over millions of lines. Redraws at
// most ten times a second; Finish() clears the line.
// Thread-safety: Update() from one thread at a time (ParallelLines calls
// its progress callback from the reader thread only).
// Ownership: writes to the stream it is given (stderr).
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace sladesk {

class ProgressBar {
 public:
  // total_bytes 0 = unknown (stdin): shows bytes read and the rate only.
  ProgressBar(std::ostream& err, bool enabled, std::int64_t total_bytes, std::string label);
  ~ProgressBar() { Finish(); }
  void Update(std::int64_t bytes_done);
  void Finish();
  bool enabled() const { return enabled_; }

  // Whether file descriptor 2 is a terminal.
  static bool StderrIsTerminal();

 private:
  std::ostream& err_;
  bool enabled_;
  std::int64_t total_;
  std::string label_;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_{};
  bool drawn_ = false;
};

}  // namespace sladesk
