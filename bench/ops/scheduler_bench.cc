// scheduler_bench: the SLA scheduler over a large ticket_due index.
//
// Seeds N open tickets (gtmhub enhanced / critical: first response 1 h on
// 24x7, so each ticket fires three times: 75% at +45 min, 90% at +54 min,
// the breach at +1 h 1 s) whose first due instants are spread evenly over
// `days`, then drives a ManualClock so that `rate` firings per second of
// wall time come due, for `seconds`, and measures for every firing the lag
// = wall time of its commit − wall time at which the clock reached its due
// instant. Then a catch-up: the clock jumps a day ahead at once, and the
// backlog's firing rate is the capacity. Finally, the same due instants
// through the documented schedules of Zammad (a job every 5 minutes, 500
// tickets a run) and Znuny (every 5 minutes, at most 1,000 tickets), in
// the clock's own time. `--schedulers 2` runs two schedulers on two stores
// (as two servers) on one database.
//
// Usage: scheduler_bench [--db URL] [--tickets N] [--days D] [--rate R]
//        [--seconds S] [--schedulers K] [--policies DIR]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "desk/firing_planner.h"
#include "desk/organisation_service.h"
#include "desk/sla_projector.h"
#include "desk/ticket_access.h"
#include "ops/scheduler.h"
#include "storage/desk_store.h"

using namespace sladesk;
using WallClock = std::chrono::steady_clock;

namespace {

struct Args {
  std::string db = "sqlite:/tmp/sladesk-scheduler-bench.db";
  long tickets = 1000000;
  int days = 30;
  double rate = 2500;
  double seconds = 60;
  int schedulers = 1;
  std::string policies = "policies";
  int writers = 1;        // writer connections per store
  bool reuse = false;     // the database is seeded already (by an earlier run)
  int start_hours = 0;    // start the clock this long after the first due instant
};

long StatusKb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::atol(line.c_str() + std::strlen(field));
  return 0;
}

double Quantile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(std::ceil(q * static_cast<double>(v.size()))) - (q > 0 ? 1 : 0));
  return v[i];
}

// A poller that runs every `period` seconds and takes at most `cap` of
// the due items, earliest first: the lag of each item, in clock seconds.
std::vector<double> Poller(std::vector<Seconds> due, Seconds period, size_t cap) {
  std::sort(due.begin(), due.end());
  std::vector<double> lag;
  lag.reserve(due.size());
  size_t next = 0;
  if (due.empty()) return lag;
  Seconds run = (due.front() / period + 1) * period;
  for (int guard = 0; next < due.size() && guard < 100000000; ++guard, run += period) {
    size_t taken = 0;
    while (next < due.size() && due[next] <= run && taken < cap) {
      lag.push_back(static_cast<double>(run - due[next]));
      ++next;
      ++taken;
    }
  }
  return lag;
}

