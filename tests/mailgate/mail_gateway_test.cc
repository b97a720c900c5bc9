// The mail routing rules end to end through the gateway (decode, route on
// the store, answer), on both backends, with the messages of
// tests/mailgate/data. No sockets: answers are only decided here (the
// transport tests and the end-to-end test send them).
#include <gtest/gtest.h>

#include "mailgate/mail_gateway_fixture.h"

namespace sladesk::testing {
namespace {

class MailGatewayTest : public MailGatewayFixture {
 protected:
  // Opens the ticket the other cases refer to.
  std::int64_t OpenFirst() {
    auto r = Ingest("new_from_contact.eml");
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    if (!r.ok()) return 0;
    EXPECT_EQ(r->outcome.action, MailAction::kOpened) << r->outcome.reason;
    return r->outcome.ticket_number.value_or(0);
  }
};

// Which ticket a case lands on.
enum class Lands { kNone, kFirst, kOther };

struct Case {
  const char* file;
  MailAction action;
  Lands lands;
  MailAnswer answer;
  const char* reason_has;  // "" for any
};

const Case kCases[] = {
    {"reply_signed.eml", MailAction::kReplied, Lands::kFirst, MailAnswer::kNone, ""},
    {"reply_subject_tag_colleague.eml", MailAction::kReplied, Lands::kFirst, MailAnswer::kNone, ""},
    {"forged_tag_stranger.eml", MailAction::kHeld, Lands::kNone, MailAnswer::kNone, "unknown sender"},
    {"tag_from_other_organisation.eml", MailAction::kOpened, Lands::kOther, MailAnswer::kAcknowledgement, ""},
    {"forged_signed_id.eml", MailAction::kHeld, Lands::kNone, MailAnswer::kNone, "unknown sender"},
    {"out_of_office_on_ticket.eml", MailAction::kNoted, Lands::kFirst, MailAnswer::kNone, ""},
    {"out_of_office_unthreaded.eml", MailAction::kHeld, Lands::kNone, MailAnswer::kNone, "automatic"},
    {"own_mail_returned.eml", MailAction::kDropped, Lands::kNone, MailAnswer::kNone, "own mail"},
    {"dmarc_failure.eml", MailAction::kHeld, Lands::kNone, MailAnswer::kNone, "DMARC"},
    {"bounce_of_acknowledgement.eml", MailAction::kBounceRecorded, Lands::kFirst, MailAnswer::kNone, "alice@acme.test"},
    {"unknown_refused.eml", MailAction::kRefused, Lands::kNone, MailAnswer::kRefusal, "unknown sender"},
    {"unknown_create_contact.eml", MailAction::kOpened, Lands::kOther, MailAnswer::kAcknowledgement, ""},
    {"not_a_named_contact.eml", MailAction::kRefused, Lands::kNone, MailAnswer::kRefusal, "named support contacts"},
    {"required_fields_missing.eml", MailAction::kRefused, Lands::kNone, MailAnswer::kRefusal, "steps_to_reproduce"},
    {"required_fields_labelled.eml", MailAction::kOpened, Lands::kOther, MailAnswer::kAcknowledgement, ""},
};

TEST_P(MailGatewayTest, EachMessageIsRoutedByTheRules) {
  const std::int64_t first = OpenFirst();
  ASSERT_GT(first, 0);
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.file);
    auto r = Ingest(c.file, first);
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(MailActionName(r->outcome.action), MailActionName(c.action)) << r->outcome.reason;
    EXPECT_EQ(static_cast<int>(r->outcome.answer), static_cast<int>(c.answer));
    EXPECT_NE(r->outcome.reason.find(c.reason_has), std::string::npos) << r->outcome.reason;
    switch (c.lands) {
      case Lands::kNone: EXPECT_FALSE(r->outcome.ticket_number); break;
      case Lands::kFirst: EXPECT_EQ(r->outcome.ticket_number, first); break;
      case Lands::kOther:
        ASSERT_TRUE(r->outcome.ticket_number);
        EXPECT_NE(*r->outcome.ticket_number, first);
        break;
    }
    // The same message again is a duplicate, whatever it did the first time.
    auto again = Ingest(c.file, first);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->outcome.action, MailAction::kDuplicate);
    EXPECT_EQ(again->outcome.answer, MailAnswer::kNone);
  }
  // What landed on the first ticket: the opening, two customer replies, the
  // out-of-office as an internal note, the bounce note.
  auto detail = Get(admin_, first);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->ticket.channel, TicketChannel::kEmail);
  EXPECT_EQ(detail->ticket.severity, "normal");  // gold-support's default
  auto messages = Run<std::vector<Message>>([&](DeskRepository& r) { return r.ListMessages(detail->ticket.id, true); });
  ASSERT_TRUE(messages.ok());
  ASSERT_EQ(messages->size(), 4u);
  EXPECT_EQ((*messages)[0].body, "It still fails after the restart.");  // quoted history trimmed
  EXPECT_EQ((*messages)[0].author_id, alice_.id);
  EXPECT_EQ((*messages)[1].author_id, bob_.id);
  EXPECT_EQ((*messages)[2].visibility, Visibility::kInternal);
  EXPECT_NE((*messages)[2].body.find("out of the office"), std::string::npos);
  EXPECT_NE((*messages)[3].body.find("bounced"), std::string::npos);
  auto files = Run<std::vector<Attachment>>([&](DeskRepository& r) { return r.ListAttachments(detail->ticket.id); });
  ASSERT_TRUE(files.ok());
  std::vector<std::string> names;
  for (const auto& a : *files) names.push_back(a.filename);
  EXPECT_EQ(names, (std::vector<std::string>{"quoted-history.txt", "bounce.eml"}));
  // The out-of-office reply did not reopen or answer anything: the status is
  // still new (no agent has answered), and the bounce marked the address.
  EXPECT_EQ(detail->ticket.status, TicketStatus::kNew);
  auto bounce = Mail<std::optional<AddressBounce>>([](MailRepository& m) { return m.FindBounce("alice@acme.test"); });
  ASSERT_TRUE(bounce.ok());
  ASSERT_TRUE(*bounce);
  EXPECT_EQ((*bounce)->bounces, 1);
  // Held mail keeps its bytes for the agent.
  auto held = Mail<std::vector<InboundMailRecord>>([](MailRepository& m) { return m.ListInbound(MailAction::kHeld, 100); });
  ASSERT_TRUE(held.ok());
  ASSERT_EQ(held->size(), 4u);
  for (const auto& h : *held) EXPECT_FALSE(h.raw.empty());
}

