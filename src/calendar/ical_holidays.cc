#include "calendar/ical_holidays.h"

#include <libical/ical.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>

namespace sladesk {
namespace {

using Days = std::chrono::sys_days;

// Upper bound on RRULE iterations per rule, so a rule such as FREQ=DAILY from
// year 1000 ends with an error instead of spinning. 1970..2100 daily is ~47.5k.
constexpr int kMaxRecurrenceSteps = 200000;

// One unfolded content line: NAME[;PARAMS]:VALUE.
struct ContentLine {
  int line = 0;       // 1-based physical line where it starts
  std::string name;   // upper-cased
  std::string value;  // raw text after the first unquoted ':'
};

// The direct properties of one VEVENT, in input order; libical gives the
// events in the same order, so the n-th scanned event is the n-th parsed one.
struct ScannedEvent {
  int begin_line = 0;
  std::vector<ContentLine> props;
};

struct Scan {
  std::vector<ContentLine> calendar_props;  // direct properties of VCALENDARs
  std::vector<ScannedEvent> events;
};

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

// Shows a piece of input in a message without flooding it.
std::string Quote(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out = "'";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  out += "'";
  return out;
}

Error LineError(const IcalImportOptions& options, int line, std::string field,
                std::string message) {
  Error e = MakeError(std::move(field), std::move(message));
  e.file = options.source_name;
  e.line = line;
  return e;
}

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

// Checks the shape libical is lenient about (it turns most damage into
// X-LIC-ERROR properties without positions): unfolding, NAME...:VALUE on
// every line, BEGIN/END nesting starting with VCALENDAR.
Result<Scan> ScanText(std::string_view text, const IcalImportOptions& options) {
  struct Logical {
    int line;
    std::string text;
  };
  std::vector<Logical> logical;
  int line_no = 0;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::string_view phys = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? text.size() : nl + 1;
    ++line_no;
    if (!phys.empty() && phys.back() == '\r') phys.remove_suffix(1);
    if (phys.find('\0') != std::string_view::npos) {
      return LineError(options, line_no, "line", "contains a NUL byte; an .ics file is text");
    }
    if (!phys.empty() && (phys[0] == ' ' || phys[0] == '\t')) {
      if (logical.empty()) {
        return LineError(options, line_no, "line",
                         "a folded continuation line (starting with a space) has no line before it");
      }
      logical.back().text.append(phys.substr(1));
      continue;
    }
    logical.push_back({line_no, std::string(phys)});
  }

