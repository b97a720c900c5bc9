#include "calendar/holiday_set.h"

#include <date/date.h>

#include <algorithm>
#include <string>

#include "common/instant.h"

namespace sladesk {
namespace {

// Local days covered by the tables: 1900-01-01 .. 2199-12-31 (days since 1970).
constexpr std::int64_t kFirstDay = kMinEpoch / 86400;
constexpr std::int64_t kEndDay = kMaxEpoch / 86400;
constexpr int kFirstRuleYear = 1970;
constexpr int kLastRuleYear = 2100;

std::int64_t DayOf(const CivilDate& d) {
  return date::sys_days{date::year{d.year} / date::month{d.month} / date::day{d.day}}
      .time_since_epoch()
      .count();
}

CivilDate CivilOf(std::int64_t day) {
  date::year_month_day ymd{date::sys_days{date::days{day}}};
  return {static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day())};
}

// Monday = 0 .. Sunday = 6; 1970-01-01 was a Thursday.
int WeekdayOf(std::int64_t day) { return static_cast<int>(((day + 3) % 7 + 7) % 7); }

std::string RuleField(size_t i, const char* key) {
  return "holiday_rules[" + std::to_string(i) + "]" + (key[0] ? "." : "") + key;
}

// The date of `rule` in `year`, or nullopt when the rule gives none that year.
std::optional<std::int64_t> RuleDay(const HolidayRule& rule, int year) {
  if (rule.easter_offset) return DayOf(EasterSunday(year)) + *rule.easter_offset;
  if (rule.weekday) {
    auto first = DayOf({year, rule.month, 1});
    unsigned last_dom = static_cast<unsigned>(
        (date::year{year} / date::month{rule.month} / date::last).day());
    int want = static_cast<int>(*rule.weekday);
    if (rule.nth > 0) {
      int dom = 1 + (want - WeekdayOf(first) + 7) % 7 + (rule.nth - 1) * 7;
      if (dom > static_cast<int>(last_dom)) return std::nullopt;  // no 5th weekday this month
      return first + dom - 1;
    }
    auto last = first + last_dom - 1;
    return last - (WeekdayOf(last) - want + 7) % 7;
  }
  auto ymd = date::year{year} / date::month{rule.month} / date::day{rule.day};
  if (!ymd.ok()) return std::nullopt;  // Feb 29 outside leap years
  return DayOf({year, rule.month, rule.day});
}

}  // namespace

