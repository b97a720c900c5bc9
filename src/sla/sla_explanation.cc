#include "sla/sla_explanation.h"

#include <date/date.h>

#include <sstream>

namespace sladesk {
namespace {

constexpr size_t kMaxWindowsShown = 40;  // long spans: the first and last windows

std::string Duration(Seconds s) {
  std::string out = std::to_string(s) + " s";
  if (s >= 60) {
    out += " (" + std::to_string(s / 3600) + "h" + (s % 3600 / 60 < 10 ? "0" : "") +
           std::to_string(s % 3600 / 60) + "m" + (s % 60 ? " " + std::to_string(s % 60) + "s" : "") + ")";
  }
  return out;
}

void Windows(std::ostringstream& out, const std::vector<OpenInterval>& windows, const BusinessCalendar* cal,
             const char* indent) {
  const size_t n = windows.size();
  for (size_t i = 0; i < n; ++i) {
    if (n > kMaxWindowsShown && i == kMaxWindowsShown / 2) {
      out << indent << "... " << (n - kMaxWindowsShown) << " more windows ...\n";
      i = n - kMaxWindowsShown / 2;
    }
    const OpenInterval& w = windows[i];
    out << indent << FormatInstant(w.start) << " .. " << FormatInstant(w.end);
    if (cal != nullptr) {
      out << "  (local " << date::format("%a %F %R", cal->zone().ToLocal(w.start)) << " .. "
          << date::format("%a %F %R", cal->zone().ToLocal(w.end)) << ")";
    }
    out << "  " << Duration(ToEpoch(w.end) - ToEpoch(w.start)) << "\n";
  }
}

}  // namespace

std::string FormatSlaExplanation(const SlaExplanation& e) {
  std::ostringstream out;
  out << "now " << FormatInstant(e.now) << "; severity at opening " << e.initial_severity << ", at now "
      << e.severity_at_now << "\n";
  for (const auto& note : e.notes) out << "note: " << note << "\n";
  for (const auto& x : e.instances) {
    out << "\n" << MetricName(x.metric);
    if (x.metric == Metric::kNextUpdate) out << " cycle " << x.cycle << (x.latest ? " (latest)" : "");
    out << ": " << MetricStateName(x.state) << "\n";
    out << "  severity " << x.severity << " (" << x.severity_reason << ")\n";
    if (!x.has_target) {
      out << "  no target for this severity\n";
      continue;
    }
    out << "  target " << Duration(x.target_seconds);
    if (x.goal_seconds) out << ", goal " << Duration(*x.goal_seconds);
    out << " on calendar " << x.calendar << " (" << x.calendar_zone << ")\n";
    out << "  started " << FormatInstant(x.start) << "\n";
    for (const auto& [paused, resumed] : x.pauses) {
      out << "  paused " << FormatInstant(paused);
      if (resumed) out << ", resumed " << FormatInstant(*resumed);
      else out << (x.stopped_at ? ", not resumed before the stop" : ", still paused");
      out << "\n";
    }
    if (x.stopped_at) out << "  stopped " << FormatInstant(*x.stopped_at) << "\n";
    const BusinessCalendar* cal = x.calendar_ref.get();
    for (const auto& s : x.spans) {
      out << "  clock ran " << FormatInstant(s.from) << " .. " << FormatInstant(s.to) << ": "
          << Duration(s.business_seconds) << " business time in " << s.open_windows.size()
          << " open window(s)\n";
      Windows(out, s.open_windows, cal, "    ");
    }
    out << "  elapsed " << Duration(x.elapsed_seconds);
    if (x.judged_at) out << ", judged at " << FormatInstant(*x.judged_at);
    out << "\n";
    if (x.due_at) {
      out << "  due " << x.due_reason << "\n";
      out << "  open windows up to the due time:\n";
      Windows(out, x.due_windows, cal, "    ");
    }
    if (x.goal_due_at) out << "  goal due " << FormatInstant(*x.goal_due_at) << "\n";
  }
  return out.str();
}

}  // namespace sladesk
