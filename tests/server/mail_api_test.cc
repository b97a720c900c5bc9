// The held-mail console over HTTP (/api/v1/mail/held, /api/v1/mail/sender-rules)
// on both backends: messages held by the real mail gateway, listed, read and
// released (open a ticket with the acknowledgement, attach, discard) once,
// by staff only; the unknown-sender settings, by admins only.
#include <gtest/gtest.h>

#include "mailgate/mail_gateway.h"
#include "server/server_fixture.h"
#include "storage/sql_mail_repository.h"

namespace sladesk::testing {
namespace {

using nlohmann::json;

std::string Mail(const std::string& from, const std::string& id, const std::string& subject, const std::string& text) {
  return "From: " + from + "\r\nTo: support@desk.test\r\nSubject: " + subject +
         "\r\nDate: Mon, 02 Mar 2026 09:00:00 +0000\r\nMessage-ID: <" + id +
         ">\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + text + "\r\n";
}

const std::string kText = "The CSV export fails for every report.\r\nSteps to reproduce: Open Reports, click Export";

class MailApiTest : public ServerFixture {
 protected:
  // Runs `raw` through the mail gateway; returns the stored record's id.
  std::int64_t Ingest(const std::string& raw, MailAction expected = MailAction::kHeld) {
    ManualClock clock(FromEpoch(now_.load()));
    mailgate::MailGatewayConfig config;
    config.secret = "held-mail-test-secret-0123456789";
    mailgate::MailGateway gateway(*store_, policies_, config, clock);
    auto r = gateway.Ingest(raw, "stdin");
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().ToString());
    if (!r.ok()) return 0;
    EXPECT_EQ(MailActionName(r->outcome.action), MailActionName(expected)) << r->outcome.reason;
    std::int64_t id = 0;
    Status st = store_->RunRead([&](DeskRepository& repo) -> Status {
      auto mail = SqlMailRepository::ForUnit(repo);
      if (!mail.ok()) return mail.error();
      InboundQuery q;
      q.limit = 1000;
      auto rows = mail->QueryInbound(q);
      if (!rows.ok()) return rows.error();
      for (const auto& row : *rows)
        if (row.message_id == r->message_id) id = row.id;
      return Status::Ok();
    });
    EXPECT_TRUE(st.ok());
    return id;
  }

  HttpResult Release(const std::string& token, std::int64_t id, json body) {
    return client_->Json("POST", "/api/v1/mail/held/" + std::to_string(id) + "/release", token, body);
  }

