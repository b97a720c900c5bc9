#include "server/desk_api.h"

#include <chrono>
#include <exception>
#include <optional>

#include <nlohmann/json.hpp>

#include "server/json_body.h"
#include "server/json_fields.h"
#include "server/sla_projector.h"
#include "server/token_codec.h"
#include "storage/ticket_rules.h"

namespace sladesk {
namespace {

using nlohmann::json;

// ---------------------------------------------------------------- plumbing

struct Call {
  const ApiRequest& req;
  std::vector<std::string> params;
  json body;
  User actor;
  Instant now;
  const PolicyRegistry& policies;
  const DeskApiConfig& config;
};

using Handler = ApiResponse (*)(Call&, DeskRepository&);

struct Route {
  const char* method;
  const char* pattern;
  bool write;
  bool idempotent_create;
  Handler handler;
};

ApiResponse Problem(const ApiError& e) { return ProblemResponse(e); }

ApiResponse DbError(const Error& e) {
  return Problem({500, "internal", "Internal error", "the database failed: " + e.message, e.field});
}

#define SLADESK_TRY(var, expr)                 \
  auto var##_result = (expr);                  \
  if (!var##_result.ok()) return DbError(var##_result.error()); \
  auto& var = *var##_result;

std::string Dump(const json& body) { return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

ApiResponse JsonResponse(int status, const json& body) {
  ApiResponse r;
  r.status = status;
  r.body = Dump(body);
  return r;
}

// `make` runs later, on the HTTP thread (ApiResponse::render_body): it must
// own everything it reads.
ApiResponse DeferredJsonResponse(int status, std::function<json()> make) {
  ApiResponse r;
  r.status = status;
  r.render_body = [make = std::move(make)] { return Dump(make()); };
  return r;
}

std::string TicketETag(const Ticket& t) {
  return "\"t" + std::to_string(t.number) + "v" + std::to_string(t.version) + "\"";
}
std::string OrgETag(const Organisation& o) {
  return "\"o" + std::to_string(o.id) + "v" + std::to_string(o.version) + "\"";
}

json OptTime(const std::optional<Instant>& t) { return t ? json(FormatInstant(*t)) : json(nullptr); }
json OptInt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json UserJson(const User& u) {
  return json{{"id", u.id},
              {"name", u.name},
              {"email", u.email},
              {"role", RoleName(u.role)},
              {"organisation_id", OptInt(u.organisation_id)},
              {"named_contact", u.named_contact},
              {"active", u.active},
              {"created_at", FormatInstant(u.created_at)}};
}

json OrgJson(const Organisation& o) {
  return json{{"id", o.id},
              {"name", o.name},
              {"policy_id", o.policy_id},
              {"plan_id", o.plan_id},
              {"support_hours_budget", o.support_hours_budget ? json(*o.support_hours_budget) : json(nullptr)},
              {"incidents_per_month", OptInt(o.incidents_per_month)},
              {"renewal_date", o.renewal_date ? json(*o.renewal_date) : json(nullptr)},
              {"csm_user_id", OptInt(o.csm_user_id)},
              {"named_contact_limit", OptInt(o.named_contact_limit)},
              {"created_at", FormatInstant(o.created_at)},
              {"version", o.version}};
}

json TicketJson(const Ticket& t, const json& sla) {
  return json{{"number", t.number},
              {"organisation_id", t.organisation_id},
              {"requester_id", t.requester_id},
              {"subject", t.subject},
              {"description", t.description},
              {"steps_to_reproduce", t.steps_to_reproduce},
              {"business_impact", t.business_impact},
              {"product_area", t.product_area},
              {"error_details", t.error_details},
              {"channel", TicketChannelName(t.channel)},
              {"severity", t.severity},
              {"status", StatusName(t.status)},
              {"assignee_id", OptInt(t.assignee_id)},
              {"outcome", t.outcome ? json(TicketOutcomeName(*t.outcome)) : json(nullptr)},
              {"external_issue", t.external_issue.empty() ? json(nullptr) : json(t.external_issue)},
              {"escalation_level", t.escalation_level},
              {"over_quota", t.over_quota},
              {"opened_at", FormatInstant(t.opened_at)},
              {"updated_at", FormatInstant(t.updated_at)},
              {"resolved_at", OptTime(t.resolved_at)},
              {"closed_at", OptTime(t.closed_at)},
              {"version", t.version},
              {"sla",
               {{"next_due_at", OptTime(t.next_due)},
                {"breached", t.breached},
                {"first_response_due_at", OptTime(t.first_response_due)},
                {"next_update_due_at", OptTime(t.next_update_due)},
                {"resolution_due_at", OptTime(t.resolution_due)},
                {"metrics", sla}}}};
}

json StoredSla(const Ticket& t) {
  auto j = json::parse(t.sla_json, nullptr, false);
  return j.is_discarded() ? json::array() : j;
}

// The stored metrics as seen at `now` without re-reading the event log (the
// queue lists many tickets): with no new event, the only change time makes
// is a running metric passing its due time, which turns it breached (and
// counts one more next_update breach). elapsed_seconds stays as of the
// ticket's last change ("evaluated_at"); GET /tickets/{n} evaluates live.
json StoredSlaAt(const Ticket& t, Instant now) {
  json metrics = StoredSla(t);
  for (auto& m : metrics) {
    if (!m.is_object() || m.value("state", "") != "running" || !m.contains("due_at") || !m["due_at"].is_string())
      continue;
    auto due = ParseInstant(m["due_at"].get<std::string>(), "due_at");
    if (!due.ok() || now <= *due) continue;
    m["state"] = "breached";
    m["breaches"] = m.value("breaches", 0) + 1;
  }
  return metrics;
}

bool ParseId(const std::string& s, std::int64_t* out) {
  if (s.empty() || s.size() > 18) return false;
  std::int64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

// Everything the handlers need about one organisation's rules.
struct OrgRules {
  const Policy* policy = nullptr;
  const Plan* plan = nullptr;
};

std::optional<ApiError> RulesFor(const Call& call, const Organisation& org, OrgRules* out) {
  out->policy = call.policies.Find(org.policy_id);
  if (!out->policy)
    return ApiError{500, "internal", "Internal error",
                    "organisation " + std::to_string(org.id) + " uses policy '" + org.policy_id +
                        "', which this server has not loaded",
                    "policy_id"};
  out->plan = out->policy->FindPlan(org.plan_id);
  if (!out->plan)
    return ApiError{500, "internal", "Internal error",
                    "policy '" + org.policy_id + "' has no plan '" + org.plan_id + "'", "plan_id"};
  return std::nullopt;
}

bool IsLeadOrAdmin(const User& u) { return u.role == Role::kLead || u.role == Role::kAdmin; }

// Loads the ticket in the URL if the actor may see it; another tenant's
// ticket is reported as not found (its existence is not revealed).
// With `log_out`, also its event log: read here, before the caller writes
// anything, so that in a batch every write of the unit can be queued.
std::optional<ApiError> LoadTicket(Call& call, DeskRepository& repo, bool lock, Ticket* out,
                                   Organisation* org_out = nullptr,
                                   std::vector<TicketEventRecord>* log_out = nullptr) {
  std::int64_t number = 0;
  if (!ParseId(call.params.at(0), &number))
    return BadRequest("number", "ticket number '" + call.params.at(0) + "' must be a positive integer");
  auto t = repo.GetTicketByNumber(number, lock);
  if (!t.ok()) return ApiError{500, "internal", "Internal error", t.error().message, "database"};
  if (!t->has_value() ||
      (call.actor.role == Role::kContact && call.actor.organisation_id != (*t)->organisation_id))
    return NotFound("ticket " + std::to_string(number) + " does not exist");
  *out = **t;
  if (org_out) {
    // Not locked: only creates lock the organisation (for the quota), so
    // ticket changes and creates always lock in the same order.
    auto o = repo.GetOrganisation(out->organisation_id, false);
    if (!o.ok()) return ApiError{500, "internal", "Internal error", o.error().message, "database"};
    if (!o->has_value()) return NotFound("organisation of ticket " + std::to_string(number));
    *org_out = **o;
  }
  if (log_out) {
    auto log = repo.ListEvents(out->id);
    if (!log.ok()) return ApiError{500, "internal", "Internal error", log.error().message, "database"};
    *log_out = std::move(log).value();
  }
  return std::nullopt;
}

std::optional<ApiError> CheckIfMatch(const Call& call, const std::string& etag, bool required) {
  const std::string& im = call.req.if_match;
  if (im.empty()) {
    if (required)
      return ApiError{428, "precondition-required", "Precondition required",
                      "send If-Match with the ETag from your last GET to update this resource", "If-Match"};
    return std::nullopt;
  }
  if (im == "*" || im == etag || im == "W/" + etag) return std::nullopt;
  return ApiError{412, "precondition-failed", "Precondition failed",
                  "the resource has changed since you read it (current ETag " + etag + ")", "If-Match"};
}

// Appends the events, re-derives the SLA clocks from the whole log (`log`,
// as LoadTicket read it, and the new events) and saves the ticket under its
// version check.
ApiResponse SaveTicket(Call& call, DeskRepository& repo, const OrgRules& rules, Ticket& ticket,
                       std::vector<TicketEventRecord> log, const std::vector<TicketEventRecord>& events,
                       int status = 200) {
  for (auto e : events) {
    e.ticket_id = ticket.id;
    if (Status st = repo.AppendEvent(e); !st.ok()) return DbError(st.error());
    log.push_back(std::move(e));
  }
  Status st = SlaProjector::Project(*rules.policy, *rules.plan, log, call.now, ticket);
  if (!st.ok()) return Problem(Invalid(st.error().field, st.error().message));
  ticket.updated_at = call.now;
  SLADESK_TRY(saved, repo.UpdateTicket(ticket, ticket.version));
  if (!saved)
    return Problem({409, "conflict", "Conflict", "the ticket was changed by another request; retry", "version"});
  ticket.version += 1;
  ApiResponse r = DeferredJsonResponse(status, [ticket] { return TicketJson(ticket, StoredSla(ticket)); });
  r.headers.emplace_back("ETag", TicketETag(ticket));
  return r;
}

TicketEventRecord Event(const Call& call, EventKind kind, json data = json::object()) {
  TicketEventRecord e;
  e.at = call.now;
  e.actor_id = call.actor.id;
  e.kind = kind;
  e.data_json = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

// ---------------------------------------------------------------- handlers

ApiResponse GetMe(Call& call, DeskRepository&) { return JsonResponse(200, UserJson(call.actor)); }

std::optional<ApiError> ReadOrgFields(JsonFields& f, DeskRepository& repo, const Call& call, Organisation& o) {
  if (auto v = f.OptString("name", 200, false)) o.name = *v;
  if (auto v = f.OptString("policy_id", 100, false)) o.policy_id = *v;
  if (auto v = f.OptString("plan_id", 100, false)) o.plan_id = *v;
  if (f.has("support_hours_budget")) o.support_hours_budget = f.OptNumber("support_hours_budget", 0, 1e6);
  if (f.has("incidents_per_month")) o.incidents_per_month = f.OptInt("incidents_per_month", 0, 100000);
  if (f.has("named_contact_limit")) o.named_contact_limit = f.OptInt("named_contact_limit", 0, 10000);
  if (f.has("renewal_date")) {
    o.renewal_date = f.OptString("renewal_date", 10, false);
    if (o.renewal_date && !ParseInstant(*o.renewal_date + "T00:00:00Z", "renewal_date").ok())
      f.Fail(Invalid("renewal_date", "'renewal_date' must be a date YYYY-MM-DD"));
  }
  if (f.has("csm_user_id")) {
    o.csm_user_id = f.OptInt("csm_user_id", 1, INT64_MAX);
    if (f.ok() && o.csm_user_id) {
      auto u = repo.GetUser(*o.csm_user_id);
      if (!u.ok()) return ApiError{500, "internal", "Internal error", u.error().message, "database"};
      if (!u->has_value() || !IsStaff((*u)->role))
        f.Fail(Invalid("csm_user_id", "'csm_user_id' must be a staff user"));
    }
  }
  if (!f.ok()) return f.error();
  const Policy* p = call.policies.Find(o.policy_id);
  if (!p) {
    std::string ids;
    for (const auto& id : call.policies.Ids()) ids += (ids.empty() ? "" : ", ") + id;
    return Invalid("policy_id", "unknown policy '" + o.policy_id + "'; loaded: " + ids);
  }
  const Plan* plan = p->FindPlan(o.plan_id);
  if (!plan) {
    std::string ids;
    for (const auto& pl : p->plans) ids += (ids.empty() ? "" : ", ") + pl.id;
    return Invalid("plan_id", "policy '" + o.policy_id + "' has no plan '" + o.plan_id + "'; plans: " + ids);
  }
  return std::nullopt;
}

ApiResponse CreateOrganisation(Call& call, DeskRepository& repo) {
  if (call.actor.role != Role::kAdmin) return Problem(Forbidden("only admins create organisations"));
  JsonFields f(call.body, {"name", "policy_id", "plan_id", "support_hours_budget", "incidents_per_month",
                           "renewal_date", "csm_user_id", "named_contact_limit"});
  Organisation o;
  o.name = f.RequiredString("name", 200);
  o.policy_id = f.RequiredString("policy_id", 100);
  o.plan_id = f.RequiredString("plan_id", 100);
  if (!f.ok()) return Problem(f.error());
  if (auto e = ReadOrgFields(f, repo, call, o)) return Problem(*e);
  // The plan's limits are the defaults of the contract.
  const Plan* plan = call.policies.Find(o.policy_id)->FindPlan(o.plan_id);
  if (!f.has("incidents_per_month") && plan->quota.incidents_per_month)
    o.incidents_per_month = *plan->quota.incidents_per_month;
  if (!f.has("named_contact_limit") && plan->named_contacts) o.named_contact_limit = *plan->named_contacts;
  if (!f.has("support_hours_budget") && plan->quota.support_hours) o.support_hours_budget = *plan->quota.support_hours;
  o.created_at = call.now;
  SLADESK_TRY(id, repo.InsertOrganisation(o));
  o.id = id;
  ApiResponse r = JsonResponse(201, OrgJson(o));
  r.headers.emplace_back("Location", "/api/v1/organisations/" + std::to_string(id));
  r.headers.emplace_back("ETag", OrgETag(o));
  return r;
}

std::optional<ApiError> LoadOrg(Call& call, DeskRepository& repo, bool lock, Organisation* out) {
  std::int64_t id = 0;
  if (!ParseId(call.params.at(0), &id)) return BadRequest("id", "organisation id must be a positive integer");
  if (call.actor.role == Role::kContact && call.actor.organisation_id != id)
    return NotFound("organisation " + std::to_string(id) + " does not exist");
  auto o = repo.GetOrganisation(id, lock);
  if (!o.ok()) return ApiError{500, "internal", "Internal error", o.error().message, "database"};
  if (!o->has_value()) return NotFound("organisation " + std::to_string(id) + " does not exist");
  *out = **o;
  return std::nullopt;
}

ApiResponse GetOrganisation(Call& call, DeskRepository& repo) {
  Organisation o;
  if (auto e = LoadOrg(call, repo, false, &o)) return Problem(*e);
  json j = OrgJson(o);
  SLADESK_TRY(esc, repo.CountEscalations(o.id));
  SLADESK_TRY(opened, repo.CountIncidents(o.id, TicketRules::MonthStart(call.now)));
  j["escalation_requests"] = esc;
  j["incidents_this_month"] = opened;
  ApiResponse r = JsonResponse(200, j);
  r.headers.emplace_back("ETag", OrgETag(o));
  return r;
}

ApiResponse ListOrganisations(Call& call, DeskRepository& repo) {
  json items = json::array();
  if (call.actor.role == Role::kContact) {
    SLADESK_TRY(o, repo.GetOrganisation(*call.actor.organisation_id, false));
    if (o) items.push_back(OrgJson(*o));
  } else {
    SLADESK_TRY(list, repo.ListOrganisations(0, 1000));
    for (const auto& o : list) items.push_back(OrgJson(o));
  }
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse UpdateOrganisation(Call& call, DeskRepository& repo) {
  if (call.actor.role != Role::kAdmin) return Problem(Forbidden("only admins change organisations"));
  Organisation o;
  if (auto e = LoadOrg(call, repo, true, &o)) return Problem(*e);
  if (auto e = CheckIfMatch(call, OrgETag(o), true)) return Problem(*e);
  JsonFields f(call.body, {"name", "policy_id", "plan_id", "support_hours_budget", "incidents_per_month",
                           "renewal_date", "csm_user_id", "named_contact_limit"});
  if (auto e = ReadOrgFields(f, repo, call, o)) return Problem(*e);
  SLADESK_TRY(ok, repo.UpdateOrganisation(o, o.version));
  if (!ok) return Problem({412, "precondition-failed", "Precondition failed", "the organisation changed", "If-Match"});
  o.version += 1;
  ApiResponse r = JsonResponse(200, OrgJson(o));
  r.headers.emplace_back("ETag", OrgETag(o));
  return r;
}

ApiResponse ListContacts(Call& call, DeskRepository& repo) {
  Organisation o;
  if (auto e = LoadOrg(call, repo, false, &o)) return Problem(*e);
  SLADESK_TRY(users, repo.ListUsers(o.id));
  json items = json::array();
  for (const auto& u : users) items.push_back(UserJson(u));
  return JsonResponse(200, json{{"items", items}});
}

std::optional<ApiError> CheckNamedLimit(DeskRepository& repo, const Organisation& o) {
  if (!o.named_contact_limit) return std::nullopt;
  auto n = repo.CountNamedContacts(o.id);
  if (!n.ok()) return ApiError{500, "internal", "Internal error", n.error().message, "database"};
  if (*n >= *o.named_contact_limit)
    return Conflict("named_contact", "the plan allows " + std::to_string(*o.named_contact_limit) +
                                         " named support contact(s); unname one first");
  return std::nullopt;
}

ApiResponse AddContact(Call& call, DeskRepository& repo) {
  if (!IsLeadOrAdmin(call.actor)) return Problem(Forbidden("only team leads and admins manage contacts"));
  Organisation o;
  if (auto e = LoadOrg(call, repo, true, &o)) return Problem(*e);
  JsonFields f(call.body, {"name", "email", "named_contact"});
  User u;
  u.name = f.RequiredString("name", 200);
  u.email = f.RequiredString("email", 254);
  u.named_contact = f.OptBool("named_contact").value_or(false);
  if (!f.ok()) return Problem(f.error());
  if (u.email.find('@') == std::string::npos) return Problem(Invalid("email", "'email' must be an e-mail address"));
  SLADESK_TRY(existing, repo.FindUserByEmail(u.email));
  if (existing) return Problem(Conflict("email", "a user with e-mail '" + u.email + "' already exists"));
  if (u.named_contact)
    if (auto e = CheckNamedLimit(repo, o)) return Problem(*e);
  u.organisation_id = o.id;
  u.role = Role::kContact;
  u.created_at = call.now;
  SLADESK_TRY(id, repo.InsertUser(u));
  u.id = id;
  Status st = repo.AppendContactAudit({0, o.id, call.actor.id, id, "added", call.now});
  if (!st.ok()) return DbError(st.error());
  if (u.named_contact) {
    st = repo.AppendContactAudit({0, o.id, call.actor.id, id, "named", call.now});
    if (!st.ok()) return DbError(st.error());
  }
  ApiResponse r = JsonResponse(201, UserJson(u));
  r.headers.emplace_back("Location", "/api/v1/organisations/" + std::to_string(o.id) + "/contacts/" + std::to_string(id));
  return r;
}

ApiResponse UpdateContact(Call& call, DeskRepository& repo) {
  if (!IsLeadOrAdmin(call.actor)) return Problem(Forbidden("only team leads and admins manage contacts"));
  Organisation o;
  if (auto e = LoadOrg(call, repo, true, &o)) return Problem(*e);
  std::int64_t uid = 0;
  if (!ParseId(call.params.at(1), &uid)) return Problem(BadRequest("user_id", "contact id must be a positive integer"));
  SLADESK_TRY(found, repo.GetUser(uid));
  if (!found || found->organisation_id != o.id) return Problem(NotFound("contact " + std::to_string(uid)));
  User u = *found;
  JsonFields f(call.body, {"name", "named_contact", "active"});
  auto name = f.OptString("name", 200, false);
  auto named = f.OptBool("named_contact");
  auto active = f.OptBool("active");
  if (!f.ok()) return Problem(f.error());
  if (name) u.name = *name;
  std::vector<std::string> actions;
  if (named && *named != u.named_contact) {
    if (*named)
      if (auto e = CheckNamedLimit(repo, o)) return Problem(*e);
    u.named_contact = *named;
    actions.push_back(*named ? "named" : "unnamed");
  }
  if (active && *active != u.active) {
    u.active = *active;
    actions.push_back(*active ? "activated" : "deactivated");
  }
  Status st = repo.UpdateUser(u);
  if (!st.ok()) return DbError(st.error());
  for (const auto& a : actions) {
    st = repo.AppendContactAudit({0, o.id, call.actor.id, u.id, a, call.now});
    if (!st.ok()) return DbError(st.error());
  }
  return JsonResponse(200, UserJson(u));
}

ApiResponse ListContactAudit(Call& call, DeskRepository& repo) {
  if (!IsStaff(call.actor.role)) return Problem(Forbidden("contacts cannot read the audit log"));
  Organisation o;
  if (auto e = LoadOrg(call, repo, false, &o)) return Problem(*e);
  SLADESK_TRY(rows, repo.ListContactAudit(o.id));
  json items = json::array();
  for (const auto& a : rows)
    items.push_back({{"id", a.id}, {"actor_id", a.actor_id}, {"contact_id", a.contact_id},
                     {"action", a.action}, {"at", FormatInstant(a.at)}});
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse CreateUser(Call& call, DeskRepository& repo) {
  if (call.actor.role != Role::kAdmin) return Problem(Forbidden("only admins create staff users"));
  JsonFields f(call.body, {"name", "email", "role"});
  User u;
  u.name = f.RequiredString("name", 200);
  u.email = f.RequiredString("email", 254);
  std::string role = f.RequiredString("role", 20);
  if (!f.ok()) return Problem(f.error());
  auto r = RoleFromName(role);
  if (!r || *r == Role::kContact)
    return Problem(Invalid("role", "'role' must be agent, lead or admin (contacts are added to an organisation)"));
  if (u.email.find('@') == std::string::npos) return Problem(Invalid("email", "'email' must be an e-mail address"));
  SLADESK_TRY(existing, repo.FindUserByEmail(u.email));
  if (existing) return Problem(Conflict("email", "a user with e-mail '" + u.email + "' already exists"));
  u.role = *r;
  u.created_at = call.now;
  SLADESK_TRY(id, repo.InsertUser(u));
  u.id = id;
  ApiResponse resp = JsonResponse(201, UserJson(u));
  resp.headers.emplace_back("Location", "/api/v1/users/" + std::to_string(id));
  return resp;
}

ApiResponse ListUsers(Call& call, DeskRepository& repo) {
  if (!IsStaff(call.actor.role)) return Problem(Forbidden("contacts cannot list staff"));
  SLADESK_TRY(users, repo.ListUsers(std::nullopt));
  json items = json::array();
  for (const auto& u : users) items.push_back(UserJson(u));
  return JsonResponse(200, json{{"items", items}});
}

// Ticket fields a policy can require, as the API names them.
constexpr const char* kTicketTextFields[] = {"steps_to_reproduce", "business_impact", "product_area",
                                             "error_details"};

std::string* TextField(Ticket& t, std::string_view name) {
  if (name == "subject") return &t.subject;
  if (name == "description") return &t.description;
  if (name == "steps_to_reproduce") return &t.steps_to_reproduce;
  if (name == "business_impact") return &t.business_impact;
  if (name == "product_area") return &t.product_area;
  if (name == "error_details") return &t.error_details;
  return nullptr;
}

ApiResponse CreateTicket(Call& call, DeskRepository& repo) {
  JsonFields f(call.body, {"subject", "description", "steps_to_reproduce", "business_impact", "product_area",
                           "error_details", "channel", "severity", "organisation_id", "requester_id",
                           "assignee_id"});
  Ticket t;
  t.subject = f.RequiredString("subject", 300);
  t.description = f.RequiredString("description", 100000);
  for (const char* name : kTicketTextFields) *TextField(t, name) = f.OptString(name, 20000).value_or("");
  auto channel = f.OptString("channel", 20);
  auto severity = f.OptString("severity", 50);
  auto org_id = f.OptInt("organisation_id", 1, INT64_MAX);
  auto requester_id = f.OptInt("requester_id", 1, INT64_MAX);
  auto assignee_id = f.OptInt("assignee_id", 1, INT64_MAX);
  if (!f.ok()) return Problem(f.error());
  if (channel) {
    auto c = TicketChannelFromName(*channel);
    if (!c) return Problem(Invalid("channel", "'channel' must be one of portal, email, chat, phone, api"));
    t.channel = *c;
  }
  // Who opens it, for which organisation.
  if (call.actor.role == Role::kContact) {
    if (org_id && *org_id != *call.actor.organisation_id)
      return Problem(Forbidden("contacts open tickets for their own organisation only"));
    if (requester_id && *requester_id != call.actor.id)
      return Problem(Invalid("requester_id", "contacts open tickets as themselves"));
    if (assignee_id) return Problem(Forbidden("contacts cannot assign tickets"));
    t.organisation_id = *call.actor.organisation_id;
    t.requester_id = call.actor.id;
  } else {
    if (!requester_id)
      return Problem(Invalid("requester_id", "'requester_id' (the customer contact) is required when staff open a ticket"));
    SLADESK_TRY(req, repo.GetUser(*requester_id));
    if (!req || req->role != Role::kContact || !req->organisation_id)
      return Problem(Invalid("requester_id", "'requester_id' must be a customer contact"));
    if (org_id && *org_id != *req->organisation_id)
      return Problem(Invalid("organisation_id", "the requester belongs to organisation " +
                                                    std::to_string(*req->organisation_id)));
    t.organisation_id = *req->organisation_id;
    t.requester_id = req->id;
  }
  // The organisation row lock serialises creates per organisation, so the
  // monthly quota holds across server processes.
  SLADESK_TRY(org, repo.GetOrganisation(t.organisation_id, true));
  if (!org) return Problem(NotFound("organisation " + std::to_string(t.organisation_id)));
  OrgRules rules;
  if (auto e = RulesFor(call, *org, &rules)) return Problem(*e);
  if (org->named_contact_limit) {
    std::optional<User> requester;
    if (t.requester_id == call.actor.id) {
      requester = call.actor;
    } else {
      SLADESK_TRY(found, repo.GetUser(t.requester_id));
      requester = found;
    }
    if (!requester || !requester->named_contact || !requester->active)
      return Problem(Forbidden("only the organisation's named support contacts may open tickets"));
  }
  for (const auto& rf : rules.policy->required_fields) {
    std::string* v = TextField(t, rf.id);
    if (v && v->find_first_not_of(" \t\r\n") == std::string::npos)
      return Problem(Invalid(rf.id, "'" + rf.id + "' is required by the " + rules.policy->name +
                                        " policy (" + rf.name + ")"));
  }
  t.severity = severity.value_or(rules.policy->default_severity);
  if (!rules.policy->FindSeverity(t.severity)) {
    std::string ids;
    for (const auto& s : rules.policy->severities) ids += (ids.empty() ? "" : ", ") + s.id;
    return Problem(Invalid("severity", "unknown severity '" + t.severity + "'; this policy has: " + ids));
  }
  // Every read comes before the first write, so that in a batch the
  // writes can be queued and a refusal costs no savepoint.
  std::optional<User> assignee;
  if (assignee_id) {
    SLADESK_TRY(a, repo.GetUser(*assignee_id));
    if (!a || !IsStaff(a->role) || !a->active) return Problem(Invalid("assignee_id", "'assignee_id' must be an active agent"));
    assignee = *a;
  } else if (org->csm_user_id) {
    SLADESK_TRY(a, repo.GetUser(*org->csm_user_id));
    if (a && a->active) assignee = *a;
  }
  if (assignee) t.assignee_id = assignee->id;
  std::optional<std::int64_t> limit = org->incidents_per_month;
  if (!limit) limit = rules.plan->quota.incidents_per_month;
  // Counted for every ticket (the organisation view shows it); a refused
  // create rolls the increment back with everything else.
  SLADESK_TRY(opened_now, repo.IncrementIncidents(org->id, TicketRules::MonthStart(call.now)));
  if (limit) {
    Status q = TicketRules::CheckIncidentQuota(opened_now - 1, limit);
    if (!q.ok()) {
      if (rules.plan->quota.incidents_exceeded == QuotaAction::kRefuse)
        return Problem({409, "quota-exceeded", "Incident quota exceeded", q.error().message, "organisation_id"});
      t.over_quota = true;  // the policy says: accept and flag
    }
  }
  SLADESK_TRY(number, repo.NextTicketNumber());
  t.number = number;
  t.status = TicketStatus::kNew;
  t.opened_at = call.now;
  t.updated_at = call.now;
  std::vector<TicketEventRecord> events{
      Event(call, EventKind::kOpened, {{"severity", t.severity}, {"channel", TicketChannelName(t.channel)}})};
  if (assignee) events.push_back(Event(call, EventKind::kAssigned, {{"assignee_id", assignee->id}}));
  // The clocks are derived from the (new) log before the single insert.
  Status projected = SlaProjector::Project(*rules.policy, *rules.plan, events, call.now, t);
  if (!projected.ok()) return Problem(Invalid(projected.error().field, projected.error().message));
  SLADESK_TRY(id, repo.InsertTicket(t));
  t.id = id;
  for (auto& e : events) {
    e.ticket_id = id;
    if (Status st = repo.AppendEvent(e); !st.ok()) return DbError(st.error());
  }
  std::string ack = "Ticket #" + std::to_string(t.number) + " received (severity " + t.severity + ").";
  ack += assignee ? " Your support officer is " + assignee->name + "."
                  : " A support officer will be assigned shortly.";
  if (t.over_quota) ack += " This ticket exceeds the plan's monthly incident quota.";
  json officer = assignee ? json{{"id", assignee->id}, {"name", assignee->name}} : json(nullptr);
  ApiResponse r = DeferredJsonResponse(201, [t, ack = std::move(ack), officer = std::move(officer)] {
    json body = TicketJson(t, StoredSla(t));
    body["acknowledgement"] = {{"message", ack}, {"support_officer", officer}};
    return body;
  });
  r.headers.emplace_back("ETag", TicketETag(t));
  r.headers.emplace_back("Location", "/api/v1/tickets/" + std::to_string(t.number));
  return r;
}

std::string EncodeCursor(const std::string& raw) { return TokenCodec::Base64Encode(raw, true); }

ApiResponse ListTickets(Call& call, DeskRepository& repo) {
  static const char* kAllowed[] = {"limit", "cursor", "sort", "status", "severity", "organisation_id",
                                   "assignee_id", "breached", "due_before"};
  for (const auto& [k, v] : call.req.query) {
    bool known = false;
    for (const char* a : kAllowed) known = known || k == a;
    if (!known)
      return Problem(BadRequest(k, "unknown query parameter '" + k +
                                       "'; allowed: limit, cursor, sort, status, severity, organisation_id, "
                                       "assignee_id, breached, due_before"));
  }
  TicketQuery q;
  q.now = call.now;
  auto get = [&](const char* k) -> const std::string* {
    auto it = call.req.query.find(k);
    return it == call.req.query.end() ? nullptr : &it->second;
  };
  if (auto v = get("limit")) {
    std::int64_t n = 0;
    if (!ParseId(*v, &n) || n < 1 || n > 200) return Problem(BadRequest("limit", "'limit' must be 1..200"));
    q.limit = static_cast<int>(n);
  }
  if (auto v = get("sort")) {
    if (*v == "urgency") q.order_by_urgency = true;
    else if (*v == "newest") q.order_by_urgency = false;
    else return Problem(BadRequest("sort", "'sort' must be urgency or newest"));
  }
  if (auto v = get("status")) {
    size_t start = 0;
    while (start <= v->size()) {
      size_t end = v->find(',', start);
      std::string s = v->substr(start, end == std::string::npos ? std::string::npos : end - start);
      auto st = StatusFromName(s);
      if (!st) return Problem(BadRequest("status", "unknown status '" + s + "'"));
      q.statuses.push_back(*st);
      if (end == std::string::npos) break;
      start = end + 1;
    }
  }
  if (auto v = get("severity")) q.severity = *v;
  if (auto v = get("organisation_id")) {
    std::int64_t id = 0;
    if (!ParseId(*v, &id)) return Problem(BadRequest("organisation_id", "'organisation_id' must be an integer"));
    q.organisation_id = id;
  }
  if (call.actor.role == Role::kContact) {
    if (q.organisation_id && q.organisation_id != call.actor.organisation_id)
      return Problem(Forbidden("contacts see their own organisation's tickets only"));
    q.organisation_id = call.actor.organisation_id;
  }
  if (auto v = get("assignee_id")) {
    std::int64_t id = 0;
    if (*v == "none") q.unassigned = true;
    else if (*v == "me") q.assignee_id = call.actor.id;
    else if (ParseId(*v, &id)) q.assignee_id = id;
    else return Problem(BadRequest("assignee_id", "'assignee_id' must be an id, 'me' or 'none'"));
  }
  if (auto v = get("breached")) {
    if (*v == "true") q.breached = true;
    else if (*v == "false") q.breached = false;
    else return Problem(BadRequest("breached", "'breached' must be true or false"));
  }
  if (auto v = get("due_before")) {
    auto t = ParseInstant(*v, "due_before");
    if (!t.ok()) return Problem(BadRequest("due_before", t.error().message));
    q.due_before = *t;
  }
  if (auto v = get("cursor")) {
    auto raw = TokenCodec::Base64Decode(*v);
    std::int64_t a = 0, b = 0;
    bool ok = raw.has_value();
    if (ok && q.order_by_urgency) {
      auto dot = raw->find('.');
      ok = raw->size() > 2 && raw->substr(0, 2) == "u." && dot != std::string::npos;
      auto rest = ok ? raw->substr(2) : std::string();
      auto dot2 = rest.find('.');
      ok = ok && dot2 != std::string::npos;
      std::string ks = ok ? rest.substr(0, dot2) : "";
      bool neg = !ks.empty() && ks[0] == '-';
      ok = ok && ParseId(neg ? ks.substr(1) : ks, &a) && ParseId(rest.substr(dot2 + 1), &b);
      if (neg) a = -a;
      q.after_key = a;
      q.after_number = b;
    } else if (ok) {
      ok = raw->size() > 2 && raw->substr(0, 2) == "n." && ParseId(raw->substr(2), &b);
      q.after_number = b;
    }
    if (!ok) return Problem(BadRequest("cursor", "'cursor' is not a cursor this list returned (is 'sort' the same?)"));
  }
  const int wanted = q.limit;
  q.limit = wanted + 1;
  SLADESK_TRY(rows, repo.ListTickets(q));
  json next = nullptr;
  if (static_cast<int>(rows.size()) > wanted) {
    const Ticket& last = rows[wanted - 1];
    constexpr std::int64_t kNoDueKey = 4'000'000'000'000'000LL;
    next = q.order_by_urgency
               ? EncodeCursor("u." + std::to_string(last.next_due ? ToEpoch(*last.next_due) : kNoDueKey) + "." +
                              std::to_string(last.number))
               : EncodeCursor("n." + std::to_string(last.number));
  }
  if (static_cast<int>(rows.size()) > wanted) rows.resize(wanted);
  // Rendered on the HTTP thread: a page of tickets is most of this request's work.
  return DeferredJsonResponse(200, [rows = std::move(rows), next = std::move(next), now = call.now] {
    json items = json::array();
    for (Ticket t : rows) {
      if (t.next_due && *t.next_due < now) t.breached = true;
      json item = TicketJson(t, StoredSlaAt(t, now));
      item["sla"]["evaluated_at"] = FormatInstant(t.updated_at);
      items.push_back(std::move(item));
    }
    return json{{"items", std::move(items)}, {"next_cursor", next}};
  });
}

ApiResponse GetTicket(Call& call, DeskRepository& repo) {
  Ticket t;
  Organisation org;
  if (auto e = LoadTicket(call, repo, false, &t, &org)) return Problem(*e);
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  SLADESK_TRY(log, repo.ListEvents(t.id));
  // Live evaluation at now: the stored columns are as of the last change.
  Ticket live = t;
  Status st = SlaProjector::Project(*rules.policy, *rules.plan, log, call.now, live);
  if (!st.ok()) return Problem(Invalid(st.error().field, st.error().message));
  json body = TicketJson(live, StoredSla(live));
  if (t.assignee_id) {
    SLADESK_TRY(a, repo.GetUser(*t.assignee_id));
    if (a) body["assignee"] = {{"id", a->id}, {"name", a->name}};
  }
  ApiResponse r = JsonResponse(200, body);
  r.headers.emplace_back("ETag", TicketETag(t));
  return r;
}

ApiResponse UpdateTicket(Call& call, DeskRepository& repo) {
  Ticket t;
  Organisation org;
  std::vector<TicketEventRecord> log;
  if (auto e = LoadTicket(call, repo, true, &t, &org, &log)) return Problem(*e);
  if (auto e = CheckIfMatch(call, TicketETag(t), true)) return Problem(*e);
  JsonFields f(call.body, {"subject", "description", "steps_to_reproduce", "business_impact", "product_area",
                           "error_details", "assignee_id"});
  json changed = json::array();
  for (const char* name : {"subject", "description", "steps_to_reproduce", "business_impact", "product_area",
                           "error_details"}) {
    bool required = std::string_view(name) == "subject" || std::string_view(name) == "description";
    auto v = f.OptString(name, std::string_view(name) == "subject" ? 300 : 20000, !required);
    if (v && *v != *TextField(t, name)) {
      *TextField(t, name) = *v;
      changed.push_back(name);
    }
  }
  std::optional<std::int64_t> assignee;
  bool unassign = f.IsNull("assignee_id");
  if (f.has("assignee_id") && !unassign) assignee = f.OptInt("assignee_id", 1, INT64_MAX);
  if (!f.ok()) return Problem(f.error());
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  std::vector<TicketEventRecord> events;
  if (assignee || unassign) {
    if (!IsStaff(call.actor.role)) return Problem(Forbidden("contacts cannot assign tickets"));
    if (call.actor.role == Role::kAgent && assignee && *assignee != call.actor.id)
      return Problem(Forbidden("agents assign tickets to themselves; team leads assign others"));
    if (assignee) {
      SLADESK_TRY(a, repo.GetUser(*assignee));
      if (!a || !IsStaff(a->role) || !a->active)
        return Problem(Invalid("assignee_id", "'assignee_id' must be an active agent"));
    }
    std::optional<Id> next = unassign ? std::nullopt : assignee;
    if (next != t.assignee_id) {
      t.assignee_id = next;
      events.push_back(Event(call, EventKind::kAssigned, {{"assignee_id", OptInt(next)}}));
    }
  }
  if (!changed.empty()) events.push_back(Event(call, EventKind::kFieldsUpdated, {{"fields", changed}}));
  return SaveTicket(call, repo, rules, t, log, events);
}

ApiResponse AddMessage(Call& call, DeskRepository& repo) {
  Ticket t;
  Organisation org;
  std::vector<TicketEventRecord> log;
  if (auto e = LoadTicket(call, repo, true, &t, &org, &log)) return Problem(*e);
  if (auto e = CheckIfMatch(call, TicketETag(t), false)) return Problem(*e);
  JsonFields f(call.body, {"body", "visibility"});
  std::string body = f.RequiredString("body", 100000);
  auto vis_name = f.OptString("visibility", 20);
  if (!f.ok()) return Problem(f.error());
  Visibility vis = Visibility::kPublic;
  if (vis_name) {
    auto v = VisibilityFromName(*vis_name);
    if (!v) return Problem(Invalid("visibility", "'visibility' must be public or internal"));
    vis = *v;
  }
  const bool staff = IsStaff(call.actor.role);
  if (vis == Visibility::kInternal && !staff) return Problem(Forbidden("contacts cannot write internal notes"));
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  std::vector<TicketEventRecord> events;
  if (vis == Visibility::kPublic && (t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed))
    return Problem(Conflict("status", "the ticket is " + std::string(StatusName(t.status)) +
                                          "; reopen it (POST .../status {\"status\":\"open\"}) before replying"));
  SLADESK_TRY(mid, repo.InsertMessage({0, t.id, call.actor.id, vis, body, call.now}));
  if (vis == Visibility::kInternal) {
    events.push_back(Event(call, EventKind::kInternalNote, {{"message_id", mid}}));
  } else if (staff) {
    events.push_back(Event(call, EventKind::kAgentReply, {{"message_id", mid}}));
    if (t.status == TicketStatus::kNew) {
      t.status = TicketStatus::kOpen;  // the first public answer acknowledges the ticket
      events.push_back(Event(call, EventKind::kStatusChanged, {{"from", "new"}, {"to", "open"}}));
    }
  } else {
    events.push_back(Event(call, EventKind::kCustomerReply, {{"message_id", mid}}));
    if (t.status == TicketStatus::kWaitingOnCustomer) t.status = TicketStatus::kOpen;  // the reply ends the wait
  }
  ApiResponse r = SaveTicket(call, repo, rules, t, log, events, 201);
  if (r.status != 201) return r;
  r.render_body = [t, mid, author = call.actor.id, vis, body = std::move(body), now = call.now] {
    return Dump(json{{"id", mid},
                     {"ticket_number", t.number},
                     {"author_id", author},
                     {"visibility", VisibilityName(vis)},
                     {"body", body},
                     {"created_at", FormatInstant(now)},
                     {"ticket", TicketJson(t, StoredSla(t))}});
  };
  r.headers.emplace_back("Location", "/api/v1/tickets/" + std::to_string(t.number) + "/messages");
  return r;
}

ApiResponse ListMessages(Call& call, DeskRepository& repo) {
  Ticket t;
  if (auto e = LoadTicket(call, repo, false, &t)) return Problem(*e);
  SLADESK_TRY(msgs, repo.ListMessages(t.id, IsStaff(call.actor.role)));
  json items = json::array();
  for (const auto& m : msgs)
    items.push_back({{"id", m.id}, {"author_id", m.author_id}, {"visibility", VisibilityName(m.visibility)},
                     {"body", m.body}, {"created_at", FormatInstant(m.created_at)}});
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse ChangeSeverity(Call& call, DeskRepository& repo) {
  if (!IsStaff(call.actor.role))
    return Problem(Forbidden("contacts cannot change severity; request an escalation instead"));
  Ticket t;
  Organisation org;
  std::vector<TicketEventRecord> log;
  if (auto e = LoadTicket(call, repo, true, &t, &org, &log)) return Problem(*e);
  if (auto e = CheckIfMatch(call, TicketETag(t), false)) return Problem(*e);
  JsonFields f(call.body, {"severity", "reason"});
  std::string severity = f.RequiredString("severity", 50);
  std::string reason = f.RequiredString("reason", 2000);
  if (!f.ok()) return Problem(f.error());
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  if (!rules.policy->FindSeverity(severity)) {
    std::string ids;
    for (const auto& s : rules.policy->severities) ids += (ids.empty() ? "" : ", ") + s.id;
    return Problem(Invalid("severity", "unknown severity '" + severity + "'; this policy has: " + ids));
  }
  if (severity == t.severity) return Problem(Conflict("severity", "the ticket already has severity '" + severity + "'"));
  std::string from = t.severity;
  t.severity = severity;
  // The customer is told, in the conversation.
  SLADESK_TRY(mid, repo.InsertMessage({0, t.id, call.actor.id, Visibility::kPublic,
                                       "Severity changed from " + from + " to " + severity + ": " + reason, call.now}));
  (void)mid;
  return SaveTicket(call, repo, rules, t, log,
                    {Event(call, EventKind::kSeverityChanged, {{"severity", severity}, {"from", from}, {"reason", reason}})});
}

ApiResponse ChangeStatus(Call& call, DeskRepository& repo) {
  Ticket t;
  Organisation org;
  std::vector<TicketEventRecord> log;
  if (auto e = LoadTicket(call, repo, true, &t, &org, &log)) return Problem(*e);
  if (auto e = CheckIfMatch(call, TicketETag(t), false)) return Problem(*e);
  JsonFields f(call.body, {"status", "outcome", "external_issue", "reason"});
  std::string status_name = f.RequiredString("status", 30);
  auto outcome_name = f.OptString("outcome", 30);
  auto external = f.OptString("external_issue", 500, false);
  auto reason = f.OptString("reason", 2000);
  if (!f.ok()) return Problem(f.error());
  auto to = StatusFromName(status_name);
  if (!to) return Problem(Invalid("status", "unknown status '" + status_name + "'"));
  Status allowed = TicketRules::CheckTransition(t.status, *to);
  if (!allowed.ok()) return Problem(Conflict("status", allowed.error().message));
  const bool staff = IsStaff(call.actor.role);
  const bool reopen = TicketRules::IsReopen(t.status, *to);
  if (!staff && !reopen && !(t.status == TicketStatus::kResolved && *to == TicketStatus::kClosed))
    return Problem(Forbidden("contacts may only reopen a ticket or close a resolved one"));
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  json data{{"from", StatusName(t.status)}, {"to", StatusName(*to)}};
  if (reason) data["reason"] = *reason;
  EventKind kind = EventKind::kStatusChanged;
  if (reopen) {
    const Lifecycle& lc = rules.policy->lifecycle;
    if (!lc.reopen_allowed)
      return Problem(Conflict("status", "the " + rules.policy->name + " policy does not allow reopening; open a new ticket"));
    std::optional<Seconds> window;
    if (lc.reopen_window) {
      // Months count as 30 days for the window (the policies state months or days).
      window = (static_cast<Seconds>(lc.reopen_window->months) * 30 + lc.reopen_window->days) * 86400;
    }
    Status w = TicketRules::CheckReopenWindow(t.resolved_at, window, call.now);
    if (!w.ok()) return Problem(Conflict("status", w.error().message));
    kind = EventKind::kReopened;
    t.resolved_at.reset();
    t.closed_at.reset();
    t.outcome.reset();
  } else if (*to == TicketStatus::kResolved) {
    if (!outcome_name) return Problem(Invalid("outcome", "'outcome' is required to resolve a ticket"));
    auto o = TicketOutcomeFromName(*outcome_name);
    if (!o)
      return Problem(Invalid("outcome", "'outcome' must be one of solved, workaround, feature_request, "
                                        "bug_escalated, paid_work, training, no_response"));
    if (*o == TicketOutcome::kBugEscalated && !external && t.external_issue.empty())
      return Problem(Invalid("external_issue", "a bug escalated to engineering needs 'external_issue' (the linked issue)"));
    t.outcome = *o;
    if (external) t.external_issue = *external;
    t.resolved_at = call.now;
    data["outcome"] = *outcome_name;
    kind = EventKind::kResolved;
  } else if (*to == TicketStatus::kClosed) {
    t.closed_at = call.now;
    kind = EventKind::kClosed;
  } else if (*to == TicketStatus::kWaitingOnCustomer) {
    kind = EventKind::kWaitingOnCustomer;
  }
  if ((outcome_name || external) && *to != TicketStatus::kResolved)
    return Problem(Invalid(outcome_name ? "outcome" : "external_issue", "only resolving a ticket takes an outcome"));
  t.status = *to;
  return SaveTicket(call, repo, rules, t, log, {Event(call, kind, data)});
}

ApiResponse RequestEscalation(Call& call, DeskRepository& repo) {
  Ticket t;
  Organisation org;
  std::vector<TicketEventRecord> log;
  if (auto e = LoadTicket(call, repo, true, &t, &org, &log)) return Problem(*e);
  if (auto e = CheckIfMatch(call, TicketETag(t), false)) return Problem(*e);
  JsonFields f(call.body, {"business_impact"});
  std::string impact = f.RequiredString("business_impact", 5000);
  if (!f.ok()) return Problem(f.error());
  if (t.status == TicketStatus::kResolved || t.status == TicketStatus::kClosed)
    return Problem(Conflict("status", "only an open ticket can be escalated"));
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  const auto& ladder = rules.policy->lifecycle.escalation;
  if (ladder.empty())
    return Problem(Conflict("ticket", "the " + rules.policy->name + " policy defines no escalation levels"));
  if (t.escalation_level >= static_cast<std::int64_t>(ladder.size()))
    return Problem(Conflict("ticket", "the ticket is already at the top escalation level (" + ladder.back().name + ")"));
  const EscalationLevel& level = ladder[t.escalation_level];
  t.escalation_level += 1;
  SLADESK_TRY(eid, repo.InsertEscalation({0, t.id, org.id, t.escalation_level, impact, call.actor.id, call.now}));
  (void)eid;
  std::vector<TicketEventRecord> events{Event(
      call, EventKind::kEscalationRequested,
      {{"level", t.escalation_level}, {"level_name", level.name}, {"business_impact", impact}})};
  if (!level.raises_severity_to.empty() && level.raises_severity_to != t.severity &&
      rules.policy->FindSeverity(level.raises_severity_to)) {
    std::string from = t.severity;
    t.severity = level.raises_severity_to;
    events.push_back(Event(call, EventKind::kSeverityChanged,
                           {{"severity", t.severity}, {"from", from}, {"reason", "escalation: " + level.name}}));
  }
  ApiResponse r = SaveTicket(call, repo, rules, t, log, events, 201);
  if (r.status != 201) return r;
  SLADESK_TRY(count, repo.CountEscalations(org.id));
  json body{{"ticket_number", t.number}, {"level", t.escalation_level}, {"level_name", level.name},
            {"notify", level.notify}, {"organisation_escalations", count}};
  r.render_body = [t, body = std::move(body)]() mutable {
    body["ticket"] = TicketJson(t, StoredSla(t));
    return Dump(body);
  };
  return r;
}

ApiResponse ListEvents(Call& call, DeskRepository& repo) {
  Ticket t;
  if (auto e = LoadTicket(call, repo, false, &t)) return Problem(*e);
  SLADESK_TRY(log, repo.ListEvents(t.id));
  const bool staff = IsStaff(call.actor.role);
  json items = json::array();
  for (const auto& e : log) {
    if (!staff && e.kind == EventKind::kInternalNote) continue;
    items.push_back({{"id", e.id}, {"at", FormatInstant(e.at)}, {"actor_id", e.actor_id},
                     {"type", EventKindName(e.kind)}, {"data", json::parse(e.data_json, nullptr, false)}});
  }
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse GetSla(Call& call, DeskRepository& repo) {
  Ticket t;
  Organisation org;
  if (auto e = LoadTicket(call, repo, false, &t, &org)) return Problem(*e);
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  SLADESK_TRY(log, repo.ListEvents(t.id));
  auto report = SlaProjector::Evaluate(*rules.policy, *rules.plan, log, t, call.now);
  if (!report.ok()) return Problem(Invalid(report.error().field, report.error().message));
  return JsonResponse(200, json{{"ticket_number", t.number}, {"now", FormatInstant(call.now)},
                                {"severity", t.severity}, {"metrics", *report}});
}

ApiResponse AddAttachment(Call& call, DeskRepository& repo) {
  Ticket t;
  Organisation org;
  std::vector<TicketEventRecord> log;
  if (auto e = LoadTicket(call, repo, true, &t, &org, &log)) return Problem(*e);
  JsonFields f(call.body, {"filename", "content_type", "content_base64"});
  std::string filename = f.RequiredString("filename", 255);
  std::string content_type = f.OptString("content_type", 200, false).value_or("application/octet-stream");
  std::string encoded = f.RequiredString("content_base64", call.config.max_body_bytes);
  if (!f.ok()) return Problem(f.error());
  if (filename.find('/') != std::string::npos || filename.find('\\') != std::string::npos)
    return Problem(Invalid("filename", "'filename' must not contain a path"));
  auto data = TokenCodec::Base64Decode(encoded);
  if (!data) return Problem(Invalid("content_base64", "'content_base64' is not valid base64"));
  if (data->size() > call.config.max_attachment_bytes)
    return Problem({413, "too-large", "Attachment too large",
                    "attachments are limited to " + std::to_string(call.config.max_attachment_bytes) + " bytes",
                    "content_base64"});
  OrgRules rules;
  if (auto e = RulesFor(call, org, &rules)) return Problem(*e);
  SLADESK_TRY(aid, repo.InsertAttachment({0, t.id, call.actor.id, filename, content_type, 0, *data, call.now}));
  ApiResponse r = SaveTicket(call, repo, rules, t, log,
                             {Event(call, EventKind::kAttachmentAdded, {{"attachment_id", aid}, {"filename", filename}})},
                             201);
  if (r.status != 201) return r;
  r.render_body = nullptr;
  r.body = Dump(json{{"id", aid}, {"filename", filename}, {"content_type", content_type},
                     {"size", static_cast<std::int64_t>(data->size())}, {"created_at", FormatInstant(call.now)}});
  r.headers.emplace_back("Location",
                         "/api/v1/tickets/" + std::to_string(t.number) + "/attachments/" + std::to_string(aid));
  return r;
}

ApiResponse ListAttachments(Call& call, DeskRepository& repo) {
  Ticket t;
  if (auto e = LoadTicket(call, repo, false, &t)) return Problem(*e);
  SLADESK_TRY(list, repo.ListAttachments(t.id));
  json items = json::array();
  for (const auto& a : list)
    items.push_back({{"id", a.id}, {"filename", a.filename}, {"content_type", a.content_type}, {"size", a.size},
                     {"uploader_id", a.uploader_id}, {"created_at", FormatInstant(a.created_at)}});
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse GetAttachment(Call& call, DeskRepository& repo) {
  Ticket t;
  if (auto e = LoadTicket(call, repo, false, &t)) return Problem(*e);
  std::int64_t aid = 0;
  if (!ParseId(call.params.at(1), &aid)) return Problem(BadRequest("attachment_id", "attachment id must be an integer"));
  SLADESK_TRY(a, repo.GetAttachment(t.id, aid));
  if (!a) return Problem(NotFound("attachment " + std::to_string(aid)));
  ApiResponse r;
  r.status = 200;
  r.content_type = a->content_type;
  r.body = a->data;
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + a->filename + "\"");
  return r;
}

const std::vector<Route>& RouteTable() {
  static const std::vector<Route> kRoutes = {
      {"GET", "/api/v1/me", false, false, GetMe},
      {"GET", "/api/v1/organisations", false, false, ListOrganisations},
      {"POST", "/api/v1/organisations", true, true, CreateOrganisation},
      {"GET", "/api/v1/organisations/{id}", false, false, GetOrganisation},
      {"PATCH", "/api/v1/organisations/{id}", true, false, UpdateOrganisation},
      {"GET", "/api/v1/organisations/{id}/contacts", false, false, ListContacts},
      {"POST", "/api/v1/organisations/{id}/contacts", true, true, AddContact},
      {"PATCH", "/api/v1/organisations/{id}/contacts/{user_id}", true, false, UpdateContact},
      {"GET", "/api/v1/organisations/{id}/contact-audit", false, false, ListContactAudit},
      {"GET", "/api/v1/users", false, false, ListUsers},
      {"POST", "/api/v1/users", true, true, CreateUser},
      {"GET", "/api/v1/tickets", false, false, ListTickets},
      {"POST", "/api/v1/tickets", true, true, CreateTicket},
      {"GET", "/api/v1/tickets/{number}", false, false, GetTicket},
      {"PATCH", "/api/v1/tickets/{number}", true, false, UpdateTicket},
      {"GET", "/api/v1/tickets/{number}/messages", false, false, ListMessages},
      {"POST", "/api/v1/tickets/{number}/messages", true, true, AddMessage},
      {"POST", "/api/v1/tickets/{number}/severity", true, false, ChangeSeverity},
      {"POST", "/api/v1/tickets/{number}/status", true, false, ChangeStatus},
      {"POST", "/api/v1/tickets/{number}/escalations", true, true, RequestEscalation},
      {"GET", "/api/v1/tickets/{number}/events", false, false, ListEvents},
      {"GET", "/api/v1/tickets/{number}/sla", false, false, GetSla},
      {"GET", "/api/v1/tickets/{number}/attachments", false, false, ListAttachments},
      {"POST", "/api/v1/tickets/{number}/attachments", true, true, AddAttachment},
      {"GET", "/api/v1/tickets/{number}/attachments/{attachment_id}", false, false, GetAttachment},
  };
  return kRoutes;
}

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    out.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j;
  }
  return out;
}

bool Match(const char* pattern, const std::vector<std::string>& segs, std::vector<std::string>* params) {
  auto p = Split(pattern);
  if (p.size() != segs.size()) return false;
  params->clear();
  for (size_t i = 0; i < p.size(); ++i) {
    if (!p[i].empty() && p[i][0] == '{') {
      params->push_back(segs[i]);
    } else if (p[i] != segs[i]) {
      return false;
    }
  }
  return true;
}

std::optional<ApiError> Authenticate(DeskRepository& repo, const std::string& header, Instant now, User* out) {
  const std::string prefix = "Bearer ";
  if (header.empty())
    return ApiError{401, "unauthorized", "Unauthorized", "send 'Authorization: Bearer <token>'", "Authorization"};
  if (header.size() <= prefix.size() || header.compare(0, prefix.size(), prefix) != 0)
    return ApiError{401, "unauthorized", "Unauthorized", "the Authorization header must be 'Bearer <token>'",
                    "Authorization"};
  auto found = repo.FindTokenUser(TokenCodec::Sha256Hex(header.substr(prefix.size())));
  if (!found.ok()) return ApiError{500, "internal", "Internal error", found.error().message, "database"};
  if (!found->has_value() || (*found)->first.revoked)
    return ApiError{401, "unauthorized", "Unauthorized", "the token is not valid", "Authorization"};
  const auto& [token, user] = **found;
  if (token.expires_at && *token.expires_at <= now)
    return ApiError{401, "unauthorized", "Unauthorized", "the token expired at " + FormatInstant(*token.expires_at),
                    "Authorization"};
  if (!user.active)
    return ApiError{401, "unauthorized", "Unauthorized", "the token's user is deactivated", "Authorization"};
  *out = user;
  return std::nullopt;
}

}  // namespace

DeskApi::DeskApi(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, DeskApiConfig config, Clock clock,
                 ServerMetrics* metrics)
    : store_(store), policies_(std::move(policies)), config_(std::move(config)), clock_(std::move(clock)),
      metrics_(metrics) {}

std::vector<RouteInfo> DeskApi::Routes() {
  std::vector<RouteInfo> out;
  for (const auto& r : RouteTable()) out.push_back({r.method, r.pattern});
  out.push_back({"GET", "/api/v1/openapi.json"});
  out.push_back({"GET", "/healthz"});
  out.push_back({"GET", "/metrics"});
  return out;
}

bool DeskApi::PercentDecode(const std::string& in, std::string* out, bool plus_is_space) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size() || !std::isxdigit(static_cast<unsigned char>(in[i + 1])) ||
          !std::isxdigit(static_cast<unsigned char>(in[i + 2])))
        return false;
      *out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (c == '+' && plus_is_space) {
      *out += ' ';
    } else {
      *out += c;
    }
  }
  return true;
}

bool DeskApi::ParseQuery(const std::string& query, std::map<std::string, std::string>* out) {
  size_t i = 0;
  while (i < query.size()) {
    size_t amp = query.find('&', i);
    std::string pair = query.substr(i, amp == std::string::npos ? std::string::npos : amp - i);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string k, v;
      if (!PercentDecode(pair.substr(0, eq), &k)) return false;
      if (eq != std::string::npos && !PercentDecode(pair.substr(eq + 1), &v)) return false;
      (*out)[k] = v;
    }
    if (amp == std::string::npos) break;
    i = amp + 1;
  }
  return true;
}

void DeskApi::Handle(ApiRequest request, Respond respond) {
  const auto started = std::chrono::steady_clock::now();
  auto finish = [this, started, respond](const std::string& method, const std::string& route, ApiResponse r) {
    if (metrics_) {
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      metrics_->RecordRequest(method, route, r.status, secs);
    }
    respond(std::move(r));
  };
  const std::string method = request.method;

  if (request.path == "/healthz" && method == "GET") {
    store_.SubmitRead([](DeskRepository& repo) { return repo.Ping(); },
                      [finish, method, this](Status st) {
                        ApiResponse r = JsonResponse(st.ok() ? 200 : 503,
                                                     json{{"status", st.ok() ? "ok" : "unavailable"},
                                                          {"database", store_.backend_name()}});
                        finish(method, "/healthz", std::move(r));
                      });
    return;
  }
  if (request.path == "/metrics" && method == "GET") {
    ApiResponse r;
    r.content_type = "text/plain; version=0.0.4";
    r.body = metrics_ ? metrics_->Render(&store_) : std::string();
    finish(method, "/metrics", std::move(r));
    return;
  }
  if (request.path == "/api/v1/openapi.json" && method == "GET") {
    ApiResponse r;
    r.body = config_.openapi_json;
    if (r.body.empty()) r = Problem(NotFound("this server was started without its OpenAPI document"));
    finish(method, "/api/v1/openapi.json", std::move(r));
    return;
  }

  const auto segs = Split(request.path);
  const Route* route = nullptr;
  std::vector<std::string> params;
  std::string allow;
  for (const auto& r : RouteTable()) {
    std::vector<std::string> p;
    if (!Match(r.pattern, segs, &p)) continue;
    if (r.method == method) {
      route = &r;
      params = std::move(p);
      break;
    }
    allow += (allow.empty() ? "" : ", ") + std::string(r.method);
  }
  if (!route) {
    if (!allow.empty()) {
      ApiResponse r = Problem({405, "method-not-allowed", "Method not allowed",
                               method + " is not allowed here; allowed: " + allow, ""});
      r.headers.emplace_back("Allow", allow);
      finish(method, "unmatched", std::move(r));
    } else {
      finish(method, "unmatched", Problem(NotFound("no route for " + request.path)));
    }
    return;
  }
  const std::string route_name = route->pattern;

  // Everything that needs no database is checked before a unit is queued.
  json body = json::object();
  if (method == "POST" || method == "PATCH") {
    std::string ct = request.content_type.substr(0, request.content_type.find(';'));
    while (!ct.empty() && ct.back() == ' ') ct.pop_back();
    if (ct != "application/json") {
      finish(method, route_name,
             Problem({415, "unsupported-media-type", "Unsupported media type",
                      "send the body as application/json", "Content-Type"}));
      return;
    }
    auto parsed = ParseJsonBody(request.body);
    if (!parsed.ok()) {
      finish(method, route_name, Problem(BadRequest(parsed.error().field, parsed.error().message)));
      return;
    }
    body = std::move(parsed).value();
    if (!body.is_object()) {
      finish(method, route_name, Problem(BadRequest("", "the body must be a JSON object")));
      return;
    }
  }
  if (!request.idempotency_key.empty()) {
    bool printable = request.idempotency_key.size() <= 200;
    for (char c : request.idempotency_key) printable = printable && c > 32 && c < 127;
    if (!printable) {
      finish(method, route_name,
             Problem(BadRequest("Idempotency-Key", "'Idempotency-Key' must be 1-200 printable ASCII characters")));
      return;
    }
  }

  struct State {
    ApiRequest req;
    std::vector<std::string> params;
    json body;
    ApiResponse out;
  };
  auto state = std::make_shared<State>(State{std::move(request), std::move(params), std::move(body), {}});
  const Instant now = clock_();
  const Route* r = route;
  auto work = [this, state, r, now](DeskRepository& repo) -> Status {
    Call call{state->req, state->params, state->body, User{}, now, *policies_, config_};
    if (auto e = Authenticate(repo, state->req.authorization, now, &call.actor)) {
      state->out = Problem(*e);
      return MakeError(e->field, e->detail);
    }
    const bool idem = r->idempotent_create && !state->req.idempotency_key.empty();
    std::string hash;
    if (idem) {
      hash = TokenCodec::Sha256Hex(state->req.method + " " + state->req.path + "\n" + state->req.body);
      auto rec = repo.FindIdempotency(call.actor.id, state->req.idempotency_key);
      if (!rec.ok()) {
        state->out = DbError(rec.error());
        return rec.error();
      }
      if (rec->has_value()) {
        if ((*rec)->request_hash != hash) {
          state->out = Problem({422, "idempotency-key-reused", "Idempotency key reused",
                                "this Idempotency-Key was used for a different request", "Idempotency-Key"});
          return MakeError("Idempotency-Key", "reused");
        }
        ApiResponse replay;
        replay.status = (*rec)->status_code;
        replay.body = (*rec)->response_body;
        if (!(*rec)->location.empty()) replay.headers.emplace_back("Location", (*rec)->location);
        replay.headers.emplace_back("Idempotent-Replayed", "true");
        state->out = std::move(replay);
        return Status::Ok();
      }
    }
    try {
      state->out = r->handler(call, repo);
    } catch (const std::exception& e) {
      // A bug, not bad input: answer 500 and roll the unit back rather than
      // let the exception take a store thread (and the process) down.
      state->out = Problem({500, "internal", "Internal error", std::string("unexpected failure: ") + e.what(), ""});
    }
    if (state->out.status >= 400) return MakeError("", "refused with " + std::to_string(state->out.status));
    if (idem) {
      // The stored answer is replayed byte for byte, so it is rendered here.
      state->out.Materialize();
      std::string location;
      for (const auto& [k, v] : state->out.headers)
        if (k == "Location") location = v;
      Status st = repo.InsertIdempotency(
          {call.actor.id, state->req.idempotency_key, hash, state->out.status, state->out.body, location, now});
      if (!st.ok()) {
        state->out = DbError(st.error());
        return st.error();
      }
    }
    return Status::Ok();
  };
  auto done = [state, finish, method, route_name](Status st) {
    ApiResponse out = std::move(state->out);
    // The unit was accepted but the commit failed: nothing was saved, say so.
    if (!st.ok() && out.status < 400)
      out = Problem({503, "unavailable", "Service unavailable", "the change could not be saved: " + st.error().message, ""});
    finish(method, route_name, std::move(out));
  };
  if (r->write)
    store_.SubmitWrite(std::move(work), std::move(done));
  else
    store_.SubmitRead(std::move(work), std::move(done));
}

}  // namespace sladesk
