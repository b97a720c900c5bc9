// The outgoing composer and the signed Message-IDs: every composed message
// parses back (ParseMail) to what was put in; no value can inject a header;
// only ids signed with the server's secret give a ticket number back.
#include <gtest/gtest.h>

#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "common/instant.h"
#include "mail/header_encoder.h"
#include "mail/mail_composer.h"
#include "mail/mail_parser.h"
#include "mail/message_id_signer.h"
#include "mail/quote_trimmer.h"

namespace sladesk::mail {
namespace {

constexpr const char* kSecret = "test-secret-0123456789";

ComposeOptions Options() {
  ComposeOptions o;
  o.domain = "desk.example";
  o.secret = kSecret;
  o.now = *ParseInstant("2026-12-14T09:05:07Z", "now");
  o.random = "0123456789abcdef";
  return o;
}

OutgoingMessage Reply() {
  OutgoingMessage m;
  m.from = {"support@desk.example", "Support – Desk"};
  m.to = {{"jane@customer.example", "Jöhanna Doe"}, {"tom@customer.example", "Doe, Tom"}};
  m.cc = {{"boss@customer.example", ""}};
  m.bcc = {"audit@desk.example"};
  m.subject = "Re: CSV export fails – Größe";
  m.ticket_number = 1042;
  m.text = "Hello Jöhanna,\n\nthe export is fixed.\nFrom now on it works.\n.\nA very long line " +
           std::string(200, 'x') + " end.\n";
  m.html = "<p>Hello J&ouml;hanna,</p><p>the export is fixed.</p>";
  m.in_reply_to = "<CAK7Lp=Xz9@mail.gmail.com>";
  m.references = {"<sladesk.1042.aaaaaaaaaaaaaaaa.000000000000000000000000@desk.example>"};
  m.attachments = {{"Übersicht März.pdf", "application/pdf", std::string("%PDF\x00\x01\xff", 7), ""},
                   {"logo.png", "image/png", "PNGDATA", "logo@desk.example"}};
  return m;
}

TEST(MailComposer, ParsesBackToWhatWasPutIn) {
  auto composed = ComposeMessage(Reply(), Options());
  ASSERT_TRUE(composed.ok()) << composed.error().ToString();
  EXPECT_EQ(composed->message_id,
            MessageIdSigner(kSecret).MakeMessageId(1042, "desk.example", "0123456789abcdef"));
  EXPECT_EQ(composed->envelope_from, "support@desk.example");
  EXPECT_EQ(composed->recipients, (std::vector<std::string>{"jane@customer.example", "tom@customer.example",
                                                            "boss@customer.example", "audit@desk.example"}));
  ParseOptions po;
  po.keep_content = true;
  auto parsed = ParseMail(composed->bytes, po);
  ASSERT_TRUE(parsed.ok()) << parsed.error().ToString();
  EXPECT_EQ(*parsed->message_id, composed->message_id);
  EXPECT_EQ(*parsed->subject, "[#1042] Re: CSV export fails – Größe");
  EXPECT_EQ(*parsed->ticket_number, 1042);
  EXPECT_EQ(parsed->from->address, "support@desk.example");
  EXPECT_EQ(*parsed->from->name, "Support – Desk");
  ASSERT_EQ(parsed->to.size(), 2u);
  EXPECT_EQ(*parsed->to[0].name, "Jöhanna Doe");
  EXPECT_EQ(*parsed->to[1].name, "Doe, Tom");
  ASSERT_EQ(parsed->cc.size(), 1u);
  EXPECT_FALSE(parsed->cc[0].name.has_value());
  EXPECT_EQ(composed->bytes.find("audit@desk.example"), std::string::npos);  // bcc is envelope only
  EXPECT_EQ(*parsed->in_reply_to, "<CAK7Lp=Xz9@mail.gmail.com>");
  EXPECT_EQ(parsed->references,
            (std::vector<std::string>{"<sladesk.1042.aaaaaaaaaaaaaaaa.000000000000000000000000@desk.example>",
                                      "<CAK7Lp=Xz9@mail.gmail.com>"}));
  EXPECT_EQ(parsed->text, "Hello Jöhanna,\n\nthe export is fixed.\nFrom now on it works.\n.\nA very long line " +
                              std::string(200, 'x') + " end.");
  EXPECT_EQ(parsed->html, "<p>Hello J&ouml;hanna,</p><p>the export is fixed.</p>");
  ASSERT_EQ(parsed->attachments.size(), 2u);
  EXPECT_EQ(*parsed->attachments[0].filename, "Übersicht März.pdf");
  EXPECT_EQ(parsed->attachments[0].content_type, "application/pdf");
  EXPECT_EQ(parsed->attachments[0].content, std::string("%PDF\x00\x01\xff", 7));
  EXPECT_EQ(*parsed->attachments[1].filename, "logo.png");
  EXPECT_EQ(parsed->attachments[1].content_id, "logo@desk.example");
  EXPECT_TRUE(parsed->attachments[1].inline_disposition);
  // Every sladesk mail carries X-Auto-Response-Suppress: All: coming back it is auto-generated.
  EXPECT_TRUE(parsed->auto_generated);
  EXPECT_EQ(parsed->auto_reason, AutoReason::kAutoResponseSuppress);
  EXPECT_EQ(composed->bytes.find("Auto-Submitted"), std::string::npos);  // a person's reply
  EXPECT_EQ(composed->bytes.rfind("Date: Mon, 14 Dec 2026 09:05:07 +0000\r\n", 0), 0u);
  // The reply threads: the signed id names the ticket.
  std::vector<std::string> ids{*parsed->message_id};
  EXPECT_EQ(*VerifyTicketTag(ids, kSecret), 1042);
}

TEST(MailComposer, LinesAreShortAndEndInCrlf) {
  OutgoingMessage m = Reply();
  m.subject = std::string(300, 'a') + " " + "ünïcödé " + std::string(40, 'b');
  auto composed = ComposeMessage(m, Options());
  ASSERT_TRUE(composed.ok());
  const std::string& b = composed->bytes;
  std::size_t pos = 0;
  bool in_headers = true;
  while (pos < b.size()) {
    const std::size_t nl = b.find('\n', pos);
    ASSERT_NE(nl, std::string::npos);
    ASSERT_EQ(b[nl - 1], '\r') << "bare LF at " << nl;
    const std::string line = b.substr(pos, nl - 1 - pos);
    if (line.empty()) in_headers = false;
    // "Name: one-unbreakable-word" (a Message-ID) may be longer; nothing else.
    const std::size_t colon = line.find(": ");
    const bool one_word = colon != std::string::npos && line.find(' ', colon + 2) == std::string::npos;
    const bool continuation_word = line.size() > 1 && line[0] == ' ' && line.find(' ', 1) == std::string::npos;
    if (!one_word && !continuation_word) {
      EXPECT_LE(line.size(), 78u) << "[" << line << "]";
    }
    if (!in_headers && colon == std::string::npos && line[0] != ' ') {
      EXPECT_LE(line.size(), 76u) << "[" << line << "]";  // quoted-printable and base64 lines
    }
    pos = nl + 1;
  }
  auto parsed = ParseMail(b);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed->subject, "[#1042] " + m.subject);
}

TEST(MailComposer, AutomaticMailIsMarked) {
  OutgoingMessage m = Reply();
  m.automatic = true;
  m.reply_marker = true;
  m.attachments.clear();
  m.html.clear();
  auto composed = ComposeMessage(m, Options());
  ASSERT_TRUE(composed.ok());
  EXPECT_NE(composed->bytes.find("\r\nAuto-Submitted: auto-replied\r\n"), std::string::npos);
  auto parsed = ParseMail(composed->bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->auto_reason, AutoReason::kAutoSubmitted);
  EXPECT_EQ(parsed->text.rfind(std::string(kReplyAboveMarker), 0), 0u);
  // The customer's answer above the marker is all that is left after trimming.
  const std::string answer = "Thanks!\n\nOn Mon, Dec 14, 2026 Support wrote:\n> " + std::string(kReplyAboveMarker) +
                             "\n> \n> Hello";
  EXPECT_EQ(TrimQuotedHistory(answer).reply, "Thanks!");
}

TEST(MailComposer, HeaderInjectionIsImpossible) {
  OutgoingMessage m = Reply();
  m.subject = "Hello\r\nBcc: victim@evil.example\r\n\r\nbody";
  m.to[0].name = "Jane\nBcc: victim@evil.example";
  auto composed = ComposeMessage(m, Options());
  ASSERT_TRUE(composed.ok());
  EXPECT_EQ(composed->bytes.find("\nBcc:"), std::string::npos);
  EXPECT_EQ(composed->bytes.find("victim@evil.example>"), std::string::npos);
  auto parsed = ParseMail(composed->bytes);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed->subject, "[#1042] Hello Bcc: victim@evil.example body");

