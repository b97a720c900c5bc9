// SmtpSender against a real SMTP server on loopback (aiosmtpd, started per
// test by smtp_test_server.h): sent, temporary (4xx, refused, timeout, TLS)
// and permanent (5xx) outcomes, STARTTLS, SMTPS with a certificate made at
// test time, AUTH, and the bytes arriving unchanged.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "common/instant.h"
#include "mail/mail_composer.h"
#include "mail/mail_parser.h"
#include "mail/smtp_sender.h"
#include "mail/smtp_test_server.h"  // tests/mail

namespace sladesk::mail {
namespace {

using sladesk::testing::SmtpTestServer;

const std::string kMessage =
    "From: Support <support@desk.example>\r\nTo: jane@customer.example\r\nSubject: test\r\n"
    "Message-ID: <t1@desk.example>\r\n\r\nLine one.\r\n.\r\n..two dots\r\nLast line.\r\n";

SmtpConfig Config(const SmtpTestServer& s, const char* scheme = "smtp") {
  SmtpConfig c;
  c.url = s.url(scheme);
  c.starttls = StartTls::kNever;
  c.connect_timeout = std::chrono::milliseconds(5000);
  c.timeout = std::chrono::milliseconds(20000);
  return c;
}

// A port with a listener that accepts but never speaks (for the timeout),
// or, closed again, a port nothing listens on (connection refused).
struct SilentListener {
  int fd = -1;
  int port = 0;
  explicit SilentListener(bool keep_open) {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    ::listen(fd, 4);
    socklen_t len = sizeof a;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    port = ntohs(a.sin_port);
    if (!keep_open) {
      ::close(fd);
      fd = -1;
    }
  }
  ~SilentListener() {
    if (fd >= 0) ::close(fd);
  }
};

TEST(SmtpSender, DeliversTheBytesUnchanged) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({});
  ASSERT_TRUE(server.ready());
  const SmtpResult r = SmtpSender(Config(server)).Send("support@desk.example",
                                                       {"jane@customer.example", "tom@customer.example"}, kMessage);
  ASSERT_TRUE(r.sent()) << r.detail;
  EXPECT_EQ(r.code, 250);
  EXPECT_NE(r.detail.find("queued"), std::string::npos) << r.detail;
  const auto messages = server.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], kMessage);  // dot-stuffing undone by the server: "." and ".." lines intact
  ASSERT_EQ(server.Envelopes().size(), 1u);
  EXPECT_NE(server.Envelopes()[0].find("\"mail_from\": \"support@desk.example\""), std::string::npos);
  EXPECT_NE(server.Envelopes()[0].find("[\"jane@customer.example\", \"tom@customer.example\"]"), std::string::npos);
}

TEST(SmtpSender, AComposedMessageArrivesAndParsesBack) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({});
  ASSERT_TRUE(server.ready());
  OutgoingMessage m;
  m.from = {"support@desk.example", "Support"};
  m.to = {{"jane@customer.example", "Jane Doe"}};
  m.bcc = {"audit@desk.example"};
  m.subject = "Your request – received";
  m.ticket_number = 1042;
  m.automatic = true;
  m.text = "We received your request.\n.\nTicket 1042 is assigned to Anna Agent.";
  m.html = "<p>We received your request.</p>";
  ComposeOptions o;
  o.domain = "desk.example";
  o.secret = "s3cret";
  o.now = *ParseInstant("2026-12-14T09:00:00Z", "now");
  auto composed = ComposeMessage(m, o);
  ASSERT_TRUE(composed.ok());
  const SmtpResult r = SmtpSender(Config(server)).Send(composed->envelope_from, composed->recipients, composed->bytes);
  ASSERT_TRUE(r.sent()) << r.detail;
  const auto messages = server.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0], composed->bytes);
  auto parsed = ParseMail(messages[0]);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed->message_id, composed->message_id);
  EXPECT_EQ(*parsed->ticket_number, 1042);
  EXPECT_NE(parsed->text.find("assigned to Anna Agent"), std::string::npos);
  EXPECT_TRUE(parsed->auto_generated);
  EXPECT_NE(server.Envelopes()[0].find("audit@desk.example"), std::string::npos);
}

