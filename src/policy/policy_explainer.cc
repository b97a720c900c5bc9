#include "policy/policy_explainer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

#include "calendar/calendar_json.h"

namespace sladesk {
namespace {

constexpr std::array<std::string_view, 7> kDayNames = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> kMonthNames = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::array<std::string_view, 7> kLongDayNames = {"Monday", "Tuesday", "Wednesday", "Thursday",
                                                           "Friday", "Saturday", "Sunday"};
constexpr std::string_view kDash = "\xE2\x80\x93";  // en dash
constexpr std::string_view kNone = "\xE2\x80\x94";  // em dash: nothing stated

std::string Windows(const std::vector<LocalWindow>& windows) {
  std::string out;
  for (const auto& w : windows) {
    if (!out.empty()) out += ", ";
    out += FormatClockTime(w.start_minute) + std::string(kDash) + FormatClockTime(w.end_minute);
  }
  return out;
}

std::string Join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

std::string Percents(const std::vector<int>& p) {
  std::vector<std::string> s;
  for (int v : p) s.push_back(std::to_string(v) + "%");
  return Join(s, ", ");
}

std::string Ordinal(int n) {
  if (n == -1) return "last";
  static constexpr std::array<std::string_view, 6> k = {"", "1st", "2nd", "3rd", "4th", "5th"};
  return n >= 1 && n <= 5 ? std::string(k[n]) : std::to_string(n) + "th";
}

std::string MonthName(unsigned month) {
  return month >= 1 && month <= 12 ? std::string(kMonthNames[month - 1]) : "month " + std::to_string(month);
}

std::string DescribeRule(const HolidayRule& r) {
  std::string out = r.name.empty() ? std::string("(unnamed)") : r.name;
  out += ": ";
  if (r.easter_offset) {
    int off = *r.easter_offset;
    out += "Easter Sunday";
    if (off != 0) out += (off > 0 ? " + " : " - ") + std::to_string(std::abs(off)) + (std::abs(off) == 1 ? " day" : " days");
  } else if (r.weekday) {
    out += Ordinal(r.nth) + " " + std::string(kLongDayNames[static_cast<int>(*r.weekday) % 7]) + " of " + MonthName(r.month);
  } else {
    out += std::to_string(r.day) + " " + MonthName(r.month);
  }
  if (r.substitute_next_weekday) out += " (next weekday when on a weekend)";
  return out;
}

std::string NoTargetText(const Plan& plan, std::string_view severity, Metric m) {
  if (const Target* t = plan.FindTarget(severity, m)) return DescribeTarget(*t);
  if (const std::string* n = plan.FindNoTarget(severity, m)) {
    std::string lower;
    for (char c : *n) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    // Echo the contract's words ("Best Effort") unless they add nothing.
    if (lower == "none" || lower == "no target") return "no target";
    return "no target (" + *n + ")";
  }
  return std::string(kNone);
}

// Display width in code points, so the dashes do not skew the columns.
size_t Width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string Pad(const std::string& s, size_t width) {
  return s + std::string(width > Width(s) ? width - Width(s) : 0, ' ');
}

void RenderTable(std::ostream& out, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths;
  for (const auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (widths.size() <= i) widths.push_back(0);
      widths[i] = std::max(widths[i], Width(r[i]));
    }
  for (size_t ri = 0; ri < rows.size(); ++ri) {
    std::string line = "  ";
    for (size_t i = 0; i < rows[ri].size(); ++i) {
      line += (i ? " | " : "") + (i + 1 == rows[ri].size() ? rows[ri][i] : Pad(rows[ri][i], widths[i]));
    }
    out << line << "\n";
    if (ri == 0) {
      std::string rule = "  ";
      for (size_t i = 0; i < widths.size(); ++i) rule += (i ? "-+-" : "") + std::string(widths[i], '-');
      out << rule << "\n";
    }
  }
}

std::string ChannelText(const Channel& c) {
  std::string out(ChannelKindName(c.kind));
  std::replace(out.begin(), out.end(), '_', ' ');
  std::vector<std::string> extra;
  if (!c.note.empty()) extra.push_back(c.note);
  if (!c.severities.empty()) extra.push_back("severities " + Join(c.severities, ", "));
  if (c.calendar) extra.push_back("hours: " + c.calendar->id());
  if (!extra.empty()) out += " (" + Join(extra, "; ") + ")";
  return out;
}

std::string ProvisionText(Provision p) {
  switch (p) {
    case Provision::kYes: return "yes";
    case Provision::kOptional: return "optional";
    case Provision::kNo: return "no";
  }
  return "?";
}

std::string QuotaActionText(QuotaAction a) {
  return a == QuotaAction::kRefuse ? "further requests are refused" : "further requests are accepted and flagged";
}

std::string Number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void ExplainPlanDetails(std::ostream& out, const Plan& plan) {
  out << "\nPLAN " << plan.id << " " << kNone << " " << plan.name << "\n";
  if (!plan.description.empty()) out << "  " << plan.description << "\n";
  if (!plan.price.empty()) out << "  Price: " << plan.price << "\n";
  if (plan.calendar) out << "  Support hours: " << plan.calendar->id() << " (" << DescribeCalendar(*plan.calendar) << ")\n";
  else out << "  Support hours: not stated\n";
  for (const auto& [sev, cal] : plan.severity_calendars)
    out << "  Severity " << sev << " runs on: " << cal->id() << "\n";
  if (!plan.channels.empty()) {
    std::vector<std::string> ch;
    for (const auto& c : plan.channels) ch.push_back(ChannelText(c));
    out << "  Channels: " << Join(ch, "; ") << "\n";
  }
  for (const auto& c : plan.coverage) out << "  Coverage: " << c << "\n";
  for (const auto& f : plan.features) out << "  Includes: " << f << "\n";
  out << "  Named support contacts: "
      << (plan.named_contacts ? std::to_string(*plan.named_contacts) : std::string("not stated")) << "\n";
  out << "  Designated Customer Success Manager: " << ProvisionText(plan.csm)
      << "; Technical Account Manager: " << ProvisionText(plan.tam) << "\n";
  if (plan.quota.incidents_per_month)
    out << "  Incidents per month: " << *plan.quota.incidents_per_month << "; beyond that "
        << QuotaActionText(plan.quota.incidents_exceeded) << "\n";
  if (plan.quota.support_hours || !plan.quota.support_hours_note.empty()) {
    out << "  Support hours budget: "
        << (plan.quota.support_hours ? Number(*plan.quota.support_hours) + " h" : std::string())
        << (plan.quota.support_hours && !plan.quota.support_hours_note.empty() ? " " : "")
        << plan.quota.support_hours_note << "; beyond that "
        << QuotaActionText(plan.quota.support_hours_exceeded) << "\n";
  }
  out << "  Resolution clock starts at: "
      << (plan.resolution_starts_at_first_response ? "the first response" : "ticket opened") << "\n";
}

}  // namespace

std::string DescribeSeconds(Seconds s) {
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + " h";
  if (s % 3600 / 60) out += (out.empty() ? "" : " ") + std::to_string(s % 3600 / 60) + " min";
  if (s % 60 || out.empty()) out += (out.empty() ? "" : " ") + std::to_string(s % 60) + " s";
  return out;
}

std::string DescribeTarget(const Target& t) {
  std::string out = t.text + " = ";
  if (t.goal_seconds) out += "goal " + DescribeSeconds(*t.goal_seconds) + ", limit ";
  out += DescribeSeconds(t.seconds);
  if (t.calendar) out += " on " + t.calendar->id();
  return out;
}

std::string DescribeCalendar(const BusinessCalendar& cal) {
  const CalendarSpec& spec = cal.spec();
  if (spec.always_open) return "always open, every day, no holidays";
  std::vector<std::string> parts;
  for (size_t d = 0; d < 7;) {
    size_t e = d;
    while (e + 1 < 7 && spec.weekly[e + 1] == spec.weekly[d]) ++e;
    if (!spec.weekly[d].empty()) {
      std::string days(kDayNames[d]);
      if (e > d) days += std::string(e == d + 1 ? ", " : std::string(kDash)) + std::string(kDayNames[e]);
      parts.push_back(days + " " + Windows(spec.weekly[d]));
    }
    d = e + 1;
  }
  std::string out = parts.empty() ? std::string("no weekly hours") : Join(parts, "; ");
  out += ", " + spec.time_zone + " time";
  if (spec.business_day_seconds) out += "; a business day is " + DescribeSeconds(*spec.business_day_seconds);
  std::vector<std::string> hol;
  for (const auto& h : spec.holidays) {
    std::string s = FormatCivilDate(h.date);
    if (h.replaces_windows) s += h.open.empty() ? " closed" : " open " + Windows(h.open);
    hol.push_back(s);
  }
  for (const auto& r : spec.holiday_rules) hol.push_back(DescribeRule(r));
  out += "; holidays: " + (hol.empty() ? std::string("none listed") : Join(hol, "; "));
  return out;
}

std::string ExplainPolicy(const Policy& policy, std::optional<std::string_view> plan_id) {
  std::ostringstream out;
  std::vector<const Plan*> plans;
  if (plan_id) {
    const Plan* p = policy.FindPlan(*plan_id);
    if (!p) {
      std::vector<std::string> ids;
      for (const auto& pl : policy.plans) ids.push_back(pl.id);
      return "no plan '" + std::string(*plan_id) + "' in policy '" + policy.id + "'; plans: " +
             Join(ids, ", ") + "\n";
    }
    plans.push_back(p);
  } else {
    for (const auto& p : policy.plans) plans.push_back(&p);
  }

  out << policy.name << " (" << policy.id << ")\n";
  if (!policy.source.empty()) out << "Source: " << policy.source << "\n";
  if (!policy.effective_date.empty()) out << "Effective: " << policy.effective_date << "\n";
  if (!policy.languages.empty()) out << "Support languages: " << Join(policy.languages, ", ") << "\n";

  out << "\nCALENDARS (targets count business time on these)\n";
  std::vector<std::string> used;
  for (const auto& [id, cal] : policy.calendars) {
    if (id == "24x7") continue;
    out << "  " << id << ": " << DescribeCalendar(*cal) << "\n";
  }
  out << "  24x7: built in; " << DescribeCalendar(*BusinessCalendar::AlwaysOpen()) << "\n";

  out << "\nSEVERITIES (most severe first; new tickets default to '" << policy.default_severity << "')\n";
  for (const auto& s : policy.severities) {
    out << "  " << s.id << " " << kNone << " " << s.name << "\n";
    if (!s.definition.empty()) out << "      " << s.definition << "\n";
    for (const auto& e : s.examples) out << "      e.g. " << e << "\n";
  }
  if (!policy.required_fields.empty() || !policy.requested_fields.empty()) {
    out << "\nTICKETS\n";
    std::vector<std::string> req, opt;
    auto describe = [](const TicketField& f) {
      return f.type ? f.name + " (" + std::string(FieldTypeName(*f.type)) + ")" : f.name;
    };
    for (const auto& f : policy.required_fields) req.push_back(describe(f));
    for (const auto& f : policy.requested_fields) opt.push_back(describe(f));
    if (!req.empty()) out << "  Required: " << Join(req, "; ") << "\n";
    if (!opt.empty()) out << "  Also requested: " << Join(opt, "; ") << "\n";
  }

  // The seed's own table: severity x metric rows, one column per plan.
  std::vector<Metric> metrics;
  for (Metric m : kAllMetrics) {
    bool any = false;
    for (const Plan* p : plans) {
      any = any || std::find(p->promised_metrics.begin(), p->promised_metrics.end(), m) != p->promised_metrics.end();
      for (const auto& s : policy.severities) any = any || p->FindTarget(s.id, m) || p->FindNoTarget(s.id, m);
    }
    if (any) metrics.push_back(m);
  }
  out << "\nTARGETS (as written = business time on the calendar named; "
      << kNone << " = the policy states nothing)\n";
  if (metrics.empty()) {
    out << "  none: no plan sets a target\n";
  } else {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header = {"severity", "metric"};
    for (const Plan* p : plans) header.push_back(p->id);
    rows.push_back(header);
    for (const auto& s : policy.severities) {
      bool first = true;
      for (Metric m : metrics) {
        std::vector<std::string> row = {first ? s.id : "", std::string(MetricName(m))};
        for (const Plan* p : plans) row.push_back(NoTargetText(*p, s.id, m));
        rows.push_back(row);
        first = false;
      }
    }
    RenderTable(out, rows);
    // Warning thresholds: shown once when every target shares them.
    std::vector<std::string> warn_lines;
    for (const Plan* p : plans)
      for (const auto& [sev, ms] : p->targets)
        for (const auto& [m, t] : ms)
          if (t.warn_at_percent != policy.warn_at_percent)
            warn_lines.push_back(p->id + " " + sev + " " + std::string(MetricName(m)) + ": warn at " +
                                 (t.warn_at_percent.empty() ? std::string("none") : Percents(t.warn_at_percent)));
    if (!policy.warn_at_percent.empty())
      out << "  Warnings before a breach at " << Percents(policy.warn_at_percent) << " of each target";
    else
      out << "  No warnings before a breach by default";
    out << (warn_lines.empty() ? ".\n" : ", except:\n");
    for (const auto& w : warn_lines) out << "    " << w << "\n";
  }

  for (const Plan* p : plans) ExplainPlanDetails(out, *p);

  const Lifecycle& lc = policy.lifecycle;
  out << "\nLIFECYCLE\n";
  if (policy.onboarding)
    out << "  Onboarding: until technical onboarding is complete, the " << policy.onboarding->plan_until_complete
        << " plan applies" << (policy.onboarding->note.empty() ? "" : " " + std::string(kNone) + " " + policy.onboarding->note)
        << "\n";
  for (const auto& c : lc.closure) out << "  Closed when: " << c << "\n";
  if (lc.auto_close_after)
    out << "  Auto-close after waiting on the customer for " << lc.auto_close_after->text << " ("
        << DescribeSeconds(lc.auto_close_after->seconds) << " on " << lc.auto_close_after->calendar->id() << ")\n";
  else
    out << "  Auto-close: not stated\n";
  if (!lc.reopen_stated)
    out << "  Reopen: allowed with no time limit (the policy states no rule)";
  else if (!lc.reopen_allowed)
    out << "  Reopen: not allowed; a new ticket is opened instead";
  else
    out << "  Reopen: allowed" << (lc.reopen_window ? " within " + lc.reopen_window->text : std::string(", no time limit"))
        << (lc.reopen_by == ReopenBy::kAgentReview ? ", on an agent's review of the customer's request" : "");
  if (!lc.reopen_note.empty()) out << " " << kNone << " " << lc.reopen_note;
  out << "\n";
  out << "  Records kept: " << (lc.retention ? "at least " + lc.retention->text : std::string("not stated")) << "\n";
  out << "  Bug escalation: "
      << (lc.bug_escalation_suspends_targets ? "suspends the handling-time targets"
                                             : "does not suspend the targets")
      << (lc.bug_escalation_closes_ticket ? "; closes the ticket" : "");
  if (!lc.bug_escalation_note.empty()) out << " " << kNone << " " << lc.bug_escalation_note;
  out << "\n";
  out << "  Feature requests: "
      << (lc.feature_request_closes_ticket ? "ticket closed once the request is filed"
                                           : "no special closure rule");
  if (!lc.feature_request_note.empty()) out << " " << kNone << " " << lc.feature_request_note;
  out << "\n";
  for (size_t i = 0; i < lc.escalation.size(); ++i) {
    const auto& e = lc.escalation[i];
    out << "  Escalation " << i + 1 << ": " << e.name;
    if (!e.trigger.empty()) out << "; when: " << e.trigger;
    if (!e.notify.empty()) out << "; told: " << Join(e.notify, ", ");
    if (!e.raises_severity_to.empty()) out << "; severity may be raised to " << e.raises_severity_to;
    if (!e.note.empty()) out << "; " << e.note;
    out << "\n";
  }

  const ContractLevels& c = policy.contract;
  if (c.availability || c.downtime || !c.notes.empty()) {
    out << "\nCONTRACT LEVELS\n";
    if (c.availability) {
      out << "  Availability: " << Number(c.availability->monthly_target_percent)
          << "% per calendar month";
      if (!c.availability->note.empty()) out << " (" << c.availability->note << ")";
      out << "\n";
      for (const auto& e : c.availability->exclusions) out << "    not counted: " << e << "\n";
    }
    if (c.downtime) {
      const DowntimeRule& d = *c.downtime;
      out << "  Downtime: " << Number(d.share_percent) << "% of " << Join(d.severities, "/")
          << " tickets more than " << Number(d.over_target_by_percent) << "% over their target in the previous "
          << d.lookback_months << " month(s), if at least " << d.minimum_tickets << " tickets were submitted\n";
      if (d.remedy_max_tickets)
        out << "    remedy: up to " << d.remedy_max_tickets << " new tickets within "
            << d.remedy_within_calendar_months << " calendar month(s) handled to target\n";
      if (!d.note.empty()) out << "    " << d.note << "\n";
    }
    for (const auto& n : c.notes) out << "  " << n << "\n";
  }
  if (!policy.scope_covered.empty() || !policy.scope_excluded.empty()) {
    out << "\nSCOPE\n";
    for (const auto& s : policy.scope_covered) out << "  covered: " << s << "\n";
    for (const auto& s : policy.scope_excluded) out << "  not covered: " << s << "\n";
  }
  if (!policy.notes.empty()) {
    out << "\nOTHER TERMS\n";
    for (const auto& n : policy.notes) out << "  " << n << "\n";
  }
  return out.str();
}

}  // namespace sladesk
