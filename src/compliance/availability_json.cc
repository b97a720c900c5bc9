#include "compliance/availability_json.h"

#include "compliance/json_input.h"

namespace sladesk {

using nlohmann::json;
using namespace json_input;

Result<AvailabilityRequest> ParseAvailabilityRequest(std::string_view json_text) {
  auto doc = ParseObject(json_text);
  if (!doc.ok()) return doc.error();
  AvailabilityRequest req;
  auto month = ReadString(*doc, "month", "month");
  if (!month.ok()) return month.error();
  auto ym = ParseYearMonth(*month);
  if (!ym) return MakeError("month", Quote(*month) + " is not a month YYYY-MM (month 01-12, year 1900-2199)");
  req.month = *ym;

  auto incidents = doc->find("incidents");
  if (incidents == doc->end()) return MakeError("incidents", "missing (use [] for a month without incidents)");
  if (!incidents->is_array()) return MakeError("incidents", "expected an array, got " + TypeName(*incidents));
  req.incidents.reserve(incidents->size());
  for (size_t i = 0; i < incidents->size(); ++i) {
    const json& inc = (*incidents)[i];
    const std::string base = "incidents[" + std::to_string(i) + "]";
    if (!inc.is_object()) return MakeError(base, "expected an object, got " + TypeName(inc));
    ServiceIncident out;
    auto start = ReadInstant(inc, "start", base + ".start");
    if (!start.ok()) return start.error();
    out.start = *start;
    auto end = ReadInstant(inc, "end", base + ".end");
    if (!end.ok()) return end.error();
    if (*end <= *start)
      return MakeError(base + ".end", FormatInstant(*end) + " is not after start " + FormatInstant(*start));
    out.end = *end;
    if (auto c = inc.find("cause"); c != inc.end() && !c->is_null()) {
      if (!c->is_string()) return MakeError(base + ".cause", "expected a string, got " + TypeName(*c));
      auto cause = IncidentCauseFromName(c->get_ref<const std::string&>());
      if (!cause)
        return MakeError(base + ".cause", "unknown cause " + Quote(c->get_ref<const std::string&>()) +
                                              " (known: " + KnownIncidentCauseNames() + ")");
      out.cause = *cause;
    }
    if (auto s = inc.find("service"); s != inc.end() && s->is_string()) out.service = s->get<std::string>();
    if (auto d = inc.find("description"); d != inc.end() && d->is_string()) out.description = d->get<std::string>();
    req.incidents.push_back(std::move(out));
  }
  return req;
}

nlohmann::ordered_json PercentJson(const ExactDecimal& value) {
  if (value.is_integer()) return nlohmann::ordered_json(value.units / value.denominator());
  return nlohmann::ordered_json(value.ToDouble());
}

nlohmann::ordered_json AvailabilityResultToJsonValue(const AvailabilityResult& r) {
  nlohmann::ordered_json o;
  o["month"] = FormatYearMonth(r.month);
  o["month_seconds"] = r.month_seconds;
  o["excluded_seconds"] = r.excluded_seconds;
  o["measured_seconds"] = r.measured_seconds;
  o["downtime_seconds"] = r.downtime_seconds;
  o["availability_percent"] = r.availability_percent;
  o["target_percent"] = PercentJson(r.target_percent);
  o["met"] = r.met;
  return o;
}

std::string AvailabilityResultToJson(const AvailabilityResult& r) {
  return AvailabilityResultToJsonValue(r).dump(2) + "\n";
}

}  // namespace sladesk
