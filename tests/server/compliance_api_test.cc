// The compliance API on both backends, with the seed policies: incidents
// and maintenance (CRUD, end, validation), availability per organisation
// and month (worked examples in data/compliance/availability_cases.json,
// RCA tasks), downtime notices judged on stored tickets (9 vs 10 tickets,
// the 20 % margin, data/compliance/downtime_cases.json), the public status,
// the SLA report against the history-file pipeline of `report sla`
// (data/compliance/report_tickets.json) and the statement.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>

#include "compliance/history_jsonl.h"
#include "compliance/sla_report_builder.h"
#include "compliance/sla_report_writers.h"
#include "desk/stored_reports.h"
#include "server/server_fixture.h"

namespace sladesk::testing {
namespace {

using nlohmann::json;

json ReadData(const std::string& name) {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/server/data/compliance/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

Seconds Epoch(const std::string& t) { return ToEpoch(*ParseInstant(t, "t")); }

class ComplianceApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // The same server, serving the seed policies.
    server_->Stop();
    server_->Wait();
    auto p = PolicyRegistry::LoadDirectory(std::string(SLADESK_SOURCE_DIR) + "/policies");
    ASSERT_TRUE(p.ok()) << p.error().ToString();
    policies_ = *p;
    DeskApiConfig config;
    config.openapi_json = OpenApiDocument();
    api_ = std::make_unique<DeskApi>(*store_, policies_, config, [this] { return FromEpoch(now_.load()); }, &metrics_);
    HttpServerOptions opts;
    opts.port = 0;
    opts.handle_signals = false;
    auto srv = HttpServer::Create(*api_, &metrics_, opts);
    ASSERT_TRUE(srv.ok()) << srv.error().ToString();
    server_ = std::move(srv).value();
    server_->Start();
    client_ = std::make_unique<TestHttpClient>(server_->port());
  }

  std::int64_t SeedOrg(const std::string& policy, const std::string& plan, const std::string& name) {
    auto r = client_->Json("POST", "/api/v1/organisations", admin_,
                           {{"name", name}, {"policy_id", policy}, {"plan_id", plan}});
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().value("id", 0);
  }

