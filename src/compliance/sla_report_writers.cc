#include "compliance/sla_report_writers.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

namespace sladesk {
namespace {

using ojson = nlohmann::ordered_json;

ojson OrNull(const std::optional<Seconds>& v) { return v ? ojson(*v) : ojson(nullptr); }
ojson OrNull(const std::optional<double>& v) { return v ? ojson(*v) : ojson(nullptr); }

ojson Latency(const DurationHistogram& h) {
  return {{"count", h.count()}, {"median", OrNull(h.Quantile(0.5))}, {"p90", OrNull(h.Quantile(0.9))}};
}

ojson Lateness(const DurationHistogram& h) {
  return {{"median", OrNull(h.Quantile(0.5))},
          {"p90", OrNull(h.Quantile(0.9))},
          {"max", h.count() ? ojson(h.max()) : ojson(nullptr)}};
}

ojson BreachJson(const BreachRecord& b) {
  ojson o;
  o["ticket_id"] = b.ticket_id;
  o["organisation"] = b.organisation;
  o["metric"] = MetricName(b.metric);
  o["cycle"] = b.metric == Metric::kNextUpdate ? ojson(b.cycle) : ojson(nullptr);
  o["severity"] = b.severity;
  o["breached_at"] = FormatInstant(b.breached_at);
  o["target_seconds"] = b.target_seconds;
  o["late_business_seconds"] = b.late_business_seconds;
  o["late_wall_seconds"] = b.late_wall_seconds;
  o["running"] = b.running;
  return o;
}

ojson GroupJson(const SlaGroupReport& g) {
  ojson o;
  o["key"] = g.key;
  o["tickets"] = {{"opened", g.opened}, {"resolved", g.resolved}, {"open", g.open}};
  ojson metrics;
  for (Metric m : kAllMetrics) {
    const MetricAttainment& a = g.metrics[static_cast<int>(m)];
    metrics[std::string(MetricName(m))] = {{"met", a.met},
                                           {"breached", a.breached},
                                           {"running_breached", a.running_breached},
                                           {"share_met", OrNull(a.share_met())}};
  }
  o["metrics"] = std::move(metrics);
  o["first_response_business_seconds"] = Latency(g.first_response);
  o["resolution_business_seconds"] = Latency(g.resolution);
  o["next_update_cycles"] = {{"counted", g.next_update_cycles}, {"breached", g.next_update_breaches}};
  ojson worst = ojson::array();
  for (const BreachRecord& b : g.worst_breaches) worst.push_back(BreachJson(b));
  o["breaches"] = {{"count", g.breaches},
                   {"late_business_seconds", Lateness(g.late_business)},
                   {"late_wall_seconds", Lateness(g.late_wall)},
                   {"worst", std::move(worst)}};
  ojson levels = ojson::object();
  for (const auto& [level, n] : g.escalations_by_level) levels[level] = n;
  o["escalations"] = {{"count", g.escalations}, {"by_level", std::move(levels)}};
  o["support_hours"] = static_cast<double>(g.support_seconds) / 3600.0;
  return o;
}

std::string Percent(const std::optional<double>& share) {
  if (!share) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", *share * 100);
  return buf;
}

std::string Opt(const std::optional<Seconds>& s) { return s ? HumanDuration(*s) : "-"; }

std::string Hours(Seconds s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", static_cast<double>(s) / 3600.0);
  return buf;
}

std::string Share(const std::optional<double>& s) {
  if (!s) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", *s);
  return buf;
}

std::string Num(const std::optional<Seconds>& s) { return s ? std::to_string(*s) : ""; }

// Renders rows of cells as aligned columns (first column left, others right).
std::string Columns(const std::vector<std::vector<std::string>>& rows) {
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
      line += i == 0 ? r[i] + pad : "  " + pad + r[i];
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

std::string HumanDuration(Seconds s) {
  if (s < 0) s = 0;
  char buf[64];
  if (s < 60) std::snprintf(buf, sizeof buf, "%llds", static_cast<long long>(s));
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%lldm %02llds", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
  else if (s < 86400) std::snprintf(buf, sizeof buf, "%lldh %02lldm", static_cast<long long>(s / 3600), static_cast<long long>(s % 3600 / 60));
  else std::snprintf(buf, sizeof buf, "%lldd %lldh", static_cast<long long>(s / 86400), static_cast<long long>(s % 86400 / 3600));
  return buf;
}

std::string CsvField(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

ojson SlaPeriodReportJson(const SlaPeriodReport& r) {
  ojson o;
  o["period"] = {{"from", FormatInstant(r.from)}, {"to", FormatInstant(r.to)}};
  o["as_of"] = FormatInstant(r.as_of);
  o["group_by"] = ReportGroupingName(r.group_by);
  o["tickets_read"] = r.tickets_read;
  o["tickets_in_scope"] = r.tickets_in_scope;
  ojson groups = ojson::array();
  for (const auto& g : r.groups) groups.push_back(GroupJson(g));
  o["groups"] = std::move(groups);
  o["total"] = GroupJson(r.total);
  ojson allowance = ojson::array();
  for (const auto& a : r.incident_allowance)
    allowance.push_back({{"organisation", a.organisation},
                         {"plan", a.plan},
                         {"month", FormatYearMonth(a.month)},
                         {"incidents", a.incidents},
                         {"allowance", a.allowance ? ojson(*a.allowance) : ojson(nullptr)},
                         {"over", a.over()}});
  o["incident_allowance"] = std::move(allowance);
  ojson hours = ojson::array();
  for (const auto& u : r.support_hours)
    hours.push_back({{"organisation", u.organisation},
                     {"plan", u.plan},
                     {"used_hours", static_cast<double>(u.used_seconds) / 3600.0},
                     {"budget_hours", OrNull(u.budget_hours)},
                     {"warning", u.warning()},
                     {"over", u.over()}});
  o["support_hours"] = std::move(hours);
  return o;
}

std::string SlaPeriodReportTable(const SlaPeriodReport& r) {
  std::ostringstream out;
  out << "SLA report " << FormatInstant(r.from) << " to " << FormatInstant(r.to) << " (clocks as of "
      << FormatInstant(r.as_of) << "), by " << ReportGroupingName(r.group_by) << "\n\n";
  std::vector<std::vector<std::string>> rows = {{ReportGroupingName(r.group_by).data(), "opened", "resolved", "open",
                                                 "1st resp met", "update met", "resolution met", "1st resp median",
                                                 "1st resp p90", "resolution median", "resolution p90",
                                                 "update cycles", "breaches", "escalations"}};
  auto row = [&](const SlaGroupReport& g) {
    rows.push_back({g.key, std::to_string(g.opened), std::to_string(g.resolved), std::to_string(g.open),
                    Percent(g.metrics[0].share_met()), Percent(g.metrics[1].share_met()),
                    Percent(g.metrics[2].share_met()), Opt(g.first_response.Quantile(0.5)),
                    Opt(g.first_response.Quantile(0.9)), Opt(g.resolution.Quantile(0.5)),
                    Opt(g.resolution.Quantile(0.9)),
                    std::to_string(g.next_update_cycles) + " (" + std::to_string(g.next_update_breaches) + " late)",
                    std::to_string(g.breaches), std::to_string(g.escalations)});
  };
  for (const auto& g : r.groups) row(g);
  row(r.total);
  out << Columns(rows);

  std::vector<std::vector<std::string>> over = {{"organisation", "month", "incidents", "allowance"}};
  for (const auto& a : r.incident_allowance)
    if (a.over())
      over.push_back({a.organisation, FormatYearMonth(a.month), std::to_string(a.incidents), std::to_string(*a.allowance)});
  out << "\nIncidents over the plan's monthly allowance:" << (over.size() == 1 ? " none\n" : "\n");
  if (over.size() > 1) out << Columns(over);

  std::vector<std::vector<std::string>> hours = {{"organisation", "used h", "budget h", ""}};
  for (const auto& u : r.support_hours)
    if (u.used_seconds > 0 || u.budget_hours)
      hours.push_back({u.organisation, Hours(u.used_seconds), u.budget_hours ? Hours(static_cast<Seconds>(*u.budget_hours * 3600)) : "-",
                       u.over() ? "OVER BUDGET" : u.warning() ? "warning: 80% used" : ""});
  out << "\nSupport hours:" << (hours.size() == 1 ? " none logged\n" : "\n");
  if (hours.size() > 1) out << Columns(hours);

  std::vector<std::vector<std::string>> worst = {{"ticket", "metric", "severity", "breached at", "late (business)", "late (wall)", ""}};
  for (const auto& b : r.total.worst_breaches)
    worst.push_back({b.ticket_id,
                     std::string(MetricName(b.metric)) + (b.metric == Metric::kNextUpdate ? " #" + std::to_string(b.cycle) : ""),
                     b.severity, FormatInstant(b.breached_at), HumanDuration(b.late_business_seconds),
                     HumanDuration(b.late_wall_seconds), b.running ? "still open" : ""});
  out << "\nWorst breaches (" << r.total.breaches << " in the period):" << (worst.size() == 1 ? " none\n" : "\n");
  if (worst.size() > 1) out << Columns(worst);
  return out.str();
}

std::string SlaPeriodReportCsv(const SlaPeriodReport& r) {
  std::string out =
      "group,opened,resolved,open,"
      "first_response_met,first_response_breached,first_response_share_met,"
      "next_update_met,next_update_breached,next_update_share_met,"
      "resolution_met,resolution_breached,resolution_share_met,"
      "first_response_median_seconds,first_response_p90_seconds,resolution_median_seconds,resolution_p90_seconds,"
      "next_update_cycles,next_update_breaches,breaches,late_business_p90_seconds,late_wall_p90_seconds,"
      "escalations,support_hours\r\n";
  auto row = [&](const SlaGroupReport& g) {
    std::string line = CsvField(g.key) + "," + std::to_string(g.opened) + "," + std::to_string(g.resolved) + "," +
                       std::to_string(g.open);
    for (const auto& a : g.metrics)
      line += "," + std::to_string(a.met) + "," + std::to_string(a.breached) + "," + Share(a.share_met());
    line += "," + Num(g.first_response.Quantile(0.5)) + "," + Num(g.first_response.Quantile(0.9)) + "," +
            Num(g.resolution.Quantile(0.5)) + "," + Num(g.resolution.Quantile(0.9));
    line += "," + std::to_string(g.next_update_cycles) + "," + std::to_string(g.next_update_breaches) + "," +
            std::to_string(g.breaches) + "," + Num(g.late_business.Quantile(0.9)) + "," +
            Num(g.late_wall.Quantile(0.9)) + "," + std::to_string(g.escalations) + "," + Hours(g.support_seconds);
    out += line + "\r\n";
  };
  for (const auto& g : r.groups) row(g);
  row(r.total);
  return out;
}

std::string BreachCsvHeader() {
  return "ticket_id,organisation,metric,cycle,severity,breached_at,target_seconds,late_business_seconds,"
         "late_wall_seconds,running\r\n";
}

std::string BreachCsvLine(const BreachRecord& b) {
  return CsvField(b.ticket_id) + "," + CsvField(b.organisation) + "," + std::string(MetricName(b.metric)) + "," +
         (b.metric == Metric::kNextUpdate ? std::to_string(b.cycle) : "") + "," + CsvField(b.severity) + "," +
         FormatInstant(b.breached_at) + "," + std::to_string(b.target_seconds) + "," +
         std::to_string(b.late_business_seconds) + "," + std::to_string(b.late_wall_seconds) + "," +
         (b.running ? "true" : "false") + "\r\n";
}

}  // namespace sladesk
