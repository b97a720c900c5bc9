#include "policy/calendar_toml_reader.h"

#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "calendar/calendar_json.h"
#include "calendar/ical_holidays.h"

namespace sladesk {
namespace {

constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

std::string Index(const std::string& field, size_t i) { return field + "[" + std::to_string(i) + "]"; }

}  // namespace

std::optional<LocalWindow> CalendarTomlReader::ReadWindow(const toml::node& node,
                                                          const std::string& field) {
  positions_[field] = node.source();
  const toml::array* pair = node.as_array();
  if (!pair || pair->size() != 2) {
    fields_.Fail(node, JoinPath(path_, field), "a window is [\"HH:MM\", \"HH:MM\"]");
    return std::nullopt;
  }
  int minutes[2] = {0, 0};
  bool ok = true;
  for (size_t k = 0; k < 2; ++k) {
    const toml::node& t = *pair->get(k);
    std::string f = Index(field, k);
    positions_[f] = t.source();
    if (!t.is_string()) {
      fields_.Fail(t, JoinPath(path_, f), "expected a time \"HH:MM\"");
      ok = false;
      continue;
    }
    auto m = ParseClockTime(t.as_string()->get(), f);
    if (!m.ok()) {
      fields_.Fail(t, JoinPath(path_, f), m.error().message);
      ok = false;
      continue;
    }
    minutes[k] = *m;
  }
  if (!ok) return std::nullopt;
  return LocalWindow{minutes[0], minutes[1]};
}

std::vector<LocalWindow> CalendarTomlReader::ReadWindows(const toml::node& node,
                                                         const std::string& field) {
  std::vector<LocalWindow> out;
  positions_[field] = node.source();
  const toml::array* a = node.as_array();
  if (!a) {
    fields_.Fail(node, JoinPath(path_, field), "expected a list of windows [[\"09:00\", \"17:00\"], ...]");
    return out;
  }
  for (size_t i = 0; i < a->size(); ++i)
    if (auto w = ReadWindow(*a->get(i), Index(field, i))) out.push_back(*w);
  return out;
}

void CalendarTomlReader::ReadWeekly(const toml::table& weekly, const std::string& path,
                                    CalendarSpec& spec) {
  fields_.CheckKeys(weekly, JoinPath(path, "weekly"),
                    {"mon", "tue", "wed", "thu", "fri", "sat", "sun"});
  for (size_t d = 0; d < kDays.size(); ++d) {
    const toml::node* n = weekly.get(kDays[d]);
    if (!n) continue;  // a missing day is closed
    std::string field = "weekly." + std::string(kDays[d]);
    spec.weekly[d] = ReadWindows(*n, field);
  }
}

void CalendarTomlReader::ReadHolidays(const toml::array& holidays, const std::string& path,
                                      CalendarSpec& spec) {
  for (size_t i = 0; i < holidays.size(); ++i) {
    const toml::node& n = *holidays.get(i);
    std::string field = Index("holidays", i);
    positions_[field] = n.source();
    DateEntry entry;
    const toml::node* date_node = &n;
    if (const toml::table* t = n.as_table()) {
      fields_.CheckKeys(*t, JoinPath(path, field), {"date", "open"});
      date_node = t->get("date");
      if (!date_node) {
        fields_.Fail(n, JoinPath(path, field), "missing required key 'date'");
        continue;
      }
      positions_[field + ".date"] = date_node->source();
      entry.replaces_windows = true;
      if (const toml::node* open = t->get("open")) entry.open = ReadWindows(*open, field + ".open");
    }
    if (!date_node->is_string()) {
      fields_.Fail(*date_node, JoinPath(path, field),
                   "expected a date \"YYYY-MM-DD\" or {date = \"YYYY-MM-DD\", open = [...]}");
      continue;
    }
    auto d = ParseCivilDate(date_node->as_string()->get(), field);
    if (!d.ok()) {
      fields_.Fail(*date_node, JoinPath(path, field), d.error().message);
      continue;
    }
    entry.date = *d;
    spec.holidays.push_back(std::move(entry));
  }
}

void CalendarTomlReader::ReadRules(const toml::array& rules, const std::string& path,
                                   CalendarSpec& spec) {
  for (size_t i = 0; i < rules.size(); ++i) {
    const toml::node& n = *rules.get(i);
    std::string field = Index("holiday_rules", i);
    std::string full = JoinPath(path, field);
    positions_[field] = n.source();
    const toml::table* t = n.as_table();
    if (!t) {
      fields_.Fail(n, full, "a holiday rule is a table {name, month, day | weekday + nth | easter_offset}");
      continue;
    }
    fields_.CheckKeys(*t, full, {"name", "month", "day", "weekday", "nth", "easter_offset", "substitute"});
    for (auto&& [k, v] : *t) positions_[field + "." + std::string(k.str())] = v.source();
    size_t before = fields_.error_count();
    HolidayRule rule;
    rule.name = fields_.String(*t, "name", full).value_or("");
    if (auto m = fields_.Integer(*t, "month", full, 1, 12)) rule.month = static_cast<unsigned>(*m);
    if (auto d = fields_.Integer(*t, "day", full, 1, 31)) rule.day = static_cast<unsigned>(*d);
    if (auto w = fields_.String(*t, "weekday", full)) {
      bool found = false;
      for (size_t d = 0; d < kDays.size(); ++d)
        if (*w == kDays[d]) {
          rule.weekday = static_cast<Weekday>(d);
          found = true;
        }
      if (!found)
        fields_.Fail(*t->get("weekday"), full + ".weekday",
                     "unknown weekday '" + *w + "'; expected mon, tue, wed, thu, fri, sat or sun");
    }
    if (auto nth = fields_.Integer(*t, "nth", full, -5, 5)) rule.nth = static_cast<int>(*nth);
    if (auto off = fields_.Integer(*t, "easter_offset", full, -366, 366))
      rule.easter_offset = static_cast<int>(*off);
    if (auto sub = fields_.String(*t, "substitute", full)) {
      if (*sub == "next_weekday") rule.substitute_next_weekday = true;
      else if (*sub != "none")
        fields_.Fail(*t->get("substitute"), full + ".substitute",
                     "unknown substitute '" + *sub + "'; expected \"next_weekday\" or \"none\"");
    }
    if (fields_.error_count() == before) spec.holiday_rules.push_back(std::move(rule));
  }
}

void CalendarTomlReader::ReadIcs(const toml::node& at, const std::string& file, const std::string& path,
                                 CalendarSpec& spec) {
  const std::string field = JoinPath(path, "holidays_ics");
  // Relative to the policy file, so a policy and its holiday list travel together.
  std::filesystem::path p(file);
  if (p.is_relative()) p = std::filesystem::path(fields_.file()).parent_path() / p;
  std::ifstream in(p, std::ios::binary);
  if (!in) {
    fields_.Fail(at, field, "cannot read the iCalendar file '" + p.string() + "'");
    return;
  }
  std::ostringstream text;
  text << in.rdbuf();
  IcalImportOptions options;
  options.skip_timed_events = true;  // a published list may carry timed notices; only all-day events close
  options.source_name = p.string();
  auto imported = ImportIcalHolidays(text.str(), options);
  if (!imported.ok()) {
    fields_.Fail(at, field, imported.error().ToString());
    return;
  }
  AddImportedHolidays(spec, imported->dates);
}

toml::source_region CalendarTomlReader::Where(std::string field, const toml::table& table) const {
  while (!field.empty()) {
    if (auto it = positions_.find(field); it != positions_.end()) return it->second;
    // Strip the last ".key" or "[i]" and try the parent.
    size_t cut = field.find_last_of(".[");
    if (cut == std::string::npos) break;
    field.resize(cut);
  }
  return table.source();
}

std::shared_ptr<const BusinessCalendar> CalendarTomlReader::Read(const toml::table& table,
                                                                 const std::string& path) {
  positions_.clear();
  path_ = path;
  const size_t before = fields_.error_count();
  fields_.CheckKeys(table, path,
                    {"id", "time_zone", "hours_per_business_day", "weekly", "holidays",
                     "holiday_rules", "holidays_ics"});
  for (auto&& [k, v] : table) positions_[std::string(k.str())] = v.source();
  CalendarSpec spec;
  spec.id = fields_.String(table, "id", path, true).value_or("");
  spec.time_zone = fields_.String(table, "time_zone", path, true).value_or("UTC");
  if (auto h = fields_.Number(table, "hours_per_business_day", path, 0.0, 24.0)) {
    if (*h <= 0)
      fields_.Fail(*table.get("hours_per_business_day"), JoinPath(path, "hours_per_business_day"),
                   "must be more than 0 hours");
    else
      spec.business_day_seconds = static_cast<std::int64_t>(std::llround(*h * 3600));
  }
  if (const toml::table* weekly = fields_.Table(table, "weekly", path, true))
    ReadWeekly(*weekly, path, spec);
  if (const toml::array* h = fields_.Array(table, "holidays", path)) ReadHolidays(*h, path, spec);
  if (const toml::array* r = fields_.Array(table, "holiday_rules", path)) ReadRules(*r, path, spec);
  if (auto ics = fields_.String(table, "holidays_ics", path)) ReadIcs(*table.get("holidays_ics"), *ics, path, spec);
  if (fields_.error_count() != before) return nullptr;

  auto cal = BusinessCalendar::Create(std::move(spec));
  if (!cal.ok()) {
    const Error& e = cal.error();
    fields_.Fail(Where(e.field, table), e.field.empty() ? path : JoinPath(path, e.field),
                 e.message);
    return nullptr;
  }
  return std::move(cal).value();
}

}  // namespace sladesk
