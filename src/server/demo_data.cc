#include "server/demo_data.h"

#include <condition_variable>
#include <mutex>

#include <nlohmann/json.hpp>

#include "server/desk_api.h"
#include "server/token_codec.h"

namespace sladesk {
namespace {

using nlohmann::json;

// Drives DeskApi synchronously with a movable clock.
class DemoDriver {
 public:
  DemoDriver(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies)
      : api_(store, std::move(policies), DeskApiConfig{}, [this] { return now_; }, nullptr) {}
  void set_now(Instant t) { now_ = t; }

  Result<json> Call(const std::string& token, const std::string& method, const std::string& path, const json& body,
                    int expect) {
    ApiRequest req;
    req.method = method;
    req.path = path;
    req.target = path;
    req.authorization = "Bearer " + token;
    req.content_type = "application/json";
    if (method != "GET") req.body = body.dump();
    std::mutex mu;
    std::condition_variable cv;
    std::optional<ApiResponse> out;
    api_.Handle(req, [&](ApiResponse r) {
      r.Materialize();
      std::lock_guard<std::mutex> lock(mu);
      out = std::move(r);
      cv.notify_all();
    });
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return out.has_value(); });
    if (out->status != expect)
      return MakeError(path, method + " answered " + std::to_string(out->status) + ": " + out->body);
    auto j = json::parse(out->body, nullptr, false);
    return j;
  }

 private:
  Instant now_{};
  DeskApi api_;
};

}  // namespace

Result<std::string> DemoData::CreateToken(DeskStore& store, const std::string& email, const std::string& name,
                                          const std::string& role, std::optional<Instant> expires_at, Instant now) {
  std::string secret = TokenCodec::NewSecret();
  Error refused;
  bool refused_set = false;
  Status st = store.RunWrite([&](DeskRepository& repo) -> Status {
    auto user = repo.FindUserByEmail(email);
    if (!user.ok()) return user.error();
    Id uid = 0;
    if (user->has_value()) {
      uid = (*user)->id;
    } else {
      auto r = RoleFromName(role);
      if (role.empty() || !r || *r == Role::kContact) {
        refused = MakeError("--email", "no user has e-mail '" + email +
                                           "'; pass --role agent|lead|admin to create a staff user");
        refused_set = true;
        return refused;
      }
      User u;
      u.name = name.empty() ? email : name;
      u.email = email;
      u.role = *r;
      u.created_at = now;
      auto id = repo.InsertUser(u);
      if (!id.ok()) return id.error();
      uid = *id;
    }
    ApiToken t;
    t.user_id = uid;
    t.name = "cli";
    t.token_hash = TokenCodec::Sha256Hex(secret);
    t.created_at = now;
    t.expires_at = expires_at;
    auto id = repo.InsertToken(t);
    if (!id.ok()) return id.error();
    return Status::Ok();
  });
  if (!st.ok()) return refused_set ? refused : st.error();
  return secret;
}

