#include "calendar/calendar_json.h"

#include <date/date.h>

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <set>

namespace sladesk {
namespace {

using nlohmann::json;

const char* const kDayKeys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string Join(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

std::string Index(std::string_view path, size_t i) {
  return std::string(path) + "[" + std::to_string(i) + "]";
}

std::string TypeName(const json& j) { return j.type_name(); }

Result<std::vector<LocalWindow>> ParseWindows(const json& j, const std::string& field) {
  if (!j.is_array())
    return MakeError(field, "must be a list of [\"HH:MM\", \"HH:MM\"] windows, not " + TypeName(j));
  std::vector<LocalWindow> out;
  for (size_t i = 0; i < j.size(); ++i) {
    std::string f = Index(field, i);
    const json& w = j[i];
    if (!w.is_array() || w.size() != 2 || !w[0].is_string() || !w[1].is_string())
      return MakeError(f, "a window is a pair of times [\"HH:MM\", \"HH:MM\"]");
    auto start = ParseClockTime(w[0].get<std::string>(), Index(f, 0));
    if (!start.ok()) return start.error();
    auto end = ParseClockTime(w[1].get<std::string>(), Index(f, 1));
    if (!end.ok()) return end.error();
    if (*start == 1440) return MakeError(Index(f, 0), "a window cannot start at 24:00");
    if (*end <= *start)
      return MakeError(f, "end " + w[1].get<std::string>() + " is not after start " +
                              w[0].get<std::string>());
    out.push_back({*start, *end});
  }
  return out;
}

Status CheckKeys(const json& obj, std::initializer_list<const char*> allowed, std::string_view path) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    bool ok = false;
    for (const char* k : allowed) ok = ok || it.key() == k;
    if (!ok) {
      std::string list;
      for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
      return MakeError(Join(path, it.key()), "unknown field (expected one of: " + list + ")");
    }
  }
  return Status::Ok();
}

Result<int> IntField(const json& j, const std::string& field) {
  if (!j.is_number_integer()) return MakeError(field, "must be a whole number, not " + TypeName(j));
  auto v = j.get<std::int64_t>();
  if (v < -100000 || v > 100000) return MakeError(field, "out of range");
  return static_cast<int>(v);
}

}  // namespace

Result<int> ParseClockTime(std::string_view s, std::string_view field) {
  auto bad = [&](const std::string& why) -> Result<int> {
    return MakeError(std::string(field), "'" + std::string(s) + "' is not a time of day HH:MM (" + why + ")");
  };
  size_t colon = s.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || s.size() != colon + 3)
    return bad("expected HH:MM");
  int h = 0, m = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i == colon) continue;
    if (s[i] < '0' || s[i] > '9') return bad("expected digits");
  }
  for (size_t i = 0; i < colon; ++i) h = h * 10 + (s[i] - '0');
  m = (s[colon + 1] - '0') * 10 + (s[colon + 2] - '0');
  if (m > 59) return bad("minutes run 00..59");
  if (h > 24 || (h == 24 && m != 0)) return bad("times run 00:00..24:00");
  return h * 60 + m;
}