  Scan scan;
  struct Open {
    std::string name;
    int line;
  };
  std::vector<Open> stack;
  bool seen_calendar = false;
  for (const Logical& l : logical) {
    if (Trim(l.text).empty()) continue;  // stray blank lines are harmless
    std::size_t n = 0;
    while (n < l.text.size() && IsNameChar(l.text[n])) ++n;
    if (n == 0 || n == l.text.size() || (l.text[n] != ':' && l.text[n] != ';')) {
      const bool json = Trim(l.text).rfind('{', 0) == 0 || Trim(l.text).rfind('[', 0) == 0;
      return LineError(options, l.line, "line",
                       "expected a content line NAME[;PARAM=VALUE]:VALUE, got " + Quote(l.text) +
                           (json ? " (this looks like JSON, not iCalendar)" : ""));
    }
    std::size_t colon = std::string::npos;
    bool quoted = false;
    for (std::size_t i = n; i < l.text.size(); ++i) {
      if (l.text[i] == '"') quoted = !quoted;
      if (l.text[i] == ':' && !quoted) {
        colon = i;
        break;
      }
    }
    ContentLine cl;
    cl.line = l.line;
    cl.name = Upper(std::string_view(l.text).substr(0, n));
    if (colon == std::string::npos) {
      return LineError(options, l.line, cl.name,
                       "has no ':' before its value (unbalanced quotes in a parameter?): " +
                           Quote(l.text));
    }
    cl.value = l.text.substr(colon + 1);

    if (cl.name == "BEGIN") {
      std::string what = Upper(Trim(cl.value));
      if (what.empty()) return LineError(options, l.line, "BEGIN", "names no component");
      if (stack.empty() && what != "VCALENDAR") {
        return LineError(options, l.line, "BEGIN",
                         "expected BEGIN:VCALENDAR at the top level, got BEGIN:" + what);
      }
      if (!stack.empty() && what == "VCALENDAR") {
        return LineError(options, l.line, "BEGIN",
                         "BEGIN:VCALENDAR inside BEGIN:" + stack.back().name + " from line " +
                             std::to_string(stack.back().line));
      }
      if (what == "VCALENDAR") seen_calendar = true;
      if (what == "VEVENT" && stack.size() == 1) scan.events.push_back({l.line, {}});
      stack.push_back({what, l.line});
      continue;
    }
    if (cl.name == "END") {
      std::string what = Upper(Trim(cl.value));
      if (stack.empty()) {
        return LineError(options, l.line, "END", "END:" + what + " closes nothing");
      }
      if (what != stack.back().name) {
        return LineError(options, l.line, "END",
                         "END:" + what + " does not close BEGIN:" + stack.back().name +
                             " from line " + std::to_string(stack.back().line));
      }
      stack.pop_back();
      continue;
    }
    if (stack.empty()) {
      return LineError(options, l.line, cl.name,
                       seen_calendar ? "property after END:VCALENDAR"
                                     : "expected BEGIN:VCALENDAR before any property");
    }
    if (stack.size() == 1) {
      scan.calendar_props.push_back(std::move(cl));
    } else if (stack.size() == 2 && stack.back().name == "VEVENT") {
      scan.events.back().props.push_back(std::move(cl));
    }
  }
  if (!stack.empty()) {
    return LineError(options, stack.back().line, "BEGIN",
                     "BEGIN:" + stack.back().name + " is never closed (no END:" +
                         stack.back().name + ")");
  }
  if (!seen_calendar) {
    return LineError(options, 1, "BEGIN", "no BEGIN:VCALENDAR: this is not an iCalendar file");
  }
  return scan;
}

struct ComponentDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
struct IteratorDeleter {
  void operator()(icalrecur_iterator* i) const { icalrecur_iterator_free(i); }
};

// Line of a property in a scanned list: the first `name` whose value contains
// `hint` (to tell several EXDATE lines apart), else the first `name`.
int LineOf(const std::vector<ContentLine>& props, std::string_view name, std::string_view hint,
           int fallback) {
  const ContentLine* first = nullptr;
  for (const ContentLine& p : props) {
    if (p.name != name) continue;
    if (!hint.empty() && p.value.find(hint) != std::string::npos) return p.line;
    if (first == nullptr) first = &p;
  }
  return first != nullptr ? first->line : fallback;
}

std::string RawValue(const std::vector<ContentLine>& props, std::string_view name) {
  for (const ContentLine& p : props) {
    if (p.name == name) return p.value;
  }
  return "";
}

// A libical X-LIC-ERROR reads "Can't parse as DATE value in DTEND property.
// Removing entire property: 2026xx01": recover the property and the value.
Error FromLibicalError(const IcalImportOptions& options, const std::vector<ContentLine>& props,
                       int fallback_line, const std::string& where, std::string_view text) {
  std::string prop = "X-LIC-ERROR";
  std::string value;
  constexpr std::string_view kIn = " in ";
  constexpr std::string_view kProperty = " property";
  if (std::size_t i = text.find(kIn); i != std::string_view::npos) {
    std::size_t start = i + kIn.size();
    std::size_t end = text.find(kProperty, start);
    if (end != std::string_view::npos && end > start) prop = Upper(text.substr(start, end - start));
  }
  constexpr std::string_view kRemoving = "Removing entire property: ";
  if (std::size_t i = text.find(kRemoving); i != std::string_view::npos) {
    value = std::string(text.substr(i + kRemoving.size()));
  }
  // libical escapes ';' and ',' in the value it quotes.
  std::string hint;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\\' && i + 1 < value.size()) ++i;
    hint += value[i];
  }
  int line = LineOf(props, prop, hint, fallback_line);
  std::string message = value.empty() ? "cannot be read" : "cannot read " + Quote(hint);
  message += " (libical: " + std::string(text.substr(0, text.find(". Removing"))) + ")";
  return LineError(options, line, where.empty() ? prop : where + "." + prop, message);
}

// The first X-LIC-ERROR libical attached to `c`, as an Error.
std::optional<Error> FirstLibicalError(icalcomponent* c, const IcalImportOptions& options,
                                       const std::vector<ContentLine>& props, int fallback_line,
                                       const std::string& where) {
  icalproperty* p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
  if (p == nullptr) return std::nullopt;
  const char* text = icalproperty_get_xlicerror(p);
  return FromLibicalError(options, props, fallback_line, where, text != nullptr ? text : "");
}

