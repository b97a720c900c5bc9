#include "sla_test_policies.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace sladesk::testing {
namespace {

constexpr Seconds kHour = 3600;

Target MakeTarget(Seconds seconds, std::shared_ptr<const BusinessCalendar> cal,
                  std::optional<Seconds> goal = std::nullopt) {
  Target t;
  t.seconds = seconds;
  t.goal_seconds = goal;
  t.calendar = std::move(cal);
  t.warn_at_percent = {75, 90};
  return t;
}

std::vector<Severity> Severities(std::initializer_list<const char*> ids) {
  std::vector<Severity> out;
  for (const char* id : ids) {
    Severity s;
    s.id = id;
    s.name = id;
    out.push_back(s);
  }
  return out;
}

}  // namespace

std::shared_ptr<const BusinessCalendar> OfficeCalendar(const std::string& id, const std::string& zone) {
  CalendarSpec spec;
  spec.id = id;
  spec.time_zone = zone;
  spec.business_day_seconds = 8 * kHour;
  for (int d = 0; d < 5; ++d) spec.weekly[d] = {LocalWindow{9 * 60, 17 * 60}};
  auto cal = BusinessCalendar::Create(spec);
  if (!cal.ok()) throw std::runtime_error("test calendar: " + cal.error().ToString());
  return *cal;
}

std::shared_ptr<const Policy> GoldSupportPolicy() {
  static const std::shared_ptr<const Policy> policy = [] {
    auto cal = OfficeCalendar("gold-hours", "Europe/Berlin");
    auto p = std::make_shared<Policy>();
    p->id = "gold-support";
    p->severities = Severities({"urgent", "high", "normal", "low"});
    p->default_severity = "normal";
    p->calendars["gold-hours"] = cal;
    p->warn_at_percent = {75};
    const Seconds day = 8 * kHour;
    Plan professional;
    professional.id = "professional";
    professional.calendar = cal;
    professional.targets["low"][Metric::kFirstResponse] = MakeTarget(24 * kHour, cal);
    professional.no_targets["low"][Metric::kResolution] = "Best Effort";
    Plan enterprise;
    enterprise.id = "enterprise";
    enterprise.calendar = cal;
    enterprise.targets["urgent"][Metric::kFirstResponse] = MakeTarget(8 * kHour, cal);
    enterprise.targets["urgent"][Metric::kResolution] = MakeTarget(32 * kHour, cal);
    enterprise.targets["high"][Metric::kFirstResponse] = MakeTarget(16 * kHour, cal);
    enterprise.targets["high"][Metric::kResolution] = MakeTarget(7 * day, cal);
    enterprise.targets["normal"][Metric::kFirstResponse] = MakeTarget(24 * kHour, cal);
    enterprise.targets["normal"][Metric::kResolution] = MakeTarget(14 * day, cal);
    enterprise.targets["low"][Metric::kFirstResponse] = MakeTarget(24 * kHour, cal);
    Plan gold;
    gold.id = "gold";
    gold.calendar = cal;
    gold.targets["urgent"][Metric::kFirstResponse] = MakeTarget(8 * kHour, cal);
    gold.targets["urgent"][Metric::kResolution] = MakeTarget(16 * kHour, cal);
    gold.targets["high"][Metric::kFirstResponse] = MakeTarget(8 * kHour, cal);
    gold.targets["high"][Metric::kResolution] = MakeTarget(3 * day, cal);
    gold.targets["normal"][Metric::kFirstResponse] = MakeTarget(8 * kHour, cal);
    gold.targets["normal"][Metric::kResolution] = MakeTarget(7 * day, cal);
    gold.targets["low"][Metric::kFirstResponse] = MakeTarget(24 * kHour, cal);
    p->plans = {professional, enterprise, gold};
    return std::shared_ptr<const Policy>(p);
  }();
  return policy;
}

std::shared_ptr<const Policy> DeskPolicy() {
  static const std::shared_ptr<const Policy> policy = [] {
    auto always = BusinessCalendar::AlwaysOpen();
    auto office = OfficeCalendar("office-utc", "UTC");
    auto p = std::make_shared<Policy>();
    p->id = "desk";
    p->severities = Severities({"urgent", "high", "low"});
    p->default_severity = "high";
    p->warn_at_percent = {75, 90};
    Plan std_plan;
    std_plan.id = "std";
    std_plan.calendar = always;
    std_plan.targets["urgent"][Metric::kFirstResponse] = MakeTarget(1 * kHour, always);
    std_plan.targets["urgent"][Metric::kNextUpdate] = MakeTarget(2 * kHour, always);
    std_plan.targets["urgent"][Metric::kResolution] = MakeTarget(8 * kHour, always);
    std_plan.targets["high"][Metric::kFirstResponse] = MakeTarget(4 * kHour, always);
    std_plan.targets["high"][Metric::kNextUpdate] = MakeTarget(8 * kHour, always);
    std_plan.targets["high"][Metric::kResolution] = MakeTarget(24 * kHour, always, 12 * kHour);
    std_plan.targets["low"][Metric::kFirstResponse] = MakeTarget(24 * kHour, always);
    Plan biz;
    biz.id = "biz";
    biz.calendar = office;
    biz.targets["urgent"][Metric::kFirstResponse] = MakeTarget(1 * kHour, always);
    biz.targets["urgent"][Metric::kNextUpdate] = MakeTarget(2 * kHour, always);
    biz.targets["urgent"][Metric::kResolution] = MakeTarget(8 * kHour, always);
    biz.targets["high"][Metric::kFirstResponse] = MakeTarget(2 * kHour, office);
    biz.targets["high"][Metric::kNextUpdate] = MakeTarget(4 * kHour, office);
    biz.targets["high"][Metric::kResolution] = MakeTarget(16 * kHour, office, 8 * kHour);
    biz.targets["low"][Metric::kFirstResponse] = MakeTarget(8 * kHour, office);
    Plan afr;
    afr.id = "afr";
    afr.calendar = always;
    afr.resolution_starts_at_first_response = true;
    afr.targets["urgent"][Metric::kFirstResponse] = MakeTarget(1 * kHour, always);
    afr.targets["urgent"][Metric::kResolution] = MakeTarget(4 * kHour, always);
    afr.targets["high"][Metric::kFirstResponse] = MakeTarget(4 * kHour, always);
    afr.targets["high"][Metric::kResolution] = MakeTarget(8 * kHour, always);
    afr.targets["low"][Metric::kFirstResponse] = MakeTarget(8 * kHour, always);
    p->plans = {std_plan, biz, afr};
    return std::shared_ptr<const Policy>(p);
  }();
  return policy;
}

std::shared_ptr<const Policy> TestPolicy(const std::string& name) {
  if (name == "gold-support") return GoldSupportPolicy();
  if (name == "desk") return DeskPolicy();
  return nullptr;
}

std::string ReadTestFile(const std::string& relative) {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read test file tests/" + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace sladesk::testing
