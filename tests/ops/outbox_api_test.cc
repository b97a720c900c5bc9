// The notification API end to end on both backends: admins register
// webhooks (only they may), a new ticket's rows are delivered by the
// dispatcher to a loopback receiver and into the customer's in-app feed,
// which they read and mark read; a ticket lists what it told whom.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "notify/notify_test_support.h"
#include "notify/webhook_signer.h"
#include "ops/outbox_dispatcher.h"
#include "ops/outbox_webhook_transport.h"
#include "server/server_fixture.h"

namespace sladesk::testing {
namespace {

using json = nlohmann::json;

class OutboxApiTest : public ServerFixture {
 protected:
  void SetUp() override {
    ServerFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    std::string tmpl = (std::filesystem::temp_directory_path() / "sladesk-outbox-api-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data());
    log_ = dir_ + "/requests.jsonl";
    secret_ = WebhookSigner::NewSecret();
    receiver_ = std::make_unique<PythonChild>(std::string(SLADESK_SOURCE_DIR) + "/tests/notify/data/webhook_receiver.py",
                                              std::vector<std::string>{log_, secret_});
    port_ = receiver_->ReadLine();
    ASSERT_FALSE(port_.empty());
    clock_ = std::make_unique<ManualClock>(FromEpoch(kStart));
    OutboxDispatcherOptions o;
    o.templates_dir = std::string(SLADESK_SOURCE_DIR) + "/templates";
    dispatcher_ = std::make_unique<OutboxDispatcher>(*store_, *clock_, o);
    WebhookClientOptions w;
    w.use_environment_proxy = false;
    ASSERT_TRUE(dispatcher_->AddTransport(std::make_unique<OutboxWebhookTransport>(w)).ok());
  }
  void TearDown() override {
    dispatcher_.reset();
    receiver_.reset();
    ServerFixture::TearDown();
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::size_t Received() {
    std::istringstream in(ReadText(log_));
    std::size_t n = 0;
    std::string line;
    while (std::getline(in, line))
      if (!line.empty() && json::parse(line)["valid"].get<bool>()) ++n;
    return n;
  }

  std::string dir_, log_, secret_, port_;
  std::unique_ptr<PythonChild> receiver_;
  std::unique_ptr<ManualClock> clock_;
  std::unique_ptr<OutboxDispatcher> dispatcher_;
};

TEST_P(OutboxApiTest, WebhooksFeedAndTicketNotifications) {
  const std::int64_t org = Org("basic");
  const std::string contact = Contact(org, true);
  const std::string url = "http://127.0.0.1:" + port_ + "/ok";

  // Only admins register URLs; bad input names its field.
  EXPECT_EQ(client_->Json("POST", "/api/v1/webhooks", agent_, {{"url", url}}).status, 403);
  EXPECT_EQ(client_->Json("POST", "/api/v1/webhooks", contact, {{"url", url}}).status, 403);
  struct Bad {
    json body;
    std::string field;
  };
  for (const Bad& b : {Bad{{{"url", "ftp://127.0.0.1/x"}}, "url"}, Bad{{{"url", "http:///nohost"}}, "url"},
                       Bad{{{"url", "http://a b/"}}, "url"}, Bad{{{"url", url}, {"event_types", json::array()}}, "event_types"},
                       Bad{{{"url", url}, {"event_types", {"ticket.exploded"}}}, "event_types"},
                       Bad{{{"url", url}, {"event_types", "ticket.created"}}, "event_types"},
                       Bad{{{"url", url}, {"secret", "not-a-secret"}}, "secret"},
                       Bad{{{"url", url}, {"colour", "red"}}, "colour"}, Bad{{{"event_types", {"*"}}}, "url"}}) {
    auto r = client_->Json("POST", "/api/v1/webhooks", admin_, b.body);
    EXPECT_TRUE(r.status == 400 || r.status == 422) << b.body.dump() << " -> " << r.status << " " << r.body;
    EXPECT_EQ(r.json().value("field", ""), b.field) << r.body;
  }
  auto made = client_->Json("POST", "/api/v1/webhooks", admin_,
                            {{"url", url}, {"event_types", {"ticket.created"}}, {"secret", secret_}});
  ASSERT_EQ(made.status, 201) << made.body;
  const std::int64_t hook = made.json()["id"];
  EXPECT_EQ(made.json()["secret"], secret_);
  auto listed = client_->Get("/api/v1/webhooks", admin_);
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json()["items"].size(), 1u);
  EXPECT_FALSE(listed.json()["items"][0].contains("secret")) << "the secret is shown once";

  auto t = CreateTicket(contact);
  ASSERT_EQ(t.status, 201) << t.body;
  const std::int64_t number = t.json()["number"];
  ASSERT_TRUE(dispatcher_->Drain().ok());
  EXPECT_EQ(Received(), 1u);

  auto log = client_->Get("/api/v1/webhooks/" + std::to_string(hook) + "/deliveries", admin_);
  ASSERT_EQ(log.status, 200) << log.body;
  ASSERT_EQ(log.json()["items"].size(), 1u);
  EXPECT_EQ(log.json()["items"][0]["outcome"], "delivered");
  EXPECT_EQ(log.json()["items"][0]["http_status"], 200);
  EXPECT_EQ(client_->Get("/api/v1/webhooks/" + std::to_string(hook) + "/deliveries", contact).status, 403);

  // The customer's feed: the acknowledgement, unread, then read.
  auto feed = client_->Get("/api/v1/notifications", contact);
  ASSERT_EQ(feed.status, 200) << feed.body;
  ASSERT_EQ(feed.json()["items"].size(), 1u);
  EXPECT_EQ(feed.json()["unread"], 1);
  const json entry = feed.json()["items"][0];
  EXPECT_EQ(entry["kind"], "ticket_acknowledgement");
  EXPECT_EQ(entry["ticket_number"], number);
  EXPECT_NE(entry["body"].get<std::string>().find("#" + std::to_string(number)), std::string::npos);
  const std::string read_path = "/api/v1/notifications/" + std::to_string(entry["id"].get<std::int64_t>()) + "/read";
  EXPECT_EQ(client_->Json("POST", read_path, agent_, json::object()).status, 404) << "not the agent's entry";
  auto read = client_->Json("POST", read_path, contact, json::object());
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(read.json()["read"].get<bool>());
  EXPECT_EQ(client_->Get("/api/v1/notifications?unread=true", contact).json()["items"].size(), 0u);
  EXPECT_EQ(client_->Get("/api/v1/notifications?unread=maybe", contact).status, 400);
  EXPECT_EQ(client_->Get("/api/v1/notifications?colour=red", contact).status, 400);

  // What the ticket told whom: staff see every row, the contact their own.
  auto staff = client_->Get("/api/v1/tickets/" + std::to_string(number) + "/notifications", agent_);
  ASSERT_EQ(staff.status, 200) << staff.body;
  const json staff_rows = staff.json();
  std::set<std::string> channels;
  for (const auto& r : staff_rows["items"]) channels.insert(r["channel"].get<std::string>());
  EXPECT_EQ(channels, (std::set<std::string>{"webhook", "in_app", "email"}));
  EXPECT_EQ(staff.json()["pending"], 1) << "the email row is held: no email transport";
  auto own = client_->Get("/api/v1/tickets/" + std::to_string(number) + "/notifications", contact);
  ASSERT_EQ(own.status, 200);
  const json own_rows = own.json();
  for (const auto& r : own_rows["items"]) EXPECT_NE(r["channel"], "webhook");
  EXPECT_EQ(own.json()["items"].size(), 2u);
  const std::string other = Contact(Org("basic"), true);
  EXPECT_EQ(client_->Get("/api/v1/tickets/" + std::to_string(number) + "/notifications", other).status, 404);

  // Disable, re-enable, delete.
  auto off = client_->Json("PATCH", "/api/v1/webhooks/" + std::to_string(hook), admin_, {{"enabled", false}});
  ASSERT_EQ(off.status, 200) << off.body;
  EXPECT_EQ(off.json()["disabled_reason"], "disabled by an admin");
  auto rotated = client_->Json("PATCH", "/api/v1/webhooks/" + std::to_string(hook), admin_,
                               {{"enabled", true}, {"rotate_secret", true}});
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  EXPECT_TRUE(rotated.json()["disabled_reason"].is_null());
  EXPECT_NE(rotated.json()["secret"], secret_);
  EXPECT_EQ(client_->Send("DELETE", "/api/v1/webhooks/" + std::to_string(hook), admin_).status, 204);
  EXPECT_EQ(client_->Get("/api/v1/webhooks/" + std::to_string(hook), admin_).status, 404);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxApiTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