Result<Days> ToDays(const icaltimetype& t, const IcalImportOptions& options, int line,
                    const std::string& field, std::string_view raw) {
  using namespace std::chrono;
  year_month_day ymd{year{t.year}, month{static_cast<unsigned>(t.month)},
                     day{static_cast<unsigned>(t.day)}};
  if (icaltime_is_null_time(t) || t.month < 1 || t.day < 1 || !ymd.ok()) {
    return LineError(options, line, field, Quote(Trim(raw)) + " is not a valid date");
  }
  return sys_days{ymd};
}

icaltimetype ToIcalDate(Days d) {
  std::chrono::year_month_day ymd{d};
  icaltimetype t = icaltime_null_date();
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.is_date = 1;
  return t;
}

std::string TextProp(icalcomponent* c, icalproperty_kind kind) {
  icalproperty* p = icalcomponent_get_first_property(c, kind);
  if (p == nullptr) return "";
  const char* v = icalproperty_get_value_as_string(p);
  return v != nullptr ? v : "";
}

// Collects the VEVENTs directly under each VCALENDAR (libical wraps several
// VCALENDARs in an XROOT), in input order.
std::vector<icalcomponent*> EventsOf(icalcomponent* root, std::vector<icalcomponent*>& calendars) {
  std::vector<icalcomponent*> events;
  if (icalcomponent_isa(root) == ICAL_VCALENDAR_COMPONENT) {
    calendars.push_back(root);
  } else {
    for (icalcomponent* c = icalcomponent_get_first_component(root, ICAL_VCALENDAR_COMPONENT);
         c != nullptr; c = icalcomponent_get_next_component(root, ICAL_VCALENDAR_COMPONENT)) {
      calendars.push_back(c);
    }
  }
  for (icalcomponent* cal : calendars) {
    for (icalcomponent* e = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
         e != nullptr; e = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
      events.push_back(e);
    }
  }
  return events;
}

class EventReader {
 public:
  EventReader(icalcomponent* event, const ScannedEvent& scanned, const IcalImportOptions& options,
              Days first, Days last)
      : event_(event), scanned_(scanned), options_(options), first_(first), last_(last) {
    uid_ = TextProp(event, ICAL_UID_PROPERTY);
    summary_ = TextProp(event, ICAL_SUMMARY_PROPERTY);
    name_ = "VEVENT (";
    if (!uid_.empty()) name_ += "UID " + uid_;
    if (!summary_.empty()) name_ += std::string(uid_.empty() ? "" : ", ") + "SUMMARY \"" + summary_ + "\"";
    if (uid_.empty() && summary_.empty()) name_ += "no UID or SUMMARY";
    name_ += ")";
  }

  const std::string& uid() const { return uid_; }
  const std::string& name() const { return name_; }

  // Fills `closed` (one flag per day of [first, last]) with this event's
  // dates, leaving out occurrences whose start is in `overridden`. Adds a note
  // instead when the event closes nothing on purpose.
  Status Read(const std::set<Days>& overridden, std::vector<bool>& closed,
              std::vector<std::string>& notes) {
    if (auto e = FirstLibicalError(event_, options_, scanned_.props, scanned_.begin_line, name_)) {
      return *e;
    }
    icalproperty* status = icalcomponent_get_first_property(event_, ICAL_STATUS_PROPERTY);
    if (status != nullptr && icalproperty_get_status(status) == ICAL_STATUS_CANCELLED) {
      notes.push_back(Where(scanned_.begin_line) + ": skipped " + name_ + ": STATUS:CANCELLED");
      return Status::Ok();
    }
    icalproperty* dtstart = icalcomponent_get_first_property(event_, ICAL_DTSTART_PROPERTY);
    if (dtstart == nullptr) {
      return LineError(options_, scanned_.begin_line, name_ + ".DTSTART",
                       "missing; an all-day event needs DTSTART;VALUE=DATE:YYYYMMDD");
    }
    const int start_line = Line("DTSTART");
    icaltimetype start_time = icalproperty_get_dtstart(dtstart);
    if (!start_time.is_date) {
      std::string raw = Trim(RawValue(scanned_.props, "DTSTART"));
      if (options_.skip_timed_events) {
        notes.push_back(Where(start_line) + ": skipped " + name_ + ": timed event (DTSTART " +
                        raw + "), not an all-day date");
        return Status::Ok();
      }
      return LineError(options_, start_line, name_ + ".DTSTART",
                       Quote(raw) + " is a date-time: only all-day events "
                       "(DTSTART;VALUE=DATE:YYYYMMDD) can be holidays; skip timed events "
                       "explicitly (skip_timed_events, --skip-timed) if the file mixes them");
    }
    auto start = ToDays(start_time, options_, start_line, name_ + ".DTSTART",
                        RawValue(scanned_.props, "DTSTART"));
    if (!start.ok()) return start.error();

    auto span = SpanDays(*start);
    if (!span.ok()) return span.error();

    auto occurrences = Occurrences(start_time, *start, *span);
    if (!occurrences.ok()) return occurrences.error();
    for (Days occ : *occurrences) {
      if (overridden.count(occ) != 0) continue;
      Days from = std::max(occ, first_);
      Days to = std::min(occ + std::chrono::days{*span - 1}, last_);
      for (Days d = from; d <= to; d += std::chrono::days{1}) {
        closed[static_cast<std::size_t>((d - first_).count())] = true;
      }
    }
    return Status::Ok();
  }

