// Opening a ticket: the seed rules TicketIntake enforces, on the real seed
// policies and a real store, without a socket.
#include "desk/desk_fixture.h"

#include "desk/plan_rules.h"
#include "desk/ticket_fields.h"

namespace sladesk::testing {
namespace {

class IntakeRulesTest : public DeskFixture {};

// Seed 000: "Telephone number" is required; the desk takes it from the
// contact, or from the ticket's own `phone` field.
TEST_P(IntakeRulesTest, RequiredFieldsAreFoundOnTheTicketTheContactOrTheOrganisation) {
  Organisation org = Org("gtmhub", "standard");
  User no_phone = Contact(org);
  auto refused = Open(no_phone, Form());
  EXPECT_REFUSED(refused, ErrorCode::kInvalid, "fields.phone");
  EXPECT_NE(refused.error().message.find("Telephone number"), std::string::npos);
  OpenTicketInput with_phone = Form();
  with_phone.fields["phone"] = "+49 30 1234567";
  Ticket t = MustOpen(no_phone, with_phone);
  EXPECT_EQ(t.fields.at("phone"), "+49 30 1234567");
  User has_phone = Contact(org, true, "+44 20 7946 0001");
  EXPECT_TRUE(Open(has_phone, Form()).ok());  // company name, contact name and e-mail come with the contact
  OpenTicketInput no_impact = Form();
  no_impact.business_impact = "  ";
  EXPECT_REFUSED(Open(has_phone, no_impact), ErrorCode::kInvalid, "business_impact");
  OpenTicketInput bad_phone = Form();
  bad_phone.fields["phone"] = "call me";
  EXPECT_REFUSED(Open(no_phone, bad_phone), ErrorCode::kInvalid, "fields.phone");
}

// Seed 004: "The start time of the incident" is a field of the policy's own
// (typed datetime), kept on the ticket.
TEST_P(IntakeRulesTest, ThePolicysOwnTypedFieldsAreRequiredCheckedAndKept) {
  Organisation org = Org("agency-support", "standard");
  User c = Contact(org);
  EXPECT_REFUSED(Open(c, Form()), ErrorCode::kInvalid, "fields.incident_start");
  OpenTicketInput wrong = Form();
  wrong.fields["incident_start"] = "yesterday morning";
  EXPECT_REFUSED(Open(c, wrong), ErrorCode::kInvalid, "fields.incident_start");
  OpenTicketInput unknown = Form();
  unknown.fields["incident_start"] = "2026-03-02T07:30:00Z";
  unknown.fields["favourite_colour"] = "blue";
  EXPECT_REFUSED(Open(c, unknown), ErrorCode::kInvalid, "fields.favourite_colour");
  OpenTicketInput ok = Form();
  ok.fields["incident_start"] = "2026-03-02T07:30:00+00:00";
  ok.fields["reproduction_data"] = "logs attached\nline two";
  Ticket t = MustOpen(c, ok);
  EXPECT_EQ(t.fields.at("incident_start"), "2026-03-02T07:30:00+00:00");
  EXPECT_EQ(t.fields.at("reproduction_data"), "logs attached\nline two");
  auto got = Get(c, t.number);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->ticket.fields, t.fields);  // stored and read back
}

// A required field the desk cannot collect is a policy-check error.
TEST_P(IntakeRulesTest, UncollectableRequiredFieldsAreReportedForPolicyCheck) {
  for (const auto& id : policies_->Ids()) EXPECT_TRUE(TicketFields::Uncollectable(*policies_->Find(id)).empty()) << id;
  Policy p = *policies_->Find("gtmhub");
  p.required_fields.push_back(TicketField{"shoe_size", "Shoe size", std::nullopt, ""});
  auto errors = TicketFields::Uncollectable(p);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].message.find("shoe_size"), std::string::npos);
}

// Phone only where the plan has it; the portal only where the plan has a
// ticketing system (seed 002 and 003 take tickets by e-mail and chat).
TEST_P(IntakeRulesTest, TicketsArriveOnlyOnTheChannelsThePlanIncludes) {
  struct Case {
    const char* policy;
    const char* plan;
    TicketChannel channel;
    const char* severity;
    bool accepted;
  };
  const Case cases[] = {
      {"gtmhub", "standard", TicketChannel::kPortal, "medium", true},
      {"gtmhub", "standard", TicketChannel::kPhone, "medium", false},
      {"gtmhub", "enhanced", TicketChannel::kPhone, "critical", true},
      {"gtmhub", "enhanced", TicketChannel::kPhone, "low", true},
      {"gtmhub", "legacy", TicketChannel::kChat, "low", false},
      {"gold-support", "gold", TicketChannel::kPortal, "normal", false},
      {"gold-support", "gold", TicketChannel::kEmail, "normal", true},
      {"openback", "growth", TicketChannel::kPhone, "minor", false},
      {"supermetrics", "premium", TicketChannel::kApi, "medium", true},
      {"agency-support", "standard", TicketChannel::kEmail, "p3", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.policy) + " " + c.plan + " " + std::string(TicketChannelName(c.channel)));
    OrganisationInput done;
    done.onboarding_complete = true;
    Organisation org = Org(c.policy, c.plan, done);
    User contact = Contact(org, true, "+44 20 7946 0002");
    OpenTicketInput in = Form();
    in.channel = c.channel;
    in.severity = c.severity;
    if (std::string(c.policy) == "agency-support") in.fields["incident_start"] = "2026-03-02T07:30:00Z";
    auto r = Open(contact, in);
    if (c.accepted) EXPECT_TRUE(r.ok()) << r.error().ToString();
    else EXPECT_REFUSED(r, ErrorCode::kInvalid, "channel");
  }
}