void PrintLag(const char* who, const std::vector<double>& lag, const char* unit, double scale) {
  std::printf("  %-34s p50 %10.3f %s   p99 %10.3f %s   max %10.3f %s\n", who, Quantile(lag, 0.5) * scale, unit,
              Quantile(lag, 0.99) * scale, unit, lag.empty() ? 0.0 : *std::max_element(lag.begin(), lag.end()) * scale,
              unit);
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--db") a.db = v;
    else if (k == "--tickets") a.tickets = std::stol(v);
    else if (k == "--days") a.days = std::stoi(v);
    else if (k == "--rate") a.rate = std::stod(v);
    else if (k == "--seconds") a.seconds = std::stod(v);
    else if (k == "--schedulers") a.schedulers = std::stoi(v);
    else if (k == "--policies") a.policies = v;
    else if (k == "--writers") a.writers = std::stoi(v);
    else if (k == "--reuse") a.reuse = v == "1";
    else if (k == "--start-hours") a.start_hours = std::stoi(v);
    else {
      std::cerr << "unknown option " << k << "\n";
      return 2;
    }
  }
  if (a.db.rfind("sqlite:", 0) == 0 && !a.reuse) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(a.db.substr(7) + suffix, ec);
  }
  auto policies = PolicyRegistry::LoadDirectory(a.policies);
  if (!policies.ok()) {
    std::cerr << policies.error().ToString() << "\n";
    return 2;
  }
  DeskStoreOptions store_opts;
  store_opts.writers = a.writers;
  if (a.writers > 1) store_opts.max_batch = 64;  // a claimed batch of 256 spreads over the writers
  auto opened_store = DeskStore::Open(a.db, store_opts);
  if (!opened_store.ok()) {
    std::cerr << opened_store.error().ToString() << "\n";
    return 2;
  }
  std::unique_ptr<DeskStore> store = std::move(opened_store).value();
  const Policy* policy = (*policies)->Find("gtmhub");
  const Plan* plan = policy ? policy->FindPlan("enhanced") : nullptr;
  if (!plan) {
    std::cerr << "needs policies/gtmhub.toml\n";
    return 2;
  }
  const Instant first_due = *ParseInstant("2027-01-04T00:00:00Z", "t0");
  const Instant t0 = first_due + std::chrono::hours(a.start_hours);
  const User system = SystemUser("bench");
  auto w0 = WallClock::now();
  if (!a.reuse) {
    OrganisationInput oi;
    oi.name = "Bench GmbH";
    oi.policy_id = "gtmhub";
    oi.plan_id = "enhanced";
    oi.incidents_per_month = 1000000000;
    auto org = store->Write<Organisation>(
        [&](DeskRepository& r) { return OrganisationService(r, **policies).Create(system, first_due, oi); });
    if (!org.ok()) {
      std::cerr << org.error().ToString() << "\n";
      return 1;
    }
    ContactInput ci{"Bench Contact", "bench@bench.test", "+49 30 1", true};
    auto contact = store->Write<User>(
        [&](DeskRepository& r) { return OrganisationService(r, **policies).AddContact(system, first_due, org->id, ci); });
    if (!contact.ok()) {
      std::cerr << contact.error().ToString() << "\n";
      return 1;
    }

    // Seed: first due instants (the 75% warnings) spread evenly over `days`.
    const Seconds span = static_cast<Seconds>(a.days) * 86400;
    constexpr long kUnit = 5000;
    for (long from = 0; from < a.tickets; from += kUnit) {
      const long to = std::min(a.tickets, from + kUnit);
      Status st = store->RunWrite([&](DeskRepository& repo) -> Status {
        for (long i = from; i < to; ++i) {
          const Instant opened = first_due - std::chrono::minutes(45) + std::chrono::seconds(span * i / a.tickets);
          Ticket t;
          t.organisation_id = org->id;
          t.requester_id = contact->id;
          t.subject = "Bench ticket " + std::to_string(i);
          t.description = "x";
          t.plan_id = "enhanced";
          t.severity = "critical";
          t.opened_at = t.updated_at = opened;
          auto number = repo.NextTicketNumber();
          if (!number.ok()) return number.error();
          t.number = *number;
          std::vector<TicketEventRecord> events{TicketAccess::Event(
              *contact, opened, EventKind::kOpened, {{"severity", "critical"}, {"channel", "portal"}})};
          if (Status s = SlaProjector::Project(*policy, *plan, events, opened, t); !s.ok()) return s;
          auto id = repo.InsertTicket(t);
          if (!id.ok()) return id.error();
          events[0].ticket_id = *id;
          if (Status s = repo.AppendEvent(events[0]); !s.ok()) return s;
          auto fp = FiringPlanner::Compute(*policy, *plan, t, events, opened, opened);
          if (!fp.ok()) return fp.error();
          if (Status s = repo.SetTicketDue(*id, t.number, fp->next_fire); !s.ok()) return s;
        }
        return Status::Ok();
      });
      if (!st.ok()) {
        std::cerr << "seeding: " << st.error().ToString() << "\n";
        return 1;
      }
    }
  }
  const Seconds span = static_cast<Seconds>(a.days) * 86400;
  const double seed_s = std::chrono::duration<double>(WallClock::now() - w0).count();
  std::printf("scheduler_bench: %s, %ld open tickets, first due instants over %d days, %d scheduler(s)\n",
              store->backend_name().c_str(), a.tickets, a.days, a.schedulers);
  if (a.reuse) std::printf("reusing the seeded database; the clock starts %d h after the first due instant\n", a.start_hours);
  else std::printf("seeded in %.1f s (%.0f tickets/s); RSS %ld kB\n", seed_s, static_cast<double>(a.tickets) / seed_s,
              StatusKb("VmRSS:"));

  // The clock, and wall time at each step (to turn due instants into the
  // wall moment they came due).
  ManualClock clock(t0 - std::chrono::seconds(1));
  std::mutex mu;
  std::vector<std::pair<Seconds, WallClock::time_point>> steps;  // (clock, wall) when set
  std::vector<double> lags;         // wall seconds, steady phase
  std::vector<Seconds> due_times;   // every firing's due instant, for the pollers
  std::atomic<long> fired{0};
  bool steady = true;
  SchedulerMetrics wall_lag;
  auto on_fired = [&](const FireResult& r) {
    const auto now = WallClock::now();
    std::lock_guard<std::mutex> lock(mu);
    for (const Firing& f : r.fired) {
      fired++;
      due_times.push_back(ToEpoch(f.at));
      if (!steady) continue;
      auto it = std::lower_bound(steps.begin(), steps.end(), ToEpoch(f.at),
                                 [](const auto& s, Seconds v) { return s.first < v; });
      if (it == steps.end()) continue;
      const double lag = std::chrono::duration<double>(now - it->second).count();
      lags.push_back(lag);
      wall_lag.RecordFired(std::string(EventKindName(f.kind)), lag);
    }
  };
  // Steady phase: `rate` firings per wall second come due.
  const double density = 3.0 * static_cast<double>(a.tickets) / static_cast<double>(span);  // per clock second
  const double speed = a.rate / density;  // clock seconds per wall second
  std::vector<std::unique_ptr<DeskStore>> stores;
  std::vector<std::unique_ptr<SchedulerMetrics>> metrics;
  std::vector<std::unique_ptr<Scheduler>> schedulers;
  for (int s = 0; s < a.schedulers; ++s) {
    DeskStore* st = store.get();
    if (s > 0) {
      auto other = DeskStore::Open(a.db, store_opts);
      if (!other.ok()) {
        std::cerr << other.error().ToString() << "\n";
        return 1;
      }
      stores.push_back(std::move(other).value());
      st = stores.back().get();
    }
    metrics.push_back(std::make_unique<SchedulerMetrics>());
    SchedulerOptions opt;
    opt.release_leases_at_start = st->dialect() == SqlDialect::kSqlite;
    // A claim's lease is 60 s of the scheduler's clock; this clock runs
    // `speed` times faster than the wall, so at 1x a 60 s lease would last
    // a few milliseconds here and the other scheduler would claim rows
    // still being fired. Scale it so it lasts 60 wall seconds, as in serve.
    opt.lease_seconds = static_cast<Seconds>(std::max(60.0, 60.0 * speed));
    schedulers.push_back(std::make_unique<Scheduler>(*st, *policies, clock, opt, metrics.back().get(), on_fired));
    if (Status started = schedulers.back()->Start(); !started.ok()) {
      std::cerr << started.error().ToString() << "\n";
      return 1;
    }
  }
  const long rss_before = StatusKb("VmRSS:");

  const auto start = WallClock::now();
  double sim = static_cast<double>(ToEpoch(t0));
  Seconds set = ToEpoch(t0) - 1;
  for (int guard = 0; guard < 100000000; ++guard) {
    const auto now = WallClock::now();
    const double elapsed = std::chrono::duration<double>(now - start).count();
    if (elapsed >= a.seconds) break;
    sim = static_cast<double>(ToEpoch(t0)) + elapsed * speed;
    if (static_cast<Seconds>(sim) > set) {
      set = static_cast<Seconds>(sim);
      {
        std::lock_guard<std::mutex> lock(mu);
        steps.emplace_back(set, now);
      }
      clock.Set(FromEpoch(set));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // Let the last steps finish (bounded).
  const Instant steady_end = FromEpoch(set);
  for (int i = 0; i < 3000; ++i) {
    auto left = store->Write<std::int64_t>([&](DeskRepository& r) { return r.CountDue(steady_end); });
    if (left.ok() && *left == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double steady_s = std::chrono::duration<double>(WallClock::now() - start).count();
  long steady_fired = 0;
  std::vector<Seconds> steady_due;
  {
    std::lock_guard<std::mutex> lock(mu);
    steady = false;
    steady_fired = fired.load();
    steady_due = due_times;
  }
  const long rss_after = StatusKb("VmRSS:");
  std::printf("\nsteady: clock at %.0fx wall time, %ld firings in %.1f s = %.0f firings/s (target %.0f/s)\n", speed,
              steady_fired, steady_s, static_cast<double>(steady_fired) / steady_s, a.rate);
  std::printf("lag (fired - due, wall): p50 %.1f ms, p99 %.1f ms, max %.1f ms over %zu firings\n",
              Quantile(lags, 0.5) * 1000, Quantile(lags, 0.99) * 1000,
              lags.empty() ? 0.0 : *std::max_element(lags.begin(), lags.end()) * 1000, lags.size());
  std::printf("lag histogram (bucket upper bound, firings):\n%s", wall_lag.LagTable().c_str());
  std::printf("RSS: %ld kB before the steady phase, %ld kB after it (peak %ld kB, seeding included)\n", rss_before,
              rss_after, StatusKb("VmHWM:"));
  for (size_t s = 0; s < metrics.size(); ++s)
    std::printf("scheduler %zu fired %llu\n", s + 1, static_cast<unsigned long long>(metrics[s]->fired()));

  // Catch-up: a day's worth comes due at once.
  const long before = fired.load();
  const auto c0 = WallClock::now();
  const Instant jump = steady_end + std::chrono::hours(24);
  clock.Set(jump);
  for (int i = 0; i < 60000; ++i) {
    auto left = store->Write<std::int64_t>([&](DeskRepository& r) { return r.CountDue(jump); });
    if (left.ok() && *left == 0) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const double catch_s = std::chrono::duration<double>(WallClock::now() - c0).count();
  const long backlog = fired.load() - before;
  std::printf("\ncatch-up: the clock jumps 24 h: %ld firings in %.1f s = %.0f firings/s; RSS %ld kB\n", backlog,
              catch_s, static_cast<double>(backlog) / catch_s, StatusKb("VmRSS:"));
  for (auto& s : schedulers) s->Stop();

  // The same due instants (steady phase) through the peers' documented
  // schedules: at the month's own density (clock time), and at the rate
  // the steady phase ran them (due instants scaled to wall time).
  std::printf("\nside by side on the steady phase's %zu due instants:\n", steady_due.size());
  std::printf(" at the month's density (%.2f due per second, %ld tickets over %d days), lag in seconds:\n", density,
              a.tickets, a.days);
  PrintLag("Zammad: every 5 min, 500 a run", Poller(steady_due, 300, 500), "s", 1);
  PrintLag("Znuny: every 5 min, 1,000 a run", Poller(steady_due, 300, 1000), "s", 1);
  PrintLag("sladesk (as measured at the rate below)", lags, "s", 1);
  std::vector<Seconds> scaled;
  scaled.reserve(steady_due.size());
  for (Seconds d : steady_due) scaled.push_back(static_cast<Seconds>(static_cast<double>(d - ToEpoch(t0)) / speed));
  std::printf(" at the steady phase's rate (%.0f due per second), lag in seconds:\n", a.rate);
  PrintLag("Zammad: every 5 min, 500 a run", Poller(scaled, 300, 500), "s", 1);
  PrintLag("Znuny: every 5 min, 1,000 a run", Poller(scaled, 300, 1000), "s", 1);
  PrintLag("sladesk (measured)", lags, "s", 1);
  return 0;
}
