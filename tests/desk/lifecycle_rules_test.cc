// A ticket's life after it is opened: changes to resolved and closed
// tickets, reopening, escalations, bug escalations, remote assistance,
// support hours and optimistic locking, on the seed policies.
#include "desk/desk_fixture.h"

#include <nlohmann/json.hpp>

namespace sladesk::testing {
namespace {

using nlohmann::json;

class LifecycleRulesTest : public DeskFixture {
 protected:
  Ticket Resolved(const User& contact, TicketOutcome outcome, OpenTicketInput in = Form()) {
    Ticket t = MustOpen(contact, std::move(in));
    EXPECT_TRUE(Reply(agent_, t.number, "Fixed in 4.2").ok());
    auto r = SetStatus(agent_, t.number, TicketStatus::kResolved, outcome);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? r->ticket : t;
  }
  Result<Ticket> Edit(const User& who, std::int64_t number, UpdateTicketInput in) {
    return Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).Update(who, now_, number, in); });
  }
};

// One rule for closed tickets: nothing changes but a reopen (and, for
// staff, internal notes and logged time); the log keeps old and new values.
TEST_P(LifecycleRulesTest, AClosedTicketIsARecordAndEditsKeepOldAndNewValues) {
  Organisation org = Org("supermetrics", "premium");
  User c = Contact(org);
  Ticket t = MustOpen(c, Form("Old subject"));
  UpdateTicketInput rename;
  rename.subject = "New subject";
  ASSERT_TRUE(Edit(c, t.number, rename).ok());
  auto log = Events(t.number);
  const json changes = json::parse(log.back().data_json)["changes"];
  EXPECT_EQ(changes["subject"]["from"], "Old subject");
  EXPECT_EQ(changes["subject"]["to"], "New subject");
  ASSERT_TRUE(Reply(agent_, t.number, "Done").ok());
  ASSERT_TRUE(SetStatus(agent_, t.number, TicketStatus::kResolved, TicketOutcome::kSolved).ok());
  // Resolved: the customer no longer edits it, staff still may.
  rename.subject = "Edited after resolution";
  EXPECT_REFUSED(Edit(c, t.number, rename), ErrorCode::kConflict, "status");
  ASSERT_TRUE(SetStatus(c, t.number, TicketStatus::kClosed).ok());
  EXPECT_REFUSED(Edit(c, t.number, rename), ErrorCode::kConflict, "status");
  EXPECT_REFUSED(Edit(agent_, t.number, rename), ErrorCode::kConflict, "status");
  AttachmentInput file{"log.txt", "text/plain", "x", 1024};
  EXPECT_REFUSED((Run<AddedAttachment>([&](DeskRepository& r) { return TicketConversation(r, *policies_).Attach(c, now_, t.number, file); })),
                 ErrorCode::kConflict, "status");
  EXPECT_REFUSED(Reply(agent_, t.number, "one more thing"), ErrorCode::kConflict, "status");
  EXPECT_TRUE(Reply(agent_, t.number, "internal: customer happy", Visibility::kInternal).ok());
  EXPECT_TRUE((Run<Ticket>([&](DeskRepository& r) { return TicketEngineering(r, *policies_).LogTime(agent_, now_, t.number, {900, "wrap-up"}); })).ok());
  auto after = Get(agent_, t.number);
  EXPECT_EQ(after->ticket.subject, "New subject");
}

// Without a reopen rule (supermetrics, gold, openback) reopening is allowed;
// a customer's reply to a solved ticket reopens it; a reply to a ticket
// resolved as a bug escalation is conversation ("status updates on demand").
TEST_P(LifecycleRulesTest, RepliesAfterResolutionReopenOrStayConversation) {
  Organisation org = Org("supermetrics", "premium");
  User c = Contact(org);
  Ticket solved = Resolved(c, TicketOutcome::kSolved);
  auto reply = Reply(c, solved.number, "Still broken for me");
  ASSERT_TRUE(reply.ok()) << reply.error().ToString();
  EXPECT_TRUE(reply->reopened);
  EXPECT_EQ(reply->ticket.status, TicketStatus::kOpen);
  EXPECT_FALSE(reply->ticket.outcome);
  // The resolution clock resumes (supermetrics has none; next update restarts).
  EXPECT_TRUE(reply->ticket.next_update_due.has_value());

  OpenTicketInput bug = Form("Bug");
  Ticket escalated = MustOpen(c, bug);
  ASSERT_TRUE(Reply(agent_, escalated.number, "Engineering has it").ok());
  StatusInput s;
  s.status = TicketStatus::kResolved;
  s.outcome = TicketOutcome::kBugEscalated;
  s.external_issue = "ENG-1";
  ASSERT_TRUE((Run<StatusResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ChangeStatus(agent_, now_, escalated.number, s); })).ok());
  auto update = Reply(c, escalated.number, "Any news on the fix?");
  ASSERT_TRUE(update.ok()) << update.error().ToString();
  EXPECT_FALSE(update->reopened);
  EXPECT_EQ(update->ticket.status, TicketStatus::kResolved);
  EXPECT_TRUE(Reply(agent_, escalated.number, "It ships next week").ok());  // a status update, no reopen
  // An explicit reopen is allowed: the policy states no reopen rule.
  EXPECT_TRUE(SetStatus(c, escalated.number, TicketStatus::kOpen).ok());
}

