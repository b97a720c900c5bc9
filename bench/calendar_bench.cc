// Google Benchmark: BusinessCalendar::Add and ::Between on a Mon-Fri
// 09:00-17:00 Europe/Berlin calendar with holidays (the target:
// >= 10 million operations per second on one core, flat memory).
//
// Queries are precomputed (start instants over 2026-2027, durations from one
// minute to five business days) so the loop measures only the calendar.
#include <benchmark/benchmark.h>

#include <fstream>
#include <random>
#include <sstream>

#include "calendar/business_calendar.h"
#include "calendar/calendar_json.h"

namespace sladesk {
namespace {

std::shared_ptr<const BusinessCalendar> BerlinCalendar() {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/bench/data/berlin_9_17.json");
  std::stringstream ss;
  ss << in.rdbuf();
  auto spec = ParseCalendarJson(ss.str());
  if (!spec.ok()) throw std::runtime_error(spec.error().ToString());
  auto cal = BusinessCalendar::Create(*spec);
  if (!cal.ok()) throw std::runtime_error(cal.error().ToString());
  return *cal;
}

struct Query {
  Instant start;
  Seconds duration;
  Instant end;
};

std::vector<Query> MakeQueries(size_t n) {
  std::mt19937_64 rng(7);
  std::vector<Query> q(n);
  const Seconds from = 1767225600;  // 2026-01-01
  for (auto& x : q) {
    x.start = FromEpoch(from + static_cast<Seconds>(rng() % (2 * 365 * 86400)));
    x.duration = 60 + static_cast<Seconds>(rng() % (5 * 8 * 3600));
    x.end = x.start + std::chrono::seconds{static_cast<Seconds>(rng() % (14 * 86400))};
  }
  return q;
}

void BM_Add(benchmark::State& state) {
  auto cal = BerlinCalendar();
  auto queries = MakeQueries(1 << 16);
  for (const auto& q : queries) benchmark::DoNotOptimize(cal->Add(q.start, q.duration));  // warm blocks
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ & (queries.size() - 1)];
    auto r = cal->Add(q.start, q.duration);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Add);

void BM_Between(benchmark::State& state) {
  auto cal = BerlinCalendar();
  auto queries = MakeQueries(1 << 16);
  for (const auto& q : queries) benchmark::DoNotOptimize(cal->Between(q.start, q.end));
  size_t i = 0;
  for (auto _ : state) {
    const Query& q = queries[i++ & (queries.size() - 1)];
    benchmark::DoNotOptimize(cal->Between(q.start, q.end));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_Between);

// Cold start: creating the calendar and expanding the first block it needs.
void BM_CreateAndFirstQuery(benchmark::State& state) {
  for (auto _ : state) {
    auto cal = BerlinCalendar();
    benchmark::DoNotOptimize(cal->Add(FromEpoch(1767225600), 3600));
  }
}
BENCHMARK(BM_CreateAndFirstQuery)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace sladesk

BENCHMARK_MAIN();
