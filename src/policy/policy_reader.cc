#include "policy/policy_reader.h"

#include <algorithm>
#include <cctype>

#include "calendar/time_zone.h"
#include "policy/duration_text.h"

namespace sladesk {
namespace {

std::string Index(const std::string& field, size_t i) { return field + "[" + std::to_string(i) + "]"; }
std::string Named(const std::string& field, const std::string& id) { return field + "[" + id + "]"; }

std::string FormatSecondsShort(Seconds s) {
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + " h";
  if (s % 3600 / 60) out += (out.empty() ? "" : " ") + std::to_string(s % 3600 / 60) + " min";
  if (s % 60 || out.empty()) out += (out.empty() ? "" : " ") + std::to_string(s % 60) + " s";
  return out;
}

}  // namespace

std::vector<std::string> PolicyReader::SeverityIds() const {
  std::vector<std::string> ids;
  for (const auto& s : policy_->severities) ids.push_back(s.id);
  return ids;
}

std::vector<std::string> PolicyReader::CalendarIds() const {
  std::vector<std::string> ids;
  for (const auto& [id, cal] : policy_->calendars) ids.push_back(id);
  for (const auto& id : broken_calendars_) ids.push_back(id);
  return ids;
}

bool PolicyReader::ValidId(const toml::node& at, const std::string& id, const std::string& field) {
  bool ok = !id.empty() && std::isalnum(static_cast<unsigned char>(id[0]));
  for (char c : id)
    ok = ok && (std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) ||
                c == '-' || c == '_');
  if (!ok)
    fields_.Fail(at, field,
                 "'" + id + "' is not a valid id (lower-case letters, digits, '-' and '_')");
  return ok;
}

std::shared_ptr<const BusinessCalendar> PolicyReader::CalendarRef(const toml::node& at,
                                                                  const std::string& id,
                                                                  const std::string& field) {
  if (auto it = policy_->calendars.find(id); it != policy_->calendars.end()) return it->second;
  if (broken_calendars_.count(id)) return nullptr;
  std::string msg = "unknown calendar '" + id + "'";
  if (auto hint = DidYouMean(id, CalendarIds())) msg += "; did you mean '" + *hint + "'?";
  else msg += "; calendars: " + ListWords(CalendarIds());
  fields_.Fail(at, field, msg);
  return nullptr;
}

bool PolicyReader::SeverityRef(const toml::source_region& at, const std::string& id,
                               const std::string& field) {
  if (policy_->FindSeverity(id)) return true;
  std::string msg = "unknown severity '" + id + "'";
  if (auto hint = DidYouMean(id, SeverityIds())) msg += "; did you mean '" + *hint + "'?";
  else msg += "; severities: " + ListWords(SeverityIds());
  fields_.Fail(at, field, msg);
  return false;
}

std::optional<Metric> PolicyReader::MetricRef(const toml::source_region& at,
                                              const std::string& name, const std::string& field) {
  if (auto m = MetricFromName(name)) return m;
  std::vector<std::string> names;
  for (Metric m : kAllMetrics) names.emplace_back(MetricName(m));
  std::string msg = "unknown metric '" + name + "'";
  if (auto hint = DidYouMean(name, names)) msg += "; did you mean '" + *hint + "'?";
  else msg += "; metrics: " + ListWords(names);
  fields_.Fail(at, field, msg);
  return std::nullopt;
}

std::shared_ptr<Policy> PolicyReader::Read(const toml::table& root) {
  policy_ = std::make_shared<Policy>();
  policy_->calendars["24x7"] = BusinessCalendar::AlwaysOpen();
  fields_.CheckKeys(root, "",
                    {"policy", "tickets", "calendars", "severities", "plans", "lifecycle",
                     "contract", "scope", "onboarding"});
  ReadMeta(root);
  ReadCalendars(root);
  ReadSeverities(root);
  ReadTickets(root);
  ReadPlans(root);
  ReadLifecycle(root);
  ReadContract(root);
  ReadScope(root);
  ReadOnboarding(root);
  // Report in file order, the way a reader fixes them.
  std::stable_sort(errors().begin(), errors().end(), [](const Error& a, const Error& b) {
    return std::tie(a.line, a.column) < std::tie(b.line, b.column);
  });
  return policy_;
}

