// Scheduler: `sladesk serve`'s SLA scheduler. It wakes at the earliest due
// instant in ticket_due, not on a polling interval, and fires what fell due
// through the desk rule (TicketClockService::FireDue), one unit of work per
// ticket on the DeskStore.
//
// Purpose: warnings, breaches and auto-close happen on the second, exactly
// once, on every server. A system_timer is armed on the earliest due row
// (read through the injected Clock: under `serve --test-clock` or a
// ManualClock, a jump re-arms it through the clock's listeners); a committed
// write that moves a ticket's due instant earlier re-arms it (NoteDue, from
// the server's committed-change path). Rows are claimed in batches with a
// lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so two processes never claim
// the same row; a crashed process's lease runs out and another takes the
// row), the batch's units are submitted together so the store commits them
// in one group, and FireDue itself is idempotent (the log and the unique
// firing key), so a row fired twice fires nothing the second time.
// Other processes' writes are seen by a bounded re-check (`recheck`, 2 s by
// default): every process arms for its own writes, so the re-check only
// matters when the process that wrote a row died, and it costs one indexed
// MIN() query; LISTEN/NOTIFY would need a connection of its own outside
// the store's pipelined ones for no gain in the common case.
// At Start, what came due while no server ran fires at once (the catch-up;
// once, like everything else).
// Month review: the timer is also armed on the next month boundary (the
// earliest over the policies with an availability level, each in its
// policy's availability zone, as IncidentService computes it); when the
// clock passes one, the month(s) just ended are reviewed
// (IncidentService::ReviewMonth as the system user: one RCA task for an
// organisation whose month missed its target). Start reviews the last
// complete month at once (the catch-up for a boundary passed while no
// server ran). Every process does this; ReviewMonth is idempotent (it looks
// for the month's task first, and the UNIQUE (organisation_id, month) key
// refuses a second one: a process that loses that race retries after
// `recheck` and then finds the task), so each month gets one task. On SQLite (one process) Start first drops
// leases a killed process left behind.
// Thread-safety: NoteDue, RunDue and Stop are safe from any thread; the
// timer runs on the scheduler's own thread.
// Ownership: borrows the store, clock and metrics (they outlive it); owns
// its thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/system_timer.hpp>

#include "common/clock.h"
#include "desk/compliance_records.h"
#include "desk/policy_registry.h"
#include "desk/ticket_clock_service.h"
#include "ops/scheduler_metrics.h"
#include "storage/desk_store.h"

namespace sladesk {

struct SchedulerOptions {
  int batch = 256;                           // tickets claimed per unit
  Seconds lease_seconds = 60;                // a claim's lease, on the scheduler's clock
  std::chrono::milliseconds recheck{2000};   // longest sleep between looks at ticket_due
  bool release_leases_at_start = false;      // SQLite: this process is the only one
};

struct SchedulerRun {
  std::size_t tickets = 0;  // tickets looked at
  std::size_t fired = 0;    // events fired
  std::size_t failed = 0;   // tickets whose unit failed (their lease runs out, they are retried)
};

class Scheduler {
 public:
  using OnFired = std::function<void(const FireResult&)>;

  Scheduler(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, Clock& clock, SchedulerOptions options,
            SchedulerMetrics* metrics, OnFired on_fired = {});
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Starts the timer thread; its first look fires what is already due.
  Status Start();
  void Stop();
  // A committed write left a ticket due at `due`: re-arm if that is earlier.
  void NoteDue(std::optional<Instant> due);
  // Fires everything due at the clock's now, batch after batch (blocking;
  // the timer calls it, and so can tests and the benchmark).
  Result<SchedulerRun> RunDue();
  // Reviews the months ended by the clock's now that this process has not
  // reviewed yet (all of them the first time: the last complete month of
  // each availability zone); the RCA tasks opened. Blocking.
  Result<std::vector<RcaTaskRecord>> ReviewEndedMonths();
  // Month reviews this process has completed (tests wait on it).
  std::uint64_t month_reviews() const { return month_reviews_.load(); }

 private:
  void Arm();
  // Queues one Arm on the scheduler's thread unless one is queued already.
  void PostArm();
  // RunDue; the remedy periods' ends only when `remedies` (Arm knows
  // whether one is due, and skips that write transaction when none is).
  Result<SchedulerRun> RunDue(bool remedies);
  // The next month boundary after `after` over the availability zones.
  std::optional<Instant> NextMonthBoundary(Instant after) const;
  double PreciseNow() const;

  DeskStore& store_;
  std::shared_ptr<const PolicyRegistry> policies_;
  Clock& clock_;
  const SchedulerOptions options_;
  SchedulerMetrics* metrics_;
  OnFired on_fired_;

  boost::asio::io_context io_;
  boost::asio::system_timer timer_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::thread thread_;
  std::atomic<Seconds> armed_for_;  // epoch seconds of the instant the timer waits for
  std::atomic<bool> stopping_{false};
  std::atomic<bool> arm_posted_{false};
  int jump_listener_ = 0;
  std::atomic<bool> started_{false};
  std::mutex review_mu_;
  std::optional<Instant> reviewed_at_;  // the clock's now at the last successful month review
  std::atomic<std::uint64_t> month_reviews_{0};
};

}  // namespace sladesk