// Seed 003: Standard support until the technical onboarding is complete.
TEST_P(IntakeRulesTest, AnOrganisationStillOnboardingGetsTheOnboardingPlan) {
  Organisation org = Org("openback", "enterprise");
  EXPECT_TRUE(org.onboarding_pending);
  User c = Contact(org);
  OpenTicketInput in = Form();
  in.channel = TicketChannel::kEmail;
  in.severity = "major";
  Ticket before = MustOpen(c, in);
  EXPECT_EQ(before.plan_id, "growth");
  // growth: major "1 - 2 business days" (9 h days): 18 business hours, Tue 18:00 London.
  EXPECT_EQ(FormatInstant(*before.first_response_due), "2026-03-03T18:00:00Z");
  auto done = Run<Organisation>([&](DeskRepository& r) { return OrganisationService(r, *policies_).CompleteOnboarding(agent_, now_, org.id); });
  ASSERT_TRUE(done.ok()) << done.error().ToString();
  Ticket after = MustOpen(c, in);
  EXPECT_EQ(after.plan_id, "enterprise");
  // enterprise: major 12 business hours on the Saturday calendar.
  EXPECT_EQ(FormatInstant(*after.first_response_due), "2026-03-03T12:00:00Z");
  // The first ticket keeps the plan it was opened under.
  auto again = Get(agent_, before.number);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->ticket.plan_id, "growth");
  EXPECT_REFUSED((Run<Organisation>([&](DeskRepository& r) { return OrganisationService(r, *policies_).CompleteOnboarding(agent_, now_, org.id); })),
                 ErrorCode::kConflict, "onboarding");
}

// Seed 002: 1 incident a month on Professional, counted in the plan's zone
// (Berlin), flagged beyond.
TEST_P(IntakeRulesTest, IncidentsPerMonthCountInTheOrganisationsZone) {
  Organisation org = Org("gold-support", "professional");
  User c = Contact(org);
  OpenTicketInput in = Form();
  in.channel = TicketChannel::kEmail;
  now_ = At("2026-03-31T21:30:00Z");  // 23:30 in Berlin: still March
  EXPECT_FALSE(MustOpen(c, in).over_quota);
  now_ = At("2026-03-31T22:30:00Z");  // 00:30 on 1 April in Berlin: a new month
  EXPECT_FALSE(MustOpen(c, in).over_quota);
  EXPECT_TRUE(MustOpen(c, in).over_quota);  // the second in April
  // An organisation with its own zone counts in it.
  OrganisationInput ny;
  ny.time_zone = "America/New_York";
  Organisation us = Org("gold-support", "professional", ny);
  User cu = Contact(us);
  now_ = At("2026-05-01T02:00:00Z");  // 22:00 on 30 April in New York
  EXPECT_FALSE(MustOpen(cu, in).over_quota);
  now_ = At("2026-05-01T03:00:00Z");
  EXPECT_TRUE(MustOpen(cu, in).over_quota);
  OrganisationInput bad;
  bad.time_zone = "Mars/Olympus";
  EXPECT_REFUSED((Run<Organisation>([&](DeskRepository& r) {
                   bad.name = "x"; bad.policy_id = "gold-support"; bad.plan_id = "gold";
                   return OrganisationService(r, *policies_).Create(admin_, now_, bad);
                 })),
                 ErrorCode::kInvalid, "time_zone");
}

TEST_P(IntakeRulesTest, OnlyNamedContactsOpenTicketsWhereThePlanNamesThem) {
  OrganisationInput done;
  done.onboarding_complete = true;
  Organisation org = Org("openback", "pro", done);  // 1 named contact
  User named = Contact(org, true);
  OpenTicketInput in = Form();
  in.channel = TicketChannel::kEmail;
  EXPECT_TRUE(Open(named, in).ok());
  User other = Contact(org, false);
  EXPECT_REFUSED(Open(other, in), ErrorCode::kForbidden, "");
  ContactInput name_him;
  name_him.named_contact = true;
  EXPECT_REFUSED((Run<User>([&](DeskRepository& r) { return OrganisationService(r, *policies_).UpdateContact(lead_, now_, org.id, other.id, name_him); })),
                 ErrorCode::kConflict, "named_contact");
}

// Subjects are single lines: no control character may break out into a
// mail or HTTP header; descriptions keep line breaks and tabs only.
TEST_P(IntakeRulesTest, ControlCharactersAreRefusedNamingTheField) {
  Organisation org = Org("supermetrics", "premium");
  User c = Contact(org);
  struct Case {
    const char* name;
    std::string subject, description;
    const char* field;
  };
  const Case cases[] = {
      {"CR LF in the subject", "Export\r\nBcc: everyone@example.com", "d", "subject"},
      {"NUL in the subject", std::string("Export\0fails", 12), "d", "subject"},
      {"ESC in the subject", "Export \x1b[31mred", "d", "subject"},
      {"C1 control in the subject", "Export \xc2\x85 next line", "d", "subject"},
      {"ESC in the description", "Export", "line\x1b[2J", "description"},
      {"invalid UTF-8", "Export \xff", "d", "subject"},
  };
  for (const auto& k : cases) {
    SCOPED_TRACE(k.name);
    OpenTicketInput in = Form(k.subject);
    in.description = k.description;
    EXPECT_REFUSED(Open(c, in), ErrorCode::kInvalid, k.field);
  }
  OpenTicketInput fine = Form("Export fails\tagain");
  fine.subject = "Export fails";
  fine.description = "Line one\r\nLine two\n\tindented";
  Ticket t = MustOpen(c, fine);
  EXPECT_EQ(t.description, "Line one\r\nLine two\n\tindented");  // stored as sent
}

INSTANTIATE_TEST_SUITE_P(Backends, IntakeRulesTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
