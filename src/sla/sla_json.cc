#include "sla/sla_json.h"

#include <utility>

namespace sladesk {
namespace {

using nlohmann::json;

std::string TypeName(const json& v) { return v.type_name(); }

std::string Known(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

std::string Quote(std::string_view s) {
  // Bound what we echo back so a huge value does not flood stderr.
  constexpr size_t kMax = 80;
  std::string out = "'";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  return out + "'";
}

Result<std::string> ReadString(const json& obj, const char* key, const std::string& field) {
  auto it = obj.find(key);
  if (it == obj.end()) return MakeError(field, "missing");
  if (!it->is_string()) return MakeError(field, "expected a string, got " + TypeName(*it));
  return it->get<std::string>();
}

Result<Instant> ReadInstant(const json& obj, const char* key, const std::string& field) {
  auto it = obj.find(key);
  if (it == obj.end()) return MakeError(field, "missing");
  if (!it->is_string()) return MakeError(field, "expected an RFC 3339 time string, got " + TypeName(*it));
  const std::string& text = it->get_ref<const std::string&>();
  auto t = ParseInstant(text, field);
  if (!t.ok()) return t.error();
  if (!InSupportedRange(*t))
    return MakeError(field, Quote(text) + " is outside the supported range 1900-01-01 to 2199-12-31");
  return *t;
}

Result<std::string> ReadSeverity(const json& obj, const std::string& field, const Policy& policy) {
  auto s = ReadString(obj, "severity", field);
  if (!s.ok()) return s.error();
  if (policy.FindSeverity(*s) == nullptr) {
    std::vector<std::string_view> names;
    for (const auto& sev : policy.severities) names.push_back(sev.id);
    return MakeError(field, "unknown severity " + Quote(*s) + " (known: " + Known(names) + ")");
  }
  return s;
}

using ojson = nlohmann::ordered_json;
ojson OrNull(const std::optional<Seconds>& v) { return v ? ojson(*v) : ojson(nullptr); }
ojson OrNull(const std::optional<Instant>& v) { return v ? ojson(FormatInstant(*v)) : ojson(nullptr); }

}  // namespace

Result<SlaRequest> ParseSlaRequest(std::string_view json_text, const Policy& policy) {
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end());
  } catch (const json::exception& e) {
    std::string what = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 2: ..." -> keep the part after "] ".
    auto pos = what.find("] ");
    return MakeError("input", "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
  if (!doc.is_object()) return MakeError("input", "expected a JSON object, got " + TypeName(doc));

  SlaRequest req;
  auto plan_id = ReadString(doc, "plan", "plan");
  if (!plan_id.ok()) return plan_id.error();
  req.plan = policy.FindPlan(*plan_id);
  if (req.plan == nullptr) {
    std::vector<std::string_view> names;
    for (const auto& p : policy.plans) names.push_back(p.id);
    return MakeError("plan", "unknown plan " + Quote(*plan_id) + " (known: " + Known(names) + ")");
  }

  if (auto it = doc.find("severity"); it != doc.end() && !it->is_null()) {
    auto sev = ReadSeverity(doc, "severity", policy);
    if (!sev.ok()) return sev.error();
    req.severity = std::move(sev).value();
  } else {
    if (policy.default_severity.empty())
      return MakeError("severity", "missing, and the policy sets no default severity");
    req.severity = policy.default_severity;
  }

  auto now = ReadInstant(doc, "now", "now");
  if (!now.ok()) return now.error();
  req.now = *now;

  auto events = doc.find("events");
  if (events == doc.end()) return MakeError("events", "missing (use [] for a ticket with no events)");
  if (!events->is_array()) return MakeError("events", "expected an array, got " + TypeName(*events));
  req.events.reserve(events->size());
  for (size_t i = 0; i < events->size(); ++i) {
    const json& ev = (*events)[i];
    const std::string base = "events[" + std::to_string(i) + "]";
    if (!ev.is_object()) return MakeError(base, "expected an object, got " + TypeName(ev));
    TicketEvent out;
    auto type = ReadString(ev, "type", base + ".type");
    if (!type.ok()) return type.error();
    auto t = EventTypeFromName(*type);
    if (!t) return MakeError(base + ".type", "unknown event type " + Quote(*type) + " (known: " + KnownEventTypeNames() + ")");
    out.type = *t;
    auto at = ReadInstant(ev, "at", base + ".at");
    if (!at.ok()) return at.error();
    out.at = *at;
    if (out.type == EventType::kSeverityChanged) {
      auto sev = ReadSeverity(ev, base + ".severity", policy);
      if (!sev.ok()) return sev.error();
      out.severity = std::move(sev).value();
    }
    req.events.push_back(std::move(out));
  }
  return req;
}

nlohmann::ordered_json SlaReportToJsonValue(const SlaReport& report) {
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  for (Metric m : kAllMetrics) {
    const MetricReport& r = report[m];
    nlohmann::ordered_json o;
    o["metric"] = MetricName(m);
    o["state"] = MetricStateName(r.state);
    o["target_seconds"] = OrNull(r.target_seconds);
    o["elapsed_seconds"] = OrNull(r.elapsed_seconds);
    o["due_at"] = OrNull(r.due_at);
    o["goal_due_at"] = OrNull(r.goal_due_at);
    o["stopped_at"] = OrNull(r.stopped_at);
    o["breaches"] = r.breaches;
    metrics.push_back(std::move(o));
  }
  nlohmann::ordered_json out;
  out["metrics"] = std::move(metrics);
  return out;
}

std::string SlaReportToJson(const SlaReport& report) { return SlaReportToJsonValue(report).dump(2) + "\n"; }

}  // namespace sladesk
