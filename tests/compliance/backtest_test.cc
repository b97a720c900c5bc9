// Backtest on data/history/backtest_march_2026.jsonl: seed 002 against
// data/policies/gold-candidate.toml (gold urgent first response 4 h instead
// of 8 h, enterprise normal 48 h instead of 24 h, 08:00-18:00 instead of
// 09:00-17:00 Berlin), hand-worked; order independence; errors.
#include "compliance/backtest.h"

#include <gtest/gtest.h>

#include <sstream>

#include "compliance/backtest_writers.h"
#include "compliance/history_jsonl.h"
#include "compliance_test_util.h"

namespace sladesk {
namespace {

using testing::At;
using testing::SourcePolicy;

std::vector<HistoryTicket> History() {
  std::vector<HistoryTicket> out;
  std::istringstream in(testing::ReadSourceFile("tests/compliance/data/history/backtest_march_2026.jsonl"));
  std::string line;
  while (std::getline(in, line)) {
    HistoryTicket t;
    EXPECT_TRUE(ParseHistoryLine(line, t).ok());
    out.push_back(t);
  }
  return out;
}

BacktestResult Replay(std::optional<Instant> now, int split) {
  auto base = SourcePolicy("policies/gold-support.toml");
  auto cand = SourcePolicy("tests/compliance/data/policies/gold-candidate.toml");
  std::vector<Backtest> runs;
  for (int i = 0; i < split; ++i) runs.emplace_back(*base, *cand, Backtest::Options{now});
  const auto tickets = History();
  for (size_t i = 0; i < tickets.size(); ++i) EXPECT_TRUE(runs[(tickets.size() - 1 - i) % runs.size()].Add(tickets[i]).ok());
  for (size_t i = 1; i < runs.size(); ++i) runs[0].Merge(runs[i]);
  return runs[0].Finish();
}

TEST(BacktestTest, BreachesGainedAndLostAndTheCoverageTheyNeed) {
  const BacktestResult r = Replay(At("2026-03-06T00:00:00Z"), 1);
  EXPECT_EQ(r.tickets, 3);
  EXPECT_EQ(r.tickets_changed, 2);
  // B1: 09:00-14:00 CET is 5 h: met under 8 h, breached under 4 h.
  const BacktestCell& gold = r.cells.at(BacktestKey{"gold", "urgent", Metric::kFirstResponse});
  EXPECT_EQ(gold.baseline_breaches, 0);
  EXPECT_EQ(gold.candidate_breaches, 1);
  EXPECT_EQ(gold.gained, 1);
  EXPECT_EQ(gold.lost, 0);
  // B2: Mon 09:00 CET to Thu 10:00 CET is 25 business hours on 09-17 (over 24 h)
  // and 31 on 08-18 (within 48 h).
  const BacktestCell& ent = r.cells.at(BacktestKey{"enterprise", "normal", Metric::kFirstResponse});
  EXPECT_EQ(ent.baseline_breaches, 1);
  EXPECT_EQ(ent.candidate_breaches, 0);
  EXPECT_EQ(ent.lost, 1);
  EXPECT_EQ(r.total.instances, 6);  // first response and resolution of each; no next_update targets
  EXPECT_EQ(r.total.gained, 1);
  EXPECT_EQ(r.total.lost, 1);
  // Span Mon 08:00Z to Thu 09:00Z: 8+8+8+1 = 25 h on 09-17, 9+10+10+2 = 31 h on 08-18.
  EXPECT_EQ(r.span_from, At("2026-03-02T08:00:00Z"));
  EXPECT_EQ(r.span_to, At("2026-03-05T09:00:00Z"));
  ASSERT_EQ(r.coverage.size(), 4u);  // (all plans), enterprise, gold, professional
  EXPECT_EQ(r.coverage[0].plan, "(all plans)");
  for (const CoverageChange& c : r.coverage) {
    EXPECT_EQ(c.baseline_seconds, 25 * 3600) << c.plan;
    EXPECT_EQ(c.candidate_seconds, 31 * 3600) << c.plan;
  }
  const std::string table = BacktestTable(r, "current.toml", "candidate.toml");
  EXPECT_NE(table.find("gold        urgent    first_response        1         0          1      +1     0   +1"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("2 of 3 tickets change outcome."), std::string::npos);
  EXPECT_EQ(BacktestJson(r).at("total").at("net"), 0);
}

TEST(BacktestTest, TheSameHoweverSplit) {
  const auto one = BacktestJson(Replay(std::nullopt, 1)).dump();
  EXPECT_EQ(BacktestJson(Replay(std::nullopt, 2)).dump(), one);
  EXPECT_EQ(BacktestJson(Replay(std::nullopt, 3)).dump(), one);
}

TEST(BacktestTest, WithoutNowEachTicketIsReadAtItsLastEvent) {
  // B2's first response stopped at its reply either way; nothing runs past
  // its last event, so only stopped instances are judged.
  const BacktestResult r = Replay(std::nullopt, 1);
  EXPECT_FALSE(r.now.has_value());
  EXPECT_EQ(r.cells.at(BacktestKey{"enterprise", "normal", Metric::kFirstResponse}).lost, 1);
}

TEST(BacktestTest, APlanTheCandidateDropsIsAnError) {
  auto base = SourcePolicy("policies/gold-support.toml");
  auto cand = SourcePolicy("policies/supermetrics.toml");
  Backtest b(*base, *cand, {});
  HistoryTicket t = History()[0];
  Status s = b.Add(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().ToString(), "plan: unknown plan 'gold' in the candidate policy (known: premium)");
}

TEST(BacktestTest, CoveredSecondsUnionsCalendars) {
  auto base = SourcePolicy("policies/supermetrics.toml");
  const BusinessCalendar* ny = base->plans[0].calendar.get();
  const Instant from = At("2027-02-08T00:00:00Z"), to = At("2027-02-15T00:00:00Z");
  // Mon 04:00 to Fri 23:00 New York inside one UTC week: Mon 09:00Z .. Sat 04:00Z = 115 h.
  EXPECT_EQ(CoveredSeconds({ny}, from, to), 115 * 3600);
  EXPECT_EQ(CoveredSeconds({ny, ny}, from, to), 115 * 3600);
  EXPECT_EQ(CoveredSeconds({ny, BusinessCalendar::AlwaysOpen().get()}, from, to), 7 * 86400);
  EXPECT_EQ(CoveredSeconds({}, from, to), 0);
}

}  // namespace
}  // namespace sladesk
