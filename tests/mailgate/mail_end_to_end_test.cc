// Mail end to end with real servers on loopback: aiosmtpd receives what
// sladesk sends (scripts/smtp-test-server.py), Dovecot holds the mailbox
// sladesk polls (scripts/dovecot-test-cluster.sh; run-tests.sh exports
// SLADESK_TEST_IMAP_*), on both store backends. A contact's mail opens a
// ticket and the acknowledgement (ticket number, assignee's name) arrives
// at the SMTP server; the customer's reply to it threads onto the ticket;
// an out-of-office reply starts no loop; a bounce is recorded; a forged
// [#N] from a stranger does not land; nothing is stored twice; one poller
// per mailbox at a time. Also the EmailNotificationTransport's outcomes.
#include <gtest/gtest.h>

#include <cstdlib>

#include "mail/email_notification_transport.h"
#include "mail/imap_mailbox.h"
#include "mail/mail_parser.h"
#include "mail/smtp_test_server.h"  // tests/mail
#include "mailgate/imap_poller.h"
#include "mailgate/mail_poll_loop.h"
#include "mailgate/outbox_email_transport.h"
#include "mailgate/mail_gateway_fixture.h"

namespace sladesk::testing {
namespace {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

#define SKIP_WITHOUT_IMAP()                                                                     \
  do {                                                                                          \
    if (Env("SLADESK_TEST_IMAP_URL").empty()) {                                                 \
      if (!Env("SLADESK_REQUIRE_IMAP").empty()) FAIL() << "SLADESK_TEST_IMAP_URL is not set";    \
      GTEST_SKIP() << "no test IMAP server (scripts/dovecot-test-cluster.sh)";                  \
    }                                                                                           \
  } while (0)

mail::EmailTransportConfig TransportConfig(const SmtpTestServer& s) { return TestTransportConfig(s.url()); }

mail::RenderedNotification Notification() {
  mail::RenderedNotification n;
  n.recipient = {"jane@customer.example", "Jane"};
  n.subject = "Ticket received: Export fails";
  n.text = "We have your request.";
  n.html = "<p>We have your request.</p>";
  n.ticket_number = 42;
  n.in_reply_to = "<orig@customer.example>";
  n.references = {"<orig@customer.example>"};
  return n;
}

TEST(EmailNotificationTransport, SendsSignedThreadedAutomaticAlternativeMail) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({});
  ASSERT_TRUE(server.ready());
  mail::EmailNotificationTransport t(TransportConfig(server));
  auto r = t.Deliver(Notification(), *ParseInstant("2026-03-02T09:00:00Z", "t"));
  ASSERT_EQ(r.outcome, mail::DeliveryOutcome::kSent) << r.detail;
  ASSERT_EQ(server.Messages().size(), 1u);
  const std::string bytes = server.Messages()[0];
  auto parsed = mail::ParseMail(bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->message_id, r.message_id);
  EXPECT_EQ(mail::MessageIdSigner(kMailSecret).Verify(r.message_id), 42);
  EXPECT_EQ(parsed->ticket_number, 42);
  EXPECT_EQ(parsed->in_reply_to, "<orig@customer.example>");
  EXPECT_TRUE(parsed->auto_generated);  // Auto-Submitted: auto-replied
  EXPECT_NE(bytes.find("Auto-Submitted: auto-replied"), std::string::npos);
  EXPECT_NE(bytes.find("multipart/alternative"), std::string::npos);
  EXPECT_NE(bytes.find("[#42] Ticket received"), std::string::npos);
}

TEST(EmailNotificationTransport, FourHundredsRetryFiveHundredsFail) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({"--temp-fail", "later@customer.example", "--perm-fail", "gone@customer.example"});
  ASSERT_TRUE(server.ready());
  mail::EmailNotificationTransport t(TransportConfig(server));
  auto n = Notification();
  n.recipient.address = "later@customer.example";
  EXPECT_EQ(t.Deliver(n, Instant{}).outcome, mail::DeliveryOutcome::kRetryLater);
  n.recipient.address = "gone@customer.example";
  auto failed = t.Deliver(n, Instant{});
  EXPECT_EQ(failed.outcome, mail::DeliveryOutcome::kFailed);
  EXPECT_EQ(failed.smtp_code, 550);
  n.recipient.address = "bad\r\nBcc: x@y";
  EXPECT_EQ(t.Deliver(n, Instant{}).outcome, mail::DeliveryOutcome::kFailed);  // refused by the composer
  EXPECT_TRUE(server.Messages().empty());
}

class MailEndToEndTest : public MailGatewayFixture {};