void PolicyReader::ReadMeta(const toml::table& root) {
  const toml::table* t = fields_.Table(root, "policy", "", true);
  if (!t) return;
  const std::string path = "policy";
  fields_.CheckKeys(*t, path,
                    {"id", "name", "source", "effective_date", "languages", "notes",
                     "warn_at_percent"});
  if (auto id = fields_.String(*t, "id", path, true)) {
    if (ValidId(*t->get("id"), *id, "policy.id")) policy_->id = *id;
  }
  policy_->name = fields_.String(*t, "name", path, true).value_or("");
  policy_->source = fields_.String(*t, "source", path).value_or("");
  policy_->effective_date = fields_.String(*t, "effective_date", path).value_or("");
  policy_->languages = fields_.StringList(*t, "languages", path);
  policy_->notes = fields_.StringList(*t, "notes", path);
  policy_->warn_at_percent = fields_.Percents(*t, "warn_at_percent", path).value_or(std::vector<int>{});
}

void PolicyReader::ReadCalendars(const toml::table& root) {
  const toml::array* a = fields_.Array(root, "calendars", "");
  if (!a) return;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& n = *a->get(i);
    std::string path = Index("calendars", i);
    const toml::table* t = n.as_table();
    if (!t) {
      fields_.Fail(n, path, "a calendar is a table ([[calendars]])");
      continue;
    }
    std::string id;
    if (const toml::node* idn = t->get("id"); idn && idn->is_string()) {
      id = idn->as_string()->get();
      path = Named("calendars", id);
      if (!ValidId(*idn, id, path + ".id")) {
        broken_calendars_.insert(id);
        continue;
      }
      if (id == "24x7") {
        fields_.Fail(*idn, path + ".id", "calendar '24x7' is built in and cannot be redefined");
        continue;
      }
      if (policy_->calendars.count(id) || broken_calendars_.count(id)) {
        fields_.Fail(*idn, path + ".id", "calendar '" + id + "' is defined twice");
        continue;
      }
    }
    auto cal = calendars_.Read(*t, path);
    if (cal) policy_->calendars[id] = cal;
    else if (!id.empty()) broken_calendars_.insert(id);
  }
}

void PolicyReader::ReadSeverities(const toml::table& root) {
  const toml::array* a = fields_.Array(root, "severities", "", true);
  if (!a) return;
  if (a->empty()) fields_.Fail(*a, "severities", "a policy needs at least one severity");
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& n = *a->get(i);
    std::string path = Index("severities", i);
    const toml::table* t = n.as_table();
    if (!t) {
      fields_.Fail(n, path, "a severity is a table ([[severities]])");
      continue;
    }
    fields_.CheckKeys(*t, path, {"id", "name", "definition", "examples"});
    Severity s;
    if (auto id = fields_.String(*t, "id", path, true)) {
      if (!ValidId(*t->get("id"), *id, path + ".id")) continue;
      if (policy_->FindSeverity(*id)) {
        fields_.Fail(*t->get("id"), path + ".id", "severity '" + *id + "' is defined twice");
        continue;
      }
      s.id = *id;
      path = Named("severities", *id);
    } else {
      continue;
    }
    s.name = fields_.String(*t, "name", path).value_or(s.id);
    s.definition = fields_.String(*t, "definition", path).value_or("");
    s.examples = fields_.StringList(*t, "examples", path);
    policy_->severities.push_back(std::move(s));
  }
}

std::vector<TicketField> PolicyReader::ReadFields(const toml::table& t, std::string_view key,
                                                  const std::string& path) {
  std::vector<TicketField> out;
  const toml::array* a = fields_.Array(t, key, path);
  if (!a) return out;
  const std::string base = JoinPath(path, key);
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& n = *a->get(i);
    std::string field = Index(base, i);
    TicketField f;
    if (n.is_string()) {
      f.id = n.as_string()->get();
      if (!ValidId(n, f.id, field)) continue;
      f.name = f.id;
      std::replace(f.name.begin(), f.name.end(), '_', ' ');
    } else if (const toml::table* ft = n.as_table()) {
      fields_.CheckKeys(*ft, field, {"id", "name", "type", "help"});
      auto id = fields_.String(*ft, "id", field, true);
      if (!id || !ValidId(*ft->get("id"), *id, field + ".id")) continue;
      f.id = *id;
      f.name = fields_.String(*ft, "name", field).value_or(f.id);
      f.help = fields_.String(*ft, "help", field).value_or("");
      if (auto type = fields_.String(*ft, "type", field)) {
        f.type = FieldTypeFromName(*type);
        if (!f.type)
          fields_.Fail(*ft->get("type"), field + ".type",
                       "unknown field type '" + *type +
                           "'; expected text, multiline, phone, email, datetime, number or url");
      }
    } else {
      fields_.Fail(n, field, "a ticket field is an id string or {id = \"...\", name = \"...\", type = \"...\", help = \"...\"}");
      continue;
    }
    out.push_back(std::move(f));
  }
  return out;
}