std::string FormatClockTime(int minutes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

Result<CivilDate> ParseCivilDate(std::string_view s, std::string_view field) {
  auto bad = [&](const std::string& why) -> Result<CivilDate> {
    return MakeError(std::string(field), "'" + std::string(s) + "' is not a date YYYY-MM-DD (" + why + ")");
  };
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return bad("expected YYYY-MM-DD");
  int v[3] = {0, 0, 0};
  size_t spans[3][2] = {{0, 4}, {5, 7}, {8, 10}};
  for (int k = 0; k < 3; ++k)
    for (size_t i = spans[k][0]; i < spans[k][1]; ++i) {
      if (s[i] < '0' || s[i] > '9') return bad("expected digits");
      v[k] = v[k] * 10 + (s[i] - '0');
    }
  CivilDate d{v[0], static_cast<unsigned>(v[1]), static_cast<unsigned>(v[2])};
  if (!(date::year{d.year} / date::month{d.month} / date::day{d.day}).ok()) return bad("no such date");
  if (d.year < 1900 || d.year > 2199) return bad("years run 1900..2199");
  return d;
}

std::string FormatCivilDate(const CivilDate& d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf;
}

Result<CalendarSpec> CalendarSpecFromJson(const json& j, std::string_view path) {
  if (!j.is_object())
    return MakeError(std::string(path), "a calendar must be a JSON object, not " + TypeName(j));
  Status keys = CheckKeys(j, {"id", "name", "description", "time_zone", "hours_per_business_day",
                              "weekly", "holidays", "holiday_rules"},
                          path);
  if (!keys.ok()) return keys.error();
  CalendarSpec spec;
  if (auto it = j.find("id"); it != j.end()) {
    if (!it->is_string()) return MakeError(Join(path, "id"), "must be a string");
    spec.id = it->get<std::string>();
  }
  auto tz = j.find("time_zone");
  if (tz == j.end()) return MakeError(Join(path, "time_zone"), "missing (an IANA zone such as Europe/Berlin)");
  if (!tz->is_string()) return MakeError(Join(path, "time_zone"), "must be a string");
  spec.time_zone = tz->get<std::string>();
  if (auto it = j.find("hours_per_business_day"); it != j.end() && !it->is_null()) {
    std::string f = Join(path, "hours_per_business_day");
    if (!it->is_number()) return MakeError(f, "must be a number of hours");
    double h = it->get<double>();
    if (!(h > 0 && h <= 24)) return MakeError(f, "must be more than 0 and at most 24");
    double secs = h * 3600;
    if (std::abs(secs - std::round(secs)) > 1e-6) return MakeError(f, "must be a whole number of seconds");
    spec.business_day_seconds = static_cast<std::int64_t>(std::llround(secs));
  }
  if (auto it = j.find("weekly"); it != j.end()) {
    std::string f = Join(path, "weekly");
    if (!it->is_object()) return MakeError(f, "must be an object with keys mon..sun");
    Status s = CheckKeys(*it, {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}, f);
    if (!s.ok()) return s.error();
    for (int d = 0; d < 7; ++d) {
      auto day = it->find(kDayKeys[d]);
      if (day == it->end() || day->is_null()) continue;
      auto windows = ParseWindows(*day, Join(f, kDayKeys[d]));
      if (!windows.ok()) return windows.error();
      spec.weekly[d] = std::move(windows).value();
    }
  }  // a calendar without `weekly` is open only on its {"date", "open"} entries
  if (auto it = j.find("holidays"); it != j.end() && !it->is_null()) {
    std::string f = Join(path, "holidays");
    if (!it->is_array()) return MakeError(f, "must be a list of dates");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& h = (*it)[i];
      std::string hf = Index(f, i);
      DateEntry entry;
      if (h.is_string()) {
        auto d = ParseCivilDate(h.get<std::string>(), hf);
        if (!d.ok()) return d.error();
        entry.date = *d;
      } else if (h.is_object()) {
        Status s = CheckKeys(h, {"date", "open", "name"}, hf);
        if (!s.ok()) return s.error();
        auto date_it = h.find("date");
        if (date_it == h.end() || !date_it->is_string())
          return MakeError(Join(hf, "date"), "missing date \"YYYY-MM-DD\"");
        auto d = ParseCivilDate(date_it->get<std::string>(), Join(hf, "date"));
        if (!d.ok()) return d.error();
        entry.date = *d;
        auto open_it = h.find("open");
        if (open_it == h.end()) return MakeError(Join(hf, "open"), "missing (the windows of that date)");
        auto windows = ParseWindows(*open_it, Join(hf, "open"));
        if (!windows.ok()) return windows.error();
        entry.replaces_windows = true;
        entry.open = std::move(windows).value();
      } else {
        return MakeError(hf, "must be a date \"YYYY-MM-DD\" or {\"date\", \"open\"}");
      }
      spec.holidays.push_back(std::move(entry));
    }
  }
  if (auto it = j.find("holiday_rules"); it != j.end() && !it->is_null()) {
    std::string f = Join(path, "holiday_rules");
    if (!it->is_array()) return MakeError(f, "must be a list of rules");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& r = (*it)[i];
      std::string rf = Index(f, i);
      if (!r.is_object()) return MakeError(rf, "a rule must be an object");
      Status s = CheckKeys(r, {"name", "month", "day", "weekday", "nth", "easter_offset", "substitute"}, rf);
      if (!s.ok()) return s.error();
      HolidayRule rule;
      if (auto n = r.find("name"); n != r.end()) {
        if (!n->is_string()) return MakeError(Join(rf, "name"), "must be a string");
        rule.name = n->get<std::string>();
      }
      if (auto m = r.find("month"); m != r.end()) {
        auto v = IntField(*m, Join(rf, "month"));
        if (!v.ok()) return v.error();
        if (*v < 1 || *v > 12) return MakeError(Join(rf, "month"), "must be 1..12");
        rule.month = static_cast<unsigned>(*v);
      }
      if (auto d = r.find("day"); d != r.end()) {
        auto v = IntField(*d, Join(rf, "day"));
        if (!v.ok()) return v.error();
        if (*v < 1 || *v > 31) return MakeError(Join(rf, "day"), "must be 1..31");
        rule.day = static_cast<unsigned>(*v);
      }
      if (auto w = r.find("weekday"); w != r.end()) {
        bool found = false;
        for (int k = 0; k < 7 && w->is_string(); ++k)
          if (w->get<std::string>() == kDayKeys[k]) {
            rule.weekday = static_cast<Weekday>(k);
            found = true;
          }
        if (!found) return MakeError(Join(rf, "weekday"), "must be one of mon, tue, wed, thu, fri, sat, sun");
        auto n = r.find("nth");
        if (n == r.end()) return MakeError(Join(rf, "nth"), "missing (1..5, or -1 for the last)");
        auto v = IntField(*n, Join(rf, "nth"));
        if (!v.ok()) return v.error();
        rule.nth = *v;
      } else if (r.contains("nth")) {
        return MakeError(Join(rf, "nth"), "needs a weekday");
      }
      if (auto e = r.find("easter_offset"); e != r.end()) {
        auto v = IntField(*e, Join(rf, "easter_offset"));
        if (!v.ok()) return v.error();
        rule.easter_offset = *v;
      }
      if (auto sub = r.find("substitute"); sub != r.end() && !sub->is_null()) {
        if (!sub->is_string() || sub->get<std::string>() != "next_weekday")
          return MakeError(Join(rf, "substitute"), "the only substitute is \"next_weekday\"");
        rule.substitute_next_weekday = true;
      }
      if (rule.month == 0 && !rule.easter_offset)
        return MakeError(Join(rf, "month"), "missing (or give easter_offset)");
      if (rule.month != 0 && rule.day == 0 && !rule.weekday)
        return MakeError(rf, "a month rule needs a day, or a weekday with nth");
      if (rule.day != 0 && rule.weekday) return MakeError(rf, "give day or weekday+nth, not both");
      spec.holiday_rules.push_back(std::move(rule));
    }
  }
  return spec;
}

