// Property tests of the SLA clock on random histories (fixed seeds, so a
// failure reproduces): a paused clock does not move; a met metric stays met
// when later events are appended; elapsed never exceeds the business time
// since the start; input order among distinct times does not matter;
// NextChange names the first instant at which the report changes.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "sla/sla_clock.h"
#include "sla_test_policies.h"

namespace sladesk {
namespace {

constexpr int kHistories = 1500;

struct History {
  const Plan* plan = nullptr;
  std::string severity;
  std::vector<TicketEvent> events;
  Instant last;  // time of the last event
};

const char* const kSeverities[] = {"urgent", "high", "low"};

class Generator {
 public:
  explicit Generator(unsigned seed) : rng_(seed) {}

  int Uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  TicketEvent RandomEvent(Instant at, bool allow_reopen = true) {
    static const EventType kTypes[] = {EventType::kAgentReply, EventType::kAgentReply,
                                       EventType::kCustomerReply, EventType::kWaitingOnCustomer,
                                       EventType::kWaitingOnCustomer, EventType::kSeverityChanged,
                                       EventType::kResolved, EventType::kReopened,
                                       EventType::kClosed, EventType::kOpened};
    TicketEvent e;
    e.at = at;
    do e.type = kTypes[Uniform(0, 9)];
    while (!allow_reopen && e.type == EventType::kReopened);
    if (e.type == EventType::kSeverityChanged) e.severity = kSeverities[Uniform(0, 2)];
    return e;
  }

  // Gaps from 0 (ties) to ~30 hours, so business calendars see nights and weekends.
  Seconds Gap() {
    switch (Uniform(0, 3)) {
      case 0: return Uniform(0, 3) == 0 ? 0 : Uniform(1, 600);
      case 1: return Uniform(600, 4 * 3600);
      default: return Uniform(3600, 30 * 3600);
    }
  }

  History Make(const Policy& policy) {
    History h;
    h.plan = &policy.plans[Uniform(0, static_cast<int>(policy.plans.size()) - 1)];
    h.severity = kSeverities[Uniform(0, 2)];
    Instant t = FromEpoch(1772409600 + Uniform(0, 14 * 86400));  // early March 2026
    TicketEvent opened;
    opened.at = t;
    opened.type = EventType::kOpened;
    h.events.push_back(opened);
    const int n = Uniform(0, 14);
    for (int i = 0; i < n; ++i) {
      t += std::chrono::seconds{Gap()};
      h.events.push_back(RandomEvent(t));
    }
    h.last = t;
    return h;
  }

