#include "desk/organisation_service.h"

#include "calendar/time_zone.h"
#include "desk/plan_rules.h"
#include "desk/text_rules.h"
#include "desk/ticket_rules.h"

namespace sladesk {
namespace {

bool IsLeadOrAdmin(const User& u) { return u.role == Role::kLead || u.role == Role::kAdmin || u.role == Role::kSystem; }
bool IsAdmin(const User& u) { return u.role == Role::kAdmin || u.role == Role::kSystem; }

Status CheckName(const char* field, const std::string& v, std::size_t max) {
  if (TextRules::IsBlank(v)) return MakeError(field, "'" + std::string(field) + "' must not be empty");
  if (v.size() > max) return MakeError(field, "'" + std::string(field) + "' is longer than " + std::to_string(max) + " bytes");
  return TextRules::CheckSingleLine(field, v);
}

Status CheckEmail(const std::string& v) {
  if (Status st = CheckName("email", v, 254); !st.ok()) return st;
  const size_t at = v.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == v.size() || v.find(' ') != std::string::npos)
    return MakeError("email", "'email' must be an e-mail address");
  return Status::Ok();
}

}  // namespace

Status OrganisationService::Apply(const OrganisationInput& in, Organisation& o) {
  if (in.name) {
    if (Status st = CheckName("name", *in.name, 200); !st.ok()) return st;
    o.name = *in.name;
  }
  if (in.policy_id) o.policy_id = *in.policy_id;
  if (in.plan_id) o.plan_id = *in.plan_id;
  if (in.support_hours_budget) {
    if (*in.support_hours_budget < 0 || *in.support_hours_budget > 1e6)
      return MakeError("support_hours_budget", "'support_hours_budget' must be 0 to 1000000 hours");
    o.support_hours_budget = in.support_hours_budget;
  }
  if (in.clear_support_hours_budget) o.support_hours_budget.reset();
  if (in.incidents_per_month) o.incidents_per_month = in.incidents_per_month;
  if (in.clear_incidents_per_month) o.incidents_per_month.reset();
  if (in.named_contact_limit) o.named_contact_limit = in.named_contact_limit;
  if (in.clear_named_contact_limit) o.named_contact_limit.reset();
  if (in.renewal_date) {
    if (in.renewal_date->size() != 10 || !ParseInstant(*in.renewal_date + "T00:00:00Z", "renewal_date").ok())
      return MakeError("renewal_date", "'renewal_date' must be a date YYYY-MM-DD");
    o.renewal_date = in.renewal_date;
  }
  if (in.clear_renewal_date) o.renewal_date.reset();
  if (in.time_zone) {
    if (auto z = TimeZone::Locate(*in.time_zone); !z.ok())
      return MakeError("time_zone", "unknown time zone '" + *in.time_zone + "' (an IANA name such as Europe/Berlin)");
    o.time_zone = in.time_zone;
  }
  if (in.clear_time_zone) o.time_zone.reset();
  if (in.csm_user_id) {
    auto u = repo_.GetUser(*in.csm_user_id);
    if (!u.ok()) return u.error();
    if (!*u || !IsStaff((*u)->role)) return MakeError("csm_user_id", "'csm_user_id' must be a staff user");
    o.csm_user_id = in.csm_user_id;
  }
  if (in.clear_csm_user_id) o.csm_user_id.reset();
  const Policy* p = policies_.Find(o.policy_id);
  if (!p) {
    std::string ids;
    for (const auto& id : policies_.Ids()) ids += (ids.empty() ? "" : ", ") + id;
    return MakeError("policy_id", "unknown policy '" + o.policy_id + "'; loaded: " + ids);
  }
  if (!p->FindPlan(o.plan_id)) {
    std::string ids;
    for (const auto& pl : p->plans) ids += (ids.empty() ? "" : ", ") + pl.id;
    return MakeError("plan_id", "policy '" + o.policy_id + "' has no plan '" + o.plan_id + "'; plans: " + ids);
  }
  if (in.onboarding_complete) o.onboarding_pending = !*in.onboarding_complete && p->onboarding.has_value();
  return Status::Ok();
}

