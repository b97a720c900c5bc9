// The outbox's email channel end to end on both store backends, with the
// real aiosmtpd server (scripts/smtp-test-server.py) and a ManualClock
// driving the dispatcher: a mail-opened ticket's acknowledgement is the
// planner's outbox row, delivered once, threaded on the customer's mail,
// tagged and automatic; 4xx/no server -> retried after the backoff with the
// same Message-ID seed; 5xx -> failed; a bounced address gets nothing (the
// row fails with "bounced"); a dispatcher that died between claim and send
// does not make the mail go twice. The one-shot commands' answers: a
// refusal is an outbox row too (sent once, threaded, automatic); a scoped
// drain sends only the rows of the tickets its messages touched; an
// acknowledgement counts once toward the loop limit.
#include <gtest/gtest.h>

#include "mail/mail_parser.h"
#include "mail/smtp_test_server.h"  // tests/mail
#include "mailgate/mail_gateway_fixture.h"
#include "mailgate/outbox_email_transport.h"
#include "ops/outbox_dispatcher.h"

namespace sladesk::testing {
namespace {


class OutboxEmailTest : public MailGatewayFixture {
 public:  // the helpers below are shared with ExpectRefusal
  std::unique_ptr<OutboxDispatcher> Dispatcher(const std::string& url, bool release_held = true) {
    OutboxDispatcherOptions o;
    o.templates_dir = std::string(SLADESK_SOURCE_DIR) + "/templates";
    o.desk_name = "Desk Test Support";
    o.backoff.jitter = 0;
    o.release_held = release_held;
    auto d = std::make_unique<OutboxDispatcher>(*store_, clock_, o);
    EXPECT_TRUE(d->AddTransport(std::make_unique<mailgate::OutboxEmailTransport>(*store_, TestTransportConfig(url))).ok());
    return d;
  }
  // The email rows of the ticket.
  std::vector<OutboxEntry> EmailRows(std::int64_t number) {
    auto t = Get(admin_, number);
    EXPECT_TRUE(t.ok());
    auto rows = Run<std::vector<OutboxEntry>>([&](DeskRepository& r) { return r.outbox()->ListForTicket(t->ticket.id); });
    EXPECT_TRUE(rows.ok());
    std::vector<OutboxEntry> out;
    for (auto& e : *rows)
      if (e.channel == OutboxChannel::kEmail) out.push_back(e);
    return out;
  }
  std::int64_t Open() {
    auto r = Ingest("new_from_contact.eml");
    EXPECT_TRUE(r.ok());
    EXPECT_EQ(r->outcome.action, MailAction::kOpened);
    return r->outcome.ticket_number.value_or(0);
  }
};

TEST_P(OutboxEmailTest, AcknowledgementGoesOnceThroughTheOutbox) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer smtp({});
  ASSERT_TRUE(smtp.ready());
  const std::int64_t number = Open();
  auto dispatcher = Dispatcher(smtp.url());
  ASSERT_TRUE(dispatcher->Drain().ok());
  ASSERT_TRUE(dispatcher->Drain().ok());
  ASSERT_EQ(smtp.Messages().size(), 1u);  // exactly one acknowledgement
  auto parsed = mail::ParseMail(smtp.Messages()[0]);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ticket_number, number);
  EXPECT_EQ(parsed->to.at(0).address, "alice@acme.test");
  EXPECT_EQ(parsed->in_reply_to, "<new-1@acme.test>");
  EXPECT_TRUE(parsed->auto_generated);
  EXPECT_NE(smtp.Messages()[0].find("[#" + std::to_string(number) + "]"), std::string::npos);
  EXPECT_NE(smtp.Messages()[0].find("multipart/alternative"), std::string::npos);
  EXPECT_EQ(mail::MessageIdSigner(kMailSecret).Verify(*parsed->message_id), number);
  auto rows = EmailRows(number);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].template_name, "ticket_acknowledgement");
  EXPECT_EQ(rows[0].state, OutboxState::kSent);
  EXPECT_TRUE(rows[0].sent_at.has_value());
}

