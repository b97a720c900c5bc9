// /api/v1/organisations: organisations, onboarding, contacts and their audit.
#include "desk/organisation_service.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/json_views.h"

namespace sladesk {
namespace {

using nlohmann::json;

constexpr std::initializer_list<const char*> kOrgFields = {
    "name", "policy_id", "plan_id", "support_hours_budget", "incidents_per_month", "renewal_date",
    "csm_user_id", "named_contact_limit", "time_zone", "onboarding_complete"};

// Reads the organisation fields of a body; `null` clears an optional one.
bool ReadOrg(JsonFields& f, OrganisationInput& in) {
  in.name = f.OptString("name", 200, false);
  in.policy_id = f.OptString("policy_id", 100, false);
  in.plan_id = f.OptString("plan_id", 100, false);
  in.support_hours_budget = f.OptNumber("support_hours_budget", 0, 1e6);
  in.clear_support_hours_budget = f.IsNull("support_hours_budget");
  in.incidents_per_month = f.OptInt("incidents_per_month", 0, 100000);
  in.clear_incidents_per_month = f.IsNull("incidents_per_month");
  in.renewal_date = f.OptString("renewal_date", 10, false);
  in.clear_renewal_date = f.IsNull("renewal_date");
  in.csm_user_id = f.OptInt("csm_user_id", 1, INT64_MAX);
  in.clear_csm_user_id = f.IsNull("csm_user_id");
  in.named_contact_limit = f.OptInt("named_contact_limit", 0, 10000);
  in.clear_named_contact_limit = f.IsNull("named_contact_limit");
  in.time_zone = f.OptString("time_zone", 64, false);
  in.clear_time_zone = f.IsNull("time_zone");
  in.onboarding_complete = f.OptBool("onboarding_complete");
  return f.ok();
}

ApiResponse OrgResponse(int status, const Organisation& o) {
  return WithHeader(JsonResponse(status, OrgJson(o)), "ETag", OrgETag(o));
}

bool ReadContact(JsonFields& f, ContactInput& in) {
  in.name = f.OptString("name", 200, false);
  in.email = f.OptString("email", 254, false);
  in.phone = f.OptString("phone", 40);
  in.named_contact = f.OptBool("named_contact");
  in.active = f.OptBool("active");
  return f.ok();
}

}  // namespace

ApiResponse CreateOrganisation(ApiCall& call) {
  JsonFields f(call.body, kOrgFields);
  OrganisationInput in;
  if (!ReadOrg(f, in)) return ProblemResponse(f.error());
  auto o = OrganisationService(call.repo, call.policies).Create(call.actor, call.now, in);
  if (!o.ok()) return ProblemFor(o.error());
  return WithHeader(OrgResponse(201, *o), "Location", "/api/v1/organisations/" + std::to_string(o->id));
}

ApiResponse ListOrganisations(ApiCall& call) {
  auto list = OrganisationService(call.repo, call.policies).List(call.actor);
  if (!list.ok()) return ProblemFor(list.error());
  json items = json::array();
  for (const auto& o : *list) items.push_back(OrgJson(o));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse GetOrganisation(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto d = OrganisationService(call.repo, call.policies).Get(call.actor, call.now, id);
  if (!d.ok()) return ProblemFor(d.error());
  return WithHeader(JsonResponse(200, OrgDetailJson(*d)), "ETag", OrgETag(d->organisation));
}

ApiResponse UpdateOrganisation(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  JsonFields f(call.body, kOrgFields);
  OrganisationInput in;
  if (!ReadOrg(f, in)) return ProblemResponse(f.error());
  ParsedIfMatch m = ParseIfMatch(call.req.if_match, 'o', id);
  ExpectedVersion expected{true, m.given, m.any, std::move(m.versions)};
  auto o = OrganisationService(call.repo, call.policies).Update(call.actor, call.now, id, in, expected);
  if (!o.ok()) return ProblemFor(o.error());
  return OrgResponse(200, *o);
}

ApiResponse CompleteOnboarding(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  JsonFields f(call.body, {});
  if (!f.ok()) return ProblemResponse(f.error());
  auto o = OrganisationService(call.repo, call.policies).CompleteOnboarding(call.actor, call.now, id);
  if (!o.ok()) return ProblemFor(o.error());
  return OrgResponse(200, *o);
}

ApiResponse ListContacts(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto users = OrganisationService(call.repo, call.policies).Contacts(call.actor, id);
  if (!users.ok()) return ProblemFor(users.error());
  json items = json::array();
  for (const auto& u : *users) items.push_back(UserJson(u));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse AddContact(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  JsonFields f(call.body, {"name", "email", "phone", "named_contact"});
  ContactInput in;
  in.name = f.RequiredString("name", 200);
  in.email = f.RequiredString("email", 254);
  in.phone = f.OptString("phone", 40);
  in.named_contact = f.OptBool("named_contact");
  if (!f.ok()) return ProblemResponse(f.error());
  auto u = OrganisationService(call.repo, call.policies).AddContact(call.actor, call.now, id, in);
  if (!u.ok()) return ProblemFor(u.error());
  return WithHeader(JsonResponse(201, UserJson(*u)), "Location",
                    "/api/v1/organisations/" + std::to_string(id) + "/contacts/" + std::to_string(u->id));
}

ApiResponse UpdateContact(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0, uid = 0;
  if (!IdParam(call, 0, "id", &id, &problem) || !IdParam(call, 1, "user_id", &uid, &problem)) return problem;
  JsonFields f(call.body, {"name", "phone", "named_contact", "active"});
  ContactInput in;
  if (!ReadContact(f, in)) return ProblemResponse(f.error());
  auto u = OrganisationService(call.repo, call.policies).UpdateContact(call.actor, call.now, id, uid, in);
  if (!u.ok()) return ProblemFor(u.error());
  return JsonResponse(200, UserJson(*u));
}

ApiResponse ListContactAudit(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto rows = OrganisationService(call.repo, call.policies).ContactAudit(call.actor, id);
  if (!rows.ok()) return ProblemFor(rows.error());
  json items = json::array();
  for (const auto& a : *rows)
    items.push_back({{"id", a.id}, {"actor_id", a.actor_id}, {"contact_id", a.contact_id == 0 ? json(nullptr) : json(a.contact_id)},
                     {"action", a.action}, {"at", FormatInstant(a.at)}});
  return JsonResponse(200, json{{"items", items}});
}

}  // namespace sladesk