  struct Bad {
    std::function<void(OutgoingMessage&)> change;
    std::string field;
  };
  const std::vector<Bad> bad = {
      {[](OutgoingMessage& x) { x.to[0].address = "jane@customer.example\r\nBcc: v@e.example"; }, "to[0].address"},
      {[](OutgoingMessage& x) { x.to[1].address = "Jane <jane@x.example>"; }, "to[1].address"},
      {[](OutgoingMessage& x) { x.from.address = "no-at-sign"; }, "from.address"},
      {[](OutgoingMessage& x) { x.cc[0].address = "jäne@x.example"; }, "cc[0].address"},
      {[](OutgoingMessage& x) { x.bcc[0] = "a@b.example, c@d.example"; }, "bcc[0]"},
      {[](OutgoingMessage& x) { x.reply_to = OutgoingAddress{"x@y.example\n", ""}; }, "reply_to.address"},
      {[](OutgoingMessage& x) { x.in_reply_to = "<a@b>\r\nX-Evil: 1"; }, "in_reply_to"},
      {[](OutgoingMessage& x) { x.references.push_back("no-brackets@x"); }, "references[1]"},
      {[](OutgoingMessage& x) { x.headers.push_back({"X-Evil:", "1"}); }, "headers[0].name"},
      {[](OutgoingMessage& x) { x.headers.push_back({"X-Campaign", "a\r\nBcc: v@e"}); }, "headers[0].value"},
      {[](OutgoingMessage& x) { x.attachments[0].content_type = "text/plain\r\nX: y"; }, "attachments[0].content_type"},
      {[](OutgoingMessage& x) { x.attachments[1].content_id = "a>\r\nb"; }, "attachments[1].content_id"},
      {[](OutgoingMessage& x) { x.to.clear(); x.cc.clear(); x.bcc.clear(); }, "to"},
  };
  for (const auto& b : bad) {
    OutgoingMessage x = Reply();
    b.change(x);
    auto r = ComposeMessage(x, Options());
    ASSERT_FALSE(r.ok()) << b.field;
    EXPECT_EQ(r.error().field, b.field);
  }
  // A filename cannot break out of its parameter either.
  OutgoingMessage f = Reply();
  f.attachments[0].filename = "a\"\r\nContent-Type: text/html; x=\".pdf";
  auto r = ComposeMessage(f, Options());
  ASSERT_TRUE(r.ok());
  auto parsed2 = ParseMail(r->bytes);
  ASSERT_TRUE(parsed2.ok());
  ASSERT_EQ(parsed2->attachments.size(), 2u);
  EXPECT_EQ(*parsed2->attachments[0].filename, "a\" Content-Type: text_html; x=\".pdf");
  EXPECT_EQ(parsed2->attachments[0].content_type, "application/pdf");
}