TEST_P(OutboxEmailTest, ServerDownFirstThenRetriedAfterTheBackoff) {
  SLADESK_SKIP_WITHOUT_SMTP();
  int port = 0;
  {
    SmtpTestServer probe({});
    ASSERT_TRUE(probe.ready());
    port = probe.port();
  }  // killed: nothing listens on the port now
  const std::int64_t number = Open();
  auto dispatcher = Dispatcher("smtp://127.0.0.1:" + std::to_string(port));
  ASSERT_TRUE(dispatcher->RunOnce().ok());
  auto rows = EmailRows(number);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, OutboxState::kPending);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_GT(rows[0].next_attempt_at, clock_.Now());
  SmtpTestServer smtp({"--port", std::to_string(port)});
  ASSERT_TRUE(smtp.ready());
  ASSERT_TRUE(dispatcher->Drain().ok());  // not due yet
  EXPECT_TRUE(smtp.Messages().empty());
  clock_.Set(rows[0].next_attempt_at);
  ASSERT_TRUE(dispatcher->Drain().ok());
  ASSERT_EQ(smtp.Messages().size(), 1u);
  EXPECT_EQ(EmailRows(number)[0].state, OutboxState::kSent);
}

// What the SMTP server answers the recipient, and what becomes of the row
// (one case per test: each opens the same mail on a fresh desk).
struct RefusalCase {
  const char* server_flag;
  OutboxState state;
  const char* code;
};

void ExpectRefusal(OutboxEmailTest& t, const RefusalCase& c) {
  SmtpTestServer smtp({c.server_flag, "alice@acme.test"});
  ASSERT_TRUE(smtp.ready());
  const std::int64_t number = t.Open();
  auto dispatcher = t.Dispatcher(smtp.url());
  ASSERT_TRUE(dispatcher->Drain().ok());
  auto rows = t.EmailRows(number);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, c.state);
  EXPECT_EQ(rows[0].attempts, 1);
  EXPECT_NE(rows[0].last_error.find(c.code), std::string::npos) << rows[0].last_error;
  EXPECT_TRUE(smtp.Messages().empty());
}

TEST_P(OutboxEmailTest, FiveHundredFails) {
  SLADESK_SKIP_WITHOUT_SMTP();
  ExpectRefusal(*this, {"--perm-fail", OutboxState::kFailed, "550"});
}

TEST_P(OutboxEmailTest, FourHundredIsRetried) {
  SLADESK_SKIP_WITHOUT_SMTP();
  ExpectRefusal(*this, {"--temp-fail", OutboxState::kPending, "451"});
}

TEST_P(OutboxEmailTest, BouncedAddressGetsNothing) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer smtp({});
  ASSERT_TRUE(smtp.ready());
  ASSERT_TRUE(Mail<bool>([&](MailRepository& m) -> Result<bool> {
                if (Status st = m.RecordBounce("alice@acme.test", clock_.Now(), "550 user unknown"); !st.ok())
                  return st.error();
                return true;
              }).ok());
  const std::int64_t number = Open();
  auto dispatcher = Dispatcher(smtp.url());
  ASSERT_TRUE(dispatcher->Drain().ok());
  auto rows = EmailRows(number);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].state, OutboxState::kFailed);
  EXPECT_EQ(rows[0].last_error, "bounced");
  EXPECT_TRUE(smtp.Messages().empty());
}

TEST_P(OutboxEmailTest, RestartBetweenClaimAndSendSendsOnce) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer smtp({});
  ASSERT_TRUE(smtp.ready());
  const std::int64_t number = Open();
  // A dispatcher claims the row and dies before sending.
  auto claimed = Run<std::vector<OutboxEntry>>([&](DeskRepository& r) {
    return r.outbox()->ClaimDue(clock_.Now(), clock_.Now() + std::chrono::seconds(300), 64, {});
  });
  ASSERT_TRUE(claimed.ok());
  auto dispatcher = Dispatcher(smtp.url());  // the restarted server
  ASSERT_TRUE(dispatcher->Drain().ok());
  EXPECT_TRUE(smtp.Messages().empty());  // still leased to the dead one
  clock_.Advance(301);
  ASSERT_TRUE(dispatcher->Drain().ok());
  ASSERT_TRUE(dispatcher->Drain().ok());
  EXPECT_EQ(smtp.Messages().size(), 1u);
  EXPECT_EQ(EmailRows(number)[0].state, OutboxState::kSent);
}

