// IncidentService: service incidents and maintenance windows, the
// availability level they give each organisation's months (CONTRACT §7),
// the root-cause-analysis task of a month that misses its target (seed
// 004), and the public status (what the status page shows).
//
// Purpose: the desk's rules on incidents: staff record, change, end and
// delete them (contacts may not); an incident is either the whole
// service's (organisation_id unset: it counts for every organisation and
// is public) or one organisation's (private); maintenance windows are
// `allowed_maintenance` and may be planned ahead, incidents may not start
// or end in the future. Availability is ComputeAvailability over the
// organisation's and the service-wide incidents overlapping the month, in
// the policy's zone against its target, with as_of = now (open incidents
// run until now; a month in progress is cut at now). Every write re-reviews
// the completed months it touched for the affected organisations: a month
// that missed its target gets one RCA task (never two), assigned to a team
// lead (the organisation's CSM when that is a lead, else the first active
// lead; none: unassigned). ReviewMonth does the same for one month of every
// organisation (for the scheduler at a month's end).
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "compliance/availability.h"
#include "desk/compliance_records.h"
#include "desk/desk_repository.h"
#include "desk/expected_version.h"
#include "desk/policy_registry.h"

namespace sladesk {

// Fields of an incident; unset ones are left as they are (or defaulted).
struct IncidentInput {
  std::optional<Id> organisation_id;
  bool clear_organisation = false;  // make it service-wide
  std::optional<std::string> service, cause, title, description;
  std::optional<Instant> start, end;
  bool clear_end = false;  // reopen it
};

struct OrganisationAvailability {
  Organisation organisation;
  AvailabilityResult result;
  std::vector<ServiceIncidentRecord> incidents;  // the ones overlapping the month
  std::optional<RcaTaskRecord> rca_task;
};

struct StatusIncident {  // what the public sees of an incident
  Id id = 0;
  IncidentKind kind = IncidentKind::kIncident;
  std::string service;
  IncidentCause cause = IncidentCause::kOutage;
  std::string title;
  Instant start{};
  std::optional<Instant> end;
};

struct StatusAvailability {  // one policy's months, service-wide incidents only
  std::string policy_id;
  std::string policy_name;
  ExactDecimal target_percent;
  std::vector<AvailabilityResult> months;  // oldest first, the current one last
};

struct ServiceStatus {
  Instant now{};
  std::vector<StatusIncident> current;   // service-wide incidents open now
  std::vector<StatusIncident> maintenance;  // service-wide maintenance now or planned
  std::vector<StatusAvailability> availability;
};

class IncidentService {
 public:
  static constexpr int kStatusMonths = 12;

  IncidentService(DeskRepository& repo, const PolicyRegistry& policies) : repo_(repo), policies_(policies) {}

  Result<ServiceIncidentRecord> Record(const User& actor, Instant now, IncidentKind kind, const IncidentInput& in);
  Result<ServiceIncidentRecord> Update(const User& actor, Instant now, Id id, const IncidentInput& in,
                                       const ExpectedVersion& expected);
  // Ends an open incident at `end` (default now).
  Result<ServiceIncidentRecord> End(const User& actor, Instant now, Id id, std::optional<Instant> end);
  Status Delete(const User& actor, Instant now, Id id);
  Result<ServiceIncidentRecord> Get(const User& actor, Id id);
  Result<std::vector<ServiceIncidentRecord>> List(const User& actor, IncidentQuery query);

  // `month` is YYYY-MM. Contacts read their own organisation's only.
  Result<OrganisationAvailability> Availability(const User& actor, Instant now, Id organisation_id,
                                                const std::string& month);
  // Opens the RCA tasks owed for `month` (complete months only) for every
  // organisation whose policy has an availability level; the tasks opened.
  Result<std::vector<RcaTaskRecord>> ReviewMonth(const User& actor, Instant now, const std::string& month);
  Result<std::vector<RcaTaskRecord>> RcaTasks(const User& actor, std::optional<Id> organisation_id, bool open_only);

  // No actor: public.
  Result<ServiceStatus> PublicStatus(Instant now);

 private:
  Status CheckStaff(const User& actor) const;
  Status Apply(Instant now, IncidentKind kind, const IncidentInput& in, ServiceIncidentRecord& rec);
  Result<ServiceIncidentRecord> Load(Id id, bool lock);
  Result<AvailabilityResult> Compute(const Policy& policy, std::optional<Id> organisation_id, YearMonth month,
                                     Instant now, std::vector<ServiceIncidentRecord>* incidents);
  // Re-reviews the complete months [from, to) touches for the organisations it affects.
  Status ReviewAfterWrite(Instant now, std::optional<Id> organisation_id, Instant from, Instant to);
  Result<std::optional<RcaTaskRecord>> ReviewOrganisationMonth(Instant now, const Organisation& org, YearMonth month);
  Result<std::optional<Id>> TeamLeadFor(const Organisation& org);

  DeskRepository& repo_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