Result<Organisation> OrganisationService::Create(const User& actor, Instant now, const OrganisationInput& in) {
  if (!IsAdmin(actor)) return ForbiddenError("only admins create organisations");
  for (auto [name, v] : {std::pair<const char*, const std::optional<std::string>*>{"name", &in.name},
                         {"policy_id", &in.policy_id}, {"plan_id", &in.plan_id}})
    if (!*v) return MakeError(name, "'" + std::string(name) + "' is required");
  Organisation o;
  if (Status st = Apply(in, o); !st.ok()) return st.error();
  // The plan's limits are the defaults of the contract.
  const Policy* policy = policies_.Find(o.policy_id);
  const Plan* plan = policy->FindPlan(o.plan_id);
  if (!in.incidents_per_month && plan->quota.incidents_per_month) o.incidents_per_month = *plan->quota.incidents_per_month;
  if (!in.named_contact_limit && plan->named_contacts) o.named_contact_limit = *plan->named_contacts;
  if (!in.support_hours_budget && plan->quota.support_hours) o.support_hours_budget = *plan->quota.support_hours;
  // New customers of a policy with an onboarding rule start on its plan.
  o.onboarding_pending = policy->onboarding.has_value() && !in.onboarding_complete.value_or(false);
  o.created_at = now;
  auto id = repo_.InsertOrganisation(o);
  if (!id.ok()) return id.error();
  o.id = *id;
  return o;
}

Result<Organisation> OrganisationService::Load(const User& actor, Id id, bool lock) {
  if (actor.role == Role::kContact && actor.organisation_id != id)
    return NotFoundError("organisation " + std::to_string(id) + " does not exist");
  auto o = repo_.GetOrganisation(id, lock);
  if (!o.ok()) return o.error();
  if (!*o) return NotFoundError("organisation " + std::to_string(id) + " does not exist");
  return std::move(**o);
}

Result<Organisation> OrganisationService::Update(const User& actor, Instant, Id id, const OrganisationInput& in,
                                                 const ExpectedVersion& expected) {
  if (!IsAdmin(actor)) return ForbiddenError("only admins change organisations");
  auto o = Load(actor, id, true);
  if (!o.ok()) return o.error();
  if (Status st = expected.Check(o->version, "organisation"); !st.ok()) return st.error();
  if (Status st = Apply(in, *o); !st.ok()) return st.error();
  auto ok = repo_.UpdateOrganisation(*o, o->version);
  if (!ok.ok()) return ok.error();
  if (!*ok) return MakeError(ErrorCode::kPreconditionFailed, "If-Match", "the organisation has changed since you read it");
  o->version += 1;
  return o;
}

Result<OrganisationDetail> OrganisationService::Get(const User& actor, Instant now, Id id) {
  auto o = Load(actor, id, false);
  if (!o.ok()) return o.error();
  OrganisationDetail d;
  const Policy* policy = policies_.Find(o->policy_id);
  const Plan* plan = policy ? PlanRules::EffectivePlan(*policy, *o) : nullptr;
  if (!plan) return InternalError("organisation " + std::to_string(id) + " has a policy or plan this server lacks");
  d.effective_plan_id = plan->id;
  auto esc = repo_.CountEscalations(o->id);
  if (!esc.ok()) return esc.error();
  d.escalation_requests = *esc;
  if (const auto& limit = policy->lifecycle.excessive_escalations) {
    EscalationStanding s;
    s.threshold = limit->requests;
    s.within_days = limit->within_days;
    s.consequence = limit->consequence;
    s.note = limit->note;
    s.requests = *esc;
    if (limit->within_days > 0) {
      auto recent = repo_.CountEscalationsSince(o->id, now - std::chrono::hours(24 * limit->within_days));
      if (!recent.ok()) return recent.error();
      s.requests = *recent;
    }
    s.excessive = s.requests >= s.threshold;
    d.escalations = s;
  }
  auto opened = repo_.CountIncidents(o->id, TicketRules::MonthStart(now, *PlanRules::MonthZone(*plan, *o)));
  if (!opened.ok()) return opened.error();
  d.incidents_this_month = *opened;
  d.incident_limit = o->incidents_per_month;
  if (!d.incident_limit && plan->quota.incidents_per_month) d.incident_limit = *plan->quota.incidents_per_month;
  auto usage = TicketEngineering::Usage(repo_, *plan, *o, now);
  if (!usage.ok()) return usage.error();
  d.support_hours = *usage;
  d.organisation = std::move(o).value();
  return d;
}

Result<std::vector<Organisation>> OrganisationService::List(const User& actor) {
  if (actor.role == Role::kContact) {
    auto o = Load(actor, *actor.organisation_id, false);
    if (!o.ok()) return o.error();
    return std::vector<Organisation>{std::move(o).value()};
  }
  return repo_.ListOrganisations(0, 1000);
}

Result<Organisation> OrganisationService::CompleteOnboarding(const User& actor, Instant now, Id id) {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff mark onboarding complete");
  auto o = Load(actor, id, true);
  if (!o.ok()) return o.error();
  if (!o->onboarding_pending) return ConflictError("onboarding", "organisation " + std::to_string(id) + " is not onboarding");
  o->onboarding_pending = false;
  auto ok = repo_.UpdateOrganisation(*o, o->version);
  if (!ok.ok()) return ok.error();
  if (!*ok) return ConflictError("version", "the organisation was changed by another request; retry", "version");
  o->version += 1;
  if (Status st = repo_.AppendContactAudit({0, o->id, actor.id, 0, "onboarding_completed", now}); !st.ok())
    return st.error();
  return o;
}