void PolicyReader::ReadTickets(const toml::table& root) {
  const toml::table* t = fields_.Table(root, "tickets", "", true);
  if (!t) return;
  const std::string path = "tickets";
  fields_.CheckKeys(*t, path, {"default_severity", "required_fields", "requested_fields"});
  if (auto d = fields_.String(*t, "default_severity", path, true)) {
    if (SeverityRef(t->get("default_severity")->source(), *d, path + ".default_severity"))
      policy_->default_severity = *d;
  }
  policy_->required_fields = ReadFields(*t, "required_fields", path);
  policy_->requested_fields = ReadFields(*t, "requested_fields", path);
}

void PolicyReader::ReadPlans(const toml::table& root) {
  const toml::array* a = fields_.Array(root, "plans", "", true);
  if (!a) return;
  if (a->empty()) fields_.Fail(*a, "plans", "a policy needs at least one plan");
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& n = *a->get(i);
    std::string path = Index("plans", i);
    const toml::table* t = n.as_table();
    if (!t) {
      fields_.Fail(n, path, "a plan is a table ([[plans]])");
      continue;
    }
    Plan plan;
    auto id = fields_.String(*t, "id", path, true);
    if (id) {
      if (!ValidId(*t->get("id"), *id, path + ".id")) id.reset();
      else if (policy_->FindPlan(*id)) {
        fields_.Fail(*t->get("id"), path + ".id", "plan '" + *id + "' is defined twice");
        id.reset();
      }
    }
    if (id) {
      plan.id = *id;
      path = Named("plans", *id);
    }
    ReadPlan(*t, path, plan);
    if (id) policy_->plans.push_back(std::move(plan));
  }
}

void PolicyReader::ReadPlan(const toml::table& t, const std::string& path, Plan& plan) {
  fields_.CheckKeys(t, path,
                    {"id", "name", "description", "price", "calendar", "severity_calendars",
                     "channels", "coverage", "features", "named_contacts", "csm", "tam", "quota",
                     "promises", "resolution_starts_at_first_response", "warn_at_percent",
                     "targets"});
  plan.name = fields_.String(t, "name", path).value_or(plan.id);
  plan.description = fields_.String(t, "description", path).value_or("");
  plan.price = fields_.String(t, "price", path).value_or("");
  plan.coverage = fields_.StringList(t, "coverage", path);
  plan.features = fields_.StringList(t, "features", path);
  if (auto n = fields_.Integer(t, "named_contacts", path, 0, 100000))
    plan.named_contacts = static_cast<int>(*n);
  for (auto [key, slot] : {std::pair<std::string_view, Provision*>{"csm", &plan.csm},
                           std::pair<std::string_view, Provision*>{"tam", &plan.tam}}) {
    if (auto v = fields_.String(t, key, path)) {
      if (*v == "yes") *slot = Provision::kYes;
      else if (*v == "optional") *slot = Provision::kOptional;
      else if (*v == "no") *slot = Provision::kNo;
      else
        fields_.Fail(*t.get(key), JoinPath(path, key),
                     "'" + *v + "' is not one of \"yes\", \"optional\", \"no\"");
    }
  }
  if (const toml::table* q = fields_.Table(t, "quota", path)) ReadQuota(*q, path + ".quota", plan.quota);
  plan.resolution_starts_at_first_response =
      fields_.Bool(t, "resolution_starts_at_first_response", path).value_or(false);

  plan_calendar_named_ = false;
  if (auto c = fields_.String(t, "calendar", path)) {
    plan_calendar_named_ = true;
    plan.calendar = CalendarRef(*t.get("calendar"), *c, path + ".calendar");
  }
  severity_calendars_named_.clear();
  if (const toml::table* sc = fields_.Table(t, "severity_calendars", path)) {
    for (auto&& [k, v] : *sc) {
      std::string field = path + ".severity_calendars." + std::string(k.str());
      if (!SeverityRef(k.source(), std::string(k.str()), field)) continue;
      severity_calendars_named_.insert(std::string(k.str()));
      if (!v.is_string()) {
        fields_.Fail(v, field, "expected a calendar id");
        continue;
      }
      if (auto cal = CalendarRef(v, v.as_string()->get(), field))
        plan.severity_calendars[std::string(k.str())] = cal;
    }
  }
  plan_warn_ = fields_.Percents(t, "warn_at_percent", path).value_or(policy_->warn_at_percent);
  if (const toml::array* ch = fields_.Array(t, "channels", path)) ReadChannels(*ch, path + ".channels", plan);

  std::vector<Metric> promises;
  bool promises_given = false;
  if (const toml::array* p = fields_.Array(t, "promises", path)) {
    promises_given = true;
    for (size_t i = 0; i < p->size(); ++i) {
      const toml::node& n = *p->get(i);
      std::string field = Index(path + ".promises", i);
      if (!n.is_string()) {
        fields_.Fail(n, field, "expected a metric name");
        continue;
      }
      if (auto m = MetricRef(n.source(), n.as_string()->get(), field)) promises.push_back(*m);
    }
  }
  const size_t before = fields_.error_count();
  targets_skipped_ = false;
  const toml::table* targets = fields_.Table(t, "targets", path);
  if (targets) ReadTargets(*targets, path + ".targets", plan);
  // Missing-target complaints would only echo an error already reported.
  if (fields_.error_count() == before && !targets_skipped_) CheckPromises(t, targets, path, plan, promises, promises_given);
}