 private:
  int Line(std::string_view prop, std::string_view hint = "") const {
    return LineOf(scanned_.props, prop, hint, scanned_.begin_line);
  }
  std::string Where(int line) const { return options_.source_name + ":" + std::to_string(line); }

  // Days the event covers from each start: DTEND (exclusive) or DURATION,
  // one day when neither is given (RFC 5545 §3.6.1).
  Result<int> SpanDays(Days start) const {
    icalproperty* dtend = icalcomponent_get_first_property(event_, ICAL_DTEND_PROPERTY);
    icalproperty* duration = icalcomponent_get_first_property(event_, ICAL_DURATION_PROPERTY);
    if (dtend != nullptr && duration != nullptr) {
      return LineError(options_, Line("DURATION"), name_ + ".DURATION",
                       "an event has DTEND or DURATION, not both");
    }
    long long days = 1;
    if (dtend != nullptr) {
      const int line = Line("DTEND");
      icaltimetype end_time = icalproperty_get_dtend(dtend);
      std::string raw = RawValue(scanned_.props, "DTEND");
      if (!end_time.is_date) {
        return LineError(options_, line, name_ + ".DTEND",
                         Quote(Trim(raw)) + " is a date-time but DTSTART is a date; use "
                         "DTEND;VALUE=DATE:YYYYMMDD (the day after the last closed day)");
      }
      auto end = ToDays(end_time, options_, line, name_ + ".DTEND", raw);
      if (!end.ok()) return end.error();
      days = (*end - start).count();
      if (days <= 0) {
        return LineError(options_, line, name_ + ".DTEND",
                         Quote(Trim(raw)) + " must be after DTSTART (DTEND is exclusive: a "
                         "one-day event ends the next day)");
      }
    } else if (duration != nullptr) {
      const int line = Line("DURATION");
      icaldurationtype d = icalproperty_get_duration(duration);
      std::string raw = Trim(RawValue(scanned_.props, "DURATION"));
      if (icaldurationtype_is_bad_duration(d) || d.is_neg) {
        return LineError(options_, line, name_ + ".DURATION",
                         Quote(raw) + " must be a positive duration");
      }
      if (d.hours != 0 || d.minutes != 0 || d.seconds != 0) {
        return LineError(options_, line, name_ + ".DURATION",
                         Quote(raw) + " must be whole days or weeks (P1D, P2W) for an all-day event");
      }
      days = static_cast<long long>(d.days) + 7LL * d.weeks;
      if (days <= 0) {
        return LineError(options_, line, name_ + ".DURATION",
                         Quote(raw) + " must be at least one day (P1D)");
      }
    }
    if (days > kMaxIcalEventDays) {
      const char* prop = dtend != nullptr ? "DTEND" : "DURATION";
      return LineError(options_, Line(prop), name_ + "." + prop,
                       "the event lasts " + std::to_string(days) + " days; at most " +
                           std::to_string(kMaxIcalEventDays) + " are accepted as holidays");
    }
    return static_cast<int>(days);
  }

