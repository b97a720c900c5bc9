// The outbox on a real store (SQLite and PostgreSQL): each ticket change
// writes its notification rows in its own transaction, a refused unit
// writes none, a key is written once, and a due row is claimed once.
#include <gtest/gtest.h>

#include <set>

#include "desk/desk_fixture.h"
#include "desk/organisation_service.h"
#include "desk/ticket_clock_service.h"

namespace sladesk::testing {
namespace {

class OutboxStoreTest : public DeskFixture {
 protected:
  std::vector<OutboxEntry> Rows(const Ticket& t) {
    auto r = Run<std::vector<OutboxEntry>>([&](DeskRepository& repo) { return repo.outbox()->ListForTicket(t.id); });
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : std::vector<OutboxEntry>{};
  }
  static std::vector<std::string> Describe(const std::vector<OutboxEntry>& rows, std::size_t from = 0) {
    std::vector<std::string> out;
    for (std::size_t i = from; i < rows.size(); ++i)
      out.push_back(std::string(OutboxChannelName(rows[i].channel)) + " " + rows[i].template_name);
    return out;
  }
  std::int64_t Pending() {
    auto n = Run<std::int64_t>([&](DeskRepository& r) { return r.outbox()->CountInState(OutboxState::kPending); });
    return n.ok() ? *n : -1;
  }
};

TEST_P(OutboxStoreTest, EachChangeWritesItsRowsWithIt) {
  Organisation org = Org("gtmhub", "enhanced");
  User c = Contact(org, true, "+49 30 1234567");
  OpenTicketInput form = Form();
  form.severity = "critical";
  Ticket t = MustOpen(c, form);
  auto rows = Rows(t);
  EXPECT_EQ(Describe(rows), (std::vector<std::string>{"webhook opened", "in_app ticket_acknowledgement",
                                                      "email ticket_acknowledgement"}));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[1].user_id, c.id);
  EXPECT_EQ(rows[1].event_index, 0);
  EXPECT_EQ(rows[1].next_attempt_at, now_);
  const auto ack = nlohmann::json::parse(rows[2].payload_json);
  EXPECT_EQ(ack["ticket"]["number"], t.number);
  EXPECT_EQ(ack["targets"][0]["target"], "up to 1 hour");

  Advance(600);
  ASSERT_TRUE(Reply(agent_, t.number, "Looking at it").ok());
  rows = Rows(t);
  EXPECT_EQ(Describe(rows, 3), (std::vector<std::string>{"webhook agent_reply", "in_app agent_reply", "email agent_reply"}));
  Advance(600);
  ASSERT_TRUE(Reply(agent_, t.number, "internal only", Visibility::kInternal).ok());
  EXPECT_EQ(Rows(t).size(), 6u) << "an internal note tells nobody";
  Advance(600);
  SeverityInput sev{"high", "no longer blocking production", {}};
  ASSERT_TRUE((Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ChangeSeverity(lead_, now_, t.number, sev); })).ok());
  rows = Rows(t);
  ASSERT_GE(rows.size(), 9u);
  EXPECT_EQ(Describe(rows, 6), (std::vector<std::string>{"webhook severity_changed", "in_app severity_changed",
                                                         "email severity_changed"}));
  EXPECT_EQ(nlohmann::json::parse(rows[7].payload_json)["change"]["reason"], "no longer blocking production");
  ASSERT_TRUE(SetStatus(agent_, t.number, TicketStatus::kWaitingOnCustomer).ok());
  EXPECT_EQ(Describe(Rows(t), 9),
            (std::vector<std::string>{"webhook waiting_on_customer", "in_app status_update", "email status_update"}));
  std::set<std::string> keys;
  for (const auto& r : Rows(t)) EXPECT_TRUE(keys.insert(r.dedupe_key).second) << r.dedupe_key;
}

// A unit that fails after the change was saved rolls its rows back with it.
TEST_P(OutboxStoreTest, ARefusedUnitWritesNoRows) {
  Organisation org = Org("gtmhub", "standard");
  User c = Contact(org, true, "+49 30 1234567");
  Ticket t = MustOpen(c, Form());
  const auto before = Rows(t).size();
  auto refused = Run<PostedMessage>([&](DeskRepository& r) -> Result<PostedMessage> {
    auto posted = TicketConversation(r, *policies_).Reply(agent_, now_, t.number, {"answer", Visibility::kPublic, {}});
    if (!posted.ok()) return posted.error();
    return ConflictError("test", "the unit fails after its save");
  });
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(Rows(t).size(), before);
  EXPECT_EQ(Events(t.number).size(), 1u);
  // A version conflict writes nothing either.
  ReplyInput stale{"late answer", Visibility::kPublic, ExpectedVersion::Of(t.version + 5)};
  EXPECT_FALSE((Run<PostedMessage>([&](DeskRepository& r) { return TicketConversation(r, *policies_).Reply(agent_, now_, t.number, stale); })).ok());
  EXPECT_EQ(Rows(t).size(), before);
}

