#include "compliance/downtime_json.h"

#include <map>

#include "compliance/json_input.h"

namespace sladesk {

using nlohmann::json;
using namespace json_input;

Result<DowntimeRequest> ParseDowntimeRequest(std::string_view json_text, const Policy& policy) {
  auto doc = ParseObject(json_text);
  if (!doc.ok()) return doc.error();
  DowntimeRequest req;
  auto notified = ReadInstant(*doc, "notified_at", "notified_at");
  if (!notified.ok()) return notified.error();
  req.notified_at = *notified;
  auto tickets = doc->find("tickets");
  if (tickets == doc->end()) return MakeError("tickets", "missing (use [] for no tickets)");
  if (!tickets->is_array()) return MakeError("tickets", "expected an array, got " + TypeName(*tickets));
  std::map<std::string, size_t, std::less<>> seen;
  req.tickets.reserve(tickets->size());
  for (size_t i = 0; i < tickets->size(); ++i) {
    const json& t = (*tickets)[i];
    const std::string base = "tickets[" + std::to_string(i) + "]";
    if (!t.is_object()) return MakeError(base, "expected an object, got " + TypeName(t));
    DowntimeTicket out;
    auto id = ReadString(t, "id", base + ".id");
    if (!id.ok()) return id.error();
    if (auto [it, fresh] = seen.emplace(*id, i); !fresh)
      return MakeError(base + ".id", "duplicate ticket id " + Quote(*id) + " (also tickets[" +
                                         std::to_string(it->second) + "])");
    out.id = std::move(id).value();
    auto plan = ReadPlan(t, "plan", base + ".plan", policy);
    if (!plan.ok()) return plan.error();
    out.plan = *plan;
    if (auto s = t.find("severity"); s != t.end() && !s->is_null()) {
      auto sev = ReadSeverity(t, "severity", base + ".severity", policy);
      if (!sev.ok()) return sev.error();
      out.severity = std::move(sev).value();
    } else {
      if (policy.default_severity.empty())
        return MakeError(base + ".severity", "missing, and the policy sets no default severity");
      out.severity = policy.default_severity;
    }
    auto events = ReadEvents(t, base + ".events", policy);
    if (!events.ok()) return events.error();
    out.events = std::move(events).value();
    req.tickets.push_back(std::move(out));
  }
  return req;
}

nlohmann::ordered_json DowntimeResultToJsonValue(const DowntimeResult& r) {
  nlohmann::ordered_json o;
  o["window"] = {{"from", FormatInstant(r.window_from)}, {"to", FormatInstant(r.window_to)}};
  o["submitted"] = r.submitted;
  o["considered"] = r.considered;
  o["over"] = r.over;
  o["over_ids"] = r.over_ids;
  o["downtime"] = r.downtime;
  if (r.downtime && r.remedy_from && r.remedy_to)
    o["remedy"] = {{"from", FormatInstant(*r.remedy_from)}, {"to", FormatInstant(*r.remedy_to)}};
  else
    o["remedy"] = nullptr;
  return o;
}

std::string DowntimeResultToJson(const DowntimeResult& r) { return DowntimeResultToJsonValue(r).dump(2) + "\n"; }

}  // namespace sladesk
