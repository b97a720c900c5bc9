#include "compliance/civil_month.h"

#include <cstdio>

namespace sladesk {

std::optional<YearMonth> ParseYearMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  int v[6];
  for (int i : {0, 1, 2, 3, 5, 6}) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    v[i < 4 ? i : i - 1] = s[i] - '0';
  }
  YearMonth m{v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3], v[4] * 10 + v[5]};
  if (m.month < 1 || m.month > 12 || m.year < 1900 || m.year > 2199) return std::nullopt;
  return m;
}

std::string FormatYearMonth(YearMonth m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.year, m.month);
  return buf;
}

YearMonth AddMonths(YearMonth m, int months) {
  int index = m.year * 12 + (m.month - 1) + months;
  int year = index >= 0 ? index / 12 : (index - 11) / 12;
  return YearMonth{year, index - year * 12 + 1};
}

YearMonth MonthOf(Instant t, const TimeZone& zone) {
  const date::local_days day = date::floor<date::days>(zone.ToLocal(t));
  const date::year_month_day ymd{day};
  return YearMonth{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month()))};
}

Instant MonthStart(YearMonth m, const TimeZone& zone) {
  const date::local_days day{date::year{m.year} / date::month{static_cast<unsigned>(m.month)} / date::day{1}};
  return zone.ToSys(date::local_seconds{day});
}

date::local_seconds AddCalendarMonths(date::local_seconds t, int months) {
  const date::local_days day = date::floor<date::days>(t);
  const auto time_of_day = t - date::local_seconds{day};
  const date::year_month_day ymd{day};
  const YearMonth target = AddMonths(
      YearMonth{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month()))}, months);
  const date::year_month ym{date::year{target.year}, date::month{static_cast<unsigned>(target.month)}};
  const date::day last = date::year_month_day_last{ym.year(), date::month_day_last{ym.month()}}.day();
  const date::day d = ymd.day() > last ? last : ymd.day();
  return date::local_seconds{date::local_days{ym / d}} + time_of_day;
}

Instant SameWallTimeMonthsLater(Instant t, int months, const TimeZone& zone) {
  return zone.ToSys(AddCalendarMonths(zone.ToLocal(t), months));
}

}  // namespace sladesk
