// The agents' queue view, the live stream of changes and the policies API,
// over HTTP on every backend.
#include <gtest/gtest.h>

#include "server/raw_client.h"
#include "server/server_fixture.h"

namespace sladesk::testing {
namespace {

using nlohmann::json;

class QueueApiTest : public ServerFixture {};

TEST_P(QueueApiTest, RowsCarryTheNextDueClockItsStateAndBusinessTimeLeft) {
  std::int64_t org = Org("premium", {{"name", "Queue GmbH"}});
  std::string c = Contact(org);
  json body = TicketBody("Urgent one");
  body["severity"] = "s1";  // first response 1 h
  auto urgent = CreateTicket(c, body).json();
  auto normal = CreateTicket(c, TicketBody("Normal one")).json();  // s2: 4 h
  auto q = client_->Get("/api/v1/queue", agent_);
  ASSERT_EQ(q.status, 200) << q.body;
  json page = q.json();
  EXPECT_EQ(page["now"], "2026-03-02T09:00:00Z");
  ASSERT_GE(page["items"].size(), 2u);
  json first = page["items"][0];
  EXPECT_EQ(first["number"], urgent["number"]);
  EXPECT_EQ(page["items"][1]["number"], normal["number"]);
  EXPECT_EQ(first["organisation_name"], "Queue GmbH");
  EXPECT_EQ(first["requester_name"], "Contact 1");
  EXPECT_EQ(first["next_due_metric"], "first_response");
  EXPECT_EQ(first["next_due_at"], "2026-03-02T10:00:00Z");
  EXPECT_EQ(first["sla_state"], "running");
  EXPECT_EQ(first["business_seconds_left"], 3600);
  EXPECT_EQ(first["warning_at"], "2026-03-02T09:45:00Z");  // 75% of 1 h
  EXPECT_EQ(first["time_zone"], "UTC");
  EXPECT_EQ(first["calendar_open_now"], true);
  EXPECT_FALSE(first.contains("description"));  // only what a row shows
  // Time alone moves the row to warning, then breached.
  Advance(45 * 60);
  first = client_->Get("/api/v1/queue", agent_).json()["items"][0];
  EXPECT_EQ(first["sla_state"], "warning");
  EXPECT_EQ(first["business_seconds_left"], 900);
  EXPECT_EQ(first["warning_at"], nullptr);
  Advance(16 * 60);
  first = client_->Get("/api/v1/queue", agent_).json()["items"][0];
  EXPECT_EQ(first["sla_state"], "breached");
  EXPECT_EQ(first["breached"], true);
  EXPECT_EQ(first["business_seconds_left"], -60);
  // Waiting on the customer pauses the next clock.
  const std::string path = "/api/v1/tickets/" + std::to_string(normal["number"].get<int>());
  ASSERT_EQ(client_->Json("POST", path + "/messages", agent_, {{"body", "On it"}}).status, 201);
  ASSERT_EQ(client_->Json("POST", path + "/status", agent_, {{"status", "waiting_on_customer"}}).status, 200);
  json items = client_->Get("/api/v1/queue", agent_).json()["items"];
  bool seen = false;
  for (const auto& i : items)
    if (i["number"] == normal["number"]) {
      seen = true;
      EXPECT_EQ(i["sla_state"], "paused");
      EXPECT_EQ(i["status"], "waiting_on_customer");
    }
  EXPECT_TRUE(seen);
}

TEST_P(QueueApiTest, FiltersPagesAndAnUnchangedPageIsNotModified) {
  std::int64_t a = Org("premium"), b = Org("premium");
  std::string ca = Contact(a), cb = Contact(b);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(CreateTicket(ca).status, 201);
  ASSERT_EQ(CreateTicket(cb).status, 201);
  auto all = client_->Get("/api/v1/queue?limit=2", agent_);
  ASSERT_EQ(all.status, 200);
  ASSERT_EQ(all.json()["items"].size(), 2u);
  const std::string cursor = all.json()["next_cursor"];
  auto rest = client_->Get("/api/v1/queue?limit=2&cursor=" + cursor, agent_).json();
  EXPECT_EQ(rest["items"].size(), 2u);
  EXPECT_EQ(rest["next_cursor"], nullptr);
  EXPECT_EQ(client_->Get("/api/v1/queue?organisation_id=" + std::to_string(b), agent_).json()["items"].size(), 1u);
  EXPECT_EQ(client_->Get("/api/v1/queue?assignee_id=none", agent_).json()["items"].size(), 4u);
  EXPECT_EQ(client_->Get("/api/v1/queue?team=mine", agent_).json()["items"].size(), 0u);
  EXPECT_EQ(client_->Get("/api/v1/queue?severity=s1,s3", agent_).json()["items"].size(), 0u);
  EXPECT_EQ(client_->Get("/api/v1/queue?due_today=true&tz=Europe/Berlin", agent_).json()["items"].size(), 4u);
  EXPECT_EQ(client_->Get("/api/v1/queue?due_today=true&tz=Mars/Olympus", agent_).status, 400);
  EXPECT_EQ(client_->Get("/api/v1/queue?colour=red", agent_).status, 400);
  // A contact sees their organisation's tickets only.
  EXPECT_EQ(client_->Get("/api/v1/queue", cb).json()["items"].size(), 1u);
  EXPECT_EQ(client_->Get("/api/v1/queue?organisation_id=" + std::to_string(a), cb).status, 403);
  // Polling with the ETag: 304 until a row or the minute changes.
  auto page = client_->Get("/api/v1/queue", agent_);
  const std::string etag = page.header("ETag");
  ASSERT_FALSE(etag.empty());
  auto same = client_->Send("GET", "/api/v1/queue", agent_, std::nullopt, {{"If-None-Match", etag}});
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
  ASSERT_EQ(CreateTicket(ca).status, 201);
  EXPECT_EQ(client_->Send("GET", "/api/v1/queue", agent_, std::nullopt, {{"If-None-Match", etag}}).status, 200);
  auto fresh = client_->Get("/api/v1/queue", agent_).header("ETag");
  Advance(60);
  EXPECT_EQ(client_->Send("GET", "/api/v1/queue", agent_, std::nullopt, {{"If-None-Match", fresh}}).status, 200);
}

TEST_P(QueueApiTest, TheStreamTellsWatchersWhichTicketChanged) {
  std::int64_t a = Org("premium"), b = Org("premium");
  std::string ca = Contact(a), cb = Contact(b);
  RawClient staff(server_->port()), other(server_->port());
  const std::string req = "GET /api/v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ";
  ASSERT_TRUE(staff.Send(req + agent_ + "\r\n\r\n"));
  ASSERT_TRUE(other.Send(req + cb + "\r\n\r\n"));
  ASSERT_NE(staff.Read(std::chrono::milliseconds(5000), ": connected").find("text/event-stream"), std::string::npos);
  ASSERT_NE(other.Read(std::chrono::milliseconds(5000), ": connected").find("200"), std::string::npos);
  auto t = CreateTicket(ca).json();
  const std::string expected = "\"number\":" + std::to_string(t["number"].get<int>());
  std::string got = staff.Read(std::chrono::milliseconds(5000), expected);
  EXPECT_NE(got.find("event: ticket"), std::string::npos) << got;
  EXPECT_NE(got.find(expected), std::string::npos) << got;
  // Organisation b's contact hears nothing of organisation a's ticket.
  EXPECT_EQ(other.Read(std::chrono::milliseconds(300), "event: ticket").find("event: ticket"), std::string::npos);
}

TEST_P(QueueApiTest, PoliciesShowTheirTablesAndContactsSeeTheirOwnOnly) {
  std::int64_t org = Org("basic");
  std::string c = Contact(org, true);
  auto list = client_->Get("/api/v1/policies", agent_).json();
  ASSERT_EQ(list["items"].size(), 1u);
  auto p = client_->Get("/api/v1/policies/test-desk", c);
  ASSERT_EQ(p.status, 200) << p.body;
  json policy = p.json();
  EXPECT_EQ(policy["default_severity"], "s2");
  EXPECT_EQ(policy["severities"].size(), 3u);
  EXPECT_EQ(policy["plans"][0]["targets"]["s1"]["first_response"]["seconds"], 3600);
  EXPECT_EQ(policy["fields"][0]["id"], "steps_to_reproduce");
  EXPECT_EQ(policy["fields"][0]["source"], "ticket");
  EXPECT_EQ(policy["lifecycle"]["reopen_window"]["days"], 7);
  EXPECT_EQ(client_->Get("/api/v1/policies/gold-support", agent_).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, QueueApiTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
