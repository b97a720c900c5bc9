// The JSON of the compliance resources: incidents and maintenance windows
// (staff's full form and the public status form), availability months,
// downtime notices, remedy periods and RCA tasks.
//
// Purpose: one place for these shapes (api/openapi.json: Incident,
// Availability, DowntimeNotice, RemedyPeriod, RcaTask, ServiceStatus), so
// handlers stay transport only. The public form of an incident carries no
// description, organisation or author.
// Thread-safety: pure functions. Ownership: results own their values.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "desk/downtime_service.h"
#include "desk/incident_service.h"

namespace sladesk {

nlohmann::json IncidentJson(const ServiceIncidentRecord& r);
std::string IncidentETag(const ServiceIncidentRecord& r);
nlohmann::json PublicIncidentJson(const StatusIncident& r);
// The CONTRACT §7 keys (as `report availability` writes them), then the month's edges.
nlohmann::json AvailabilityMonthJson(const AvailabilityResult& r);
nlohmann::json OrganisationAvailabilityJson(const OrganisationAvailability& a);
nlohmann::json RcaTaskJson(const RcaTaskRecord& t);
nlohmann::json DowntimeNoticeJson(const DowntimeNoticeRecord& n);
nlohmann::json RemedyPeriodJson(const RemedyPeriodRecord& p);
nlohmann::json RemedyReportJson(const RemedyReport& r);
nlohmann::json ServiceStatusJson(const ServiceStatus& s);

}  // namespace sladesk
