#include "common/instant.h"

#include <date/date.h>

#include <cstdio>

namespace sladesk {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n, int* out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

Result<Instant> ParseInstant(std::string_view s, std::string_view field) {
  auto bad = [&](const std::string& why) -> Result<Instant> {
    return MakeError(std::string(field),
                     "'" + std::string(s) + "' is not an RFC 3339 time (" + why +
                         "); expected e.g. 2026-12-23T15:30:00Z");
  };
  int y, mo, d, h, mi, se;
  if (!Digits(s, 0, 4, &y) || s.size() < 10 || s[4] != '-' || !Digits(s, 5, 2, &mo) ||
      s[7] != '-' || !Digits(s, 8, 2, &d))
    return bad("date must be YYYY-MM-DD");
  if (s.size() < 19) return bad("missing time of day: THH:MM:SS and a zone");
  if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return bad("missing 'T' between date and time");
  if (!Digits(s, 11, 2, &h) || s[13] != ':' || !Digits(s, 14, 2, &mi) || s[16] != ':' ||
      !Digits(s, 17, 2, &se))
    return bad("time must be HH:MM:SS");
  size_t pos = 19;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return bad("empty fraction of a second");
  }
  if (pos >= s.size()) return bad("missing zone: end with Z or an offset such as +01:00");
  int offset_minutes = 0;
  if (s[pos] == 'Z' || s[pos] == 'z') {
    ++pos;
  } else if (s[pos] == '+' || s[pos] == '-') {
    int oh, om;
    if (!Digits(s, pos + 1, 2, &oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, &om))
      return bad("offset must be +HH:MM or -HH:MM");
    if (oh > 23 || om > 59) return bad("offset out of range");
    offset_minutes = (oh * 60 + om) * (s[pos] == '-' ? -1 : 1);
    pos += 6;
  } else {
    return bad("unexpected character after the time");
  }
  if (pos != s.size()) return bad("trailing characters");
  if (mo < 1 || mo > 12) return bad("month out of range");
  auto ymd = date::year{y} / date::month{static_cast<unsigned>(mo)} / date::day{static_cast<unsigned>(d)};
  if (!ymd.ok()) return bad("no such day");
  if (h > 23 || mi > 59 || se > 60) return bad("time of day out of range");
  if (se == 60) se = 59;  // a leap second is read as the second before it
  Seconds epoch = static_cast<Seconds>(date::sys_days{ymd}.time_since_epoch().count()) * 86400 +
                  h * 3600 + mi * 60 + se - offset_minutes * 60;
  if (epoch < kMinEpoch || epoch >= kMaxEpoch)
    return MakeError(std::string(field), "'" + std::string(s) +
                                             "' is outside the supported range 1900-01-01 to 2199-12-31");
  return FromEpoch(epoch);
}

std::string FormatInstant(Instant t) {
  auto days = date::floor<date::days>(t);
  date::year_month_day ymd{days};
  const long s = static_cast<long>((t - days).count());
  const int year = static_cast<int>(ymd.year());
  if (year < 0 || year > 9999) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02ld:%02ld:%02ldZ", year, static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), s / 3600, (s / 60) % 60, s % 60);
    return buf;
  }
  // Written by hand: this runs for every instant of every API answer.
  char out[20] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0', '0', ':', '0', '0', ':', '0', '0', 'Z'};
  auto two = [&out](int at, long v) {
    out[at] = static_cast<char>('0' + v / 10);
    out[at + 1] = static_cast<char>('0' + v % 10);
  };
  two(0, year / 100);
  two(2, year % 100);
  two(5, static_cast<unsigned>(ymd.month()));
  two(8, static_cast<unsigned>(ymd.day()));
  two(11, s / 3600);
  two(14, (s / 60) % 60);
  two(17, s % 60);
  return std::string(out, sizeof out);
}

}  // namespace sladesk
