#include "compliance/statement.h"

#include <cstdio>

namespace sladesk {

Result<StatementBuilder> StatementBuilder::Create(const Policy& policy, const std::string& organisation,
                                                  const std::string& plan_id, YearMonth month,
                                                  std::optional<Instant> now) {
  const Plan* plan = policy.FindPlan(plan_id);
  if (plan == nullptr) return MakeError("--plan", "unknown plan '" + plan_id + "'");
  if (organisation.empty()) return MakeError("--organisation", "missing");
  StatementBuilder b;
  b.policy_ = &policy;
  b.plan_ = plan;
  b.organisation_ = organisation;
  b.month_ = month;
  const std::string zone =
      plan->calendar && !plan->calendar->always_open() ? plan->calendar->zone().name() : std::string("UTC");
  auto z = TimeZone::Locate(zone);
  if (!z.ok()) return z.error();
  b.zone_ = *z;
  b.month_start_ = MonthStart(month, *b.zone_);
  b.month_end_ = MonthStart(AddMonths(month, 1), *b.zone_);

  SlaReportOptions o;
  o.from = b.month_start_;
  o.to = b.month_end_;
  o.now = now;
  o.organisation = organisation;
  auto whole = SlaReportBuilder::Create(policy, o);
  if (!whole.ok()) return whole.error();
  b.builders_.push_back(std::move(whole).value());

  // Weeks from Monday 00:00 local, clipped to the month.
  date::local_days day{date::year{month.year} / date::month{static_cast<unsigned>(month.month)} / date::day{1}};
  while (true) {
    const Instant from = std::max(b.zone_->ToSys(date::local_seconds{day}), b.month_start_);
    if (from >= b.month_end_) break;
    const date::local_days next_monday = day + date::days{8 - static_cast<int>(date::weekday{day}.iso_encoding())};
    const Instant to = std::min(b.zone_->ToSys(date::local_seconds{next_monday}), b.month_end_);
    WeekAttainment w;
    w.from = from;
    w.to = to;
    const date::year_month_day ymd{day};
    static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    w.label = std::string(kMonths[static_cast<unsigned>(ymd.month()) - 1]) + " " +
              std::to_string(static_cast<unsigned>(ymd.day()));
    b.weeks_.push_back(w);
    SlaReportOptions wo = o;
    wo.from = from;
    wo.to = to;
    wo.worst_breaches = 0;
    auto wb = SlaReportBuilder::Create(policy, wo);
    if (!wb.ok()) return wb.error();
    b.builders_.push_back(std::move(wb).value());
    day = next_monday;
  }
  return b;
}

Status StatementBuilder::Add(const HistoryTicket& ticket) {
  if (ticket.organisation != organisation_) return Status::Ok();
  for (SlaReportBuilder& b : builders_)
    if (Status s = b.Add(ticket); !s.ok()) return s;
  return Status::Ok();
}

MonthlyStatement StatementBuilder::Finish(std::optional<AvailabilityResult> availability) const {
  MonthlyStatement s;
  s.organisation = organisation_;
  s.plan_id = plan_->id;
  s.plan_name = plan_->name.empty() ? plan_->id : plan_->name;
  s.policy_name = policy_->name.empty() ? policy_->id : policy_->name;
  s.month = month_;
  s.zone = zone_->name();
  s.report = builders_[0].Finish();
  s.weeks = weeks_;
  for (size_t i = 0; i < weeks_.size(); ++i) {
    const SlaPeriodReport w = builders_[i + 1].Finish();
    for (const MetricAttainment& a : w.total.metrics) {
      s.weeks[i].met += a.met;
      s.weeks[i].breached += a.breached;
    }
  }
  s.availability = std::move(availability);
  return s;
}

}  // namespace sladesk
