#include "compliance/backtest_writers.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

namespace sladesk {
namespace {

using ojson = nlohmann::ordered_json;

std::string Signed(std::int64_t v) { return (v > 0 ? "+" : "") + std::to_string(v); }

std::string Hours(Seconds s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", static_cast<double>(s) / 3600.0);
  return buf;
}

std::string SignedHours(Seconds s) { return (s > 0 ? "+" : "") + Hours(s); }

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out.empty() ? "-" : out;
}

std::string Columns(const std::vector<std::vector<std::string>>& rows, size_t left_columns) {
  std::vector<size_t> width;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string pad(width[i] - r[i].size(), ' ');
      if (i > 0) line += "  ";
      line += i < left_columns ? r[i] + pad : pad + r[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

ojson CellJson(const BacktestCell& c) {
  return {{"instances", c.instances},
          {"baseline_breaches", c.baseline_breaches},
          {"candidate_breaches", c.candidate_breaches},
          {"gained", c.gained},
          {"lost", c.lost},
          {"net", c.candidate_breaches - c.baseline_breaches}};
}

}  // namespace

std::string BacktestTable(const BacktestResult& r, const std::string& baseline_name, const std::string& candidate_name) {
  std::ostringstream out;
  out << "Backtest: " << candidate_name << " against " << baseline_name << ", " << r.tickets << " tickets";
  if (r.span_from && r.span_to) out << " (" << FormatInstant(*r.span_from) << " to " << FormatInstant(*r.span_to) << ")";
  out << "; clocks read " << (r.now ? "at " + FormatInstant(*r.now) : std::string("at each ticket's last event"))
      << "\n\n";
  std::vector<std::vector<std::string>> rows = {
      {"plan", "severity", "metric", "tickets", "baseline", "candidate", "gained", "lost", "net"}};
  for (const auto& [k, c] : r.cells) {
    if (c.baseline_breaches == 0 && c.candidate_breaches == 0 && c.gained == 0 && c.lost == 0) continue;
    rows.push_back({k.plan, k.severity, std::string(MetricName(k.metric)), std::to_string(c.instances),
                    std::to_string(c.baseline_breaches), std::to_string(c.candidate_breaches), Signed(c.gained),
                    Signed(-c.lost), Signed(c.candidate_breaches - c.baseline_breaches)});
  }
  rows.push_back({"total", "", "", std::to_string(r.total.instances), std::to_string(r.total.baseline_breaches),
                  std::to_string(r.total.candidate_breaches), Signed(r.total.gained), Signed(-r.total.lost),
                  Signed(r.total.candidate_breaches - r.total.baseline_breaches)});
  out << "Breaches (rows without any are left out):\n" << Columns(rows, 3);
  out << "\n" << r.tickets_changed << " of " << r.tickets << " tickets change outcome.\n";

  std::vector<std::vector<std::string>> cov = {
      {"plan", "baseline h", "candidate h", "change", "baseline calendars", "candidate calendars"}};
  for (const auto& c : r.coverage)
    cov.push_back({c.plan, Hours(c.baseline_seconds), Hours(c.candidate_seconds),
                   SignedHours(c.candidate_seconds - c.baseline_seconds), Join(c.baseline_calendars),
                   Join(c.candidate_calendars)});
  out << "\nCoverage: staffed hours over the history's span (the union of the calendars each plan's targets run "
         "on; one agent on duty = one agent-hour per hour):\n"
      << Columns(cov, 1);
  return out.str();
}

ojson BacktestJson(const BacktestResult& r) {
  ojson o;
  o["tickets"] = r.tickets;
  o["tickets_changed"] = r.tickets_changed;
  o["span"] = {{"from", r.span_from ? ojson(FormatInstant(*r.span_from)) : ojson(nullptr)},
               {"to", r.span_to ? ojson(FormatInstant(*r.span_to)) : ojson(nullptr)}};
  o["now"] = r.now ? ojson(FormatInstant(*r.now)) : ojson(nullptr);
  ojson cells = ojson::array();
  for (const auto& [k, c] : r.cells) {
    ojson cell = {{"plan", k.plan}, {"severity", k.severity}, {"metric", MetricName(k.metric)}};
    cell.update(CellJson(c));
    cells.push_back(std::move(cell));
  }
  o["breaches"] = std::move(cells);
  o["total"] = CellJson(r.total);
  ojson cov = ojson::array();
  for (const auto& c : r.coverage)
    cov.push_back({{"plan", c.plan},
                   {"baseline_hours", static_cast<double>(c.baseline_seconds) / 3600.0},
                   {"candidate_hours", static_cast<double>(c.candidate_seconds) / 3600.0},
                   {"change_hours", static_cast<double>(c.candidate_seconds - c.baseline_seconds) / 3600.0},
                   {"baseline_calendars", c.baseline_calendars},
                   {"candidate_calendars", c.candidate_calendars}});
  o["coverage"] = std::move(cov);
  return o;
}

}  // namespace sladesk