Status OrganisationService::CheckNamedLimit(const Organisation& o) {
  if (!o.named_contact_limit) return Status::Ok();
  auto n = repo_.CountNamedContacts(o.id);
  if (!n.ok()) return n.error();
  if (*n >= *o.named_contact_limit)
    return ConflictError("named_contact", "the plan allows " + std::to_string(*o.named_contact_limit) +
                                              " named support contact(s); unname one first",
                         "named-contact-limit");
  return Status::Ok();
}

Result<User> OrganisationService::AddContact(const User& actor, Instant now, Id organisation_id, const ContactInput& in) {
  if (!IsLeadOrAdmin(actor)) return ForbiddenError("only team leads and admins manage contacts");
  if (!in.name) return MakeError("name", "'name' is required");
  if (!in.email) return MakeError("email", "'email' is required");
  if (Status st = CheckName("name", *in.name, 200); !st.ok()) return st.error();
  if (Status st = CheckEmail(*in.email); !st.ok()) return st.error();
  if (in.phone)
    if (Status st = TextRules::CheckSingleLine("phone", *in.phone); !st.ok()) return st.error();
  auto o = Load(actor, organisation_id, true);
  if (!o.ok()) return o.error();
  auto existing = repo_.FindUserByEmail(*in.email);
  if (!existing.ok()) return existing.error();
  if (*existing) return ConflictError("email", "a user with e-mail '" + (*existing)->email + "' already exists");
  User u;
  u.name = *in.name;
  u.email = *in.email;
  u.phone = in.phone.value_or("");
  u.named_contact = in.named_contact.value_or(false);
  if (u.named_contact)
    if (Status st = CheckNamedLimit(*o); !st.ok()) return st.error();
  u.organisation_id = o->id;
  u.role = Role::kContact;
  u.created_at = now;
  auto id = repo_.InsertUser(u);
  if (!id.ok()) return id.error();
  u.id = *id;
  if (Status st = repo_.AppendContactAudit({0, o->id, actor.id, u.id, "added", now}); !st.ok()) return st.error();
  if (u.named_contact)
    if (Status st = repo_.AppendContactAudit({0, o->id, actor.id, u.id, "named", now}); !st.ok()) return st.error();
  return u;
}

Result<User> OrganisationService::UpdateContact(const User& actor, Instant now, Id organisation_id, Id contact_id,
                                                const ContactInput& in) {
  if (!IsLeadOrAdmin(actor)) return ForbiddenError("only team leads and admins manage contacts");
  if (in.email) return MakeError("email", "a contact's e-mail cannot be changed; add a new contact");
  auto o = Load(actor, organisation_id, true);
  if (!o.ok()) return o.error();
  auto found = repo_.GetUser(contact_id);
  if (!found.ok()) return found.error();
  if (!*found || (*found)->organisation_id != o->id)
    return NotFoundError("contact " + std::to_string(contact_id) + " does not exist");
  User u = **found;
  if (in.name) {
    if (Status st = CheckName("name", *in.name, 200); !st.ok()) return st.error();
    u.name = *in.name;
  }
  if (in.phone) {
    if (Status st = TextRules::CheckSingleLine("phone", *in.phone); !st.ok()) return st.error();
    u.phone = *in.phone;
  }
  std::vector<std::string> actions;
  if (in.named_contact && *in.named_contact != u.named_contact) {
    if (*in.named_contact)
      if (Status st = CheckNamedLimit(*o); !st.ok()) return st.error();
    u.named_contact = *in.named_contact;
    actions.push_back(*in.named_contact ? "named" : "unnamed");
  }
  if (in.active && *in.active != u.active) {
    u.active = *in.active;
    actions.push_back(*in.active ? "activated" : "deactivated");
  }
  if (Status st = repo_.UpdateUser(u); !st.ok()) return st.error();
  for (const auto& a : actions)
    if (Status st = repo_.AppendContactAudit({0, o->id, actor.id, u.id, a, now}); !st.ok()) return st.error();
  return u;
}

Result<std::vector<User>> OrganisationService::Contacts(const User& actor, Id organisation_id) {
  auto o = Load(actor, organisation_id, false);
  if (!o.ok()) return o.error();
  return repo_.ListUsers(o->id);
}

Result<std::vector<ContactAuditEntry>> OrganisationService::ContactAudit(const User& actor, Id organisation_id) {
  if (!IsStaff(actor.role)) return ForbiddenError("contacts cannot read the audit log");
  auto o = Load(actor, organisation_id, false);
  if (!o.ok()) return o.error();
  return repo_.ListContactAudit(o->id);
}

}  // namespace sladesk