void PolicyReader::ReadChannels(const toml::array& a, const std::string& path, Plan& plan) {
  std::vector<std::string> kinds;
  for (ChannelKind k : kAllChannelKinds) kinds.emplace_back(ChannelKindName(k));
  for (size_t i = 0; i < a.size(); ++i) {
    const toml::node& n = *a.get(i);
    std::string field = Index(path, i);
    Channel ch;
    const toml::node* kind_node = &n;
    const toml::table* t = n.as_table();
    if (t) {
      fields_.CheckKeys(*t, field, {"kind", "note", "calendar", "severities"});
      kind_node = t->get("kind");
      if (!kind_node) {
        fields_.Fail(n, field, "missing required key 'kind'");
        continue;
      }
    }
    if (!kind_node->is_string()) {
      fields_.Fail(*kind_node, field, "a channel is a kind (" + ListWords(kinds) +
                                          ") or {kind, note, calendar, severities}");
      continue;
    }
    const std::string kind = kind_node->as_string()->get();
    auto k = ChannelKindFromName(kind);
    if (!k) {
      std::string msg = "unknown channel '" + kind + "'";
      if (auto hint = DidYouMean(kind, kinds)) msg += "; did you mean '" + *hint + "'?";
      else msg += "; channels: " + ListWords(kinds);
      fields_.Fail(*kind_node, field, msg);
      continue;
    }
    ch.kind = *k;
    if (t) {
      ch.note = fields_.String(*t, "note", field).value_or("");
      if (auto c = fields_.String(*t, "calendar", field))
        ch.calendar = CalendarRef(*t->get("calendar"), *c, field + ".calendar");
      if (const toml::array* sev = fields_.Array(*t, "severities", field)) {
        for (size_t j = 0; j < sev->size(); ++j) {
          const toml::node& s = *sev->get(j);
          std::string sf = Index(field + ".severities", j);
          if (!s.is_string()) {
            fields_.Fail(s, sf, "expected a severity id");
            continue;
          }
          if (SeverityRef(s.source(), s.as_string()->get(), sf))
            ch.severities.push_back(s.as_string()->get());
        }
      }
    }
    plan.channels.push_back(std::move(ch));
  }
}

void PolicyReader::ReadQuota(const toml::table& t, const std::string& path, Quota& quota) {
  fields_.CheckKeys(t, path,
                    {"incidents_per_month", "when_exceeded", "support_hours", "support_hours_note",
                     "when_hours_exceeded"});
  if (auto n = fields_.Integer(t, "incidents_per_month", path, 0, 1000000))
    quota.incidents_per_month = static_cast<int>(*n);
  if (auto h = fields_.Number(t, "support_hours", path, 0.0, 1e6)) quota.support_hours = *h;
  quota.support_hours_note = fields_.String(t, "support_hours_note", path).value_or("");
  for (auto [key, slot] : {std::pair<std::string_view, QuotaAction*>{"when_exceeded", &quota.incidents_exceeded},
                           std::pair<std::string_view, QuotaAction*>{"when_hours_exceeded", &quota.support_hours_exceeded}}) {
    if (auto v = fields_.String(t, key, path)) {
      if (*v == "flag") *slot = QuotaAction::kFlag;
      else if (*v == "refuse") *slot = QuotaAction::kRefuse;
      else
        fields_.Fail(*t.get(key), JoinPath(path, key),
                     "'" + *v + "' is not one of \"flag\" (accept and flag) or \"refuse\"");
    }
  }
}