  HttpResult Record(const json& rec, std::int64_t org, std::int64_t other) {
    json body{{"service", rec["service"]}, {"start", rec["start"]}};
    for (const char* k : {"cause", "end", "title"})
      if (rec.contains(k)) body[k] = rec[k];
    const std::string which = rec.value("organisation", "self");
    if (which == "self") body["organisation_id"] = org;
    if (which == "other") body["organisation_id"] = other;
    const std::string path = rec["kind"] == "maintenance" ? "/api/v1/maintenance" : "/api/v1/incidents";
    return client_->Json("POST", path, agent_, body);
  }
};

TEST_P(ComplianceApiTest, AvailabilityWorkedExamples) {
  const json data = ReadData("availability_cases.json");
  for (const auto& c : data["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    // A fresh pair of organisations per case; service-wide records of an
    // earlier case would count here too, so each case's run is alone.
    TearDown();
    SetUp();
    now_.store(Epoch(data["now"]));
    const std::int64_t org = SeedOrg(data["policy"], data["plan"], "Agency client");
    const std::int64_t other = SeedOrg(data["policy"], data["plan"], "Other client");
    for (const auto& rec : c["records"]) {
      auto r = Record(rec, org, other);
      ASSERT_EQ(r.status, 201) << r.body;
    }
    auto r = client_->Get("/api/v1/organisations/" + std::to_string(org) + "/availability?month=" +
                              c["month"].get<std::string>(),
                          agent_);
    ASSERT_EQ(r.status, 200) << r.body;
    const json got = r.json();
    const json& want = c["expect"];
    EXPECT_EQ(got["month"], c["month"]);
    EXPECT_EQ(got["month_seconds"], want["month_seconds"]);
    EXPECT_EQ(got["excluded_seconds"], want["excluded_seconds"]);
    EXPECT_EQ(got["downtime_seconds"], want["downtime_seconds"]);
    EXPECT_NEAR(got["availability_percent"].get<double>(), want["availability_percent"].get<double>(), 1e-6);
    EXPECT_EQ(got["met"], want["met"]);
    EXPECT_EQ(got["target_percent"], 98);
    EXPECT_EQ(got["complete"], want.value("complete", true));
    EXPECT_EQ(!got["rca_task"].is_null(), want["rca_task"].get<bool>()) << got.dump();
    auto tasks = client_->Get("/api/v1/rca-tasks?organisation_id=" + std::to_string(org), lead_);
    ASSERT_EQ(tasks.status, 200) << tasks.body;
    EXPECT_EQ(tasks.json()["items"].size(), want["rca_task"].get<bool>() ? 1u : 0u) << tasks.body;
  }
}

TEST_P(ComplianceApiTest, RcaTaskIsOpenedOnceAndAssignedToATeamLead) {
  const std::int64_t org = SeedOrg("agency-support", "standard", "Agency client");
  json outage{{"service", "hosting"}, {"organisation_id", org}, {"start", "2026-01-10T00:00:00Z"},
              {"end", "2026-01-11T00:00:00Z"}};
  ASSERT_EQ(client_->Json("POST", "/api/v1/incidents", agent_, outage).status, 201);
  outage["start"] = "2026-01-20T00:00:00Z";
  outage["end"] = "2026-01-21T00:00:00Z";
  ASSERT_EQ(client_->Json("POST", "/api/v1/incidents", agent_, outage).status, 201);
  // Reviewing the month again (the scheduler's call) opens nothing new.
  auto review = client_->Json("POST", "/api/v1/rca-tasks/review", lead_, {{"month", "2026-01"}});
  ASSERT_EQ(review.status, 200) << review.body;
  EXPECT_TRUE(review.json()["opened"].empty());
  auto tasks = client_->Get("/api/v1/rca-tasks?state=open", lead_);
  ASSERT_EQ(tasks.status, 200);
  ASSERT_EQ(tasks.json()["items"].size(), 1u) << tasks.body;
  const json task = tasks.json()["items"][0];
  EXPECT_EQ(task["month"], "2026-01");
  EXPECT_EQ(task["state"], "open");
  auto me = client_->Get("/api/v1/me", lead_);
  EXPECT_EQ(task["assignee_id"], me.json()["id"]) << me.body;
  // Contacts and agents without the role do not review months.
  EXPECT_EQ(client_->Json("POST", "/api/v1/rca-tasks/review", agent_, {{"month", "2026-01"}}).status, 403);
}

TEST_P(ComplianceApiTest, IncidentLifecycleAndValidation) {
  const std::int64_t org = SeedOrg("agency-support", "standard", "Agency client");
  // Clear errors naming the field.
  struct Bad {
    json body;
    const char* path;
    int status;
    const char* field;
  };
  const std::vector<Bad> bad = {
      {{{"start", "2026-03-01T00:00:00Z"}}, "/api/v1/incidents", 422, "service"},
      {{{"service", "hosting"}}, "/api/v1/incidents", 422, "start"},
      {{{"service", "hosting"}, {"start", "yesterday"}}, "/api/v1/incidents", 422, "start"},
      {{{"service", "hosting"}, {"start", "2026-03-01T00:00:00Z"}, {"cause", "gremlins"}}, "/api/v1/incidents", 422, "cause"},
      {{{"service", "hosting"}, {"start", "2026-03-01T10:00:00Z"}, {"end", "2026-03-01T09:00:00Z"}}, "/api/v1/incidents", 422, "end"},
      {{{"service", "hosting"}, {"start", "2026-03-05T00:00:00Z"}}, "/api/v1/incidents", 422, "start"},
      {{{"service", "hosting"}, {"start", "2026-03-01T00:00:00Z"}, {"end", "2026-03-05T00:00:00Z"}}, "/api/v1/incidents", 422, "end"},
      {{{"service", "hosting"}, {"start", "2026-03-01T00:00:00Z"}, {"organisation_id", 999999}}, "/api/v1/incidents", 422, "organisation_id"},
      {{{"service", "hosting"}, {"start", "2026-03-01T00:00:00Z"}, {"colour", "red"}}, "/api/v1/incidents", 422, "colour"},
      {{{"service", "db"}, {"start", "2026-03-10T00:00:00Z"}, {"cause", "outage"}}, "/api/v1/maintenance", 422, "cause"},
  };
  for (const auto& b : bad) {
    auto r = client_->Json("POST", b.path, agent_, b.body);
    EXPECT_EQ(r.status, b.status) << b.body.dump() << " -> " << r.body;
    EXPECT_EQ(r.json().value("field", ""), b.field) << r.body;
  }
  // Contacts may not record incidents.
  std::string contact = Contact(org);
  EXPECT_EQ(client_->Json("POST", "/api/v1/incidents", contact, {{"service", "x"}, {"start", "2026-03-01T00:00:00Z"}}).status, 403);
  EXPECT_EQ(client_->Get("/api/v1/incidents", contact).status, 403);

  auto created = client_->Json("POST", "/api/v1/incidents", agent_,
                               {{"service", "hosting"}, {"start", "2026-03-02T08:00:00Z"}, {"title", "Slow pages"},
                                {"description", "Internal: the cache node died"}});
  ASSERT_EQ(created.status, 201) << created.body;
  const std::int64_t id = created.json()["id"];
  EXPECT_TRUE(created.json()["open"].get<bool>());
  EXPECT_EQ(created.json()["cause"], "outage");
  EXPECT_EQ(created.headers["Location"], "/api/v1/incidents/" + std::to_string(id));
  // Not a maintenance window.
  EXPECT_EQ(client_->Get("/api/v1/maintenance/" + std::to_string(id), agent_).status, 404);
  // PATCH with a stale If-Match is refused; with the ETag it applies.
  auto stale = client_->Json("PATCH", "/api/v1/incidents/" + std::to_string(id), agent_, {{"title", "x"}},
                             {{"If-Match", "\"i" + std::to_string(id) + "v9\""}});
  EXPECT_EQ(stale.status, 412) << stale.body;
  auto patched = client_->Json("PATCH", "/api/v1/incidents/" + std::to_string(id), agent_,
                               {{"cause", "subcontractor"}}, {{"If-Match", created.headers["ETag"]}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  EXPECT_EQ(patched.json()["cause"], "subcontractor");
  EXPECT_EQ(patched.json()["version"], 2);
  Advance(1800);
  auto ended = client_->Json("POST", "/api/v1/incidents/" + std::to_string(id) + "/end", agent_, json::object());
  ASSERT_EQ(ended.status, 200) << ended.body;
  EXPECT_EQ(ended.json()["end"], "2026-03-02T09:30:00Z");
  EXPECT_FALSE(ended.json()["open"].get<bool>());
  auto again = client_->Json("POST", "/api/v1/incidents/" + std::to_string(id) + "/end", agent_, json::object());
  EXPECT_EQ(again.status, 409) << again.body;
  auto list = client_->Get("/api/v1/incidents", agent_);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.json()["items"].size(), 1u);
  // Only leads and admins delete.
  EXPECT_EQ(client_->Send("DELETE", "/api/v1/incidents/" + std::to_string(id), agent_).status, 403);
  EXPECT_EQ(client_->Send("DELETE", "/api/v1/incidents/" + std::to_string(id), lead_).status, 204);
  EXPECT_EQ(client_->Get("/api/v1/incidents/" + std::to_string(id), agent_).status, 404);
  // Availability needs a month.
  EXPECT_EQ(client_->Get("/api/v1/organisations/" + std::to_string(org) + "/availability", agent_).status, 400);
  EXPECT_EQ(client_->Get("/api/v1/organisations/" + std::to_string(org) + "/availability?month=2026-13", agent_).status, 422);
  EXPECT_EQ(client_->Get("/api/v1/organisations/" + std::to_string(org) + "/availability?month=2026-05", agent_).status, 422);
}

TEST_P(ComplianceApiTest, StatusShowsOpenServiceWideIncidentsWithoutPrivateDetails) {
  const std::int64_t org = SeedOrg("agency-support", "standard", "Agency client");
  auto open = client_->Json("POST", "/api/v1/incidents", agent_,
                            {{"service", "hosting"}, {"start", "2026-03-02T08:00:00Z"}, {"title", "Hosting is down"},
                             {"description", "PRIVATE: disk full on db-3"}});
  ASSERT_EQ(open.status, 201) << open.body;
  ASSERT_EQ(client_->Json("POST", "/api/v1/incidents", agent_,
                          {{"service", "hosting"}, {"start", "2026-03-02T07:00:00Z"}, {"organisation_id", org},
                           {"title", "Only Agency client"}})
                .status,
            201);
  ASSERT_EQ(client_->Json("POST", "/api/v1/maintenance", agent_,
                          {{"service", "db"}, {"start", "2026-03-07T01:00:00Z"}, {"end", "2026-03-07T03:00:00Z"},
                           {"title", "Planned upgrade"}})
                .status,
            201);
  auto r = client_->Get("/api/v1/status", "");  // no credentials at all
  ASSERT_EQ(r.status, 200) << r.body;
  const json s = r.json();
  EXPECT_EQ(s["status"], "incident");
  ASSERT_EQ(s["current_incidents"].size(), 1u) << r.body;
  EXPECT_EQ(s["current_incidents"][0]["title"], "Hosting is down");
  EXPECT_TRUE(s["current_incidents"][0]["end"].is_null());
  ASSERT_EQ(s["maintenance"].size(), 1u);
  EXPECT_EQ(s["maintenance"][0]["title"], "Planned upgrade");
  EXPECT_EQ(r.body.find("PRIVATE"), std::string::npos);
  EXPECT_EQ(r.body.find("Only Agency client"), std::string::npos);
  EXPECT_EQ(r.body.find("description"), std::string::npos);
  ASSERT_EQ(s["availability"].size(), 1u);  // agency-support is the seed with a level
  const json& months = s["availability"][0]["months"];
  ASSERT_EQ(months.size(), 12u);
  EXPECT_EQ(months.back()["month"], "2026-03");
  EXPECT_FALSE(months.back()["complete"].get<bool>());
  EXPECT_EQ(months.back()["downtime_seconds"], 3600);
  EXPECT_EQ(months[10]["availability_percent"], 100.0);
  // Ended, it leaves the page.
  ASSERT_EQ(client_->Json("POST", "/api/v1/incidents/" + std::to_string(open.json()["id"].get<std::int64_t>()) + "/end",
                          agent_, json::object())
                .status,
            200);
  auto after = client_->Get("/api/v1/status", "");
  EXPECT_EQ(after.json()["status"], "operational");
  EXPECT_TRUE(after.json()["current_incidents"].empty());
}

class DowntimeApiTest : public ComplianceApiTest {};

TEST_P(DowntimeApiTest, NoticesJudgedOnStoredTickets) {
  const json data = ReadData("downtime_cases.json");
  for (const auto& c : data["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    now_.store(Epoch(data["first_opened"]));
    const std::int64_t org = SeedOrg(data["policy"], data["plan"], "Metrics client " + c["name"].get<std::string>());
    std::string contact = Contact(org, true);
    const int n = c["tickets"], over = c["over_tickets"];
    const Seconds answered = c["answered_after_seconds"];
    for (int i = 0; i < n; ++i) {
      now_.store(Epoch(data["first_opened"]) + i * 3600);
      json body = TicketBody("Dashboard empty " + std::to_string(i));
      body["business_impact"] = "Reports are late";
      body["severity"] = data["severity"];
      auto t = CreateTicket(contact, body);
      ASSERT_EQ(t.status, 201) << t.body;
      if (i >= over) {
        now_ += answered;
        auto reply = client_->Json("POST", "/api/v1/tickets/" + std::to_string(t.json()["number"].get<std::int64_t>()) + "/messages",
                                   agent_, {{"body", "Looking into it"}});
        ASSERT_EQ(reply.status, 201) << reply.body;
        // Resolved at once: no next_update cycle runs on until the notice.
        auto done = client_->Json("POST", "/api/v1/tickets/" + std::to_string(t.json()["number"].get<std::int64_t>()) + "/status",
                                  agent_, {{"status", "resolved"}, {"outcome", "solved"}});
        ASSERT_EQ(done.status, 200) << done.body;
      }
    }
    now_.store(Epoch(data["notified_at"]));
    auto r = client_->Json("POST", "/api/v1/organisations/" + std::to_string(org) + "/downtime-notices", contact,
                           json::object());
    ASSERT_EQ(r.status, 201) << r.body;
    const json got = r.json();
    const json& want = c["expect"];
    EXPECT_EQ(got["result"]["window"], data["window"]);
    EXPECT_EQ(got["result"]["submitted"], want["submitted"]);
    EXPECT_EQ(got["result"]["considered"], want["considered"]);
    EXPECT_EQ(got["result"]["over"], want["over"]);
    EXPECT_EQ(got["downtime"], want["downtime"]);
    EXPECT_EQ(!got["remedy_period"].is_null(), want["remedy_period"].get<bool>()) << r.body;
    if (want["remedy_period"].get<bool>()) {
      EXPECT_EQ(got["result"]["remedy"], data["remedy"]);
      EXPECT_EQ(got["remedy_period"]["from"], data["remedy"]["from"]);
      EXPECT_EQ(got["remedy_period"]["to"], data["remedy"]["to"]);
      EXPECT_EQ(got["remedy_period"]["max_tickets"], 10);
      // A second notice while the period runs opens no other.
      auto again = client_->Json("POST", "/api/v1/organisations/" + std::to_string(org) + "/downtime-notices",
                                 agent_, json::object());
      ASSERT_EQ(again.status, 201) << again.body;
      EXPECT_TRUE(again.json()["remedy_period"].is_null());
      EXPECT_FALSE(again.json()["remedy_period_running"].is_null());
      // New tickets in the period are tracked, the first 10 only.
      for (int i = 0; i < 11; ++i) {
        now_.store(Epoch(data["notified_at"]) + 3600 * (i + 1));
        json body = TicketBody("After the notice " + std::to_string(i));
        body["business_impact"] = "Reports are late";
        body["severity"] = "urgent";
        ASSERT_EQ(CreateTicket(contact, body).status, 201);
      }
      now_.store(Epoch(data["notified_at"]) + 3600 * 20);
      auto periods = client_->Get("/api/v1/organisations/" + std::to_string(org) + "/remedy-periods", contact);
      ASSERT_EQ(periods.status, 200) << periods.body;
      ASSERT_EQ(periods.json()["items"].size(), 1u);
      const json p = periods.json()["items"][0];
      EXPECT_EQ(p["tracked"], 10);
      EXPECT_EQ(p["breached"], 10);  // none answered within the hour
      EXPECT_EQ(p["within_targets"], 0);
    }
    auto notices = client_->Get("/api/v1/organisations/" + std::to_string(org) + "/downtime-notices", agent_);
    ASSERT_EQ(notices.status, 200);
    EXPECT_GE(notices.json()["items"].size(), 1u);
  }
}

TEST_P(DowntimeApiTest, OnlyTheOrganisationsContactsAndStaffNotify) {
  const std::int64_t org = SeedOrg("supermetrics", "premium", "Metrics client");
  const std::int64_t other = SeedOrg("supermetrics", "premium", "Another client");
  std::string stranger = Contact(other, true);
  EXPECT_EQ(client_->Json("POST", "/api/v1/organisations/" + std::to_string(org) + "/downtime-notices", stranger,
                          json::object())
                .status,
            404);
  const std::int64_t agency = SeedOrg("agency-support", "standard", "Agency client");
  auto no_rule = client_->Json("POST", "/api/v1/organisations/" + std::to_string(agency) + "/downtime-notices", agent_,
                               json::object());
  EXPECT_EQ(no_rule.status, 409) << no_rule.body;
  auto with_body = client_->Json("POST", "/api/v1/organisations/" + std::to_string(org) + "/downtime-notices", agent_,
                                 {{"notified_at", "2020-01-01T00:00:00Z"}});
  EXPECT_EQ(with_body.status, 400) << with_body.body;
}

// The report from the store equals the history-file pipeline of `sladesk
// report sla` (ParseHistoryLine + SlaReportBuilder + SlaPeriodReportJson)
// on a file written from the same script of actions.
TEST_P(ComplianceApiTest, SlaReportEqualsTheHistoryFileReport) {
  const json data = ReadData("report_tickets.json");
  const std::int64_t org = SeedOrg(data["policy"], data["plan"], "Metrics client");
  std::string contact = Contact(org, true);
  struct Step {
    Seconds at;
    size_t ticket;
    std::string what;
  };
  std::vector<Step> steps;
  for (size_t i = 0; i < data["tickets"].size(); ++i) {
    const json& t = data["tickets"][i];
    steps.push_back({Epoch(t["open"]), i, "open"});
    for (const auto& a : t["actions"]) steps.push_back({Epoch(a[0]), i, a[1]});
  }
  std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.at < b.at; });
  std::vector<std::int64_t> numbers(data["tickets"].size(), 0);
  std::vector<json> history(data["tickets"].size());
  std::vector<bool> resolved(data["tickets"].size(), false);
  for (const Step& s : steps) {
    now_.store(s.at);
    const json& t = data["tickets"][s.ticket];
    json& h = history[s.ticket];
    const std::string at = FormatInstant(FromEpoch(s.at));
    HttpResult r;
    if (s.what == "open") {
      json body = TicketBody("Report ticket " + std::to_string(s.ticket));
      body["business_impact"] = "Reports are late";
      body["severity"] = t["severity"];
      r = CreateTicket(contact, body);
      ASSERT_EQ(r.status, 201) << r.body;
      numbers[s.ticket] = r.json()["number"];
      h = json{{"id", std::to_string(numbers[s.ticket])}, {"organisation", "Metrics client"}, {"plan", data["plan"]},
               {"severity", t["severity"]}, {"events", json::array({{{"at", at}, {"type", "opened"}}})}};
      continue;
    }
    const std::string base = "/api/v1/tickets/" + std::to_string(numbers[s.ticket]);
    if (s.what == "reply") {
      r = client_->Json("POST", base + "/messages", agent_, {{"body", "An update"}});
      h["events"].push_back({{"at", at}, {"type", "agent_reply"}});
    } else if (s.what == "customer_reply") {
      r = client_->Json("POST", base + "/messages", contact, {{"body", "Any news?"}});
      // The desk's rule: a customer's reply reopens a resolved ticket (supermetrics lets them).
      if (resolved[s.ticket]) h["events"].push_back({{"at", at}, {"type", "reopened"}});
      resolved[s.ticket] = false;
      h["events"].push_back({{"at", at}, {"type", "customer_reply"}});
    } else if (s.what == "resolve") {
      r = client_->Json("POST", base + "/status", agent_, {{"status", "resolved"}, {"outcome", "solved"}});
      resolved[s.ticket] = true;
      h["events"].push_back({{"at", at}, {"type", "resolved"}});
    } else if (s.what == "wait") {
      r = client_->Json("POST", base + "/status", agent_, {{"status", "waiting_on_customer"}});
      h["events"].push_back({{"at", at}, {"type", "waiting_on_customer"}});
    } else if (s.what.rfind("severity:", 0) == 0) {
      r = client_->Json("POST", base + "/severity", agent_, {{"severity", s.what.substr(9)}, {"reason", "impact"}});
      h["events"].push_back({{"at", at}, {"type", "severity_changed"}, {"severity", s.what.substr(9)}});
    }
    ASSERT_LT(r.status, 300) << s.what << ": " << r.body;
  }
  now_.store(Epoch(data["now"]));
  const Policy* policy = policies_->Find(data["policy"]);
  ASSERT_NE(policy, nullptr);
  for (const char* group : {"organisation", "plan", "severity"}) {
    SCOPED_TRACE(group);
    SlaReportOptions o;
    o.from = FromEpoch(Epoch(data["from"]));
    o.to = FromEpoch(Epoch(data["to"]));
    o.now = FromEpoch(Epoch(data["now"]));
    o.group_by = *ReportGroupingFromName(group);
    auto builder = SlaReportBuilder::Create(*policy, o);
    ASSERT_TRUE(builder.ok());
    std::int64_t after_to = 0;
    for (const json& h : history) {
      HistoryTicket t;
      ASSERT_TRUE(ParseHistoryLine(h.dump(), t).ok()) << h.dump();
      ASSERT_TRUE(builder->Add(t).ok());
      after_to += Epoch(h["events"][0]["at"]) >= Epoch(data["to"]);
    }
    json want = json::parse(SlaPeriodReportJson(builder->Finish()).dump());
    auto r = client_->Get("/api/v1/reports/sla?from=2027-01-01&to=2027-02-01&policy=supermetrics&group_by=" +
                              std::string(group),
                          lead_);
    ASSERT_EQ(r.status, 200) << r.body;
    json got = r.json();
    EXPECT_EQ(got["tickets_read"].get<std::int64_t>(), want["tickets_read"].get<std::int64_t>() - after_to);
    got.erase("tickets_read");
    want.erase("tickets_read");
    EXPECT_EQ(got, want) << "store:\n" << got.dump(1) << "\nfile:\n" << want.dump(1);
    if (got != want)
      for (size_t i = 0; i < numbers.size(); ++i)
        ADD_FAILURE() << "ticket " << numbers[i] << "\nfile: " << history[i]["events"].dump() << "\nstore: "
                      << client_->Get("/api/v1/tickets/" + std::to_string(numbers[i]) + "/events", lead_).body;
    EXPECT_GT(want["total"]["metrics"]["first_response"]["met"].get<int>(), 0);
    EXPECT_GT(want["total"]["metrics"]["first_response"]["breached"].get<int>(), 0);
  }
  // Split by ticket id into parts read apart and merged (report sla --db
  // --jobs N), the report is the same for every split.
  {
    SlaReportOptions o;
    o.from = FromEpoch(Epoch(data["from"]));
    o.to = FromEpoch(Epoch(data["to"]));
    o.now = FromEpoch(Epoch(data["now"]));
    PreparedSlaReport prepared;
    prepared.policy = policy;
    prepared.options = o;
    prepared.filter = StoredReports::FilterFor(o, policy->id);
    std::string whole;
    for (Id parts : {1, 2, 3, 9}) {
      std::vector<SlaReportBuilder> builders;
      for (Id k = 0; k < parts; ++k) builders.push_back(*SlaReportBuilder::Create(*policy, o));
      Id max_id = 0;
      ASSERT_TRUE(store_->RunRead([&](DeskRepository& repo) -> Status {
                          max_id = *repo.compliance().MaxTicketId();
                          for (Id k = 0; k < parts; ++k) {
                            const Id lo = max_id * k / parts, hi = k + 1 == parts ? 0 : max_id * (k + 1) / parts;
                            if (Status st = StoredReports::Scan(repo, prepared, lo, hi, builders[k]); !st.ok()) return st;
                          }
                          return Status::Ok();
                        })
                      .ok());
      for (size_t k = 1; k < builders.size(); ++k) builders[0].Merge(builders[k]);
      const std::string got = SlaPeriodReportJson(builders[0].Finish()).dump();
      if (parts == 1) whole = got;
      EXPECT_EQ(got, whole) << parts << " parts";
      EXPECT_EQ(max_id, static_cast<Id>(numbers.size()));
    }
  }
  // Filters and the CSV form.
  auto only = client_->Get("/api/v1/reports/sla?from=2027-01-01&to=2027-02-01&organisation=" + std::to_string(org) +
                               "&severity=urgent&format=csv",
                           lead_);
  ASSERT_EQ(only.status, 200) << only.body;
  EXPECT_EQ(only.headers["Content-Type"].rfind("text/csv", 0), 0u);
  EXPECT_NE(only.body.find("Metrics client"), std::string::npos) << only.body;
  EXPECT_EQ(client_->Get("/api/v1/reports/sla?from=2027-01-01&to=2027-02-01&policy=supermetrics", contact).status, 403);
  EXPECT_EQ(client_->Get("/api/v1/reports/sla?from=2027-02-01&to=2027-01-01&policy=supermetrics", lead_).status, 422);
  EXPECT_EQ(client_->Get("/api/v1/reports/sla?from=2027-01-01&to=2027-02-01", lead_).json().value("field", ""), "policy");
  EXPECT_EQ(client_->Get("/api/v1/reports/sla?from=2027-01-01&to=2027-02-01&policy=supermetrics&format=xml", lead_).status,
            400);
  // The month's statement for a CSM (HTML).
  auto statement = client_->Get("/api/v1/organisations/" + std::to_string(org) + "/statement?month=2027-01", lead_);
  ASSERT_EQ(statement.status, 200) << statement.body;
  EXPECT_EQ(statement.headers["Content-Type"].rfind("text/html", 0), 0u);
  EXPECT_NE(statement.body.find("Metrics client"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, ComplianceApiTest, ::testing::ValuesIn(Backends()),
                         [](const auto& i) { return i.param; });
INSTANTIATE_TEST_SUITE_P(Backends, DowntimeApiTest, ::testing::ValuesIn(Backends()),
                         [](const auto& i) { return i.param; });

}  // namespace
}  // namespace sladesk::testing