 private:
  std::mt19937 rng_;
};

SlaReport Evaluate(const Policy& policy, const History& h, Instant now,
                   const EvaluateOptions& options = {}) {
  auto r = EvaluateSla(policy, *h.plan, h.severity, h.events, now, options);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? *r : SlaReport{};
}

TEST(SlaPropertyTest, PausedClockDoesNotMove) {
  auto policy = testing::DeskPolicy();
  Generator gen(11);
  int checked = 0;
  for (int i = 0; i < kHistories; ++i) {
    History h = gen.Make(*policy);
    const Instant now = h.last + std::chrono::seconds{gen.Uniform(0, 3600)};
    const Instant later = now + std::chrono::seconds{gen.Uniform(1, 10 * 86400)};
    SlaReport a = Evaluate(*policy, h, now);
    SlaReport b = Evaluate(*policy, h, later);
    for (Metric m : kAllMetrics) {
      if (a[m].state != MetricState::kPaused) continue;
      ++checked;
      EXPECT_EQ(b[m].state, MetricState::kPaused) << "history " << i << " " << MetricName(m);
      EXPECT_EQ(b[m].elapsed_seconds, a[m].elapsed_seconds) << "history " << i << " " << MetricName(m);
      EXPECT_EQ(b[m].due_at, a[m].due_at) << "history " << i << " " << MetricName(m);
    }
  }
  EXPECT_GT(checked, 50);  // the generator does produce paused clocks
}

TEST(SlaPropertyTest, MetMetricStaysMetWhenEventsAreAppended) {
  auto policy = testing::DeskPolicy();
  Generator gen(23);
  int checked = 0;
  for (int i = 0; i < kHistories; ++i) {
    History h = gen.Make(*policy);
    const Instant now = h.last;
    SlaReport before = Evaluate(*policy, h, now);
    History longer = h;
    Instant t = h.last;
    const int extra = gen.Uniform(1, 6);
    for (int k = 0; k < extra; ++k) {
      t += std::chrono::seconds{gen.Gap()};
      // resolution resumes on reopened by design; first_response never does.
      longer.events.push_back(gen.RandomEvent(t, /*allow_reopen=*/false));
    }
    SlaReport after = Evaluate(*policy, longer, t + std::chrono::seconds{gen.Uniform(0, 86400)});
    for (Metric m : {Metric::kFirstResponse, Metric::kResolution}) {
      // A stopped instance's verdict is final (a running one may still breach).
      if (!before[m].stopped_at) continue;
      ASSERT_TRUE(before[m].state == MetricState::kMet || before[m].state == MetricState::kBreached ||
                  before[m].state == MetricState::kNoTarget);
      ++checked;
      EXPECT_EQ(after[m].state, before[m].state) << "history " << i << " " << MetricName(m);
      EXPECT_EQ(after[m].due_at, before[m].due_at) << "history " << i << " " << MetricName(m);
      EXPECT_EQ(after[m].elapsed_seconds, before[m].elapsed_seconds) << "history " << i;
      EXPECT_EQ(after[m].stopped_at, before[m].stopped_at) << "history " << i;
    }
    // first_response ignores reopened too.
    if (before[Metric::kFirstResponse].state == MetricState::kMet) {
      History reopened = h;
      TicketEvent e;
      e.at = h.last + std::chrono::seconds{60};
      e.type = EventType::kReopened;
      reopened.events.push_back(e);
      SlaReport r = Evaluate(*policy, reopened, e.at + std::chrono::seconds{86400});
      EXPECT_EQ(r[Metric::kFirstResponse].state, MetricState::kMet) << "history " << i;
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(SlaPropertyTest, ElapsedNeverExceedsBusinessTimeSinceStart) {
  auto policy = testing::DeskPolicy();
  Generator gen(37);
  for (int i = 0; i < kHistories; ++i) {
    History h = gen.Make(*policy);
    const Instant now = h.last + std::chrono::seconds{gen.Uniform(0, 2 * 86400)};
    SlaReport r = Evaluate(*policy, h, now);
    const Instant opened = h.events.front().at;
    for (Metric m : kAllMetrics) {
      const MetricReport& mr = r[m];
      if (!mr.elapsed_seconds) continue;
      ASSERT_NE(mr.target, nullptr);
      const Seconds bound = mr.target->calendar->Between(opened, now);
      EXPECT_GE(*mr.elapsed_seconds, 0) << "history " << i;
      EXPECT_LE(*mr.elapsed_seconds, bound) << "history " << i << " " << MetricName(m);
      if (mr.stopped_at) {
        EXPECT_LE(*mr.elapsed_seconds, mr.target->calendar->Between(opened, *mr.stopped_at));
      }
      // States agree with the numbers.
      if (mr.state == MetricState::kRunning) {
        EXPECT_LE(now, *mr.due_at) << "history " << i;
      }
      if (mr.state == MetricState::kMet) {
        EXPECT_LE(*mr.elapsed_seconds, *mr.target_seconds);
      }
      if (mr.state == MetricState::kBreached && m != Metric::kNextUpdate) {
        EXPECT_EQ(mr.breaches, 1);
      }
    }
    EXPECT_GE(r[Metric::kNextUpdate].breaches, r[Metric::kNextUpdate].state == MetricState::kBreached ? 1 : 0);
  }
}

TEST(SlaPropertyTest, InputOrderOfDistinctTimesDoesNotMatter) {
  auto policy = testing::DeskPolicy();
  Generator gen(41);
  std::mt19937 shuffle_rng(5);
  for (int i = 0; i < kHistories; ++i) {
    History h = gen.Make(*policy);
    // Make the times distinct so only the `at` order matters.
    for (size_t k = 1; k < h.events.size(); ++k)
      if (h.events[k].at <= h.events[k - 1].at) h.events[k].at = h.events[k - 1].at + std::chrono::seconds{1};
    History shuffled = h;
    std::shuffle(shuffled.events.begin(), shuffled.events.end(), shuffle_rng);
    const Instant now = h.events.back().at + std::chrono::seconds{gen.Uniform(0, 86400)};
    SlaReport a = Evaluate(*policy, h, now);
    SlaReport b = Evaluate(*policy, shuffled, now);
    for (Metric m : kAllMetrics) {
      EXPECT_EQ(a[m].state, b[m].state) << "history " << i;
      EXPECT_EQ(a[m].elapsed_seconds, b[m].elapsed_seconds) << "history " << i;
      EXPECT_EQ(a[m].due_at, b[m].due_at) << "history " << i;
      EXPECT_EQ(a[m].breaches, b[m].breaches) << "history " << i;
    }
  }
}

// Everything a passing second can change: states and warnings.
bool SameTimeDependentParts(const SlaReport& a, const SlaReport& b) {
  for (Metric m : kAllMetrics)
    if (a[m].state != b[m].state || a[m].warned_percent != b[m].warned_percent || a[m].breaches != b[m].breaches)
      return false;
  return true;
}

TEST(SlaPropertyTest, NextChangeIsTheFirstInstantTheReportChanges) {
  auto policy = testing::DeskPolicy();
  Generator gen(53);
  int with_change = 0;
  for (int i = 0; i < kHistories; ++i) {
    History h = gen.Make(*policy);
    const Instant now = h.last + std::chrono::seconds{gen.Uniform(0, 4 * 3600)};
    auto next = NextChange(*policy, *h.plan, h.severity, h.events, now);
    ASSERT_TRUE(next.ok());
    SlaReport at_now = Evaluate(*policy, h, now);
    if (!next->has_value()) {
      // Nothing runs toward a target: a much later evaluation has the same states.
      bool running = false;
      for (Metric m : kAllMetrics) running |= at_now[m].state == MetricState::kRunning;
      EXPECT_FALSE(running) << "history " << i;
      continue;
    }
    ++with_change;
    const Instant t = **next;
    ASSERT_GT(t, now);
    EXPECT_TRUE(SameTimeDependentParts(at_now, Evaluate(*policy, h, t - std::chrono::seconds{1})))
        << "history " << i << ": changed before " << FormatInstant(t);
    EXPECT_FALSE(SameTimeDependentParts(at_now, Evaluate(*policy, h, t)))
        << "history " << i << ": nothing changed at " << FormatInstant(t);
  }
  EXPECT_GT(with_change, 200);
}

}  // namespace
}  // namespace sladesk
