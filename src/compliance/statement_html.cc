#include "compliance/statement_html.h"

#include <mstch/mstch.hpp>

#include <cstdio>
#include <exception>

#include "compliance/sla_report_writers.h"

namespace sladesk {
namespace {

std::string Fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Percent(const std::optional<double>& share) { return share ? Fixed(*share * 100, 1) + "%" : "–"; }

std::string Hours(Seconds s) { return Fixed(static_cast<double>(s) / 3600.0, 1); }

std::string LocalDay(const TimeZone& zone, Instant t) {
  const date::year_month_day ymd{date::floor<date::days>(zone.ToLocal(t))};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

const char* kMonthNames[] = {"January", "February", "March",     "April",   "May",      "June",
                             "July",    "August",   "September", "October", "November", "December"};

const char* MetricTitle(Metric m) {
  switch (m) {
    case Metric::kFirstResponse: return "First response";
    case Metric::kNextUpdate: return "Updates";
    case Metric::kResolution: return "Resolution";
  }
  return "";
}

mstch::array Spans(const std::vector<TimeSpan>& spans, Instant from, Instant to) {
  mstch::array out;
  const double total = static_cast<double>(ToEpoch(to) - ToEpoch(from));
  if (total <= 0) return out;
  for (const TimeSpan& s : spans) {
    const double x = 20 + 600 * static_cast<double>(ToEpoch(s.start) - ToEpoch(from)) / total;
    const double w = std::max(1.0, 600 * static_cast<double>(ToEpoch(s.end) - ToEpoch(s.start)) / total);
    out.push_back(mstch::map{{"x", Fixed(x, 1)},
                             {"width", Fixed(w, 1)},
                             {"from", FormatInstant(s.start)},
                             {"to", FormatInstant(s.end)}});
  }
  return out;
}

}  // namespace

Result<std::string> RenderStatementHtml(const MonthlyStatement& s, const std::string& template_text) {
  const SlaGroupReport& g = s.report.total;
  mstch::map ctx{
      {"organisation", s.organisation},
      {"month", FormatYearMonth(s.month)},
      {"month_name", std::string(kMonthNames[s.month.month - 1]) + " " + std::to_string(s.month.year)},
      {"plan_name", s.plan_name},
      {"policy_name", s.policy_name},
      {"zone", s.zone},
      {"as_of", FormatInstant(s.report.as_of)},
      {"opened", std::to_string(g.opened)},
      {"resolved", std::to_string(g.resolved)},
      {"open", std::to_string(g.open)},
      {"escalations", std::to_string(g.escalations)},
  };
  mstch::array metrics;
  for (Metric m : kAllMetrics) {
    const MetricAttainment& a = g.metrics[static_cast<int>(m)];
    if (a.met + a.breached == 0 && m == Metric::kNextUpdate) continue;
    const DurationHistogram* h = m == Metric::kFirstResponse ? &g.first_response
                                 : m == Metric::kResolution  ? &g.resolution
                                                             : nullptr;
    auto q = [&](double p) { return h && h->Quantile(p) ? HumanDuration(*h->Quantile(p)) : std::string("–"); };
    metrics.push_back(mstch::map{{"name", std::string(MetricTitle(m))},
                                 {"met", std::to_string(a.met)},
                                 {"breached", std::to_string(a.breached)},
                                 {"share", Percent(a.share_met())},
                                 {"median", q(0.5)},
                                 {"p90", q(0.9)}});
  }
  ctx["metrics"] = metrics;

  // The weekly bars: 150 px tall for 100 %, 70 px a week.
  mstch::array weeks;
  for (size_t i = 0; i < s.weeks.size(); ++i) {
    const WeekAttainment& w = s.weeks[i];
    const double x = 50 + 70 * static_cast<double>(i);
    const auto share = w.share_met();
    mstch::map wk{{"label", w.label}, {"text_x", Fixed(x + 25, 0)}, {"has_value", share.has_value()}};
    if (share) {
      const double h = 150 * *share;
      wk["x"] = Fixed(x, 0);
      wk["width"] = std::string("50");
      wk["height"] = Fixed(h, 1);
      wk["y"] = Fixed(170 - h, 1);
      wk["text_y"] = Fixed(std::max(30.0, 165 - h), 1);
      wk["share"] = Percent(share);
      wk["met"] = std::to_string(w.met);
      wk["breached"] = std::to_string(w.breached);
      wk["colour"] = std::string(*share >= 0.9 ? "#43a047" : *share >= 0.75 ? "#f9a825" : "#e53935");
    }
    weeks.push_back(wk);
  }
  ctx["weeks"] = weeks;
  ctx["chart_width"] = std::to_string(60 + 70 * s.weeks.size());
  ctx["chart_right"] = std::to_string(50 + 70 * s.weeks.size());

  mstch::array breaches;
  for (const BreachRecord& b : g.worst_breaches)
    breaches.push_back(mstch::map{{"ticket", b.ticket_id},
                                  {"metric", std::string(MetricTitle(b.metric)) +
                                                 (b.metric == Metric::kNextUpdate ? " #" + std::to_string(b.cycle) : "")},
                                  {"severity", b.severity},
                                  {"deadline", FormatInstant(b.breached_at)},
                                  {"late_business", HumanDuration(b.late_business_seconds)},
                                  {"late_wall", HumanDuration(b.late_wall_seconds)},
                                  {"running", b.running}});
  ctx["has_breaches"] = !breaches.empty();
  ctx["breaches"] = breaches;

  mstch::array allowance;
  for (const IncidentAllowance& a : s.report.incident_allowance)
    if (a.allowance)  // the report holds the organisation's rows only
      allowance.push_back(mstch::map{{"month", FormatYearMonth(a.month)},
                                     {"incidents", std::to_string(a.incidents)},
                                     {"allowance", std::to_string(*a.allowance)},
                                     {"over", a.over()}});
  ctx["has_allowance"] = !allowance.empty();
  ctx["allowance"] = allowance;

  ctx["has_support_hours"] = false;
  for (const SupportHoursUse& u : s.report.support_hours) {
    if (u.used_seconds == 0 && !u.budget_hours) continue;
    ctx["has_support_hours"] = true;
    ctx["support_used"] = Hours(u.used_seconds);
    if (u.budget_hours) ctx["support_budget"] = Fixed(*u.budget_hours, 1);
    if (u.over()) ctx["support_warning"] = std::string("Over the budget.");
    else if (u.warning()) ctx["support_warning"] = std::string("More than 80% of the budget used.");
  }

  if (s.availability) {
    const AvailabilityResult& a = *s.availability;
    auto zone = TimeZone::Locate(a.zone);
    const std::string first = zone.ok() ? LocalDay(**zone, a.month_start) : FormatInstant(a.month_start);
    const std::string last =
        zone.ok() ? LocalDay(**zone, a.month_end - std::chrono::seconds{1}) : FormatInstant(a.month_end);
    ctx["availability"] = mstch::map{
        {"percent", Fixed(a.availability_percent, 3) + "%"},
        {"target", a.target_percent.ToString() + "%"},
        {"verdict", std::string(a.met ? "met" : "missed")},
        {"verdict_class", std::string(a.met ? "met" : "missed")},
        {"measured_hours", Hours(a.measured_seconds)},
        {"excluded_hours", Hours(a.excluded_seconds)},
        {"downtime_hours", Hours(a.downtime_seconds)},
        {"excluded", Spans(a.excluded_spans, a.month_start, a.month_end)},
        {"downtime", Spans(a.downtime_spans, a.month_start, a.month_end)},
        {"first_day", first},
        {"last_day", last}};
  }
  try {
    return mstch::render(template_text, ctx);
  } catch (const std::exception& e) {
    return MakeError("--template", std::string("cannot render the template: ") + e.what());
  }
}

}  // namespace sladesk