std::string Crlf(std::string s) {
  std::string out;
  for (char c : s) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

TEST_P(MailEndToEndTest, ContactMailThroughImapAndSmtp) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SKIP_WITHOUT_IMAP();
  SmtpTestServer smtp({});
  ASSERT_TRUE(smtp.ready());
  // As `mail poll --smtp` does: the answers are the outbox's email rows,
  // drained right after each message by a dispatcher with the SMTP transport.
  OutboxDispatcherOptions answer_opts;
  answer_opts.templates_dir = std::string(SLADESK_SOURCE_DIR) + "/templates";
  answer_opts.desk_name = "Desk Test Support";
  answer_opts.release_held = false;
  OutboxDispatcher answers(*store_, clock_, answer_opts);
  ASSERT_TRUE(answers.AddTransport(std::make_unique<mailgate::OutboxEmailTransport>(*store_, TransportConfig(smtp))).ok());
  MakeGateway(&answers);

  static int n = 0;
  mailgate::ImapPollConfig pc;
  pc.imap.url = Env("SLADESK_TEST_IMAP_URL");
  pc.imap.username = Env("SLADESK_TEST_IMAP_USER");
  pc.imap.password = Env("SLADESK_TEST_IMAP_PASSWORD");
  pc.imap.ca_file = Env("SLADESK_TEST_IMAP_CA");
  pc.imap.starttls = mail::StartTls::kRequired;
  pc.imap.mailbox = "e2e-" + GetParam() + "-" + std::to_string(::getpid()) + "-" + std::to_string(n++);
  pc.imap.timeout = std::chrono::milliseconds(20000);
  pc.holder = "test-a";
  mail::ImapMailbox box(pc.imap);
  ASSERT_TRUE(box.Create(pc.imap.mailbox).ok());
  mailgate::ImapPoller poller(*store_, *gateway_, pc, clock_);
  auto deliver = [&](const std::string& raw) { ASSERT_TRUE(box.Append(Crlf(raw)).ok()); };
  auto poll = [&]() {
    auto r = poller.PollOnce();
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : mailgate::PollResult{};
  };

  // 1. A contact writes: a ticket, and the acknowledgement arrives.
  deliver(Load("new_from_contact.eml", 0));
  auto first = poll();
  EXPECT_TRUE(first.polled);
  EXPECT_EQ(first.stored, 1u);
  auto opened = Mail<std::vector<InboundMailRecord>>([](MailRepository& m) { return m.ListInbound(MailAction::kOpened, 10); });
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(opened->size(), 1u);
  const std::int64_t number = *(*opened)[0].ticket_number;
  ASSERT_EQ(smtp.Messages().size(), 1u);
  const std::string ack = smtp.Messages()[0];
  auto ack_parsed = mail::ParseMail(ack);
  ASSERT_TRUE(ack_parsed.ok());
  EXPECT_EQ(ack_parsed->ticket_number, number);
  EXPECT_NE(ack_parsed->text.find("#" + std::to_string(number)), std::string::npos) << ack_parsed->text;
  EXPECT_NE(ack_parsed->text.find("Your support officer is " + agent_.name), std::string::npos) << ack_parsed->text;
  EXPECT_EQ(ack_parsed->to.at(0).address, "alice@acme.test");
  EXPECT_EQ(ack_parsed->in_reply_to, "<new-1@acme.test>");
  const std::string ack_id = *ack_parsed->message_id;
  // Counted once toward the loop limit (when delivered).
  auto counted = Mail<std::int64_t>([&](MailRepository& m) { return m.CountOutbound(number, "alice@acme.test", Instant{}); });
  ASSERT_TRUE(counted.ok());
  EXPECT_EQ(*counted, 1);

  // 2. Alice answers the acknowledgement (her client threads it); her
  // out-of-office answers it too; a bounce quotes it; a stranger forges the
  // subject tag. Then our own acknowledgement comes back.
  auto with_ack = [&](std::string raw) {
    for (size_t p = raw.find("{{ACK}}"); p != std::string::npos; p = raw.find("{{ACK}}")) raw.replace(p, 7, ack_id);
    return raw;
  };
  std::string reply = Load("reply_signed.eml", number);
  std::string oof = Load("out_of_office_on_ticket.eml", number);
  std::string bounce = Load("bounce_of_acknowledgement.eml", number);
  const std::string fixture_id = mail::MessageIdSigner(kMailSecret).MakeMessageId(number, "desk.example", "00112233445566ff");
  for (std::string* s : {&reply, &oof, &bounce})
    for (size_t p = s->find(fixture_id); p != std::string::npos; p = s->find(fixture_id)) s->replace(p, fixture_id.size(), "{{ACK}}");
  deliver(with_ack(reply));
  deliver(with_ack(oof));
  deliver(with_ack(bounce));
  deliver(Load("forged_tag_stranger.eml", number));
  deliver(std::string(ack.begin(), ack.end()));
  auto second = poll();
  EXPECT_TRUE(second.polled);
  EXPECT_EQ(second.fetched, 5u);
  EXPECT_EQ(second.stored, 5u);
  EXPECT_EQ(smtp.Messages().size(), 1u);  // nothing answered: no loop

  auto detail = Get(admin_, number);
  ASSERT_TRUE(detail.ok());
  auto messages = Run<std::vector<Message>>([&](DeskRepository& r) { return r.ListMessages(detail->ticket.id, true); });
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 3u);  // reply, out-of-office note, bounce note; nothing from the stranger
  EXPECT_EQ((*messages)[0].author_id, alice_.id);
  EXPECT_EQ((*messages)[0].visibility, Visibility::kPublic);
  EXPECT_EQ((*messages)[1].visibility, Visibility::kInternal);
  EXPECT_NE((*messages)[2].body.find("bounced"), std::string::npos);
  auto bounced = Mail<std::optional<AddressBounce>>([](MailRepository& m) { return m.FindBounce("alice@acme.test"); });
  ASSERT_TRUE(bounced.ok());
  EXPECT_TRUE(*bounced);
  auto all = Mail<std::vector<InboundMailRecord>>([](MailRepository& m) { return m.ListInbound(std::nullopt, 100); });
  ASSERT_TRUE(all.ok());
  std::vector<std::string> actions;
  for (const auto& r : *all) actions.emplace_back(MailActionName(r.action));
  EXPECT_EQ(actions, (std::vector<std::string>{"opened", "replied", "noted", "bounce_recorded", "held", "dropped"}));

  // 3. Nothing is stored twice: a poll finds nothing new, and the same
  // message appended again (a new UID) is a duplicate.
  EXPECT_EQ(poll().fetched, 0u);
  deliver(Load("new_from_contact.eml", 0));
  auto again = poll();
  EXPECT_EQ(again.fetched, 1u);
  EXPECT_EQ(again.duplicates, 1u);
  EXPECT_EQ(smtp.Messages().size(), 1u);

  // 4. One poller per mailbox: while test-a holds the lease, test-b skips.
  mailgate::ImapPollConfig keep = pc;
  keep.release_lease = false;
  mailgate::ImapPoller holder(*store_, *gateway_, keep, clock_);
  ASSERT_TRUE(holder.PollOnce().ok());
  mailgate::ImapPollConfig other = pc;
  other.holder = "test-b";
  mailgate::ImapPoller second_process(*store_, *gateway_, other, clock_);
  auto skipped = second_process.PollOnce();
  ASSERT_TRUE(skipped.ok());
  EXPECT_FALSE(skipped->polled);
  clock_.Advance(keep.lease_seconds + 1);  // the holder died: its lease expires
  auto taken = second_process.PollOnce();
  ASSERT_TRUE(taken.ok());
  EXPECT_TRUE(taken->polled);
}