// Seed 004: "re-opened at your request ... reviewed and re-opened or a new
// issue created", within 12 calendar months.
TEST_P(LifecycleRulesTest, TheAgencyReviewsReopenRequestsWithinTwelveCalendarMonths) {
  Organisation org = Org("agency-support", "standard");
  User c = Contact(org);
  OpenTicketInput in = Form();
  in.fields["incident_start"] = "2026-03-02T08:00:00Z";
  Ticket t = Resolved(c, TicketOutcome::kSolved, in);
  auto asked = SetStatus(c, t.number, TicketStatus::kOpen);
  ASSERT_TRUE(asked.ok()) << asked.error().ToString();
  EXPECT_TRUE(asked->reopen_requested);
  EXPECT_EQ(asked->ticket.status, TicketStatus::kResolved);
  ASSERT_TRUE(asked->ticket.reopen_requested_at);
  // Declined with a follow-up ticket instead.
  ReopenReviewInput decline{false, "A different problem: tracked on its own ticket", true};
  auto review = Run<ReopenReviewResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ReviewReopen(lead_, now_, t.number, decline); });
  ASSERT_TRUE(review.ok()) << review.error().ToString();
  ASSERT_TRUE(review->follow_up);
  EXPECT_EQ(review->follow_up->subject, "Follow-up to #" + std::to_string(t.number) + ": Export fails");
  EXPECT_FALSE(review->ticket.reopen_requested_at);
  EXPECT_REFUSED((Run<ReopenReviewResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ReviewReopen(lead_, now_, t.number, decline); })),
                 ErrorCode::kConflict, "ticket");
  // A reply asks again; an agent approves.
  auto again = Reply(c, t.number, "Please look again");
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->reopen_requested);
  ReopenReviewInput approve{true, "", false};
  auto ok = Run<ReopenReviewResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ReviewReopen(agent_, now_, t.number, approve); });
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->ticket.status, TicketStatus::kOpen);
  // Twelve calendar months to the second, counted in London.
  ASSERT_TRUE(Reply(agent_, t.number, "Fixed again").ok());
  ASSERT_TRUE(SetStatus(agent_, t.number, TicketStatus::kResolved, TicketOutcome::kSolved).ok());
  const Instant resolved = now_;
  ASSERT_TRUE(SetStatus(c, t.number, TicketStatus::kClosed).ok());
  auto detail = Get(c, t.number);
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(FormatInstant(*detail->reopen_deadline), "2027-03-02T09:00:00Z");
  now_ = resolved + std::chrono::hours(24 * 360);  // 360 days is not yet 12 months
  EXPECT_TRUE(SetStatus(c, t.number, TicketStatus::kOpen).ok());
  ReopenReviewInput reject{false, "no", false};
  ASSERT_TRUE((Run<ReopenReviewResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ReviewReopen(agent_, now_, t.number, reject); })).ok());
  now_ = *detail->reopen_deadline + std::chrono::seconds(1);
  auto late = SetStatus(c, t.number, TicketStatus::kOpen);
  EXPECT_REFUSED(late, ErrorCode::kConflict, "status");
  EXPECT_EQ(late.error().reason, "reopen-window-passed");
}