TEST(MessageIdSigner, OnlySignedIdsNameATicket) {
  const MessageIdSigner signer(kSecret);
  const std::string id = signer.MakeMessageId(77, "desk.example", "00112233445566aa");
  EXPECT_EQ(id.substr(0, 29), "<sladesk.77.00112233445566aa.");
  EXPECT_EQ(*signer.Verify(id), 77);
  std::string upper = id;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(*signer.Verify(upper), 77);  // some MTAs upper-case ids
  EXPECT_EQ(*signer.Verify(id.substr(1, id.size() - 2)), 77);
  EXPECT_FALSE(MessageIdSigner("other-secret").Verify(id));
  std::string other_ticket = id;
  other_ticket.replace(9, 2, "78");  // a stranger edits the ticket number
  EXPECT_FALSE(signer.Verify(other_ticket));
  std::string other_random = id;
  other_random[14] = other_random[14] == 'f' ? 'e' : 'f';
  EXPECT_FALSE(signer.Verify(other_random));
  for (const char* forged : {"<sladesk.77.00112233445566aa.000000000000000000000000@desk.example>",
                             "<sladesk.077.00112233445566aa.000000000000000000000000@desk.example>",
                             "<sladesk.77@desk.example>", "<CAK7Lp@mail.gmail.com>", "", "<>",
                             "<sladesk.-1.00112233445566aa.000000000000000000000000@x>"})
    EXPECT_FALSE(signer.Verify(forged)) << forged;

  // In-Reply-To first, then References newest first; ticket 0 (no ticket) never matches.
  const std::string none = signer.MakeMessageId(0, "desk.example", "ffffffffffffffff");
  const std::vector<std::string> ids{"<stranger@x.example>", none, id,
                                     signer.MakeMessageId(5, "desk.example", "1111111111111111")};
  EXPECT_EQ(*VerifyTicketTag(ids, kSecret), 77);
  EXPECT_FALSE(VerifyTicketTag(std::vector<std::string>{"<stranger@x.example>", none}, kSecret));
  EXPECT_NE(RandomToken(), RandomToken());
  EXPECT_EQ(RandomToken().size(), 16u);
}

