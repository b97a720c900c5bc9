// The SLA scheduler's desk rule (TicketClockService::FireDue) on a real
// store with the seed policies: each case of data/firings.json opens a
// ticket, drives the clock through its steps (people's changes and
// firings) and checks every fired event's key and `at` to the second, that
// a refire adds nothing, and the ticket's next fire instant.
#include <fstream>

#include <nlohmann/json.hpp>

#include "desk/ticket_clock_service.h"
#include "desk_fixture.h"

namespace sladesk::testing {
namespace {

using json = nlohmann::json;

class ClockRulesTest : public DeskFixture {
 protected:
  Result<FireResult> Fire(std::int64_t number) {
    return Run<FireResult>([&](DeskRepository& r) { return TicketClockService(r, *policies_).FireDue(now_, number); });
  }
  std::optional<Instant> StoredDue(Id ticket_id) {
    auto due = Run<std::vector<DueTicket>>([&](DeskRepository& r) {
      return r.ClaimDueTickets(At("2100-01-01T00:00:00Z"), now_, 1000000);
    });
    EXPECT_TRUE(due.ok());
    for (const auto& d : *due)
      if (d.ticket_id == ticket_id) return d.due_at;
    return std::nullopt;
  }
};

json Cases() {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/desk/data/firings.json");
  return json::parse(in);
}

TEST_P(ClockRulesTest, FiresEachEventOnceAtItsSecond) {
  const json cases = Cases();
  ASSERT_GE(cases.size(), 5u);
  for (const json& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    now_ = At(c["opened"].get<std::string>().c_str());
    Organisation org = Org(c["policy"], c["plan"]);
    User who = Contact(org, true, "+49 30 123456");
    OpenTicketInput in = Form();
    in.severity = c["severity"].get<std::string>();
    in.fields["phone"] = "+49 30 123456";
    in.channel = TicketChannel::kEmail;
    Ticket t = MustOpen(who, in);
    ASSERT_NE(t.number, 0);
    for (const json& s : c["steps"]) {
      const std::string what = s["do"];
      now_ = At(s["at"].get<std::string>().c_str());
      SCOPED_TRACE(what + " at " + s["at"].get<std::string>());
      std::optional<Ticket> after;
      if (what == "fire") {
        auto f = Fire(t.number);
        ASSERT_TRUE(f.ok()) << f.error().ToString();
        EXPECT_EQ(f->fired.size(), s["fired"].get<size_t>());
        after = f->ticket;
      } else if (what == "reply") {
        ASSERT_TRUE(Reply(agent_, t.number, "We are on it").ok());
      } else if (what == "severity") {
        SeverityInput si{s["severity"], "the impact is larger than reported", {}};
        auto r = Run<Ticket>([&](DeskRepository& r) { return TicketWorkflow(r, *policies_).ChangeSeverity(agent_, now_, t.number, si); });
        ASSERT_TRUE(r.ok()) << r.error().ToString();
        after = *r;
      } else if (what == "waiting") {
        auto r = SetStatus(agent_, t.number, TicketStatus::kWaitingOnCustomer);
        ASSERT_TRUE(r.ok()) << r.error().ToString();
        after = r->ticket;
      } else if (what == "reopen") {
        auto r = SetStatus(who, t.number, TicketStatus::kOpen);
        ASSERT_TRUE(r.ok()) << r.error().ToString();
        after = r->ticket;
      } else {
        FAIL() << "unknown step " << what;
      }
      if (s.contains("next_fire")) {
        ASSERT_TRUE(after.has_value());
        ASSERT_TRUE(after->next_fire.has_value());
        EXPECT_EQ(FormatInstant(*after->next_fire), s["next_fire"].get<std::string>());
        auto stored = StoredDue(t.id);
        ASSERT_TRUE(stored.has_value()) << "ticket_due holds the instant";
        EXPECT_EQ(FormatInstant(*stored), s["next_fire"].get<std::string>());
      }
      if (s.contains("status")) {
        ASSERT_TRUE(after.has_value());
        EXPECT_EQ(StatusName(after->status), s["status"].get<std::string>());
      }
    }
    std::vector<json> fired;
    for (const auto& e : Events(t.number)) {
      if (e.kind != EventKind::kSlaWarning && e.kind != EventKind::kSlaBreached && e.kind != EventKind::kAutoClosed)
        continue;
      json d = json::parse(e.data_json);
      EXPECT_EQ(d["at"], FormatInstant(e.at)) << "the payload's at is the event's";
      d["kind"] = EventKindName(e.kind);
      fired.push_back(d);
    }
    const json& expect = c["expect"];
    ASSERT_EQ(fired.size(), expect.size()) << json(fired).dump(1);
    for (size_t i = 0; i < expect.size(); ++i) {
      const json& x = expect[i];
      EXPECT_EQ(fired[i]["kind"], x["kind"]) << i;
      EXPECT_EQ(fired[i].value("metric", ""), x["metric"]) << i;
      EXPECT_EQ(fired[i]["cycle"], x["cycle"]) << i;
      EXPECT_EQ(fired[i]["at"], x["at"]) << i;
      if (x.contains("percent")) EXPECT_EQ(fired[i]["percent"], x["percent"]) << i;
      if (x.contains("due")) EXPECT_EQ(fired[i]["due"], x["due"]) << i;
    }
  }
}

TEST_P(ClockRulesTest, AutoCloseResolvesWithNoResponseAndTellsTheCustomer) {
  Organisation org = Org("gtmhub", "standard");
  User who = Contact(org, true, "+49 30 123456");
  OpenTicketInput in = Form();
  in.fields["phone"] = "+49 30 123456";
  Ticket t = MustOpen(who, in);
  ASSERT_TRUE(SetStatus(agent_, t.number, TicketStatus::kWaitingOnCustomer).ok());
  now_ = At("2026-03-20T12:00:00Z");
  auto f = Fire(t.number);
  ASSERT_TRUE(f.ok()) << f.error().ToString();
  ASSERT_EQ(f->fired.size(), 1u);
  EXPECT_EQ(f->ticket.status, TicketStatus::kResolved);
  EXPECT_EQ(f->ticket.outcome, TicketOutcome::kNoResponse);
  ASSERT_TRUE(f->ticket.resolved_at.has_value());
  EXPECT_EQ(FormatInstant(*f->ticket.resolved_at), "2026-03-16T09:00:00Z");
  EXPECT_FALSE(f->ticket.next_fire.has_value());
  auto detail = Get(who, t.number);
  ASSERT_TRUE(detail.ok());
  auto msgs = Run<std::vector<Message>>([&](DeskRepository& r) { return r.ListMessages(t.id, false); });
  ASSERT_TRUE(msgs.ok());
  ASSERT_FALSE(msgs->empty());
  EXPECT_EQ(msgs->back().body, TicketClockService::AutoCloseNote(*policies_->Find("gtmhub")));
}

// The unique key is the last guard: a firing recorded twice is a conflict.
TEST_P(ClockRulesTest, TheFiringKeyIsUnique) {
  Organisation org = Org("gold-support", "gold");
  OpenTicketInput in = Form();
  in.channel = TicketChannel::kEmail;
  Ticket t = MustOpen(Contact(org), in);
  FiringRecord rec{t.id, "first_response", 0, "sla_warning", 75, now_, now_};
  ASSERT_TRUE((Run<bool>([&](DeskRepository& r) -> Result<bool> {
                 if (Status st = r.RecordFiring(rec); !st.ok()) return st.error();
                 return true;
               })).ok());
  auto again = Run<bool>([&](DeskRepository& r) -> Result<bool> {
    if (Status st = r.RecordFiring(rec); !st.ok()) return st.error();
    return true;
  });
  EXPECT_REFUSED(again, ErrorCode::kConflict, "");
}

INSTANTIATE_TEST_SUITE_P(Backends, ClockRulesTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