// Seed 001: "revise the Severity Level to Urgent ... at Supermetrics'
// discretion": the request is recorded, the severity stays.
TEST_P(LifecycleRulesTest, EscalationRequestsSuggestASeverityButRaiseNothing) {
  Organisation org = Org("supermetrics", "premium");
  User c = Contact(org);
  Ticket t = MustOpen(c, Form());
  EscalationInput in{"Our board meeting needs this data", {}};
  auto e = Run<EscalationResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).RequestEscalation(c, now_, t.number, in); });
  ASSERT_TRUE(e.ok()) << e.error().ToString();
  EXPECT_EQ(e->ticket.severity, "medium");
  EXPECT_EQ(e->suggested_severity, "urgent");
  EXPECT_EQ(e->level, 1);
  EXPECT_EQ(e->organisation_escalations, 1);
  EXPECT_EQ(EventKinds(t.number).back(), "escalation_requested");
  SeverityInput raise{"urgent", "", {}};
  EXPECT_REFUSED((Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ChangeSeverity(c, now_, t.number, raise); })),
                 ErrorCode::kForbidden, "");
  EXPECT_REFUSED((Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ChangeSeverity(agent_, now_, t.number, raise); })),
                 ErrorCode::kInvalid, "reason");
  raise.reason = "Escalation accepted: the board meeting";
  auto raised = Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ChangeSeverity(agent_, now_, t.number, raise); });
  ASSERT_TRUE(raised.ok());
  EXPECT_EQ(raised->severity, "urgent");
}

// Seed 001: handling-time targets do not apply while an engineering issue is
// worked on; the ticket stays open for conversation. Seed 000 resolves it.
TEST_P(LifecycleRulesTest, LinkingAnEngineeringIssueSuspendsOrResolvesAsThePolicySays) {
  Organisation sm = Org("supermetrics", "premium");
  User c = Contact(sm);
  Ticket t = MustOpen(c, Form());
  ASSERT_TRUE(Reply(agent_, t.number, "Reproduced").ok());
  LinkIssueInput link{"ENG-412", "https://tracker.example/ENG-412", "", {}};
  auto linked = Run<Ticket>([&](DeskRepository& r) { return TicketEngineering(r, *policies_).LinkIssue(agent_, now_, t.number, link); });
  ASSERT_TRUE(linked.ok()) << linked.error().ToString();
  EXPECT_EQ(linked->status, TicketStatus::kOpen);
  EXPECT_EQ(linked->external_issue_priority, "medium");  // carried over from the severity
  EXPECT_FALSE(linked->next_due);  // nothing runs toward a target
  Advance(7 * 24 * 3600);
  auto mid = Get(agent_, t.number);
  ASSERT_TRUE(mid.ok());
  EXPECT_FALSE(mid->ticket.breached) << "a suspended target cannot breach";
  EXPECT_TRUE(Reply(c, t.number, "Any news?").ok());
  EngineeringUpdateInput fixed{"released in 4.3", "Please retry", true};
  auto done = Run<Ticket>([&](DeskRepository& r) { return TicketEngineering(r, *policies_).PostUpdate(agent_, now_, t.number, fixed); });
  ASSERT_TRUE(done.ok()) << done.error().ToString();
  EXPECT_TRUE(done->next_due.has_value()) << "the targets apply again";
  EXPECT_EQ(done->external_issue_status, "released in 4.3");

  Organisation gt = Org("gtmhub", "enhanced");
  User g = Contact(gt, true, "+49 30 1");
  OpenTicketInput in = Form();
  in.fields["phone"] = "+49 30 123456";
  Ticket b = MustOpen(g, in);
  auto resolved = Run<Ticket>([&](DeskRepository& r) { return TicketEngineering(r, *policies_).LinkIssue(agent_, now_, b.number, link); });
  ASSERT_TRUE(resolved.ok());
  EXPECT_EQ(resolved->status, TicketStatus::kResolved);
  EXPECT_EQ(resolved->outcome, TicketOutcome::kBugEscalated);
  EXPECT_FALSE(Reply(g, b.number, "status please?")->reopened);  // status updates on demand
}

// Seed 002: "remote assistance via phone and video call upon request".
TEST_P(LifecycleRulesTest, RemoteAssistanceOnlyWhereThePlanOffersIt) {
  Organisation gold = Org("gold-support", "gold");
  User c = Contact(gold);
  OpenTicketInput in = Form();
  in.channel = TicketChannel::kEmail;
  Ticket t = MustOpen(c, in);
  EXPECT_TRUE((Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).RequestRemoteAssistance(c, now_, t.number, "a video call please"); })).ok());
  EXPECT_EQ(EventKinds(t.number).back(), "remote_assistance_requested");
  Organisation sm = Org("supermetrics", "premium");
  User s = Contact(sm);
  Ticket u = MustOpen(s, Form());
  EXPECT_REFUSED((Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).RequestRemoteAssistance(s, now_, u.number, ""); })),
                 ErrorCode::kConflict, "ticket");
}