TEST_P(MailGatewayTest, RequiredFieldsComeFromLabelledLines) {
  auto r = Ingest("required_fields_labelled.eml");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->outcome.action, MailAction::kOpened) << r->outcome.reason;
  auto d = Get(admin_, *r->outcome.ticket_number);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->ticket.steps_to_reproduce, "open the March report\nand compare with the export.");
  EXPECT_EQ(d->ticket.business_impact, "the board meeting uses these numbers.");
  EXPECT_EQ(d->ticket.severity, "medium");
}

TEST_P(MailGatewayTest, AnswersStopAtTheLoopLimit) {
  // A robot that writes again and again without automatic headers: the
  // first ten refusals go out, then sladesk stays silent; ten minutes
  // later it answers again.
  std::string raw = Load("unknown_refused.eml", 0);
  int answered = 0;
  for (int i = 0; i < 12; ++i) {
    std::string m = raw;
    m.replace(m.find("<refuse-1@"), 10, "<refuse-" + std::to_string(100 + i) + "@");
    m.replace(m.find("Can you help me?"), 16, "Can you help me? " + std::to_string(i));
    auto r = gateway_->Ingest(m, "test");
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(r->outcome.action, MailAction::kRefused);
    if (r->outcome.answer == MailAnswer::kRefusal) ++answered;
    else EXPECT_NE(r->outcome.reason.find("loop limit"), std::string::npos);
    clock_.Advance(10);
  }
  EXPECT_EQ(answered, 10);
  clock_.Advance(600);
  auto later = gateway_->Ingest(Load("unknown_refused.eml", 0).replace(0, 0, ""), "test");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(later->outcome.action, MailAction::kRefused);
  EXPECT_EQ(later->outcome.answer, MailAnswer::kRefusal);
}