// Creates in one group-committed batch each keep their own rows; a refused
// create in the batch leaves the others' rows in place.
TEST_P(OutboxStoreTest, BatchedCreatesKeepTheirOwnRows) {
  Organisation org = Org("gtmhub", "standard");
  User c = Contact(org, true, "+49 30 1234567");
  std::vector<Status> results(8);
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  for (int i = 0; i < 8; ++i)
    store_->SubmitWrite(
        [&, i](DeskRepository& r) -> Status {
          OpenTicketInput in = Form("batch " + std::to_string(i));
          if (i == 3) in.severity = "no-such-severity";
          auto o = TicketIntake(r, *policies_).Open(c, now_, in);
          return o.ok() ? Status::Ok() : Status(o.error());
        },
        [&, i](Status st) {
          std::lock_guard<std::mutex> lock(mu);
          results[i] = st;
          ++done;
          cv.notify_all();
        });
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(30), [&] { return done == 8; }));
  }
  for (int i = 0; i < 8; ++i) EXPECT_EQ(results[i].ok(), i != 3) << i;
  EXPECT_EQ(Pending(), 7 * 3);
}

TEST_P(OutboxStoreTest, AKeyIsWrittenOnceAndADueRowIsClaimedOnce) {
  Organisation org = Org("gtmhub", "standard");
  User c = Contact(org, true, "+49 30 1234567");
  Ticket t = MustOpen(c, Form());
  const auto first = Rows(t);
  ASSERT_EQ(first.size(), 3u);
  // The same rows again (a unit run twice, a firing raced): skipped.
  ASSERT_TRUE(store_->RunWrite([&](DeskRepository& r) { return r.outbox()->Enqueue(first); }).ok());
  EXPECT_EQ(Rows(t).size(), 3u);

  const Instant lease = now_ + std::chrono::seconds(60);
  auto claim = [&](Instant at, Instant until) {
    auto r = Run<std::vector<OutboxEntry>>([&](DeskRepository& repo) { return repo.outbox()->ClaimDue(at, until, 100, {}); });
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    return r.ok() ? *r : std::vector<OutboxEntry>{};
  };
  EXPECT_TRUE(claim(now_ - std::chrono::seconds(1), lease).empty()) << "not due yet";
  auto a = claim(now_, lease);
  EXPECT_EQ(a.size(), 3u);
  for (const auto& e : a) EXPECT_EQ(e.state, OutboxState::kSending);
  EXPECT_TRUE(claim(now_, lease).empty()) << "claimed twice";
  auto next = Run<std::optional<Instant>>([&](DeskRepository& r) { return r.outbox()->NextDue(); });
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, lease);
  // A dispatcher that died: its lease runs out and the rows are due again.
  ASSERT_TRUE(store_->RunWrite([&](DeskRepository& r) {
                return r.outbox()->Finish(a[0].id, OutboxState::kSent, 1, now_, "", now_);
              }).ok());
  auto b = claim(lease, lease + std::chrono::seconds(60));
  EXPECT_EQ(b.size(), 2u);
}

