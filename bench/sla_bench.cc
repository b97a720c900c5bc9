// Google Benchmark: the SLA clock (EvaluateSla) on generated ticket
// histories of ~10 events (the brief's target: >= 1,000,000 histories per
// second on one core).
//
// Histories are generated up front into a pool of 65,536 (~10 events each:
// opened, replies, waits and customer replies, a severity change now and
// then, resolved, sometimes reopened, over 2026-2027); every benchmark
// iteration evaluates 1,000,000 of them, cycling through the pool, so the
// loop measures only evaluation. Policies are the seed files in policies/:
// gold-support (first response + resolution on Mon–Fri 09–17
// Europe/Berlin) and supermetrics (first response + next_update cycles).
// Result: items_per_second = histories per second. docs/performance/sla.md
// has the figure and the command.
#include <benchmark/benchmark.h>

#include <random>
#include <stdexcept>
#include <vector>

#include "policy/policy_loader.h"
#include "sla/sla_clock.h"

namespace sladesk {
namespace {

constexpr size_t kPool = 1 << 16;
constexpr int64_t kHistoriesPerIteration = 1'000'000;

std::shared_ptr<const Policy> LoadSeed(const char* name) {
  auto p = LoadPolicyFile(std::string(SLADESK_SOURCE_DIR) + "/policies/" + name);
  if (!p.ok()) throw std::runtime_error(p.error().ToString());
  return *p;
}

struct History {
  std::string severity;
  std::vector<TicketEvent> events;
  Instant now;
};

std::vector<History> MakeHistories(const Policy& policy, size_t n) {
  std::mt19937_64 rng(11);
  auto pick = [&](int k) { return static_cast<int>(rng() % static_cast<uint64_t>(k)); };
  std::vector<History> out(n);
  const Seconds from = 1767225600;  // 2026-01-01
  for (auto& h : out) {
    h.severity = policy.severities[pick(static_cast<int>(policy.severities.size()))].id;
    Instant t = FromEpoch(from + static_cast<Seconds>(rng() % (2 * 365 * 86400)));
    auto add = [&](EventType type, std::string severity = {}) {
      h.events.push_back(TicketEvent{t, type, std::move(severity)});
    };
    auto gap = [&] { t += std::chrono::seconds{60 + static_cast<Seconds>(rng() % (20 * 3600))}; };
    add(EventType::kOpened);
    const int steps = 8 + pick(4);  // 9..12 events in all
    bool waiting = false;
    for (int i = 1; i < steps; ++i) {
      gap();
      const int r = pick(100);
      if (i == steps - 1 && r < 60) add(EventType::kResolved);
      else if (r < 35) add(EventType::kAgentReply);
      else if (r < 55) { add(waiting ? EventType::kCustomerReply : EventType::kWaitingOnCustomer); waiting = !waiting; }
      else if (r < 70) add(EventType::kCustomerReply);
      else if (r < 78) add(EventType::kSeverityChanged, policy.severities[pick(static_cast<int>(policy.severities.size()))].id);
      else if (r < 85) { add(EventType::kResolved); waiting = false; }
      else if (r < 92) add(EventType::kReopened);
      else add(EventType::kAgentReply);
    }
    h.now = t + std::chrono::seconds{static_cast<Seconds>(rng() % (3 * 86400))};
  }
  return out;
}

void Run(benchmark::State& state, const char* policy_file, const char* plan_id, bool next_change) {
  auto policy = LoadSeed(policy_file);
  const Plan* plan = policy->FindPlan(plan_id);
  if (plan == nullptr) throw std::runtime_error(std::string("no plan ") + plan_id);
  const auto histories = MakeHistories(*policy, kPool);
  EvaluateOptions options;
  options.compute_next_change = next_change;
  // Warm the calendars' lazily built blocks.
  for (const auto& h : histories) benchmark::DoNotOptimize(EvaluateSla(*policy, *plan, h.severity, h.events, h.now, options));
  int64_t errors = 0;
  for (auto _ : state) {
    for (int64_t i = 0; i < kHistoriesPerIteration; ++i) {
      const History& h = histories[static_cast<size_t>(i) & (kPool - 1)];
      auto r = EvaluateSla(*policy, *plan, h.severity, h.events, h.now, options);
      errors += !r.ok();
      benchmark::DoNotOptimize(r);
    }
  }
  if (errors != 0) state.SkipWithError("evaluation failed");
  state.SetItemsProcessed(state.iterations() * kHistoriesPerIteration);
  size_t events = 0;
  for (const auto& h : histories) events += h.events.size();
  state.counters["events_per_history"] = static_cast<double>(events) / static_cast<double>(kPool);
}

void BM_EvaluateGold(benchmark::State& state) { Run(state, "gold-support.toml", "gold", false); }
void BM_EvaluateGoldWithNextChange(benchmark::State& state) { Run(state, "gold-support.toml", "gold", true); }
void BM_EvaluateSupermetrics(benchmark::State& state) { Run(state, "supermetrics.toml", "premium", false); }

BENCHMARK(BM_EvaluateGold)->Unit(benchmark::kMillisecond)->Iterations(2)->Repetitions(5);
BENCHMARK(BM_EvaluateGoldWithNextChange)->Unit(benchmark::kMillisecond)->Iterations(2)->Repetitions(5);
BENCHMARK(BM_EvaluateSupermetrics)->Unit(benchmark::kMillisecond)->Iterations(2)->Repetitions(5);

}  // namespace
}  // namespace sladesk

BENCHMARK_MAIN();