  std::int64_t MeId(const std::string& token) { return client_->Get("/api/v1/me", token).json().value("id", 0); }
};

TEST_P(MailApiTest, StaffListAndReadHeldMailCustomersCannot) {
  const std::int64_t id = Ingest(Mail("Ann Stranger <ann@newcorp.test>", "m1@newcorp.test", "Export broken", kText));
  ASSERT_GT(id, 0);
  auto list = client_->Get("/api/v1/mail/held", agent_);
  ASSERT_EQ(list.status, 200) << list.body;
  ASSERT_EQ(list.json()["items"].size(), 1u);
  const json item = list.json()["items"][0];
  EXPECT_EQ(item["id"], id);
  EXPECT_EQ(item["action"], "held");
  EXPECT_EQ(item["reason"], "unknown sender");
  EXPECT_EQ(item["sender"], "ann@newcorp.test");
  EXPECT_TRUE(item["release"].is_null());

  auto one = client_->Get("/api/v1/mail/held/" + std::to_string(id), agent_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["message"]["from"]["email"], "ann@newcorp.test");
  EXPECT_EQ(one.json()["message"]["from"]["name"], "Ann Stranger");
  EXPECT_NE(one.json()["message"]["text"].get<std::string>().find("The CSV export fails"), std::string::npos);
  EXPECT_EQ(one.json()["message"]["to"][0], "support@desk.test");
  // The sender is unknown: Open will need an organisation.
  EXPECT_EQ(one.json()["sender_status"]["kind"], "unknown");
  EXPECT_TRUE(one.json()["sender_status"]["user_id"].is_null());
  EXPECT_TRUE(one.json()["sender_status"]["organisation_id"].is_null());
  EXPECT_TRUE(one.json()["sender_status"]["domain_rule"].is_null());

  const std::string contact = Contact(Org("premium"));
  EXPECT_EQ(client_->Get("/api/v1/mail/held", contact).status, 403);
  EXPECT_EQ(client_->Get("/api/v1/mail/held/" + std::to_string(id), contact).status, 403);
  EXPECT_EQ(Release(contact, id, {{"action", "discard"}}).status, 403);
  EXPECT_EQ(client_->Get("/api/v1/mail/held", "").status, 401);
  EXPECT_EQ(client_->Get("/api/v1/mail/held/999", agent_).status, 404);

  // Query parameters are checked and named.
  auto bad = client_->Get("/api/v1/mail/held?state=maybe", agent_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["field"], "state");
  bad = client_->Get("/api/v1/mail/held?action=opened", agent_);
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["field"], "action");
  EXPECT_EQ(client_->Get("/api/v1/mail/held?action=refused", agent_).json()["items"].size(), 0u);
  // Paging.
  Ingest(Mail("bob@newcorp.test", "m2@newcorp.test", "Second", kText));
  auto page = client_->Get("/api/v1/mail/held?limit=1", agent_);
  ASSERT_EQ(page.json()["items"].size(), 1u);
  EXPECT_EQ(page.json()["next_after"], id);
  page = client_->Get("/api/v1/mail/held?limit=1&after=" + std::to_string(id), agent_);
  ASSERT_EQ(page.json()["items"].size(), 1u);
  EXPECT_EQ(page.json()["items"][0]["sender"], "bob@newcorp.test");
}

