#include "compliance/availability.h"

#include <algorithm>
#include <set>

namespace sladesk {
namespace {

// Sorts and merges overlapping or touching spans.
std::vector<TimeSpan> Union(std::vector<TimeSpan> spans) {
  std::sort(spans.begin(), spans.end(),
            [](const TimeSpan& a, const TimeSpan& b) { return a.start < b.start || (a.start == b.start && a.end < b.end); });
  std::vector<TimeSpan> out;
  for (const TimeSpan& s : spans) {
    if (!out.empty() && s.start <= out.back().end) out.back().end = std::max(out.back().end, s.end);
    else out.push_back(s);
  }
  return out;
}

Seconds Length(const std::vector<TimeSpan>& spans) {
  Seconds total = 0;
  for (const TimeSpan& s : spans) total += ToEpoch(s.end) - ToEpoch(s.start);
  return total;
}

// `counted` minus `excluded`, both merged and sorted.
std::vector<TimeSpan> Subtract(const std::vector<TimeSpan>& counted, const std::vector<TimeSpan>& excluded) {
  std::vector<TimeSpan> out;
  size_t j = 0;
  for (const TimeSpan& c : counted) {
    Instant from = c.start;
    while (j < excluded.size() && excluded[j].end <= from) ++j;
    size_t k = j;
    while (from < c.end) {
      if (k >= excluded.size() || excluded[k].start >= c.end) {
        out.push_back({from, c.end});
        break;
      }
      if (excluded[k].start > from) out.push_back({from, excluded[k].start});
      from = std::max(from, excluded[k].end);
      ++k;
    }
  }
  return out;
}

std::shared_ptr<const TimeZone> Utc() {
  auto z = TimeZone::Locate("UTC");
  return *z;
}

// Zones of the given calendars that are not 24x7, in first-seen order.
void CollectZones(const BusinessCalendar* cal, std::vector<std::string>& zones) {
  if (cal == nullptr || cal->always_open()) return;
  const std::string& name = cal->zone().name();
  if (std::find(zones.begin(), zones.end(), name) == zones.end()) zones.push_back(name);
}

}  // namespace

std::string_view IncidentCauseName(IncidentCause cause) {
  switch (cause) {
    case IncidentCause::kOutage: return "outage";
    case IncidentCause::kSubcontractor: return "subcontractor";
    case IncidentCause::kAllowedMaintenance: return "allowed_maintenance";
    case IncidentCause::kExcludedCause: return "excluded_cause";
    case IncidentCause::kCustomer: return "customer";
    case IncidentCause::kThirdParty: return "third_party";
    case IncidentCause::kForceMajeure: return "force_majeure";
  }
  return "unknown";
}

std::optional<IncidentCause> IncidentCauseFromName(std::string_view name) {
  for (IncidentCause c : kAllIncidentCauses)
    if (IncidentCauseName(c) == name) return c;
  return std::nullopt;
}

std::string KnownIncidentCauseNames() {
  std::string out;
  for (IncidentCause c : kAllIncidentCauses) {
    if (!out.empty()) out += ", ";
    out += IncidentCauseName(c);
  }
  return out;
}

bool CountsAgainstAvailability(IncidentCause cause) {
  return cause == IncidentCause::kOutage || cause == IncidentCause::kSubcontractor;
}

Result<std::shared_ptr<const TimeZone>> AvailabilityZone(const Policy& policy) {
  if (policy.contract.availability && !policy.contract.availability->time_zone.empty()) {
    auto z = TimeZone::Locate(policy.contract.availability->time_zone);
    if (!z.ok()) return MakeError("contract.availability.time_zone", z.error().message);
    return *z;
  }
  std::vector<std::string> zones;
  for (const Plan& plan : policy.plans) CollectZones(plan.calendar.get(), zones);
  if (zones.empty())
    for (const auto& [id, cal] : policy.calendars) CollectZones(cal.get(), zones);
  if (zones.empty()) return Utc();
  if (zones.size() > 1) {
    std::string list;
    for (const auto& z : zones) list += (list.empty() ? "" : ", ") + z;
    return MakeError("contract.availability.time_zone",
                     "the policy's calendars are in several zones (" + list +
                         "); name the one a month is measured in");
  }
  auto z = TimeZone::Locate(zones.front());
  if (!z.ok()) return z.error();
  return *z;
}

Result<AvailabilityResult> ComputeAvailability(const AvailabilityRequest& request, const TimeZone& zone,
                                               const ExactDecimal& target) {
  AvailabilityResult r;
  r.month = request.month;
  r.zone = zone.name();
  r.target_percent = target;
  r.month_start = MonthStart(request.month, zone);
  r.month_end = MonthStart(AddMonths(request.month, 1), zone);
  if (request.as_of && *request.as_of < r.month_end) {
    r.complete = false;
    r.month_end = std::max(r.month_start, *request.as_of);
  }
  r.month_seconds = ToEpoch(r.month_end) - ToEpoch(r.month_start);

  std::vector<TimeSpan> counted, excluded;
  for (size_t i = 0; i < request.incidents.size(); ++i) {
    const ServiceIncident& inc = request.incidents[i];
    const std::string field = "incidents[" + std::to_string(i) + "]";
    Instant end;
    if (inc.end) {
      if (*inc.end <= inc.start)
        return MakeError(field + ".end", FormatInstant(*inc.end) + " is not after start " + FormatInstant(inc.start));
      end = *inc.end;
    } else {
      if (!request.as_of) return MakeError(field + ".end", "missing: an open incident needs as_of (now)");
      end = *request.as_of;
    }
    const Instant from = std::max(inc.start, r.month_start);
    const Instant to = std::min(end, r.month_end);
    if (from >= to) continue;
    (CountsAgainstAvailability(inc.cause) ? counted : excluded).push_back({from, to});
  }
  r.excluded_spans = Union(std::move(excluded));
  r.downtime_spans = Subtract(Union(std::move(counted)), r.excluded_spans);
  r.excluded_seconds = Length(r.excluded_spans);
  r.downtime_seconds = Length(r.downtime_spans);
  r.measured_seconds = r.month_seconds - r.excluded_seconds;
  if (r.measured_seconds == 0) {
    r.availability_micro_percent = 100'000'000;
    r.met = true;
  } else {
    const __int128 up = static_cast<__int128>(r.measured_seconds - r.downtime_seconds);
    // round(10^8 * up / measured), half up
    r.availability_micro_percent =
        static_cast<std::int64_t>((up * 200'000'000 + r.measured_seconds) / (2 * static_cast<__int128>(r.measured_seconds)));
    // percent = 100 up / measured >= target  <=>  (100 up) / measured compared exactly
    r.met = target.CompareRatio(static_cast<std::int64_t>(up) * 100, r.measured_seconds) >= 0;
  }
  r.availability_percent = static_cast<double>(r.availability_micro_percent) / 1e6;
  return r;
}

Result<AvailabilityResult> ComputeAvailability(const AvailabilityRequest& request, const Policy& policy) {
  if (!policy.contract.availability)
    return MakeError("contract.availability",
                     "the policy sets no availability level (add [contract.availability] monthly_target_percent)");
  auto zone = AvailabilityZone(policy);
  if (!zone.ok()) return zone.error();
  return ComputeAvailability(request, **zone, policy.contract.availability->monthly_target);
}

}  // namespace sladesk