void PolicyReader::ReadTargets(const toml::table& t, const std::string& path, Plan& plan) {
  for (auto&& [sk, sv] : t) {
    const std::string severity(sk.str());
    const std::string spath = JoinPath(path, severity);
    if (!SeverityRef(sk.source(), severity, spath)) continue;
    const toml::table* metrics = sv.as_table();
    if (!metrics) {
      fields_.Fail(sv, spath, "expected a table of metrics, e.g. { first_response = \"8 business hours\" }");
      continue;
    }
    for (auto&& [mk, mv] : *metrics) {
      const std::string mpath = JoinPath(spath, mk.str());
      auto metric = MetricRef(mk.source(), std::string(mk.str()), mpath);
      if (!metric) continue;
      ReadTarget(mv, mpath, severity, *metric, plan);
    }
  }
}

void PolicyReader::ReadTarget(const toml::node& n, const std::string& path,
                              const std::string& severity, Metric metric, Plan& plan) {
  const toml::node* within = &n;
  const toml::node* goal_node = nullptr;
  const toml::node* cal_node = nullptr;
  std::vector<int> warn = plan_warn_;
  if (const toml::table* t = n.as_table()) {
    fields_.CheckKeys(*t, path, {"within", "goal", "calendar", "warn_at_percent"});
    within = t->get("within");
    if (!within) {
      fields_.Fail(n, path, "missing required key 'within'");
      return;
    }
    goal_node = t->get("goal");
    cal_node = t->get("calendar");
    if (auto w = fields_.Percents(*t, "warn_at_percent", path)) warn = *w;
  }
  if (!within->is_string()) {
    fields_.Fail(*within, path,
                 "expected a duration such as \"8 business hours\", or \"best effort\" for no target");
    return;
  }
  const std::string text = within->as_string()->get();
  auto parsed = ParseDurationText(text, path);
  if (!parsed.ok()) {
    fields_.Fail(*within, path, parsed.error().message);
    return;
  }
  if (parsed->no_target) {
    if (goal_node || cal_node) {
      fields_.Fail(goal_node ? *goal_node : *cal_node, path,
                   "'" + text + "' states no target; it takes no goal or calendar");
      return;
    }
    plan.no_targets[severity][metric] = text;
    return;
  }

  std::shared_ptr<const BusinessCalendar> cal;
  if (cal_node) {
    if (!cal_node->is_string()) {
      fields_.Fail(*cal_node, path + ".calendar", "expected a calendar id");
      return;
    }
    cal = CalendarRef(*cal_node, cal_node->as_string()->get(), path + ".calendar");
    if (!cal) {
      targets_skipped_ = true;
      return;
    }
  } else if (auto it = plan.severity_calendars.find(severity); it != plan.severity_calendars.end()) {
    cal = it->second;
  } else if (severity_calendars_named_.count(severity)) {
    targets_skipped_ = true;  // its calendar reference is already reported
    return;
  } else if (plan.calendar) {
    cal = plan.calendar;
  } else {
    // Reported once per plan; a broken calendar reference is reported already.
    if (!plan_calendar_named_ && !targets_skipped_)
      fields_.Fail(*within, path,
                   "no calendar for this target: set the plan's 'calendar', a "
                   "'severity_calendars' entry, or { within = ..., calendar = ... }");
    targets_skipped_ = true;
    return;
  }

  auto limit = DurationSeconds(parsed->amount, parsed->unit, cal->business_day_seconds(), cal->id(), path);
  if (!limit.ok()) {
    fields_.Fail(*within, path, limit.error().message);
    return;
  }
  Target target;
  target.seconds = *limit;
  target.calendar = cal;
  target.warn_at_percent = warn;
  target.text = text;
  if (parsed->goal) {
    auto goal = DurationSeconds(*parsed->goal, parsed->unit, cal->business_day_seconds(), cal->id(), path);
    if (!goal.ok()) {
      fields_.Fail(*within, path, goal.error().message);
      return;
    }
    target.goal_seconds = *goal;
  }
  if (goal_node) {
    const std::string gpath = path + ".goal";
    if (parsed->goal) {
      fields_.Fail(*goal_node, gpath, "'" + text + "' is already a range; give the goal once");
      return;
    }
    if (!goal_node->is_string()) {
      fields_.Fail(*goal_node, gpath, "expected a duration such as \"4 business hours\"");
      return;
    }
    const std::string gtext = goal_node->as_string()->get();
    auto g = ParseDurationText(gtext, gpath);
    if (!g.ok() || g->no_target || g->goal) {
      fields_.Fail(*goal_node, gpath,
                   g.ok() ? "'" + gtext + "': a goal is a single duration" : g.error().message);
      return;
    }
    auto gs = DurationSeconds(g->amount, g->unit, cal->business_day_seconds(), cal->id(), gpath);
    if (!gs.ok()) {
      fields_.Fail(*goal_node, gpath, gs.error().message);
      return;
    }
    target.goal_seconds = *gs;
    target.text = gtext + " goal, " + text + " limit";
  }
  if (target.goal_seconds && *target.goal_seconds > target.seconds) {
    fields_.Fail(goal_node ? *goal_node : *within, goal_node ? path + ".goal" : path,
                 "goal " + FormatSecondsShort(*target.goal_seconds) + " is above its limit " +
                     FormatSecondsShort(target.seconds));
    return;
  }
  plan.targets[severity][metric] = std::move(target);
}

