// OrganisationService: customer organisations, their contract data and
// their contacts.
//
// Purpose: the rules of an organisation's contract: its policy and plan
// (checked against the loaded policies), the plan's limits as defaults
// (incidents per month, named contacts, support hours), its time zone,
// technical onboarding (seed 003: the lesser plan applies until an agent
// marks it complete), and the named support contacts the plan allows,
// every change of which is audited. Only admins change organisations; team
// leads and admins manage contacts.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/expected_version.h"
#include "desk/policy_registry.h"
#include "desk/ticket_engineering.h"

namespace sladesk {

// Fields of an organisation; unset ones are left as they are (or take the
// plan's defaults when creating). `clear_*`: set the field to none.
struct OrganisationInput {
  std::optional<std::string> name, policy_id, plan_id;
  std::optional<double> support_hours_budget;
  std::optional<std::int64_t> incidents_per_month;
  std::optional<std::string> renewal_date;  // YYYY-MM-DD
  std::optional<Id> csm_user_id;
  std::optional<std::int64_t> named_contact_limit;
  std::optional<std::string> time_zone;
  std::optional<bool> onboarding_complete;
  bool clear_support_hours_budget = false, clear_incidents_per_month = false, clear_renewal_date = false,
       clear_csm_user_id = false, clear_named_contact_limit = false, clear_time_zone = false;
};

// The organisation's escalation requests against its policy's
// "excessive" threshold (Lifecycle::excessive_escalations).
struct EscalationStanding {
  std::int64_t requests = 0;     // within the window
  std::int64_t threshold = 0;    // flagged from this many
  int within_days = 0;           // 0: ever
  bool excessive = false;
  std::string consequence;       // "lower_priority", "charges"
  std::string note;
};

struct OrganisationDetail {
  Organisation organisation;
  std::string effective_plan_id;  // the plan in force (onboarding)
  std::int64_t escalation_requests = 0;
  std::optional<EscalationStanding> escalations;  // when the policy sets a threshold
  std::int64_t incidents_this_month = 0;
  std::optional<std::int64_t> incident_limit;
  SupportHoursUsage support_hours;
};

struct ContactInput {
  std::optional<std::string> name, email, phone;
  std::optional<bool> named_contact, active;
};

class OrganisationService {
 public:
  OrganisationService(DeskRepository& repo, const PolicyRegistry& policies) : repo_(repo), policies_(policies) {}

  Result<Organisation> Create(const User& actor, Instant now, const OrganisationInput& input);
  Result<Organisation> Update(const User& actor, Instant now, Id id, const OrganisationInput& input,
                              const ExpectedVersion& expected);
  Result<OrganisationDetail> Get(const User& actor, Instant now, Id id);
  Result<std::vector<Organisation>> List(const User& actor);
  Result<Organisation> CompleteOnboarding(const User& actor, Instant now, Id id);

  Result<User> AddContact(const User& actor, Instant now, Id organisation_id, const ContactInput& input);
  Result<User> UpdateContact(const User& actor, Instant now, Id organisation_id, Id contact_id,
                             const ContactInput& input);
  Result<std::vector<User>> Contacts(const User& actor, Id organisation_id);
  Result<std::vector<ContactAuditEntry>> ContactAudit(const User& actor, Id organisation_id);

 private:
  // The organisation if the actor may see it (a contact only their own).
  Result<Organisation> Load(const User& actor, Id id, bool lock);
  Status Apply(const OrganisationInput& in, Organisation& o);
  Status CheckNamedLimit(const Organisation& o);

  DeskRepository& repo_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
