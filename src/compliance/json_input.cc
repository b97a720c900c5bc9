#include "compliance/json_input.h"

namespace sladesk::json_input {

using nlohmann::json;

namespace {

std::string Known(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

}  // namespace

std::string TypeName(const json& v) { return v.type_name(); }

std::string Quote(std::string_view s) {
  constexpr size_t kMax = 80;
  std::string out = "'";
  out += s.size() > kMax ? std::string(s.substr(0, kMax)) + "..." : std::string(s);
  return out + "'";
}

Result<json> ParseObject(std::string_view text) {
  json doc;
  try {
    doc = json::parse(text.begin(), text.end());
  } catch (const json::exception& e) {
    std::string what = e.what();
    auto pos = what.find("] ");
    return MakeError("input", "not valid JSON: " + (pos == std::string::npos ? what : what.substr(pos + 2)));
  }
  if (!doc.is_object()) return MakeError("input", "expected a JSON object, got " + TypeName(doc));
  return doc;
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
  return ParseInstant(it->get_ref<const std::string&>(), field);
}

Result<std::string> ReadSeverity(const json& obj, const char* key, const std::string& field, const Policy& policy) {
  auto s = ReadString(obj, key, field);
  if (!s.ok()) return s.error();
  if (policy.FindSeverity(*s) == nullptr) {
    std::vector<std::string_view> names;
    for (const auto& sev : policy.severities) names.push_back(sev.id);
    return MakeError(field, "unknown severity " + Quote(*s) + " (known: " + Known(names) + ")");
  }
  return s;
}

Result<const Plan*> ReadPlan(const json& obj, const char* key, const std::string& field, const Policy& policy) {
  auto id = ReadString(obj, key, field);
  if (!id.ok()) return id.error();
  const Plan* plan = policy.FindPlan(*id);
  if (plan == nullptr) {
    std::vector<std::string_view> names;
    for (const auto& p : policy.plans) names.push_back(p.id);
    return MakeError(field, "unknown plan " + Quote(*id) + " (known: " + Known(names) + ")");
  }
  return plan;
}

Result<std::vector<TicketEvent>> ReadEvents(const json& obj, const std::string& field, const Policy& policy) {
  auto events = obj.find("events");
  if (events == obj.end()) return MakeError(field, "missing (use [] for a ticket with no events)");
  if (!events->is_array()) return MakeError(field, "expected an array, got " + TypeName(*events));
  std::vector<TicketEvent> out;
  out.reserve(events->size());
  for (size_t i = 0; i < events->size(); ++i) {
    const json& ev = (*events)[i];
    const std::string base = field + "[" + std::to_string(i) + "]";
    if (!ev.is_object()) return MakeError(base, "expected an object, got " + TypeName(ev));
    TicketEvent e;
    auto type = ReadString(ev, "type", base + ".type");
    if (!type.ok()) return type.error();
    auto t = EventTypeFromName(*type);
    if (!t)
      return MakeError(base + ".type",
                       "unknown event type " + Quote(*type) + " (known: " + KnownEventTypeNames() + ")");
    e.type = *t;
    auto at = ReadInstant(ev, "at", base + ".at");
    if (!at.ok()) return at.error();
    e.at = *at;
    if (e.type == EventType::kSeverityChanged) {
      auto sev = ReadSeverity(ev, "severity", base + ".severity", policy);
      if (!sev.ok()) return sev.error();
      e.severity = std::move(sev).value();
    }
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace sladesk::json_input