void PolicyReader::CheckPromises(const toml::table& plan_table, const toml::table* targets,
                                 const std::string& path, Plan& plan,
                                 const std::vector<Metric>& explicit_promises, bool promises_given) {
  std::vector<Metric> promised = explicit_promises;
  if (!promises_given) {
    // What any severity states, every severity must state.
    for (Metric m : kAllMetrics) {
      bool any = false;
      for (const auto& [sev, metrics] : plan.targets) any = any || metrics.count(m);
      for (const auto& [sev, metrics] : plan.no_targets) any = any || metrics.count(m);
      if (any) promised.push_back(m);
    }
  }
  std::sort(promised.begin(), promised.end());
  promised.erase(std::unique(promised.begin(), promised.end()), promised.end());
  plan.promised_metrics = promised;
  for (const Severity& s : policy_->severities) {
    std::string missing;
    for (Metric m : promised) {
      if (plan.FindTarget(s.id, m) || plan.FindNoTarget(s.id, m)) continue;
      missing += (missing.empty() ? "" : ", ") + std::string(MetricName(m));
    }
    if (missing.empty()) continue;
    toml::source_region where = plan_table.source();
    if (targets) where = targets->get(s.id) ? fields_.KeySource(*targets, s.id) : targets->source();
    fields_.Fail(where, path + ".targets." + s.id,
                 "severity '" + s.id + "' states no " + missing + " target, but plan '" + plan.id +
                     "' promises it for every severity; give a duration, or \"best effort\" / "
                     "\"none\" for no target");
  }
}