CivilDate EasterSunday(int y) {
  // Anonymous Gregorian algorithm (Meeus/Jones/Butcher).
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4;
  int f = (b + 8) / 25, g = (b - f + 1) / 3, h = (19 * a + b - d - g + 15) % 30;
  int i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  int month = (h + l - 7 * m + 114) / 31;
  int day = ((h + l - 7 * m + 114) % 31) + 1;
  return {y, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

Result<HolidaySet> HolidaySet::Build(const CalendarSpec& spec) {
  HolidaySet set;
  set.closed_bits_.assign(static_cast<size_t>((kEndDay - kFirstDay) / 64 + 1), 0);
  auto mark = [&set](std::int64_t day) {
    if (day < kFirstDay || day >= kEndDay) return;
    auto bit = static_cast<std::uint64_t>(day - kFirstDay);
    set.closed_bits_[bit / 64] |= std::uint64_t{1} << (bit % 64);
  };

  for (size_t i = 0; i < spec.holidays.size(); ++i) {
    const DateEntry& entry = spec.holidays[i];
    std::string field = "holidays[" + std::to_string(i) + "]";
    auto ymd = date::year{entry.date.year} / date::month{entry.date.month} / date::day{entry.date.day};
    if (!ymd.ok()) return MakeError(field, "no such date " + std::to_string(entry.date.year) + "-" +
                                               std::to_string(entry.date.month) + "-" +
                                               std::to_string(entry.date.day));
    std::int64_t day = DayOf(entry.date);
    if (day < kFirstDay || day >= kEndDay)
      return MakeError(field, "date outside the supported years 1900-2199");
    if (entry.replaces_windows) {
      if (!set.overrides_.emplace(day, entry.open).second)
        return MakeError(field, "the date has two {\"date\", \"open\"} entries");
    } else {
      mark(day);
    }
  }

  struct Occurrence {
    std::int64_t day;
    size_t rule;
  };
  std::vector<Occurrence> substitutes;
  std::vector<std::uint64_t> placed(set.closed_bits_.size(), 0);
  auto is_placed = [&](std::int64_t day) {
    auto bit = static_cast<std::uint64_t>(day - kFirstDay);
    return (placed[bit / 64] >> (bit % 64)) & 1;
  };
  auto place = [&](std::int64_t day) {
    if (day < kFirstDay || day >= kEndDay) return;
    auto bit = static_cast<std::uint64_t>(day - kFirstDay);
    placed[bit / 64] |= std::uint64_t{1} << (bit % 64);
    mark(day);
    set.rule_days_.push_back(day);
  };

  for (size_t i = 0; i < spec.holiday_rules.size(); ++i) {
    const HolidayRule& r = spec.holiday_rules[i];
    int forms = (r.easter_offset ? 1 : 0) + (r.weekday ? 1 : 0) + (r.day != 0 ? 1 : 0);
    if (forms != 1)
      return MakeError(RuleField(i, ""),
                       "a rule needs exactly one of: month+day, month+weekday+nth, easter_offset");
    if (r.easter_offset) {
      if (r.month != 0) return MakeError(RuleField(i, "month"), "not allowed with easter_offset");
      if (*r.easter_offset < -200 || *r.easter_offset > 200)
        return MakeError(RuleField(i, "easter_offset"), "must be within -200..200 days");
    } else {
      if (r.month < 1 || r.month > 12) return MakeError(RuleField(i, "month"), "must be 1..12");
      if (r.weekday) {
        if (!(r.nth == -1 || (r.nth >= 1 && r.nth <= 5)))
          return MakeError(RuleField(i, "nth"), "must be 1..5, or -1 for the last");
      } else {
        unsigned max_day = static_cast<unsigned>(
            (date::year{2000} / date::month{r.month} / date::last).day());  // 2000: leap
        if (r.day < 1 || r.day > max_day)
          return MakeError(RuleField(i, "day"), "month " + std::to_string(r.month) +
                                                    " has no day " + std::to_string(r.day));
      }
    }
    for (int y = kFirstRuleYear; y <= kLastRuleYear; ++y) {
      auto day = RuleDay(r, y);
      if (!day) continue;
      place(*day);
      if (r.substitute_next_weekday && WeekdayOf(*day) >= 5) substitutes.push_back({*day, i});
    }
  }
  // Substitutes in date order (rule order on ties), each on the first Mon-Fri
  // that no rule date or earlier substitute already holds.
  std::stable_sort(substitutes.begin(), substitutes.end(),
                   [](const Occurrence& a, const Occurrence& b) { return a.day < b.day; });
  for (const Occurrence& o : substitutes) {
    std::int64_t d = o.day + 1;
    while (d < kEndDay && (WeekdayOf(d) >= 5 || is_placed(d))) ++d;
    place(d);
  }
  std::sort(set.rule_days_.begin(), set.rule_days_.end());
  set.rule_days_.erase(std::unique(set.rule_days_.begin(), set.rule_days_.end()),
                       set.rule_days_.end());
  return set;
}

bool HolidaySet::IsClosed(std::int64_t day) const {
  if (day < kFirstDay || day >= kEndDay) return false;
  auto bit = static_cast<std::uint64_t>(day - kFirstDay);
  return (closed_bits_[bit / 64] >> (bit % 64)) & 1;
}

const std::vector<LocalWindow>* HolidaySet::Override(std::int64_t day) const {
  if (overrides_.empty()) return nullptr;
  auto it = overrides_.find(day);
  return it == overrides_.end() ? nullptr : &it->second;
}

bool HolidaySet::AnyOverrideOpens() const {
  for (const auto& [day, windows] : overrides_)
    if (!windows.empty()) return true;
  return false;
}

std::vector<CivilDate> HolidaySet::RuleDatesIn(int year) const {
  std::vector<CivilDate> out;
  auto from = DayOf({year, 1, 1}), to = DayOf({year + 1, 1, 1});
  for (auto it = std::lower_bound(rule_days_.begin(), rule_days_.end(), from);
       it != rule_days_.end() && *it < to; ++it)
    out.push_back(CivilOf(*it));
  return out;
}

}  // namespace sladesk