TEST(QuotedPrintable, EncodesWhatMustBeEncoded) {
  EXPECT_EQ(EncodeQuotedPrintable("a=b\n"), "a=3Db\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("trailing \nx"), "trailing=20\r\nx");
  EXPECT_EQ(EncodeQuotedPrintable("From here\n.dot\n"), "=46rom here\r\n=2Edot\r\n");
  EXPECT_EQ(EncodeQuotedPrintable("é"), "=C3=A9");
  const std::string long_line = EncodeQuotedPrintable(std::string(100, 'x'));
  EXPECT_EQ(long_line, std::string(75, 'x') + "=\r\n" + std::string(25, 'x'));
  EXPECT_EQ(FormatMailDate(*ParseInstant("2024-02-29T23:59:59Z", "t")), "Thu, 29 Feb 2024 23:59:59 +0000");
}

TEST(HeaderEncoder, NamesAndWords) {
  EXPECT_EQ(EncodeDisplayName("Jane Doe"), "Jane Doe");
  EXPECT_EQ(EncodeDisplayName("Doe, Jane"), "\"Doe, Jane\"");
  EXPECT_EQ(EncodeDisplayName("a \"b\" \\c"), "\"a \\\"b\\\" \\\\c\"");
  EXPECT_EQ(EncodeDisplayName("Jörg"), "=?utf-8?B?SsO2cmc=?=");
  EXPECT_EQ(EncodeUnstructured("looks =?like?= a word"), "=?utf-8?B?bG9va3MgPT9saWtlPz0gYSB3b3Jk?=");
  EXPECT_EQ(FoldHeader("Subject", "short"), "Subject: short\r\n");
  EXPECT_TRUE(ValidAddress("a.b+c@d-e.example"));
  EXPECT_FALSE(ValidAddress("a@b@c"));
  EXPECT_TRUE(ValidMessageId("<a@b>"));
  EXPECT_FALSE(ValidMessageId("<a b@c>"));
}

}  // namespace
}  // namespace sladesk::mail