TEST(SmtpSender, RejectedRecipientsArePermanentOrTemporary) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({"--perm-fail", "gone@customer.example", "--temp-fail", "full@customer.example"});
  ASSERT_TRUE(server.ready());
  const SmtpSender sender(Config(server));
  SmtpResult r = sender.Send("support@desk.example", {"jane@customer.example", "gone@customer.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kPermanentFailure) << r.detail;
  EXPECT_EQ(r.code, 550);
  EXPECT_NE(r.detail.find("User unknown"), std::string::npos) << r.detail;
  EXPECT_EQ(r.rejected_recipient, "gone@customer.example");

  r = sender.Send("support@desk.example", {"full@customer.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kTemporaryFailure) << r.detail;
  EXPECT_EQ(r.code, 451);
  EXPECT_EQ(r.rejected_recipient, "full@customer.example");
  EXPECT_TRUE(server.Messages().empty());  // nothing sent to anyone
}

TEST(SmtpSender, RefusedDataIsClassifiedByItsCode) {
  SLADESK_SKIP_WITHOUT_SMTP();
  {
    SmtpTestServer server({"--data-fail", "554"});
    ASSERT_TRUE(server.ready());
    const SmtpResult r = SmtpSender(Config(server)).Send("support@desk.example", {"jane@customer.example"}, kMessage);
    EXPECT_EQ(r.outcome, SmtpOutcome::kPermanentFailure) << r.detail;
    EXPECT_EQ(r.code, 554);
    EXPECT_TRUE(r.rejected_recipient.empty());
  }
  {
    SmtpTestServer server({"--data-fail", "452"});
    ASSERT_TRUE(server.ready());
    const SmtpResult r = SmtpSender(Config(server)).Send("support@desk.example", {"jane@customer.example"}, kMessage);
    EXPECT_EQ(r.outcome, SmtpOutcome::kTemporaryFailure) << r.detail;
    EXPECT_EQ(r.code, 452);
  }
}

TEST(SmtpSender, NoServerIsATemporaryFailure) {
  SilentListener closed(false);
  SmtpConfig c;
  c.url = "smtp://127.0.0.1:" + std::to_string(closed.port);
  c.starttls = StartTls::kNever;
  SmtpResult r = SmtpSender(c).Send("a@b.example", {"c@d.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kTemporaryFailure);
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.detail.find("connect"), std::string::npos) << r.detail;

  SilentListener silent(true);
  c.url = "smtp://127.0.0.1:" + std::to_string(silent.port);
  c.timeout = std::chrono::milliseconds(800);  // the server never greets
  r = SmtpSender(c).Send("a@b.example", {"c@d.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kTemporaryFailure);
  EXPECT_NE(r.detail.find("imeout"), std::string::npos) << r.detail;
}

TEST(SmtpSender, StartTlsRequiredOptionalAndVerified) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({"--tls-dir", "@TLS", "--require-starttls"});
  ASSERT_TRUE(server.ready());
  SmtpConfig c = Config(server);
  c.starttls = StartTls::kRequired;
  c.ca_file = server.ca_file();
  SmtpResult r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  ASSERT_TRUE(r.sent()) << r.detail;
  c.starttls = StartTls::kIfOffered;
  r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  ASSERT_TRUE(r.sent()) << r.detail;
  EXPECT_EQ(server.Messages().size(), 2u);
  // The server demands TLS and we do not start it: refused (530), permanent.
  c.starttls = StartTls::kNever;
  r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kPermanentFailure) << r.detail;
  EXPECT_EQ(r.code, 530);
  // Without the test CA the self-signed certificate does not verify: nothing is sent.
  c.starttls = StartTls::kRequired;
  c.ca_file.clear();
  r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kTemporaryFailure) << r.detail;
  EXPECT_EQ(server.Messages().size(), 2u);
}

TEST(SmtpSender, StartTlsRequiredButNotOfferedSendsNothing) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({});
  ASSERT_TRUE(server.ready());
  SmtpConfig c = Config(server);
  c.starttls = StartTls::kRequired;
  const SmtpResult r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kTemporaryFailure) << r.detail;
  EXPECT_TRUE(server.Messages().empty());
}

TEST(SmtpSender, ImplicitTls) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({"--tls-dir", "@TLS", "--smtps"});
  ASSERT_TRUE(server.ready());
  SmtpConfig c = Config(server, "smtps");
  c.ca_file = server.ca_file();
  const SmtpResult r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  ASSERT_TRUE(r.sent()) << r.detail;
  EXPECT_EQ(server.Messages().size(), 1u);
}

TEST(SmtpSender, AuthWithPassword) {
  SLADESK_SKIP_WITHOUT_SMTP();
  SmtpTestServer server({"--auth", "desk:p4ss word"});
  ASSERT_TRUE(server.ready());
  SmtpConfig c = Config(server);
  c.username = "desk";
  c.password = "p4ss word";
  SmtpResult r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  ASSERT_TRUE(r.sent()) << r.detail;
  c.password = "wrong";
  r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  EXPECT_EQ(r.outcome, SmtpOutcome::kPermanentFailure) << r.detail;
  EXPECT_EQ(r.code, 535);
  c.username.clear();  // no AUTH at all: the server refuses MAIL
  r = SmtpSender(c).Send("support@desk.example", {"jane@customer.example"}, kMessage);
  EXPECT_NE(r.outcome, SmtpOutcome::kSent) << r.detail;
  EXPECT_EQ(server.Messages().size(), 1u);
}

}  // namespace
}  // namespace sladesk::mail
