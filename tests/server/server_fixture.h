// ServerFixture: a real sladesk service on an ephemeral loopback port, for
// one test, on a backend given by the test parameter ("sqlite" or
// "postgresql"), with a test policy built in code and a clock the test moves.
//
// The policy "test-desk": severities s1 > s2 > s3 (default s2), all on 24x7.
// Plan "basic": 2 incidents a month (refused beyond), 1 named contact.
// Plan "premium": 1 incident a month (flagged beyond), a CSM.
// Targets (both plans): s1 first response 1 h, resolution 8 h; s2 first
// response 4 h, next update 8 h, resolution 24 h; s3 first response 8 h.
// Required field: steps_to_reproduce. Reopen within 7 days. Escalation
// ladder: "Duty manager" (raises to s1), then "Head of support". Warnings
// at 75% of each target.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "server/demo_data.h"
#include "server/desk_api.h"
#include "server/http_server.h"
#include "server/openapi_document.h"
#include "storage/test_database.h"
#include "server/test_http_client.h"

namespace sladesk::testing {

inline std::shared_ptr<const Policy> MakeTestPolicy() {
  auto p = std::make_shared<Policy>();
  p->id = "test-desk";
  p->name = "Test Desk";
  for (const char* s : {"s1", "s2", "s3"}) p->severities.push_back(Severity{s, s, "", {}});
  p->default_severity = "s2";
  p->warn_at_percent = {75};
  p->required_fields.push_back(TicketField{"steps_to_reproduce", "Steps to reproduce", std::nullopt, ""});
  p->lifecycle.reopen_allowed = true;
  p->lifecycle.reopen_window = Period{0, 7, "7 days"};
  EscalationLevel l1;
  l1.name = "Duty manager";
  l1.raises_severity_to = "s1";
  l1.notify = {"duty-manager"};
  EscalationLevel l2;
  l2.name = "Head of support";
  p->lifecycle.escalation = {l1, l2};
  auto cal = BusinessCalendar::AlwaysOpen();
  p->calendars["24x7"] = cal;
  auto target = [&](Seconds s) {
    Target t;
    t.seconds = s;
    t.calendar = cal;
    return t;
  };
  for (const char* id : {"basic", "premium"}) {
    Plan plan;
    plan.id = id;
    plan.name = id;
    plan.calendar = cal;
    plan.targets["s1"][Metric::kFirstResponse] = target(3600);
    plan.targets["s1"][Metric::kResolution] = target(8 * 3600);
    plan.targets["s2"][Metric::kFirstResponse] = target(4 * 3600);
    plan.targets["s2"][Metric::kNextUpdate] = target(8 * 3600);
    plan.targets["s2"][Metric::kResolution] = target(24 * 3600);
    plan.targets["s3"][Metric::kFirstResponse] = target(8 * 3600);
    if (plan.id == "basic") {
      plan.quota.incidents_per_month = 2;
      plan.quota.incidents_exceeded = QuotaAction::kRefuse;
      plan.named_contacts = 1;
    } else {
      plan.quota.incidents_per_month = 1;
      plan.quota.incidents_exceeded = QuotaAction::kFlag;
      plan.csm = Provision::kYes;
    }
    p->plans.push_back(std::move(plan));
  }
  return p;
}

class ServerFixture : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr Seconds kStart = 1772442000;  // 2026-03-02T09:00:00Z, a Monday

  void SetUp() override {
    SLADESK_SKIP_UNLESS_CONFIGURED(GetParam());
    now_.store(kStart);
    db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_TRUE(db_->error().empty()) << db_->error();
    auto s = DeskStore::Open(db_->url());
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    store_ = std::move(s).value();
    policies_ = PolicyRegistry::FromPolicies({MakeTestPolicy()});
    DeskApiConfig config;
    config.max_body_bytes = 256 * 1024;
    config.max_attachment_bytes = 64 * 1024;
    config.openapi_json = OpenApiDocument();
    config.hub = &hub_;
    api_ = std::make_unique<DeskApi>(*store_, policies_, config, [this] { return FromEpoch(now_.load()); },
                                     &metrics_);
    HttpServerOptions opts;
    opts.port = 0;
    opts.handle_signals = false;
    auto srv = HttpServer::Create(*api_, &metrics_, opts);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    server_->Start();
    client_ = std::make_unique<TestHttpClient>(server_->port());
    admin_ = Token("admin@test.desk", "admin");
    agent_ = Token("agent@test.desk", "agent");
    lead_ = Token("lead@test.desk", "lead");
  }

  void TearDown() override {
    client_.reset();
    if (server_) {
      server_->Stop();
      server_->Wait();
    }
    server_.reset();
    api_.reset();
    store_.reset();
    db_.reset();
  }

  std::string Token(const std::string& email, const std::string& role,
                    std::optional<Instant> expires = std::nullopt) {
    auto t = DemoData::CreateToken(*store_, email, email, role, expires, FromEpoch(now_.load()));
    EXPECT_TRUE(t.ok()) << t.error().ToString();
    return t.ok() ? *t : "";
  }

  void Advance(Seconds s) { now_ += s; }

  // Creates an organisation; returns its id.
  std::int64_t Org(const std::string& plan, nlohmann::json extra = nlohmann::json::object()) {
    nlohmann::json body{{"name", "Org " + plan + std::to_string(++orgs_)}, {"policy_id", "test-desk"},
                        {"plan_id", plan}};
    body.update(extra);
    auto r = client_->Json("POST", "/api/v1/organisations", admin_, body);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", 0);
  }

  // Adds a contact and returns their token.
  std::string Contact(std::int64_t org, bool named = false, std::int64_t* id_out = nullptr) {
    std::string email = "c" + std::to_string(++contacts_) + "@org" + std::to_string(org) + ".test";
    auto r = client_->Json("POST", "/api/v1/organisations/" + std::to_string(org) + "/contacts", admin_,
                           {{"name", "Contact " + std::to_string(contacts_)}, {"email", email},
                            {"named_contact", named}});
    EXPECT_EQ(r.status, 201) << r.body;
    if (id_out) *id_out = r.json().value("id", 0);
    return Token(email, "");
  }

  static nlohmann::json TicketBody(const std::string& subject = "Export fails") {
    return {{"subject", subject},
            {"description", "The CSV export returns HTTP 500 for every report."},
            {"steps_to_reproduce", "Open Reports, click Export"}};
  }

  HttpResult CreateTicket(const std::string& token, nlohmann::json body = TicketBody()) {
    return client_->Json("POST", "/api/v1/tickets", token, body);
  }

  std::int64_t CountTickets() {
    std::int64_t n = 0;
    Status st = store_->RunRead([&](DeskRepository& r) -> Status {
      TicketQuery q;
      q.limit = 100000;
      auto rows = r.ListTickets(q);
      if (!rows.ok()) return rows.error();
      n = static_cast<std::int64_t>(rows->size());
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok());
    return n;
  }

  std::atomic<Seconds> now_{0};
  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<DeskStore> store_;
  std::shared_ptr<const PolicyRegistry> policies_;
  ServerMetrics metrics_;
  TicketChangeHub hub_;
  std::unique_ptr<DeskApi> api_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<TestHttpClient> client_;
  std::string admin_, agent_, lead_;
  int orgs_ = 0;
  int contacts_ = 0;
};

}  // namespace sladesk::testing