TEST_P(MailApiTest, OpenAddsTheUnknownSenderAndAcknowledgesOnce) {
  const std::int64_t org = Org("premium");
  const std::int64_t id = Ingest(Mail("Ann Stranger <ann@newcorp.test>", "m1@newcorp.test", "Export broken", kText));
  // The organisation is required for an unknown sender, and must exist.
  auto r = Release(agent_, id, {{"action", "open"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "organisation_id");
  r = Release(agent_, id, {{"action", "open"}, {"organisation_id", 9999}});
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()["field"], "organisation_id");
  EXPECT_EQ(CountTickets(), 0);

  r = Release(agent_, id, {{"action", "open"}, {"organisation_id", org}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["outcome"]["action"], "opened");
  EXPECT_EQ(r.json()["outcome"]["acknowledged"], true);
  const std::int64_t number = r.json()["outcome"]["ticket_number"];
  EXPECT_EQ(r.json()["release"]["action"], "open");
  EXPECT_EQ(r.json()["release"]["by"], MeId(agent_));
  EXPECT_EQ(r.json()["release"]["ticket_number"], number);
  EXPECT_EQ(r.json()["release"]["at"], FormatInstant(FromEpoch(kStart)));

  auto ticket = client_->Get("/api/v1/tickets/" + std::to_string(number), agent_);
  ASSERT_EQ(ticket.status, 200) << ticket.body;
  EXPECT_EQ(ticket.json()["subject"], "Export broken");
  EXPECT_EQ(ticket.json()["channel"], "email");
  EXPECT_EQ(ticket.json()["severity"], "s2");  // the policy's default
  EXPECT_EQ(ticket.json()["organisation_id"], org);
  auto contacts = client_->Get("/api/v1/organisations/" + std::to_string(org) + "/contacts", admin_);
  EXPECT_NE(contacts.body.find("ann@newcorp.test"), std::string::npos) << contacts.body;

  // The acknowledgement is the outbox's email row for the new ticket.
  int acks = 0;
  Status st = store_->RunRead([&](DeskRepository& repo) -> Status {
    auto t = repo.GetTicketByNumber(number, false);
    if (!t.ok() || !*t) return Status::Ok();
    auto rows = repo.outbox()->ListForTicket((*t)->id);
    if (!rows.ok()) return rows.error();
    for (const auto& e : *rows)
      if (e.channel == OutboxChannel::kEmail && e.template_name == "ticket_acknowledgement" &&
          e.recipient == "user:" + std::to_string((*t)->requester_id))
        ++acks;
    return Status::Ok();
  });
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(acks, 1);

  // Twice: a conflict naming the first release; nothing more happens.
  for (const char* action : {"open", "discard"}) {
    auto again = Release(lead_, id, {{"action", action}, {"organisation_id", org}});
    if (std::string(action) == "discard") again = Release(lead_, id, {{"action", action}});
    EXPECT_EQ(again.status, 409) << again.body;
    EXPECT_NE(again.json().value("detail", "").find("already released (open, ticket #" + std::to_string(number)),
              std::string::npos)
        << again.body;
  }
  EXPECT_EQ(CountTickets(), 1);
  EXPECT_EQ(client_->Get("/api/v1/mail/held", agent_).json()["items"].size(), 0u);
  auto released = client_->Get("/api/v1/mail/held?state=released", agent_);
  ASSERT_EQ(released.json()["items"].size(), 1u);
  EXPECT_EQ(released.json()["items"][0]["release"]["action"], "open");
}

TEST_P(MailApiTest, OpenForAKnownContactUsesTheirOrganisation) {
  const std::int64_t org = Org("premium");
  const std::int64_t other = Org("premium");
  Contact(org);  // c1@org<org>.test
  const std::string from = "c1@org" + std::to_string(org) + ".test";
  // Automatic mail from a contact that is not on a ticket is held.
  std::string raw = Mail(from, "auto1@x.test", "Printer trouble", kText);
  raw = "Auto-Submitted: auto-generated\r\n" + raw;
  const std::int64_t id = Ingest(raw);
  auto one = client_->Get("/api/v1/mail/held/" + std::to_string(id), agent_);
  ASSERT_EQ(one.status, 200) << one.body;
  EXPECT_EQ(one.json()["sender_status"]["kind"], "contact");
  EXPECT_EQ(one.json()["sender_status"]["organisation_id"], org);
  EXPECT_FALSE(one.json()["sender_status"]["organisation_name"].get<std::string>().empty());
  EXPECT_TRUE(one.json()["sender_status"]["user_id"].is_number_integer());
  EXPECT_EQ(one.json()["sender_status"]["name"].is_string(), true);
  // A staff member's address is told apart (Open refuses it).
  auto staff = client_->Get("/api/v1/me", agent_).json()["email"].get<std::string>();
  const std::int64_t from_staff = Ingest("Auto-Submitted: auto-generated\r\n" + Mail(staff, "auto2@x.test", "Report", kText));
  EXPECT_EQ(client_->Get("/api/v1/mail/held/" + std::to_string(from_staff), agent_).json()["sender_status"]["kind"], "staff");
  auto r = Release(agent_, id, {{"action", "open"}, {"organisation_id", other}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "organisation_id");
  r = Release(agent_, id, {{"action", "open"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["outcome"]["action"], "opened");
  EXPECT_EQ(r.json()["outcome"]["acknowledged"], false);  // never answer automatic mail
}

// The agent fills in what the policy requires and the mail lacks; a refused
// open leaves nothing behind (the unknown sender is not added).
TEST_P(MailApiTest, OpenTakesTheFieldsAndSeverityTheMailLacks) {
  const std::int64_t org = Org("premium");
  const std::int64_t id = Ingest(Mail("bo@newcorp.test", "bo1@newcorp.test", "Export broken", "The export fails."));
  auto r = Release(agent_, id, {{"action", "open"}, {"organisation_id", org}});
  ASSERT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "steps_to_reproduce");
  auto contacts = client_->Get("/api/v1/organisations/" + std::to_string(org) + "/contacts", admin_);
  EXPECT_EQ(contacts.body.find("bo@newcorp.test"), std::string::npos) << "a refused open added the sender: " << contacts.body;
  EXPECT_EQ(client_->Get("/api/v1/mail/held/" + std::to_string(id), agent_).json()["release"], nullptr);

  r = Release(agent_, id, {{"action", "open"}, {"organisation_id", org}, {"severity", "s9"},
                           {"fields", {{"steps_to_reproduce", "Reports, Export"}}}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "severity");
  r = Release(agent_, id, {{"action", "open"}, {"fields", {{"steps_to_reproduce", 7}}}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "fields.steps_to_reproduce");
  r = Release(agent_, id, {{"action", "discard"}, {"severity", "s1"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "severity");

  r = Release(agent_, id, {{"action", "open"}, {"organisation_id", org}, {"severity", "s1"},
                           {"fields", {{"steps_to_reproduce", "Reports, Export"}}}});
  ASSERT_EQ(r.status, 200) << r.body;
  const std::int64_t number = r.json()["outcome"]["ticket_number"];
  auto ticket = client_->Get("/api/v1/tickets/" + std::to_string(number), agent_);
  EXPECT_EQ(ticket.json()["severity"], "s1");
  EXPECT_EQ(ticket.json()["steps_to_reproduce"], "Reports, Export") << ticket.body;
  EXPECT_EQ(ticket.json()["channel"], "email");
}

TEST_P(MailApiTest, AttachAndDiscard) {
  const std::string contact = Contact(Org("premium"));
  auto t = CreateTicket(contact);
  ASSERT_EQ(t.status, 201) << t.body;
  const std::int64_t number = t.json()["number"];
  const std::int64_t id = Ingest(Mail("Ann Stranger <ann@newcorp.test>", "m1@newcorp.test", "About the export", kText));

  auto r = Release(agent_, id, {{"action", "attach"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "ticket_number");
  r = Release(agent_, id, {{"action", "attach"}, {"ticket_number", 9999}});
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()["field"], "ticket_number");
  r = Release(agent_, id, {{"action", "discard"}, {"ticket_number", number}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "ticket_number");

  r = Release(agent_, id, {{"action", "attach"}, {"ticket_number", number}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["outcome"]["action"], "noted");
  EXPECT_EQ(r.json()["release"]["ticket_number"], number);
  auto messages = client_->Get("/api/v1/tickets/" + std::to_string(number) + "/messages", agent_);
  EXPECT_NE(messages.body.find("Mail from Ann Stranger <ann@newcorp.test>"), std::string::npos) << messages.body;
  // An internal note: the customer does not see it.
  EXPECT_EQ(client_->Get("/api/v1/tickets/" + std::to_string(number) + "/messages", contact).body.find("Ann Stranger"),
            std::string::npos);
  EXPECT_EQ(Release(agent_, id, {{"action", "attach"}, {"ticket_number", number}}).status, 409);

  const std::int64_t spam = Ingest(Mail("x@spam.test", "s1@spam.test", "Buy now", "Cheap"));
  r = Release(admin_, spam, {{"action", "discard"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["release"]["action"], "discard");
  EXPECT_TRUE(r.json()["release"]["ticket_number"].is_null());
  r = Release(agent_, spam, {{"action", "discard"}});
  EXPECT_EQ(r.status, 409);
  EXPECT_NE(r.json().value("type", "").find("already-released"), std::string::npos);
}

TEST_P(MailApiTest, ReleaseBodiesAreChecked) {
  const std::int64_t id = Ingest(Mail("x@spam.test", "s1@spam.test", "Buy now", "Cheap"));
  auto r = Release(agent_, id, {{"action", "burn"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["field"], "action");
  r = Release(agent_, id, json::object());
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["field"], "action");
  r = Release(agent_, id, {{"action", "open"}, {"organisation_id", "one"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["field"], "organisation_id");
  r = Release(agent_, id, {{"action", "discard"}, {"colour", "red"}});
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.json()["field"], "colour");
  EXPECT_EQ(Release(agent_, 0, {{"action", "discard"}}).status, 400);
  EXPECT_EQ(Release(agent_, 4242, {{"action", "discard"}}).status, 404);
}

TEST_P(MailApiTest, SenderRulesAreAdminsAndRouteTheNextMessage) {
  const std::int64_t org = Org("premium");
  const std::string rules = "/api/v1/mail/sender-rules";
  const std::int64_t early = Ingest(Mail("eve@newcorp.test", "e0@newcorp.test", "Before the rule", kText));
  EXPECT_EQ(client_->Get(rules, agent_).status, 403);
  EXPECT_EQ(client_->Json("PUT", rules + "/newcorp.test", agent_, {{"action", "hold"}}).status, 403);
  auto r = client_->Json("PUT", rules + "/newcorp.test", admin_, {{"action", "create_contact"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "organisation_id");
  r = client_->Json("PUT", rules + "/newcorp.test", admin_, {{"action", "adopt"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "action");
  r = client_->Json("PUT", rules + "/not_a_domain", admin_, {{"action", "hold"}});
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.json()["field"], "domain");
  r = client_->Json("PUT", rules + "/NewCorp.Test", admin_, {{"action", "create_contact"}, {"organisation_id", org}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["domain"], "newcorp.test");
  auto list = client_->Get(rules, admin_);
  ASSERT_EQ(list.json()["items"].size(), 1u);
  EXPECT_EQ(list.json()["items"][0]["organisation_id"], org);
  // A held message from the domain names the rule (one held before the rule was set).
  {
    auto held = client_->Get("/api/v1/mail/held/" + std::to_string(early), agent_);
    ASSERT_EQ(held.status, 200) << held.body;
    EXPECT_EQ(held.json()["sender_status"]["kind"], "unknown");
    EXPECT_EQ(held.json()["sender_status"]["domain_rule"]["action"], "create_contact");
    EXPECT_EQ(held.json()["sender_status"]["domain_rule"]["organisation_id"], org);
  }
  // The rule routes the next message from the domain: a contact and a ticket.
  Ingest(Mail("dan@newcorp.test", "d1@newcorp.test", "Export broken", kText), MailAction::kOpened);
  EXPECT_EQ(CountTickets(), 1);
  EXPECT_EQ(client_->Send("DELETE", rules + "/newcorp.test", admin_).status, 204);
  EXPECT_EQ(client_->Send("DELETE", rules + "/newcorp.test", admin_).status, 404);
  EXPECT_EQ(client_->Get(rules, admin_).json()["items"].size(), 0u);
}

TEST_P(MailApiTest, AllowDomainIsAnAdminsChoice) {
  const std::int64_t org = Org("premium");
  const std::int64_t id = Ingest(Mail("ann@newcorp.test", "m1@newcorp.test", "Export broken", kText));
  auto r = Release(agent_, id, {{"action", "open"}, {"organisation_id", org}, {"allow_domain", true}});
  EXPECT_EQ(r.status, 403) << r.body;
  r = Release(admin_, id, {{"action", "open"}, {"organisation_id", org}, {"allow_domain", true}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = client_->Get("/api/v1/mail/sender-rules", admin_);
  ASSERT_EQ(list.json()["items"].size(), 1u);
  EXPECT_EQ(list.json()["items"][0]["domain"], "newcorp.test");
  EXPECT_EQ(list.json()["items"][0]["action"], "create_contact");
}

// The store's guard: a second MarkReleased of a record changes nothing.
TEST_P(MailApiTest, MarkReleasedIsGuarded) {
  const std::int64_t id = Ingest(Mail("x@spam.test", "s1@spam.test", "Buy now", "Cheap"));
  Status st = store_->Write<bool>([&](DeskRepository& repo) -> Result<bool> {
    auto mail = SqlMailRepository::ForUnit(repo);
    if (!mail.ok()) return mail.error();
    InboundMailRecord rel;
    rel.released_at = FromEpoch(kStart);
    rel.released_by = 7;
    rel.release_action = "discard";
    auto first = mail->MarkReleased(id, rel);
    EXPECT_TRUE(first.ok() && *first);
    rel.released_by = 8;
    auto second = mail->MarkReleased(id, rel);
    EXPECT_TRUE(second.ok() && !*second);
    auto got = mail->GetInbound(id);
    EXPECT_TRUE(got.ok() && *got && (*got)->released_by == 7 && (*got)->release_action == "discard");
    return true;
  }).ok() ? Status::Ok() : Status(MakeError("x", "write failed"));
  EXPECT_TRUE(st.ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, MailApiTest, ::testing::ValuesIn(Backends()), [](const auto& i) { return i.param; });

}  // namespace
}  // namespace sladesk::testing