TEST_P(MailGatewayTest, ControlCharactersAndLongSubjectsDoNotRefuseTheMail) {
  std::string raw = Load("new_from_contact.eml", 0);
  std::string subject = "Export\xC2\x85" + std::string(600, 'x') + "\xC3\xA9";  // NEL (C1), then 'é' across byte 500
  raw.replace(raw.find("Subject: Export fails"), 21, "Subject: =?utf-8?B?" + [&] {
    static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    for (size_t i = 0; i < subject.size(); i += 3) {
      unsigned v = static_cast<unsigned char>(subject[i]) << 16;
      if (i + 1 < subject.size()) v |= static_cast<unsigned char>(subject[i + 1]) << 8;
      if (i + 2 < subject.size()) v |= static_cast<unsigned char>(subject[i + 2]);
      out += b64[(v >> 18) & 63];
      out += b64[(v >> 12) & 63];
      out += i + 1 < subject.size() ? b64[(v >> 6) & 63] : '=';
      out += i + 2 < subject.size() ? b64[v & 63] : '=';
    }
    return out;
  }() + "?=");
  raw.replace(raw.find("The CSV export"), 3, "Th\x01" "e\x7f");
  auto r = gateway_->Ingest(raw, "test");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->outcome.action, MailAction::kOpened) << r->outcome.reason;
  auto d = Get(admin_, *r->outcome.ticket_number);
  ASSERT_TRUE(d.ok());
  EXPECT_LE(d->ticket.subject.size(), 500u);
  EXPECT_EQ(d->ticket.subject.rfind("Export ", 0), 0u) << d->ticket.subject;
  EXPECT_EQ(d->ticket.description.rfind("Th e  CSV", 0), 0u) << d->ticket.description;
}

TEST_P(MailGatewayTest, AttachmentsKeepTheirBytesUnderAPlainName) {
  auto r = Ingest("attachments_with_paths.eml");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_EQ(r->outcome.action, MailAction::kOpened) << r->outcome.reason;
  auto d = Get(admin_, *r->outcome.ticket_number);
  ASSERT_TRUE(d.ok());
  auto files = Run<std::vector<Attachment>>([&](DeskRepository& repo) { return repo.ListAttachments(d->ticket.id); });
  ASSERT_TRUE(files.ok());
  std::vector<std::string> got;
  for (const auto& a : *files) got.push_back(a.filename + " " + a.content_type + " " + std::to_string(a.size));
  EXPECT_EQ(got, (std::vector<std::string>{"report.pdf application/pdf 48", "server.log text/x-log 18",
                                           "attachment application/octet-stream 3"}));
}

TEST_P(MailGatewayTest, NotMailIsRefusedAsInput) {
  auto r = gateway_->Ingest("\x01\x02 not a message", "test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalid);
}

TEST_P(MailGatewayTest, LabelledFieldsMatchIdsNamesAndTheirFirstWords) {
  const Policy* p = policies_->Find("gtmhub");
  ASSERT_NE(p, nullptr);
  auto f = MailIntake::LabelledFields(*p,
                                      "Hello\nTelephone number: +49 30 1234567\nafter 3 pm\nSteps to reproduce: click\nthen wait\n\n"
                                      "business_impact: none\n\nRandom: x\n");
  EXPECT_EQ(f["phone"], "+49 30 1234567");  // a single-line field: its line only
  EXPECT_EQ(f["steps_to_reproduce"], "click\nthen wait");
  EXPECT_EQ(f["business_impact"], "none");
  EXPECT_EQ(f.size(), 3u);
}

INSTANTIATE_TEST_SUITE_P(Backends, MailGatewayTest, ::testing::ValuesIn(Backends()));

}  // namespace
}  // namespace sladesk::testing