  // Start dates: DTSTART, RRULE and RDATE occurrences, less EXDATEs, keeping
  // those whose days can reach [first_, last_].
  Result<std::set<Days>> Occurrences(const icaltimetype& start_time, Days start, int span) const {
    std::set<Days> out;
    const Days earliest = first_ - std::chrono::days{span - 1};
    auto keep = [&](Days d) {
      if (d >= earliest && d <= last_) out.insert(d);
    };
    keep(start);

    for (icalproperty* p = icalcomponent_get_first_property(event_, ICAL_RRULE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(event_, ICAL_RRULE_PROPERTY)) {
      const char* text = icalproperty_get_value_as_string(p);
      std::string raw = text != nullptr ? text : "";
      const int line = Line("RRULE", raw.substr(0, raw.find(';')));
      icalrecurrencetype rule = icalproperty_get_rrule(p);
      if (rule.freq == ICAL_NO_RECURRENCE) {
        return LineError(options_, line, name_ + ".RRULE", Quote(raw) + " has no FREQ");
      }
      if (rule.freq == ICAL_SECONDLY_RECURRENCE || rule.freq == ICAL_MINUTELY_RECURRENCE ||
          rule.freq == ICAL_HOURLY_RECURRENCE) {
        return LineError(options_, line, name_ + ".RRULE",
                         Quote(raw) + ": an all-day event recurs DAILY, WEEKLY, MONTHLY or YEARLY");
      }
      std::unique_ptr<icalrecur_iterator, IteratorDeleter> it(
          icalrecur_iterator_new(rule, start_time));
      if (!it) {
        return LineError(options_, line, name_ + ".RRULE",
                         Quote(raw) + " cannot be expanded (libical rejected it)");
      }
      // Jump close to the range when the series starts long before it (not
      // allowed with COUNT, which counts from DTSTART).
      if (rule.count == 0 && start < earliest) {
        (void)icalrecur_iterator_set_start(it.get(), ToIcalDate(earliest));
      }
      for (int steps = 0;; ++steps) {
        if (steps >= kMaxRecurrenceSteps) {
          return LineError(options_, line, name_ + ".RRULE",
                           Quote(raw) + " gives more than " + std::to_string(kMaxRecurrenceSteps) +
                               " occurrences before the end of " + std::to_string(options_.to_year));
        }
        icaltimetype next = icalrecur_iterator_next(it.get());
        if (icaltime_is_null_time(next)) break;
        if (next.year > options_.to_year) break;
        // Long before the range: libical counts Julian leap days there
        // (1000-02-29), which are not dates of ours; they cannot matter.
        if (next.year < options_.from_year - 1) continue;
        auto d = ToDays(next, options_, line, name_ + ".RRULE", raw);
        if (!d.ok()) return d.error();
        if (*d > last_) break;
        keep(*d);
      }
    }

    for (icalproperty* p = icalcomponent_get_first_property(event_, ICAL_RDATE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(event_, ICAL_RDATE_PROPERTY)) {
      icaldatetimeperiodtype v = icalproperty_get_rdate(p);
      const char* text = icalproperty_get_value_as_string(p);
      std::string raw = text != nullptr ? text : "";
      const int line = Line("RDATE", raw);
      if (icaltime_is_null_time(v.time) || !v.time.is_date) {
        return LineError(options_, line, name_ + ".RDATE",
                         Quote(raw) + " must be a date (RDATE;VALUE=DATE:YYYYMMDD) like DTSTART");
      }
      auto d = ToDays(v.time, options_, line, name_ + ".RDATE", raw);
      if (!d.ok()) return d.error();
      keep(*d);
    }

    for (icalproperty* p = icalcomponent_get_first_property(event_, ICAL_EXDATE_PROPERTY);
         p != nullptr; p = icalcomponent_get_next_property(event_, ICAL_EXDATE_PROPERTY)) {
      icaltimetype v = icalproperty_get_exdate(p);
      const char* text = icalproperty_get_value_as_string(p);
      std::string raw = text != nullptr ? text : "";
      const int line = Line("EXDATE", raw);
      if (!v.is_date) {
        return LineError(options_, line, name_ + ".EXDATE",
                         Quote(raw) + " must be a date (EXDATE;VALUE=DATE:YYYYMMDD) like DTSTART");
      }
      auto d = ToDays(v, options_, line, name_ + ".EXDATE", raw);
      if (!d.ok()) return d.error();
      out.erase(*d);
    }
    return out;
  }

  icalcomponent* event_;
  const ScannedEvent& scanned_;
  const IcalImportOptions& options_;
  Days first_;
  Days last_;
  std::string uid_;
  std::string summary_;
  std::string name_;
};

}  // namespace

Result<std::vector<DateEntry>> ImportIcalHolidays(std::string_view ics_text) {
  auto imported = ImportIcalHolidays(ics_text, IcalImportOptions{});
  if (!imported.ok()) return imported.error();
  return std::move(imported->dates);
}

Result<IcalImport> ImportIcalHolidays(std::string_view ics_text, const IcalImportOptions& options) {
  using namespace std::chrono;
  if (options.from_year < 1970 || options.from_year > 2100) {
    return MakeError("from_year", std::to_string(options.from_year) + " is outside 1970..2100");
  }
  if (options.to_year < 1970 || options.to_year > 2100) {
    return MakeError("to_year", std::to_string(options.to_year) + " is outside 1970..2100");
  }
  if (options.to_year < options.from_year) {
    return MakeError("to_year", std::to_string(options.to_year) + " is before from_year " +
                                    std::to_string(options.from_year));
  }
  auto scan = ScanText(ics_text, options);
  if (!scan.ok()) return scan.error();

  std::string text(ics_text);  // libical wants a NUL-terminated string
  std::unique_ptr<icalcomponent, ComponentDeleter> root(icalparser_parse_string(text.c_str()));
  if (!root) {
    Error e = MakeError("VCALENDAR", "libical could not parse the text");
    e.file = options.source_name;
    return e;
  }
  std::vector<icalcomponent*> calendars;
  std::vector<icalcomponent*> events = EventsOf(root.get(), calendars);
  for (icalcomponent* cal : calendars) {
    if (auto e = FirstLibicalError(cal, options, scan->calendar_props, 1, "VCALENDAR")) return *e;
  }
  if (events.size() != scan->events.size()) {
    Error e = MakeError("VEVENT", "libical read " + std::to_string(events.size()) +
                                      " events where the text has " +
                                      std::to_string(scan->events.size()));
    e.file = options.source_name;
    return e;
  }

  const Days first{year{options.from_year} / January / 1};
  const Days last{year{options.to_year} / December / 31};
  std::vector<bool> closed(static_cast<std::size_t>((last - first).count() + 1), false);

  // RECURRENCE-ID instances replace the occurrence of the same UID's series
  // that starts on that date; the instance itself is read like any event.
  std::map<std::string, std::set<Days>> overridden;
  for (std::size_t i = 0; i < events.size(); ++i) {
    icalproperty* rid = icalcomponent_get_first_property(events[i], ICAL_RECURRENCEID_PROPERTY);
    if (rid == nullptr) continue;
    icaltimetype t = icalproperty_get_recurrenceid(rid);
    const std::vector<ContentLine>& props = scan->events[i].props;
    const int line = LineOf(props, "RECURRENCE-ID", "", scan->events[i].begin_line);
    EventReader reader(events[i], scan->events[i], options, first, last);
    auto d = ToDays(t, options, line, reader.name() + ".RECURRENCE-ID",
                    RawValue(props, "RECURRENCE-ID"));
    if (!d.ok()) return d.error();
    overridden[reader.uid()].insert(*d);
  }

  IcalImport out;
  const std::set<Days> none;
  for (std::size_t i = 0; i < events.size(); ++i) {
    EventReader reader(events[i], scan->events[i], options, first, last);
    const bool is_instance =
        icalcomponent_get_first_property(events[i], ICAL_RECURRENCEID_PROPERTY) != nullptr;
    auto found = overridden.find(reader.uid());
    const std::set<Days>& skip = (!is_instance && found != overridden.end()) ? found->second : none;
    if (Status s = reader.Read(skip, closed, out.notes); !s.ok()) return s.error();
  }

  for (std::size_t i = 0; i < closed.size(); ++i) {
    if (!closed[i]) continue;
    year_month_day ymd{first + days{static_cast<long long>(i)}};
    DateEntry entry;
    entry.date = CivilDate{static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                           static_cast<unsigned>(ymd.day())};
    out.dates.push_back(std::move(entry));
  }
  return out;
}

void AddImportedHolidays(CalendarSpec& spec, const std::vector<DateEntry>& dates) {
  std::vector<DateEntry> all = std::move(spec.holidays);
  all.insert(all.end(), dates.begin(), dates.end());
  // Stable: for equal dates the spec's own entry (earlier) is kept.
  std::stable_sort(all.begin(), all.end(),
                   [](const DateEntry& a, const DateEntry& b) { return a.date < b.date; });
  auto last = std::unique(all.begin(), all.end(), [](const DateEntry& a, const DateEntry& b) {
    return a.date == b.date;
  });
  all.erase(last, all.end());
  spec.holidays = std::move(all);
}

}  // namespace sladesk