Result<DemoTokens> DemoData::Seed(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, Instant now) {
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
    return out;
  }
  if (policies->size() == 0) return MakeError("--policies", "no policies are loaded; the demo needs at least one");

  auto admin = CreateToken(store, "admin@sladesk.demo", "Ada Admin", "admin", std::nullopt, now);
  if (!admin.ok()) return admin.error();
  out.admin = *admin;
  auto lead = CreateToken(store, "lee@sladesk.demo", "Lee Lead", "lead", std::nullopt, now);
  if (!lead.ok()) return lead.error();
  const char* agent_names[][2] = {{"alex@sladesk.demo", "Alex Agent"}, {"sam@sladesk.demo", "Sam Support"},
                                  {"kim@sladesk.demo", "Kim Kaur"}};
  std::vector<std::string> agent_tokens;
  for (auto& a : agent_names) {
    auto t = CreateToken(store, a[0], a[1], "agent", std::nullopt, now);
    if (!t.ok()) return t.error();
    agent_tokens.push_back(*t);
  }
  out.agent = agent_tokens[0];

  DemoDriver api(store, policies);
  // Everything happens over the last three days.
  const Instant start = now - std::chrono::hours(72);
  api.set_now(start);
  auto me = api.Call(agent_tokens[0], "GET", "/api/v1/me", json::object(), 200);
  if (!me.ok()) return me.error();
  const std::int64_t csm_id = (*me)["id"].get<std::int64_t>();

  struct Org {
    std::int64_t id;
    std::string contact_token;
    std::vector<std::string> severities;
    bool business_fields;
  };
  std::vector<Org> orgs;
  int n = 0;
  for (const auto& pid : policies->Ids()) {
    const Policy* p = policies->Find(pid);
    for (const auto& plan : p->plans) {
      json body{{"name", plan.name.empty() ? p->name + " " + plan.id : p->name + " — " + plan.name},
                {"policy_id", p->id}, {"plan_id", plan.id}, {"renewal_date", "2027-06-30"},
                {"support_hours_budget", 40}};
      // Generous quota so the demo's tickets fit; the plan's own quota shows in GET.
      body["incidents_per_month"] = 100;
      if (plan.csm != Provision::kNo || plan.tam != Provision::kNo) body["csm_user_id"] = csm_id;
      auto org = api.Call(out.admin, "POST", "/api/v1/organisations", body, 201);
      if (!org.ok()) return org.error();
      std::int64_t oid = (*org)["id"].get<std::int64_t>();
      ++n;
      std::string email = "contact" + std::to_string(n) + "@customer" + std::to_string(n) + ".demo";
      auto contact = api.Call(out.admin, "POST", "/api/v1/organisations/" + std::to_string(oid) + "/contacts",
                              json{{"name", "Casey Customer " + std::to_string(n)}, {"email", email},
                                   {"named_contact", true}},
                              201);
      if (!contact.ok()) return contact.error();
      auto token = CreateToken(store, email, "", "", std::nullopt, now);
      if (!token.ok()) return token.error();
      std::vector<std::string> sev;
      for (const auto& s : p->severities) sev.push_back(s.id);
      if (out.contact.empty()) {
        out.contact = *token;
        out.contact_email = email;
      }
      orgs.push_back({oid, *token, sev, true});
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
    Org& org = orgs[i % orgs.size()];
    const std::string agent = agent_tokens[i % agent_tokens.size()];
    // Opened between 70 hours and 20 minutes ago; later ones are fresher
    // and some of those sit close to their first-response deadline.
    Instant opened = now - std::chrono::minutes(20 + (kTickets - i) * 110);
    api.set_now(opened);
    std::string severity = org.severities[i % org.severities.size()];
    json body{{"subject", subjects[i % 8]},
              {"description", "Since this morning " + std::string(subjects[i % 8]) +
                                  ". It affects several users in our team."},
              {"steps_to_reproduce", "1. Sign in\n2. Open the page\n3. Observe the error"},
              {"business_impact", i % 3 == 0 ? "Finance cannot close the month" : "Some users are slowed down"},
              {"product_area", i % 2 ? "Reporting" : "Integrations"},
              {"error_details", "HTTP 500, request id 7f3a-" + std::to_string(1000 + i)},
              {"channel", i % 4 == 0 ? "email" : "portal"},
              {"severity", severity}};
    auto t = api.Call(org.contact_token, "POST", "/api/v1/tickets", body, 201);
    if (!t.ok()) return t.error();
    out.tickets++;
    const std::string base = "/api/v1/tickets/" + std::to_string((*t)["number"].get<std::int64_t>());
    const int stage = i % 6;  // 0 new, 1 open, 2 waiting, 3 open after customer reply, 4 resolved, 5 closed
    if (stage == 0) continue;
    api.set_now(opened + std::chrono::minutes(15));
    if (!api.Call(agent, "POST", base + "/messages",
                  json{{"body", "Thanks for the report, we are looking into it."}}, 201).ok())
      return MakeError("demo", "agent reply failed");
    if (stage == 1) continue;
    api.set_now(opened + std::chrono::minutes(40));
    if (!api.Call(agent, "POST", base + "/status", json{{"status", "waiting_on_customer"}}, 200).ok())
      return MakeError("demo", "waiting failed");
    if (stage == 2) continue;
    api.set_now(opened + std::chrono::minutes(70));
    if (!api.Call(org.contact_token, "POST", base + "/messages",
                  json{{"body", "Here is the HAR file you asked for."}}, 201).ok())
      return MakeError("demo", "customer reply failed");
    if (stage == 3) continue;
    api.set_now(opened + std::chrono::minutes(95));
    json resolve{{"status", "resolved"}, {"outcome", i % 4 == 0 ? "bug_escalated" : "solved"}};
    if (i % 4 == 0) resolve["external_issue"] = "ENG-" + std::to_string(400 + i);
    if (!api.Call(agent, "POST", base + "/status", resolve, 200).ok()) return MakeError("demo", "resolve failed");
    if (stage == 4) continue;
    api.set_now(opened + std::chrono::minutes(100));
    if (!api.Call(org.contact_token, "POST", base + "/status", json{{"status", "closed"}}, 200).ok())
      return MakeError("demo", "close failed");
  }
  return out;
}

}  // namespace sladesk