Result<CalendarSpec> ParseCalendarJson(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Re-parse with exceptions only to get the position for the message.
    try {
      json probe = json::parse(text);
      (void)probe;
    } catch (const json::parse_error& e) {
      return MakeError("calendar", std::string("malformed JSON: ") + e.what());
    }
    return MakeError("calendar", "malformed JSON");
  }
  if (j.is_string() && j.get<std::string>() == "24x7") return AlwaysOpenSpec();
  return CalendarSpecFromJson(j, "");
}

json CalendarSpecToJson(const CalendarSpec& spec) {
  json j = json::object();
  if (!spec.id.empty()) j["id"] = spec.id;
  j["time_zone"] = spec.time_zone;
  if (spec.business_day_seconds) j["hours_per_business_day"] = *spec.business_day_seconds / 3600.0;
  json weekly = json::object();
  auto windows = [](const std::vector<LocalWindow>& ws) {
    json a = json::array();
    for (const auto& w : ws) a.push_back({FormatClockTime(w.start_minute), FormatClockTime(w.end_minute)});
    return a;
  };
  for (int d = 0; d < 7; ++d) weekly[kDayKeys[d]] = windows(spec.weekly[d]);
  j["weekly"] = weekly;
  json holidays = json::array();
  for (const auto& h : spec.holidays) {
    if (h.replaces_windows)
      holidays.push_back({{"date", FormatCivilDate(h.date)}, {"open", windows(h.open)}});
    else
      holidays.push_back(FormatCivilDate(h.date));
  }
  j["holidays"] = holidays;
  json rules = json::array();
  for (const auto& r : spec.holiday_rules) {
    json o = json::object();
    if (!r.name.empty()) o["name"] = r.name;
    if (r.easter_offset) {
      o["easter_offset"] = *r.easter_offset;
    } else {
      o["month"] = r.month;
      if (r.weekday) {
        o["weekday"] = kDayKeys[static_cast<int>(*r.weekday)];
        o["nth"] = r.nth;
      } else {
        o["day"] = r.day;
      }
    }
    if (r.substitute_next_weekday) o["substitute"] = "next_weekday";
    rules.push_back(o);
  }
  j["holiday_rules"] = rules;
  return j;
}

}  // namespace sladesk
