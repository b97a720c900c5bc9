#include "server/demo_data.h"

#include <nlohmann/json.hpp>

#include "desk/organisation_service.h"
#include "desk/plan_rules.h"
#include "desk/session_service.h"
#include "desk/ticket_conversation.h"
#include "desk/ticket_intake.h"
#include "desk/ticket_workflow.h"
#include "desk/user_service.h"
#include "mailgate/mail_gateway.h"
#include "common/clock.h"
#include "mail/mail_composer.h"
#include "server/password_hasher.h"
#include "server/token_codec.h"

namespace sladesk {

Result<std::string> DemoData::CreateToken(DeskStore& store, const std::string& email, const std::string& name,
                                          const std::string& role, std::optional<Instant> expires_at, Instant now) {
  TokenRequest request;
  request.email = email;
  request.name = name;
  if (!role.empty()) {
    request.create_role = RoleFromName(role);
    if (!request.create_role) return MakeError("--role", "'" + role + "' is not a role; expected agent, lead or admin");
  }
  request.expires_at = expires_at;
  std::string secret = TokenCodec::NewSecret();
  request.token_hash = TokenCodec::Sha256Hex(secret);
  auto user = store.Write<User>([&](DeskRepository& repo) { return UserService(repo).IssueToken(now, request); });
  if (!user.ok()) return user.error();
  return secret;
}

Result<std::vector<DemoTokens::Login>> DemoData::ResetPasswords(DeskStore& store) {
  const std::pair<const char*, const char*> people[] = {{"admin@sladesk.demo", "admin"},
                                                         {"lee@sladesk.demo", "team lead"},
                                                         {"alex@sladesk.demo", "agent"},
                                                         {"contact1@customer1.demo", "customer contact"}};
  std::vector<DemoTokens::Login> out;
  for (const auto& person : people) {
    // Not a structured binding: clang 14 (the fuzz build) cannot capture one in a lambda.
    const char* email = person.first;
    const char* who = person.second;
    std::string password = PasswordHasher::NewPassword();
    auto hash = PasswordHasher::Hash(password);
    if (!hash.ok()) return hash.error();
    auto done = store.Write<bool>([&](DeskRepository& repo) -> Result<bool> {
      auto u = repo.FindUserByEmail(email);
      if (!u.ok()) return u.error();
      if (!*u) return false;
      Status st = SessionService(repo).SetPassword(SystemUser("demo"), (*u)->id, password, *hash);
      if (!st.ok()) return st.error();
      return true;
    });
    if (!done.ok()) return done.error();
    if (*done) out.push_back({email, password, who});
  }
  return out;
}

namespace {

std::string DemoMail(const std::string& headers, const std::string& from, const std::string& id,
                     const std::string& subject, Instant at, const std::string& text) {
  return headers + "From: " + from + "\r\nTo: support@sladesk.demo\r\nSubject: " + subject + "\r\nDate: " +
         mail::FormatMailDate(at) + "\r\nMessage-ID: <" + id +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
}

// Mail the gateway holds for an agent, as `make run`'s held-mail page shows.
Result<int> SeedHeldMail(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, Instant now,
                         const std::string& secret, const std::string& contact) {
  struct Message {
    std::string headers, from, id, subject, text;
    Seconds ago;
  };
  const Message messages[] = {
      {"", "Morgan Prospect <morgan@prospect-corp.example>", "trial-1@prospect-corp.example",
       "Trial account: SSO setup fails",
       "Hello,\r\nwe are evaluating your product and the SAML setup page rejects our metadata file.\r\nCan you help?\r\n\r\nMorgan",
       3 * 3600},
      {"Auto-Submitted: auto-replied\r\n", contact, "ooo-1@customer.demo", "Out of office",
       "I am out of the office until Monday and will answer your message then.", 2 * 3600},
  };
  int held = 0;
  for (const Message& m : messages) {
    ManualClock clock(now - std::chrono::seconds(m.ago));
    mailgate::MailGatewayConfig config;
    config.secret = secret.empty() ? std::string("sladesk-demo-mail-secret") : secret;
    config.desk_name = "sladesk demo";
    mailgate::MailGateway gateway(store, policies, config, clock);
    auto r = gateway.Ingest(DemoMail(m.headers, m.from, m.id, m.subject, clock.Now(), m.text), "demo");
    if (!r.ok()) return MakeError("demo", "holding the demo mail '" + m.subject + "' failed: " + r.error().ToString());
    if (r->outcome.action == MailAction::kHeld) ++held;
  }
  return held;
}

}  // namespace

Result<DemoTokens> DemoData::Seed(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, Instant now,
                                  const std::string& mail_secret) {
  DemoTokens out;
  bool exists = false;
  Status st = store.RunRead([&](DeskRepository& repo) -> Status {
    auto u = repo.FindUserByEmail("admin@sladesk.demo");
    if (!u.ok()) return u.error();
    exists = u->has_value();
    return Status::Ok();
  });
  if (!st.ok()) return st.error();
  if (exists) {
    out.already_seeded = true;
    // Fresh tokens for the existing demo users, so `make run` always prints one.
    auto admin = CreateToken(store, "admin@sladesk.demo", "", "", std::nullopt, now);
    if (!admin.ok()) return admin.error();
    out.admin = *admin;
    auto agent = CreateToken(store, "alex@sladesk.demo", "", "", std::nullopt, now);
    if (agent.ok()) out.agent = *agent;
    auto logins = ResetPasswords(store);
    if (!logins.ok()) return logins.error();
    out.logins = std::move(logins).value();
    return out;
  }
  if (policies->size() == 0) return MakeError("--policies", "no policies are loaded; the demo needs at least one");

  auto admin_token = CreateToken(store, "admin@sladesk.demo", "Ada Admin", "admin", std::nullopt, now);
  if (!admin_token.ok()) return admin_token.error();
  out.admin = *admin_token;
  if (auto lead = CreateToken(store, "lee@sladesk.demo", "Lee Lead", "lead", std::nullopt, now); !lead.ok())
    return lead.error();
  const char* agent_names[][2] = {{"alex@sladesk.demo", "Alex Agent"}, {"sam@sladesk.demo", "Sam Support"},
                                  {"kim@sladesk.demo", "Kim Kaur"}};
  std::vector<User> agents;
  for (auto& a : agent_names) {
    auto t = CreateToken(store, a[0], a[1], "agent", std::nullopt, now);
    if (!t.ok()) return t.error();
    if (agents.empty()) out.agent = *t;
    auto u = store.Write<User>([&](DeskRepository& repo) -> Result<User> {
      auto found = repo.FindUserByEmail(a[0]);
      if (!found.ok()) return found.error();
      return **found;
    });
    if (!u.ok()) return u.error();
    agents.push_back(*u);
  }
  const User system = SystemUser("demo");

  struct Org {
    Organisation org;
    User contact;
    std::vector<std::string> severities;
    const Policy* policy;
  };
  std::vector<Org> orgs;
  int n = 0;
  for (const auto& pid : policies->Ids()) {
    const Policy* p = policies->Find(pid);
    for (const auto& plan : p->plans) {
      OrganisationInput in;
      in.name = plan.name.empty() ? p->name + " " + plan.id : p->name + " — " + plan.name;
      in.policy_id = p->id;
      in.plan_id = plan.id;
      in.renewal_date = "2027-06-30";
      in.support_hours_budget = 40;
      in.incidents_per_month = 100;  // generous, so the demo's tickets fit; the plan's own quota shows in GET
      // One organisation of a policy with onboarding is still onboarding.
      in.onboarding_complete = !(p->onboarding && &plan == &p->plans.back());
      if (plan.csm != Provision::kNo || plan.tam != Provision::kNo) in.csm_user_id = agents[0].id;
      auto org = store.Write<Organisation>([&](DeskRepository& repo) {
        return OrganisationService(repo, *policies).Create(system, now, in);
      });
      if (!org.ok()) return org.error();
      ++n;
      std::string email = "contact" + std::to_string(n) + "@customer" + std::to_string(n) + ".demo";
      ContactInput ci;
      ci.name = "Casey Customer " + std::to_string(n);
      ci.email = email;
      ci.phone = "+44 20 7946 0" + std::to_string(100 + n);
      ci.named_contact = true;
      auto contact = store.Write<User>([&](DeskRepository& repo) {
        return OrganisationService(repo, *policies).AddContact(system, now, org->id, ci);
      });
      if (!contact.ok()) return contact.error();
      auto token = CreateToken(store, email, "", "", std::nullopt, now);
      if (!token.ok()) return token.error();
      if (out.contact.empty()) {
        out.contact = *token;
        out.contact_email = email;
      }
      std::vector<std::string> sev;
      for (const auto& s : p->severities) sev.push_back(s.id);
      orgs.push_back({*org, *contact, sev, p});
      out.organisations++;
    }
  }

  const char* subjects[] = {"CSV export returns HTTP 500", "Dashboard loads slowly since the update",
                            "SSO login loops back to the sign-in page", "Webhook deliveries are delayed",
                            "Question about API rate limits", "Report totals differ from the invoice",
                            "Mobile push notifications not received", "Cannot invite new team members"};
  // A few dozen tickets, spread over the orgs, in every status.
  const int kTickets = std::max<int>(36, static_cast<int>(orgs.size()) * 3);
  for (int i = 0; i < kTickets; ++i) {
    Org& o = orgs[i % orgs.size()];
    const User& agent = agents[i % agents.size()];
    // Opened between 70 hours and 20 minutes ago; later ones are fresher
    // and some of those sit close to their first-response deadline.
    Instant opened = now - std::chrono::minutes(20 + (kTickets - i) * 110);
    OpenTicketInput in;
    in.subject = subjects[i % 8];
    in.description = "Since this morning " + std::string(subjects[i % 8]) + ". It affects several users in our team.";
    in.steps_to_reproduce = "1. Sign in\n2. Open the page\n3. Observe the error";
    in.business_impact = i % 3 == 0 ? "Finance cannot close the month" : "Some users are slowed down";
    in.product_area = i % 2 ? "Reporting" : "Integrations";
    in.error_details = "HTTP 500, request id 7f3a-" + std::to_string(1000 + i);
    in.severity = o.severities[i % o.severities.size()];
    // The policy's own fields, where it asks for them.
    for (const auto* list : {&o.policy->required_fields, &o.policy->requested_fields})
      for (const auto& f : *list)
        if (f.type == FieldType::kDateTime) in.fields[f.id] = FormatInstant(opened - std::chrono::hours(2));
        else if (f.type) in.fields[f.id] = "Reporting dashboard";
    // A channel the organisation's plan takes: its portal where it has one,
    // e-mail for every fourth ticket where the plan takes e-mail.
    auto rules = policies->Find(o.org.policy_id);
    const Plan* plan = PlanRules::EffectivePlan(*rules, o.org);
    in.channel = PlanRules::CheckChannel(*plan, TicketChannel::kPortal, *in.severity).ok() ? TicketChannel::kPortal
                                                                                           : PlanRules::DefaultChannel(*plan);
    if (i % 4 == 0 && PlanRules::CheckChannel(*plan, TicketChannel::kEmail, *in.severity).ok())
      in.channel = TicketChannel::kEmail;
    auto t = store.Write<OpenedTicket>([&](DeskRepository& repo) { return TicketIntake(repo, *policies).Open(o.contact, opened, in); });
    if (!t.ok()) return MakeError("demo", "opening a ticket for " + o.org.name + " failed: " + t.error().ToString());
    out.tickets++;
    const std::int64_t number = t->ticket.number;
    auto step = [&](const char* what, Instant at, auto call) -> Status {
      auto r = store.Write<bool>([&](DeskRepository& repo) -> Result<bool> {
        Status s = call(repo, at);
        if (!s.ok()) return s.error();
        return true;
      });
      if (!r.ok()) return MakeError("demo", std::string(what) + " on ticket " + std::to_string(number) + " failed: " + r.error().ToString());
      return Status::Ok();
    };
    auto reply = [&](const User& who, const std::string& body) {
      return [&, body](DeskRepository& repo, Instant at) -> Status {
        auto r = TicketConversation(repo, *policies).Reply(who, at, number, {body, Visibility::kPublic, {}});
        return r.ok() ? Status::Ok() : Status(r.error());
      };
    };
    auto status = [&](const User& who, TicketStatus to, std::optional<TicketOutcome> outcome = std::nullopt,
                      std::optional<std::string> issue = std::nullopt) {
      return [&, to, outcome, issue](DeskRepository& repo, Instant at) -> Status {
        StatusInput s;
        s.status = to;
        s.outcome = outcome;
        s.external_issue = issue;
        auto r = TicketWorkflow(repo, *policies).ChangeStatus(who, at, number, s);
        return r.ok() ? Status::Ok() : Status(r.error());
      };
    };
    const int stage = i % 6;  // 0 new, 1 open, 2 waiting, 3 open after customer reply, 4 resolved, 5 closed
    if (stage == 0) continue;
    if (Status s = step("agent reply", opened + std::chrono::minutes(15), reply(agent, "Thanks for the report, we are looking into it.")); !s.ok()) return s.error();
    if (stage == 1) continue;
    if (Status s = step("waiting", opened + std::chrono::minutes(40), status(agent, TicketStatus::kWaitingOnCustomer)); !s.ok()) return s.error();
    if (stage == 2) continue;
    if (Status s = step("customer reply", opened + std::chrono::minutes(70), reply(o.contact, "Here is the HAR file you asked for.")); !s.ok()) return s.error();
    if (stage == 3) continue;
    const bool bug = i % 4 == 0;
    if (Status s = step("resolve", opened + std::chrono::minutes(95),
                        status(agent, TicketStatus::kResolved, bug ? TicketOutcome::kBugEscalated : TicketOutcome::kSolved,
                               bug ? std::optional<std::string>("ENG-" + std::to_string(400 + i)) : std::nullopt));
        !s.ok())
      return s.error();
    if (stage == 4) continue;
    if (Status s = step("close", opened + std::chrono::minutes(100), status(o.contact, TicketStatus::kClosed)); !s.ok()) return s.error();
  }
  // Three tickets whose first-response warnings and breach fall in the
  // first two minutes after start (a 24x7 target: the first organisation
  // whose most severe level has one), so a newcomer watches the scheduler.
  for (const Org& o : orgs) {
    const Plan* plan = PlanRules::EffectivePlan(*o.policy, o.org);
    const std::string& severity = o.severities.front();
    const Target* target = plan ? plan->FindTarget(severity, Metric::kFirstResponse) : nullptr;
    const auto& cal = target && target->calendar ? target->calendar : plan ? plan->calendar : nullptr;
    if (!target || !cal || !cal->always_open()) continue;
    const Seconds T = target->seconds;
    // Due within two minutes: the 75% warning (+30 s), the 90% one (+60 s), the breach (+91 s).
    for (Seconds ago : {T * 3 / 4 - 30, T * 9 / 10 - 60, T - 90}) {
      OpenTicketInput in;
      in.subject = "Scheduler demo: everything is down";
      in.description = "Watch this ticket: its first-response clock runs out within two minutes of start.";
      in.steps_to_reproduce = "Open the app";
      in.business_impact = "Nobody can work";
      in.severity = severity;
      in.channel = PlanRules::CheckChannel(*plan, TicketChannel::kPortal, severity).ok() ? TicketChannel::kPortal
                                                                                        : PlanRules::DefaultChannel(*plan);
      auto t = store.Write<OpenedTicket>([&](DeskRepository& repo) {
        return TicketIntake(repo, *policies).Open(o.contact, now - std::chrono::seconds(ago), in);
      });
      if (!t.ok()) return MakeError("demo", "opening a scheduler demo ticket failed: " + t.error().ToString());
      out.tickets++;
    }
    break;
  }
  auto held = SeedHeldMail(store, policies, now, mail_secret, out.contact_email);
  if (!held.ok()) return held.error();
  out.held_mail = *held;
  auto logins = ResetPasswords(store);
  if (!logins.ok()) return logins.error();
  out.logins = std::move(logins).value();
  return out;
}

}  // namespace sladesk