void PolicyReader::ReadLifecycle(const toml::table& root) {
  const toml::table* t = fields_.Table(root, "lifecycle", "");
  if (!t) return;
  const std::string path = "lifecycle";
  Lifecycle& lc = policy_->lifecycle;
  fields_.CheckKeys(*t, path,
                    {"closure", "auto_close", "reopen", "retention", "bug_escalation",
                     "feature_requests", "escalation", "excessive_escalations"});
  lc.closure = fields_.StringList(*t, "closure", path);
  if (const toml::table* ac = fields_.Table(*t, "auto_close", path)) {
    const std::string p = path + ".auto_close";
    fields_.CheckKeys(*ac, p, {"after", "calendar"});
    auto after = fields_.String(*ac, "after", p, true);
    auto cal_id = fields_.String(*ac, "calendar", p, true);
    std::shared_ptr<const BusinessCalendar> cal;
    if (cal_id) cal = CalendarRef(*ac->get("calendar"), *cal_id, p + ".calendar");
    if (after && cal) {
      const toml::node& at = *ac->get("after");
      auto d = ParseDurationText(*after, p + ".after");
      if (!d.ok()) fields_.Fail(at, p + ".after", d.error().message);
      else if (d->no_target || d->goal)
        fields_.Fail(at, p + ".after", "'" + *after + "': expected one duration, e.g. \"10 business days\"");
      else if (auto s = DurationSeconds(d->amount, d->unit, cal->business_day_seconds(), cal->id(), p + ".after"); !s.ok())
        fields_.Fail(at, p + ".after", s.error().message);
      else
        lc.auto_close_after = BusinessDuration{*s, cal, *after};
    }
  }
  if (const toml::table* r = fields_.Table(*t, "reopen", path)) {
    const std::string p = path + ".reopen";
    fields_.CheckKeys(*r, p, {"allowed", "window", "by", "note"});
    lc.reopen_stated = true;
    lc.reopen_allowed = fields_.Bool(*r, "allowed", p, true).value_or(false);
    if (auto by = fields_.String(*r, "by", p)) {
      if (*by == "customer") lc.reopen_by = ReopenBy::kCustomer;
      else if (*by == "agent_review") lc.reopen_by = ReopenBy::kAgentReview;
      else
        fields_.Fail(*r->get("by"), p + ".by", "unknown value '" + *by + "'; expected \"customer\" or \"agent_review\"");
    }
    if (auto w = fields_.String(*r, "window", p)) {
      auto period = ParsePeriodText(*w, p + ".window");
      if (period.ok()) lc.reopen_window = *period;
      else fields_.Fail(*r->get("window"), p + ".window", period.error().message);
    }
    lc.reopen_note = fields_.String(*r, "note", p).value_or("");
  }
  if (auto ret = fields_.String(*t, "retention", path)) {
    auto period = ParsePeriodText(*ret, path + ".retention");
    if (period.ok()) lc.retention = *period;
    else fields_.Fail(*t->get("retention"), path + ".retention", period.error().message);
  }
  if (const toml::table* b = fields_.Table(*t, "bug_escalation", path)) {
    const std::string p = path + ".bug_escalation";
    fields_.CheckKeys(*b, p, {"suspends_targets", "closes_ticket", "note"});
    lc.bug_escalation_suspends_targets = fields_.Bool(*b, "suspends_targets", p).value_or(false);
    lc.bug_escalation_closes_ticket = fields_.Bool(*b, "closes_ticket", p).value_or(false);
    lc.bug_escalation_note = fields_.String(*b, "note", p).value_or("");
  }
  if (const toml::table* f = fields_.Table(*t, "feature_requests", path)) {
    const std::string p = path + ".feature_requests";
    fields_.CheckKeys(*f, p, {"closes_ticket", "note"});
    lc.feature_request_closes_ticket = fields_.Bool(*f, "closes_ticket", p).value_or(false);
    lc.feature_request_note = fields_.String(*f, "note", p).value_or("");
  }
  if (const toml::table* x = fields_.Table(*t, "excessive_escalations", path)) {
    const std::string p = path + ".excessive_escalations";
    fields_.CheckKeys(*x, p, {"requests", "within_days", "consequence", "note"});
    EscalationLimit limit;
    limit.requests = fields_.Integer(*x, "requests", p, 1, 1000000, true).value_or(0);
    limit.within_days = static_cast<int>(fields_.Integer(*x, "within_days", p, 0, 36600).value_or(0));
    if (auto c = fields_.String(*x, "consequence", p, true)) {
      if (*c == "lower_priority" || *c == "charges") limit.consequence = *c;
      else
        fields_.Fail(*x->get("consequence"), p + ".consequence",
                     "unknown value '" + *c + "'; expected \"lower_priority\" or \"charges\"");
    }
    limit.note = fields_.String(*x, "note", p).value_or("");
    lc.excessive_escalations = std::move(limit);
  }
  if (const toml::array* e = fields_.Array(*t, "escalation", path)) {
    for (size_t i = 0; i < e->size(); ++i) {
      const toml::node& n = *e->get(i);
      const std::string p = Index(path + ".escalation", i);
      const toml::table* lt = n.as_table();
      if (!lt) {
        fields_.Fail(n, p, "an escalation level is a table ([[lifecycle.escalation]])");
        continue;
      }
      fields_.CheckKeys(*lt, p, {"name", "trigger", "notify", "raises_severity_to", "note"});
      EscalationLevel level;
      level.name = fields_.String(*lt, "name", p, true).value_or("");
      level.trigger = fields_.String(*lt, "trigger", p).value_or("");
      level.notify = fields_.StringList(*lt, "notify", p);
      level.note = fields_.String(*lt, "note", p).value_or("");
      if (auto s = fields_.String(*lt, "raises_severity_to", p)) {
        if (SeverityRef(lt->get("raises_severity_to")->source(), *s, p + ".raises_severity_to"))
          level.raises_severity_to = *s;
      }
      lc.escalation.push_back(std::move(level));
    }
  }
}

