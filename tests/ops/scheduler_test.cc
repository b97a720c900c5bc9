// The SLA scheduler on a real store with a ManualClock: the timer wakes on
// clock jumps and fires each event at its second, once; start-up catches
// up on what fell due while no scheduler ran; two schedulers on one
// database (two stores: as two processes) fire every event exactly once.
// No real sleeping for deadlines: the clock is driven, and the test only
// waits (bounded) for the scheduler's thread to finish what it was given.
#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "desk/desk_fixture.h"
#include "ops/scheduler.h"

namespace sladesk::testing {
namespace {

class SchedulerTest : public DeskFixture {
 protected:
  Ticket GoldTicket(const char* severity = "normal") {
    if (!gold_.id) {
      gold_ = Org("gold-support", "gold");
      who_ = Contact(gold_);
    }
    OpenTicketInput in = Form();
    in.channel = TicketChannel::kEmail;
    in.severity = severity;
    return MustOpen(who_, in);
  }
  // (kind percent at) of the ticket's fired events, in log order.
  std::vector<std::string> Fired(std::int64_t number) {
    std::vector<std::string> out;
    for (const auto& e : Events(number)) {
      if (e.kind != EventKind::kSlaWarning && e.kind != EventKind::kSlaBreached) continue;
      auto d = nlohmann::json::parse(e.data_json);
      out.push_back(std::string(EventKindName(e.kind)) + " " + std::to_string(d.value("percent", 0)) + " " +
                    FormatInstant(e.at));
    }
    return out;
  }
  // Waits (bounded) until `metrics` has counted `n` firings.
  static bool WaitFired(const SchedulerMetrics& metrics, std::uint64_t n) {
    for (int i = 0; i < 2000 && metrics.fired() < n; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return metrics.fired() == n;
  }
  Organisation gold_;
  User who_;
};

const std::vector<std::string> kGoldNormal = {"sla_warning 75 2026-03-02T15:00:00Z",
                                              "sla_warning 90 2026-03-03T08:12:00Z",
                                              "sla_breached 0 2026-03-03T09:00:01Z"};

TEST_P(SchedulerTest, TheTimerFiresOnEachJumpAtTheRightSecond) {
  Ticket t = GoldTicket();  // opened Mon 09:00Z: first response due Tue 09:00Z
  ManualClock clock(now_);
  SchedulerMetrics metrics;
  std::vector<std::int64_t> published;
  std::mutex mu;
  Scheduler scheduler(*store_, policies_, clock, {}, &metrics, [&](const FireResult& r) {
    std::lock_guard<std::mutex> lock(mu);
    published.push_back(r.ticket.number);
  });
  ASSERT_TRUE(scheduler.Start().ok());
  clock.Set(At("2026-03-02T14:59:59Z"));
  clock.Set(At("2026-03-02T15:00:00Z"));
  ASSERT_TRUE(WaitFired(metrics, 1));
  clock.Set(At("2026-03-03T08:12:00Z"));
  ASSERT_TRUE(WaitFired(metrics, 2));
  clock.Set(At("2026-03-03T09:00:00Z"));  // due, not yet breached
  clock.Set(At("2026-03-03T09:00:01Z"));
  ASSERT_TRUE(WaitFired(metrics, 3));
  clock.Set(At("2026-03-03T12:00:00Z"));
  scheduler.Stop();
  EXPECT_EQ(metrics.fired(), 3u);
  EXPECT_EQ(metrics.fired("sla_breached"), 1u);
  EXPECT_EQ(Fired(t.number), kGoldNormal);
  EXPECT_EQ(metrics.max_lag(), 0.0) << "a driven clock fires at the due second";
  EXPECT_EQ(published.size(), 3u);
  const std::string text = metrics.Render();
  EXPECT_NE(text.find("sladesk_scheduler_fired_total{kind=\"sla_warning\"} 2"), std::string::npos) << text;
  EXPECT_NE(text.find("sladesk_scheduler_lag_seconds_count 3"), std::string::npos) << text;
}

TEST_P(SchedulerTest, ABurstOfJumpsWhileABatchRunsMissesNothing) {
  // The clock jumps a minute at a time, as fast as the loop runs, up to
  // the first warnings; while the scheduler fires them (inside its batch)
  // the clock jumps past the breaches. The looks the jumps ask for are
  // folded into one queued look, and the jump made during the batch still
  // gets one: nothing else would wake the scheduler within the test.
  std::vector<Ticket> tickets;
  for (int i = 0; i < 5; ++i) tickets.push_back(GoldTicket());
  ManualClock clock(now_);
  SchedulerMetrics metrics;
  SchedulerOptions options;
  options.recheck = std::chrono::hours(1);  // only the jumps wake it: a dropped look would hang here
  const Instant end = At("2026-03-03T12:00:00Z");
  std::atomic<bool> jumped{false};
  Scheduler scheduler(*store_, policies_, clock, options, &metrics, [&](const FireResult&) {
    if (!jumped.exchange(true)) clock.Set(end);  // on the scheduler's thread, mid-batch
  });
  ASSERT_TRUE(scheduler.Start().ok());
  for (Instant t = now_; t <= At("2026-03-02T15:00:00Z"); t += std::chrono::minutes(1)) clock.Set(t);
  ASSERT_TRUE(WaitFired(metrics, 15)) << metrics.fired();
  scheduler.Stop();
  EXPECT_TRUE(jumped);
  EXPECT_EQ(metrics.fired("sla_breached"), 5u);
  for (const auto& t : tickets) EXPECT_EQ(Fired(t.number), kGoldNormal) << t.number;
}

TEST_P(SchedulerTest, StartUpCatchesUpOnceOnWhatFellDueWhileDown) {
  std::vector<Ticket> tickets;
  for (int i = 0; i < 5; ++i) tickets.push_back(GoldTicket());
  ManualClock clock(At("2026-03-04T00:00:00Z"));  // the server was down from Monday to Wednesday
  {
    SchedulerMetrics metrics;
    Scheduler scheduler(*store_, policies_, clock, {}, &metrics);
    ASSERT_TRUE(scheduler.Start().ok());
    ASSERT_TRUE(WaitFired(metrics, 15));
    scheduler.Stop();
  }
  {
    SchedulerMetrics metrics;  // a restart fires nothing again
    Scheduler scheduler(*store_, policies_, clock, {}, &metrics);
    auto run = scheduler.RunDue();
    ASSERT_TRUE(run.ok());
    EXPECT_EQ(run->fired, 0u);
  }
  for (const auto& t : tickets) EXPECT_EQ(Fired(t.number), kGoldNormal) << t.number;
}

TEST_P(SchedulerTest, TwoSchedulersOnOneDatabaseFireEachEventOnce) {
  std::vector<Ticket> tickets;
  for (int i = 0; i < 40; ++i) tickets.push_back(GoldTicket(i % 2 ? "normal" : "urgent"));
  auto other = DeskStore::Open(db_->url());
  ASSERT_TRUE(other.ok()) << other.error().ToString();
  ManualClock clock(now_);
  SchedulerMetrics m1, m2;
  SchedulerOptions opt;
  opt.batch = 7;  // many small claims, interleaved
  Scheduler a(*store_, policies_, clock, opt, &m1);
  Scheduler b(**other, policies_, clock, opt, &m2);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  // Drive the clock through Monday and Tuesday in 20-minute steps.
  std::uint64_t total = 0;
  for (Instant t = now_; t <= At("2026-03-03T12:00:00Z"); t += std::chrono::minutes(20)) {
    clock.Set(t);
    for (int i = 0; i < 400; ++i) {
      auto due = store_->Write<std::int64_t>([&](DeskRepository& r) { return r.CountDue(t); });
      if (due.ok() && *due == 0) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  total = 3 * 40;
  for (int i = 0; i < 2000 && m1.fired() + m2.fired() < total; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  a.Stop();
  b.Stop();
  EXPECT_EQ(m1.fired() + m2.fired(), total);
  for (const auto& t : tickets) {
    auto fired = Fired(t.number);
    EXPECT_EQ(fired.size(), 3u) << t.number;  // 75%, 90%, breach: once each
  }
  auto rows = store_->Write<std::int64_t>([&](DeskRepository& r) -> Result<std::int64_t> {
    return r.CountDue(At("2030-01-01T00:00:00Z"));
  });
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, 40) << "every ticket still has its resolution clock to watch";
}

// Seed 001's downtime remedy: the scheduler ends a remedy period at its
// ends_at, once (remedy_period_ended), whoever looks again.
TEST_P(SchedulerTest, EndsRemedyPeriodsAtTheirSecondOnce) {
  Organisation org = Org("supermetrics", "premium");
  const Instant ends = At("2026-04-01T04:00:00Z");
  auto period = Run<Id>([&](DeskRepository& r) -> Result<Id> {
    DowntimeNoticeRecord notice;
    notice.organisation_id = org.id;
    notice.notified_by = admin_.id;
    notice.notified_at = now_;
    notice.window_from = now_ - std::chrono::hours(24 * 90);
    notice.window_to = now_;
    notice.downtime = true;
    notice.result_json = "{}";
    auto nid = r.compliance().InsertDowntimeNotice(notice);
    if (!nid.ok()) return nid.error();
    RemedyPeriodRecord p;
    p.organisation_id = org.id;
    p.notice_id = *nid;
    p.month = "2026-03";
    p.starts_at = now_;
    p.ends_at = ends;
    p.max_tickets = 10;
    p.created_at = now_;
    return r.compliance().InsertRemedyPeriod(p);
  });
  ASSERT_TRUE(period.ok()) << period.error().ToString();
  ManualClock clock(now_);
  SchedulerMetrics metrics;
  Scheduler scheduler(*store_, policies_, clock, {}, &metrics);
  ASSERT_TRUE(scheduler.Start().ok());
  clock.Set(ends - std::chrono::seconds(1));
  clock.Set(ends);
  ASSERT_TRUE(WaitFired(metrics, 1));
  clock.Set(ends + std::chrono::hours(1));
  scheduler.Stop();
  Scheduler again(*store_, policies_, clock, {}, &metrics);
  auto run = again.RunDue();
  ASSERT_TRUE(run.ok());
  EXPECT_EQ(run->fired, 0u);
  EXPECT_EQ(metrics.fired("remedy_period_ended"), 1u);
  EXPECT_EQ(metrics.max_lag(), 0.0);
  auto periods = Run<std::vector<RemedyPeriodRecord>>([&](DeskRepository& r) { return r.compliance().ListRemedyPeriods(org.id); });
  ASSERT_TRUE(periods.ok());
  ASSERT_EQ(periods->size(), 1u);
  ASSERT_TRUE(periods->front().ended_at.has_value());
  EXPECT_EQ(FormatInstant(*periods->front().ended_at), "2026-04-01T04:00:00Z");
}

INSTANTIATE_TEST_SUITE_P(Backends, SchedulerTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace sladesk::testing
