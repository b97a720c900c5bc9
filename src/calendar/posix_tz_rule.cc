#include "calendar/posix_tz_rule.h"

#include <date/date.h>

#include <cctype>
#include <string>

namespace sladesk {
namespace {

// Reads a zone abbreviation: letters, or <...> quoted.
bool ParseName(std::string_view s, size_t& pos) {
  if (pos < s.size() && s[pos] == '<') {
    size_t close = s.find('>', pos);
    if (close == std::string_view::npos) return false;
    pos = close + 1;
    return true;
  }
  size_t start = pos;
  while (pos < s.size() && std::isalpha(static_cast<unsigned char>(s[pos]))) ++pos;
  return pos - start >= 3;
}

bool ParseNumber(std::string_view s, size_t& pos, int& out) {
  size_t start = pos;
  out = 0;
  while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos]))) {
    out = out * 10 + (s[pos] - '0');
    ++pos;
    if (pos - start > 4) return false;
  }
  return pos > start;
}

// [+-]hh[:mm[:ss]] -> seconds (sign as written).
bool ParseHms(std::string_view s, size_t& pos, Seconds& out) {
  int sign = 1;
  if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    if (s[pos] == '-') sign = -1;
    ++pos;
  }
  int h = 0, m = 0, sec = 0;
  if (!ParseNumber(s, pos, h)) return false;
  if (pos < s.size() && s[pos] == ':') {
    ++pos;
    if (!ParseNumber(s, pos, m)) return false;
    if (pos < s.size() && s[pos] == ':') {
      ++pos;
      if (!ParseNumber(s, pos, sec)) return false;
    }
  }
  out = sign * (static_cast<Seconds>(h) * 3600 + m * 60 + sec);
  return true;
}

bool ParseTransition(std::string_view s, size_t& pos, PosixTzRule::Transition& tr) {
  if (pos >= s.size()) return false;
  if (s[pos] == 'M') {
    ++pos;
    tr.kind = PosixTzRule::Transition::kMonthWeekDay;
    if (!ParseNumber(s, pos, tr.month) || pos >= s.size() || s[pos] != '.') return false;
    ++pos;
    if (!ParseNumber(s, pos, tr.week) || pos >= s.size() || s[pos] != '.') return false;
    ++pos;
    if (!ParseNumber(s, pos, tr.weekday)) return false;
    if (tr.month < 1 || tr.month > 12 || tr.week < 1 || tr.week > 5 || tr.weekday > 6) return false;
  } else if (s[pos] == 'J') {
    ++pos;
    tr.kind = PosixTzRule::Transition::kJulianNoLeap;
    if (!ParseNumber(s, pos, tr.day) || tr.day < 1 || tr.day > 365) return false;
  } else {
    tr.kind = PosixTzRule::Transition::kJulianZeroBased;
    if (!ParseNumber(s, pos, tr.day) || tr.day > 365) return false;
  }
  tr.time = 7200;
  if (pos < s.size() && s[pos] == '/') {
    ++pos;
    if (!ParseHms(s, pos, tr.time)) return false;
  }
  return true;
}

Seconds DaysFromCivil(int y, unsigned m, unsigned d) {
  return date::sys_days{date::year{y} / date::month{m} / date::day{d}}.time_since_epoch().count();
}

int YearOf(Seconds epoch) {
  auto days = date::floor<date::days>(FromEpoch(epoch));
  return static_cast<int>(date::year_month_day{days}.year());
}

}  // namespace