void PolicyReader::ReadOnboarding(const toml::table& root) {
  const toml::table* t = fields_.Table(root, "onboarding", "");
  if (!t) return;
  const std::string path = "onboarding";
  fields_.CheckKeys(*t, path, {"plan_until_complete", "note"});
  Onboarding o;
  o.note = fields_.String(*t, "note", path).value_or("");
  auto plan = fields_.String(*t, "plan_until_complete", path, true);
  if (!plan) return;
  if (!policy_->FindPlan(*plan)) {
    std::string ids;
    for (const auto& p : policy_->plans) ids += (ids.empty() ? "" : ", ") + p.id;
    fields_.Fail(*t->get("plan_until_complete"), path + ".plan_until_complete",
                 "unknown plan '" + *plan + "'; plans: " + ids);
    return;
  }
  o.plan_until_complete = *plan;
  policy_->onboarding = std::move(o);
}

void PolicyReader::ReadContract(const toml::table& root) {
  const toml::table* t = fields_.Table(root, "contract", "");
  if (!t) return;
  const std::string path = "contract";
  fields_.CheckKeys(*t, path, {"availability", "downtime", "notes"});
  policy_->contract.notes = fields_.StringList(*t, "notes", path);
  if (const toml::table* a = fields_.Table(*t, "availability", path)) {
    const std::string p = path + ".availability";
    fields_.CheckKeys(*a, p, {"monthly_target_percent", "time_zone", "exclusions", "note"});
    Availability av;
    auto pct = fields_.Decimal(*a, "monthly_target_percent", p, 0.0, 100.0, true);
    if (pct) {
      av.monthly_target = *pct;
      av.monthly_target_percent = pct->ToDouble();
    }
    if (auto zone = fields_.String(*a, "time_zone", p)) {
      if (auto z = TimeZone::Locate(*zone); z.ok()) av.time_zone = *zone;
      else fields_.Fail(*a->get("time_zone"), p + ".time_zone", z.error().message);
    }
    av.exclusions = fields_.StringList(*a, "exclusions", p);
    av.note = fields_.String(*a, "note", p).value_or("");
    if (pct) policy_->contract.availability = std::move(av);
  }
  if (const toml::table* d = fields_.Table(*t, "downtime", path)) {
    const std::string p = path + ".downtime";
    fields_.CheckKeys(*d, p,
                      {"share_percent", "over_target_by_percent", "severities", "lookback_months",
                       "minimum_tickets", "remedy_max_tickets", "remedy_within_calendar_months",
                       "note"});
    const size_t before = fields_.error_count();
    DowntimeRule r;
    if (auto share = fields_.Decimal(*d, "share_percent", p, 0.0, 100.0, true)) {
      r.share = *share;
      r.share_percent = share->ToDouble();
    }
    if (auto over = fields_.Decimal(*d, "over_target_by_percent", p, 0.0, 10000.0, true)) {
      r.over_target_by = *over;
      r.over_target_by_percent = over->ToDouble();
    }
    r.lookback_months = static_cast<int>(fields_.Integer(*d, "lookback_months", p, 1, 120, true).value_or(0));
    r.minimum_tickets = static_cast<int>(fields_.Integer(*d, "minimum_tickets", p, 0, 1000000, true).value_or(0));
    r.remedy_max_tickets = static_cast<int>(fields_.Integer(*d, "remedy_max_tickets", p, 0, 1000000).value_or(0));
    r.remedy_within_calendar_months =
        static_cast<int>(fields_.Integer(*d, "remedy_within_calendar_months", p, 0, 120).value_or(0));
    r.note = fields_.String(*d, "note", p).value_or("");
    if (const toml::array* sev = fields_.Array(*d, "severities", p, true)) {
      for (size_t i = 0; i < sev->size(); ++i) {
        const toml::node& s = *sev->get(i);
        std::string sf = Index(p + ".severities", i);
        if (!s.is_string()) {
          fields_.Fail(s, sf, "expected a severity id");
          continue;
        }
        if (SeverityRef(s.source(), s.as_string()->get(), sf)) r.severities.push_back(s.as_string()->get());
      }
    }
    if (fields_.error_count() == before) policy_->contract.downtime = std::move(r);
  }
}

void PolicyReader::ReadScope(const toml::table& root) {
  const toml::table* t = fields_.Table(root, "scope", "");
  if (!t) return;
  fields_.CheckKeys(*t, "scope", {"covered", "excluded"});
  policy_->scope_covered = fields_.StringList(*t, "covered", "scope");
  policy_->scope_excluded = fields_.StringList(*t, "excluded", "scope");
}

}  // namespace sladesk