TEST_P(OutboxEmailTest, RefusalIsAnOutboxRowSentOnceByTheOneShotGateway) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer smtp({});
  ASSERT_TRUE(smtp.ready());
  auto dispatcher = Dispatcher(smtp.url(), false);
  MakeGateway(dispatcher.get());
  auto r = Ingest("unknown_refused.eml");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->outcome.action, MailAction::kRefused);
  ASSERT_TRUE(r->answers.has_value());
  EXPECT_EQ(r->answers->sent, 1u);
  ASSERT_EQ(smtp.Messages().size(), 1u);
  const std::string bytes = smtp.Messages()[0];
  auto parsed = mail::ParseMail(bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->to.at(0).address, "rita@refuse.test");
  EXPECT_EQ(parsed->in_reply_to, "<refuse-1@refuse.test>");
  EXPECT_TRUE(parsed->auto_generated);
  EXPECT_FALSE(parsed->ticket_number.has_value());  // no ticket, no tag
  EXPECT_NE(parsed->text.find("Hello Rita,"), std::string::npos) << parsed->text;
  EXPECT_NE(parsed->text.find("not registered with our support desk"), std::string::npos) << parsed->text;
  EXPECT_NE(parsed->text.find("Desk Test Support"), std::string::npos) << parsed->text;
  EXPECT_NE(bytes.find("Subject: Re: Question"), std::string::npos);
  // The same message again is a duplicate: nothing more is sent.
  auto again = Ingest("unknown_refused.eml");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->outcome.action, MailAction::kDuplicate);
  EXPECT_EQ(smtp.Messages().size(), 1u);
}

TEST_P(OutboxEmailTest, OneShotDrainSendsOnlyWhatItsMessagesTouched) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer smtp({});
  ASSERT_TRUE(smtp.ready());
  const std::int64_t earlier = Open();  // no dispatcher: its acknowledgement waits
  auto dispatcher = Dispatcher(smtp.url(), false);
  MakeGateway(dispatcher.get());
  std::string bob = Load("new_from_contact.eml", 0);
  bob.replace(bob.find("alice@acme.test"), 15, "bob@acme.test");
  bob.replace(bob.find("<new-1@"), 7, "<new-2@");
  auto r = gateway_->Ingest(bob, "test");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->outcome.action, MailAction::kOpened);
  const std::int64_t number = *r->outcome.ticket_number;
  ASSERT_EQ(smtp.Messages().size(), 1u);
  auto parsed = mail::ParseMail(smtp.Messages()[0]);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->ticket_number, number);
  EXPECT_EQ(parsed->to.at(0).address, "bob@acme.test");
  EXPECT_EQ(EmailRows(earlier)[0].state, OutboxState::kPending);  // the server's to send
  // Counted once toward the loop limit, when delivered.
  auto counted = Mail<std::int64_t>([&](MailRepository& m) { return m.CountOutbound(number, "bob@acme.test", Instant{}); });
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(*counted, 1);
  ASSERT_TRUE(dispatcher->Drain().ok());  // unscoped, as a server's
  EXPECT_EQ(smtp.Messages().size(), 2u);
  EXPECT_EQ(EmailRows(earlier)[0].state, OutboxState::kSent);
}

TEST(OutboxEmailTransport, MessageIdRandomIsStablePerSeed) {
  EXPECT_EQ(mailgate::OutboxEmailTransport::MessageIdRandom("outbox-7"),
            mailgate::OutboxEmailTransport::MessageIdRandom("outbox-7"));
  EXPECT_NE(mailgate::OutboxEmailTransport::MessageIdRandom("outbox-7"),
            mailgate::OutboxEmailTransport::MessageIdRandom("outbox-8"));
  EXPECT_EQ(mailgate::OutboxEmailTransport::MessageIdRandom("x").size(), 16u);
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxEmailTest, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace sladesk::testing