std::optional<PosixTzRule> PosixTzRule::Parse(std::string_view s) {
  PosixTzRule r;
  size_t pos = 0;
  if (!ParseName(s, pos)) return std::nullopt;
  Seconds std_posix;
  if (!ParseHms(s, pos, std_posix)) return std::nullopt;
  r.std_offset_ = -std_posix;  // POSIX offsets count west of Greenwich
  if (pos == s.size()) return r;
  if (!ParseName(s, pos)) return std::nullopt;
  r.has_dst_ = true;
  r.dst_offset_ = r.std_offset_ + 3600;
  if (pos < s.size() && s[pos] != ',') {
    Seconds dst_posix;
    if (!ParseHms(s, pos, dst_posix)) return std::nullopt;
    r.dst_offset_ = -dst_posix;
  }
  if (pos == s.size()) {
    // No rule given: the POSIX default (US rules since 2007).
    r.start_ = {Transition::kMonthWeekDay, 3, 2, 0, 0, 7200};
    r.end_ = {Transition::kMonthWeekDay, 11, 1, 0, 0, 7200};
    return r;
  }
  if (s[pos] != ',') return std::nullopt;
  ++pos;
  if (!ParseTransition(s, pos, r.start_)) return std::nullopt;
  if (pos >= s.size() || s[pos] != ',') return std::nullopt;
  ++pos;
  if (!ParseTransition(s, pos, r.end_)) return std::nullopt;
  if (pos != s.size()) return std::nullopt;
  return r;
}

Seconds PosixTzRule::TransitionUtc(const Transition& tr, int year, Seconds offset_before) const {
  Seconds day;  // days since epoch of the transition's local date
  bool leap = date::year{year}.is_leap();
  switch (tr.kind) {
    case Transition::kMonthWeekDay: {
      unsigned m = static_cast<unsigned>(tr.month);
      Seconds first = DaysFromCivil(year, m, 1);
      // 1970-01-01 was a Thursday (weekday 4, Sunday = 0).
      int wd_first = static_cast<int>(((first % 7) + 7 + 4) % 7);
      int dom = 1 + (tr.weekday - wd_first + 7) % 7 + (tr.week - 1) * 7;
      unsigned last = static_cast<unsigned>((date::year{year} / date::month{m} / date::last).day());
      while (dom > static_cast<int>(last)) dom -= 7;
      day = first + dom - 1;
      break;
    }
    case Transition::kJulianNoLeap: {
      int n = tr.day;  // 1..365, Feb 29 never counted
      if (leap && n >= 60) ++n;
      day = DaysFromCivil(year, 1, 1) + n - 1;
      break;
    }
    default:
      day = DaysFromCivil(year, 1, 1) + tr.day;
      break;
  }
  return day * 86400 + tr.time - offset_before;
}

Seconds PosixTzRule::OffsetAt(Instant t) const {
  if (!has_dst_) return std_offset_;
  Seconds e = ToEpoch(t);
  int y = YearOf(e + std_offset_);
  Seconds start = TransitionUtc(start_, y, std_offset_);
  Seconds end = TransitionUtc(end_, y, dst_offset_);
  bool dst = start < end ? (e >= start && e < end) : !(e >= end && e < start);
  return dst ? dst_offset_ : std_offset_;
}

Instant PosixTzRule::ToSys(Seconds local) const {
  if (!has_dst_) return FromEpoch(local - std_offset_);
  Seconds t_std = local - std_offset_;
  Seconds t_dst = local - dst_offset_;
  bool std_ok = OffsetAt(FromEpoch(t_std)) == std_offset_;
  bool dst_ok = OffsetAt(FromEpoch(t_dst)) == dst_offset_;
  if (std_ok && dst_ok) return FromEpoch(std::min(t_std, t_dst));  // ambiguous: first occurrence
  if (std_ok) return FromEpoch(t_std);
  if (dst_ok) return FromEpoch(t_dst);
  // In a gap: the transition instant lies between the two readings; find
  // the first instant whose offset differs from the one before the gap.
  Seconds lo = std::min(t_std, t_dst), hi = std::max(t_std, t_dst);
  Seconds before = OffsetAt(FromEpoch(lo - 1));
  while (lo < hi) {
    Seconds mid = lo + (hi - lo) / 2;
    if (OffsetAt(FromEpoch(mid)) == before) lo = mid + 1; else hi = mid;
  }
  return FromEpoch(lo);
}

}  // namespace sladesk