// Seed 004: support hours against the order form's budget; a ticket whose
// estimate goes past what is left is flagged, once.
TEST_P(LifecycleRulesTest, SupportHoursAreLoggedAgainstTheBudgetAndOverrunsFlagged) {
  OrganisationInput budget;
  budget.support_hours_budget = 10;
  budget.renewal_date = "2026-06-30";
  Organisation org = Org("agency-support", "standard", budget);
  User c = Contact(org);
  OpenTicketInput in = Form();
  in.fields["incident_start"] = "2026-03-02T08:00:00Z";
  Ticket a = MustOpen(c, in), b = MustOpen(c, in);
  auto log = [&](std::int64_t n, Seconds s) {
    return Run<Ticket>([&](DeskRepository& r) { return TicketEngineering(r, *policies_).LogTime(agent_, now_, n, {s, "work"}); });
  };
  auto estimate = [&](std::int64_t n, Seconds s) {
    return Run<Ticket>([&](DeskRepository& r) { return TicketEngineering(r, *policies_).SetEstimate(agent_, now_, n, s, {}); });
  };
  ASSERT_TRUE(log(a.number, 6 * 3600).ok());
  EXPECT_REFUSED((log(a.number, 0)), ErrorCode::kInvalid, "minutes");
  EXPECT_REFUSED((Run<Ticket>([&](DeskRepository& r) { return TicketEngineering(r, *policies_).LogTime(c, now_, a.number, {60, ""}); })),
                 ErrorCode::kForbidden, "");
  auto fits = estimate(b.number, 4 * 3600);  // exactly the 4 h left
  ASSERT_TRUE(fits.ok());
  EXPECT_FALSE(fits->over_support_budget);
  auto over = estimate(b.number, 4 * 3600 + 60);
  ASSERT_TRUE(over.ok());
  EXPECT_TRUE(over->over_support_budget);
  EXPECT_EQ(EventKinds(b.number).back(), "support_budget_warning");
  auto detail = Run<OrganisationDetail>([&](DeskRepository& r) { return OrganisationService(r, *policies_).Get(agent_, now_, org.id); });
  ASSERT_TRUE(detail.ok());
  EXPECT_EQ(detail->support_hours.used_seconds, 6 * 3600);
  EXPECT_EQ(*detail->support_hours.remaining_seconds(), 4 * 3600);
  EXPECT_EQ(FormatInstant(detail->support_hours.period_from), "2025-06-29T23:00:00Z");  // midnight in London (BST)
  EXPECT_EQ(FormatInstant(detail->support_hours.period_to), "2026-06-29T23:00:00Z");
  // Time logged after the renewal date counts in the next contract year.
  now_ = At("2026-07-01T09:00:00Z");
  auto next_year = Run<OrganisationDetail>([&](DeskRepository& r) { return OrganisationService(r, *policies_).Get(agent_, now_, org.id); });
  EXPECT_EQ(next_year->support_hours.used_seconds, 0);
}

// If-Match lists: a change applies when any listed version is current.
TEST_P(LifecycleRulesTest, AChangeAppliesWhileTheTicketIsAtAnExpectedVersion) {
  Organisation org = Org("supermetrics", "premium");
  User c = Contact(org);
  Ticket t = MustOpen(c, Form());
  UpdateTicketInput in;
  in.subject = "Renamed";
  in.expected = {true, false, false, {}};
  EXPECT_REFUSED(Edit(c, t.number, in), ErrorCode::kPreconditionRequired, "If-Match");
  in.expected = {true, true, false, {t.version + 5}};
  EXPECT_REFUSED(Edit(c, t.number, in), ErrorCode::kPreconditionFailed, "If-Match");
  in.expected = {true, true, false, {t.version + 5, t.version}};
  auto ok = Edit(c, t.number, in);
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_EQ(ok->version, t.version + 1);
}

// E-mail addresses are one person ignoring case.
TEST_P(LifecycleRulesTest, EmailAddressesAreUniqueIgnoringCase) {
  auto dup = Run<User>([&](DeskRepository& r) { return UserService(r).CreateStaff(SystemUser(), now_, {"Agent", "AGENT@Desk.Test", Role::kAgent}); });
  EXPECT_REFUSED(dup, ErrorCode::kConflict, "email");
  Organisation org = Org("supermetrics", "premium");
  User c = Contact(org);
  ContactInput same;
  same.name = "Someone";
  same.email = std::string(c.email);
  for (char& ch : *same.email) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  EXPECT_REFUSED((Run<User>([&](DeskRepository& r) { return OrganisationService(r, *policies_).AddContact(lead_, now_, org.id, same); })),
                 ErrorCode::kConflict, "email");
  auto found = Run<std::optional<User>>([&](DeskRepository& r) { return r.FindUserByEmail("Agent@DESK.test"); });
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->id, agent_.id);
}

INSTANTIATE_TEST_SUITE_P(Backends, LifecycleRulesTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