// Seed 001: each escalation step tells the people it names (the CSM is
// informed; the Regional Support leader and above are the desk's leads),
// and the organisation's requests count against the policy's "excessive"
// threshold (3 in 30 days here), which the organisation view shows.
TEST_P(OutboxStoreTest, EscalationsTellTheLadderAndCountAgainstTheThreshold) {
  User csm = Staff("csm@desk.test", Role::kAgent);
  OrganisationInput extra;
  extra.csm_user_id = csm.id;
  Organisation org = Org("supermetrics", "premium", extra);
  User c = Contact(org);
  auto request = [&](const Ticket& t) {
    EscalationInput in{"The board meets tomorrow", {}};
    return Run<EscalationResult>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).RequestEscalation(c, now_, t.number, in); });
  };
  auto standing = [&]() {
    auto d = Run<OrganisationDetail>([&](DeskRepository& r) { return OrganisationService(r, *policies_).Get(admin_, now_, org.id); });
    EXPECT_TRUE(d.ok()) << d.error().ToString();
    return d.ok() && d->escalations ? *d->escalations : EscalationStanding{};
  };
  Ticket t = MustOpen(c, Form());
  const std::size_t before = Rows(t).size();
  ASSERT_TRUE(request(t).ok());
  auto rows = Rows(t);
  std::vector<std::string> step1;
  for (std::size_t i = before; i < rows.size(); ++i)
    step1.push_back(std::string(OutboxChannelName(rows[i].channel)) + " " + rows[i].recipient);
  const std::string csm_r = "user:" + std::to_string(csm.id), lead_r = "user:" + std::to_string(lead_.id);
  // The premium plan assigns new tickets to the CSM: told once.
  EXPECT_EQ(step1, (std::vector<std::string>{"webhook *", "in_app " + csm_r, "email " + csm_r}));
  EXPECT_FALSE(standing().excessive);
  Advance(60);
  ASSERT_TRUE(request(t).ok());  // step 2: Regional Support leader
  rows = Rows(t);
  bool lead_told = false;
  for (const auto& r : rows)
    if (r.recipient == lead_r && r.template_name == "escalation_step") {
      lead_told = true;
      const auto p = nlohmann::json::parse(r.payload_json);
      EXPECT_EQ(p["escalation"]["level"], "Regional Support leader call");
      EXPECT_EQ(p["escalation"]["step"], 2);
      EXPECT_EQ(p["escalation"]["notified"][0]["name"], "Regional Support leader");
    }
  EXPECT_TRUE(lead_told);
  EscalationStanding s = standing();
  EXPECT_EQ(s.requests, 2);
  EXPECT_EQ(s.threshold, 3);
  EXPECT_FALSE(s.excessive);
  Ticket t2 = MustOpen(c, Form("second"));
  ASSERT_TRUE(request(t2).ok());
  s = standing();
  EXPECT_EQ(s.requests, 3);
  EXPECT_TRUE(s.excessive);
  EXPECT_EQ(s.consequence, "lower_priority");
  // Outside the 30-day window the requests no longer count.
  Advance(31 * 86400);
  s = standing();
  EXPECT_EQ(s.requests, 0);
  EXPECT_FALSE(s.excessive);
}

// The scheduler's firings (TicketClockService::FireDue, the same path the
// scheduler takes) write their notifications with them: the assignee and
// the leads hear of each warning threshold and of the breach, once each.
TEST_P(OutboxStoreTest, SchedulerFiringsTellTheAssigneeAndTheLeads) {
  Organisation org = Org("gtmhub", "enhanced");
  User c = Contact(org, true, "+49 30 1234567");
  OpenTicketInput form = Form();
  form.severity = "critical";  // first response up to 1 hour, 24x7
  form.assignee_id = agent_.id;
  form.requester_id = c.id;
  Ticket t = MustOpen(agent_, form);
  auto fire = [&] {
    auto r = Run<FireResult>([&](DeskRepository& repo) { return TicketClockService(repo, *policies_).FireDue(now_, t.number); });
    EXPECT_TRUE(r.ok()) << r.error().ToString();
  };
  auto told = [&](const std::string& tmpl) {
    std::vector<std::string> out;
    for (const auto& r : Rows(t))
      if (r.template_name == tmpl && r.channel == OutboxChannel::kInApp) out.push_back(r.recipient);
    return out;
  };
  const std::string agent = "user:" + std::to_string(agent_.id), lead = "user:" + std::to_string(lead_.id);
  Advance(46 * 60);  // past 75 % of an hour
  fire();
  EXPECT_EQ(told("sla_warning"), (std::vector<std::string>{agent, lead}));
  fire();  // nothing new is due: nothing new is told
  EXPECT_EQ(told("sla_warning").size(), 2u);
  Advance(9 * 60);  // past 90 %
  fire();
  EXPECT_EQ(told("sla_warning").size(), 4u);
  Advance(10 * 60);  // past the hour
  fire();
  EXPECT_EQ(told("sla_breach"), (std::vector<std::string>{agent, lead}));
  for (const auto& r : Rows(t))
    if (r.template_name == "sla_breach" && r.channel == OutboxChannel::kEmail) {
      const auto p = nlohmann::json::parse(r.payload_json);
      EXPECT_EQ(p["sla"]["metric"], "First response");
      EXPECT_FALSE(p["sla"]["due"].get<std::string>().empty());
    }
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxStoreTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
