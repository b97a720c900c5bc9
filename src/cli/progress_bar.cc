#include "cli/progress_bar.h"

#include <unistd.h>

#include <cstdio>

namespace sladesk {

ProgressBar::ProgressBar(std::ostream& err, bool enabled, std::int64_t total_bytes, std::string label)
    : err_(err), enabled_(enabled), total_(total_bytes), label_(std::move(label)),
      start_(std::chrono::steady_clock::now()) {}

bool ProgressBar::StderrIsTerminal() { return ::isatty(2) == 1; }

void ProgressBar::Update(std::int64_t done) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  drawn_ = true;
  const double secs = std::chrono::duration<double>(now - start_).count();
  const double mb = static_cast<double>(done) / 1e6;
  char line[160];
  if (total_ > 0) {
    const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
    const int width = 30;
    const int filled = static_cast<int>(frac * width);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.append(static_cast<size_t>(width - filled), '.');
    std::snprintf(line, sizeof line, "\r%s [%s] %3.0f%% %.0f MB %.0f MB/s ", label_.c_str(), bar.c_str(), frac * 100,
                  mb, secs > 0 ? mb / secs : 0.0);
  } else {
    std::snprintf(line, sizeof line, "\r%s %.0f MB %.0f MB/s ", label_.c_str(), mb, secs > 0 ? mb / secs : 0.0);
  }
  err_ << line << std::flush;
}

void ProgressBar::Finish() {
  if (!enabled_ || !drawn_) return;
  err_ << "\r" << std::string(79, ' ') << "\r" << std::flush;
  drawn_ = false;
}

}  // namespace sladesk