// serve --imap's loop: polls at once when started, and Stop() wakes it
// from its (hour-long) wait at once.
TEST_P(MailEndToEndTest, PollLoopPollsAndStopsPromptly) {
  SKIP_WITHOUT_IMAP();
  mailgate::ImapPollConfig pc;
  pc.imap.url = Env("SLADESK_TEST_IMAPS_URL");
  pc.imap.username = Env("SLADESK_TEST_IMAP_USER");
  pc.imap.password = Env("SLADESK_TEST_IMAP_PASSWORD");
  pc.imap.ca_file = Env("SLADESK_TEST_IMAP_CA");
  pc.imap.mailbox = "loop-" + GetParam() + "-" + std::to_string(::getpid());
  pc.holder = "server-1";
  pc.release_lease = false;
  mail::ImapMailbox box(pc.imap);
  ASSERT_TRUE(box.Create(pc.imap.mailbox).ok());
  ASSERT_TRUE(box.Append(Crlf(Load("new_from_contact.eml", 0))).ok());
  std::vector<std::string> log;
  std::mutex log_mu;
  mailgate::MailPollLoop loop(std::make_unique<mailgate::ImapPoller>(*store_, *gateway_, pc, clock_),
                              std::chrono::hours(1), [&](const std::string& line) {
                                std::lock_guard<std::mutex> lock(log_mu);
                                log.push_back(line);
                              });
  loop.Start();
  for (int i = 0; i < 400 && loop.rounds() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const auto started = std::chrono::steady_clock::now();
  loop.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(loop.rounds(), 1u);
  ASSERT_EQ(log.size(), 1u);
  EXPECT_NE(log[0].find("1 stored"), std::string::npos) << log[0];
  auto opened = Mail<std::vector<InboundMailRecord>>([](MailRepository& m) { return m.ListInbound(MailAction::kOpened, 10); });
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened->size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailEndToEndTest, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace sladesk::testing
