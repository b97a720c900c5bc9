#include "ops/scheduler.h"

#include <condition_variable>
#include <iostream>
#include <algorithm>
#include <limits>
#include <mutex>
#include <vector>

#include <boost/asio/post.hpp>

#include "compliance/availability.h"
#include "compliance/civil_month.h"
#include "desk/incident_service.h"

namespace sladesk {
namespace {

constexpr Seconds kNotArmed = std::numeric_limits<Seconds>::max();
constexpr int kMaxBatchesPerRun = 1 << 20;  // bounds RunDue's loop

}  // namespace

Scheduler::Scheduler(DeskStore& store, std::shared_ptr<const PolicyRegistry> policies, Clock& clock,
                     SchedulerOptions options, SchedulerMetrics* metrics, OnFired on_fired)
    : store_(store), policies_(std::move(policies)), clock_(clock), options_(options), metrics_(metrics),
      on_fired_(std::move(on_fired)), timer_(io_), armed_for_(kNotArmed) {}

Scheduler::~Scheduler() { Stop(); }

Status Scheduler::Start() {
  if (started_) return Status::Ok();
  if (options_.release_leases_at_start) {
    Status st = store_.RunWrite([](DeskRepository& repo) { return repo.ReleaseLeases(); });
    if (!st.ok()) return st;
  }
  started_ = true;
  work_.emplace(io_.get_executor());
  jump_listener_ = clock_.OnJump([this] { PostArm(); });
  PostArm();
  thread_ = std::thread([this] { io_.run(); });
  return Status::Ok();
}

void Scheduler::Stop() {
  if (!started_) return;
  started_ = false;
  stopping_ = true;
  clock_.RemoveListener(jump_listener_);
  boost::asio::post(io_, [this] { timer_.cancel(); });
  work_.reset();
  io_.stop();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::NoteDue(std::optional<Instant> due) {
  if (!started_ || !due) return;
  if (ToEpoch(*due) >= armed_for_.load()) return;
  armed_for_ = ToEpoch(*due);  // several notes before the next Arm post once
  PostArm();
}

void Scheduler::PostArm() {
  // A clock that jumps every few milliseconds, or a burst of writes, while
  // a batch runs: one look afterwards sees all of them, so at most one
  // look is queued (each queued look costs reads and a claim).
  if (arm_posted_.exchange(true)) return;
  boost::asio::post(io_, [this] {
    arm_posted_ = false;  // a jump from here on queues the next look
    Arm();
  });
}

double Scheduler::PreciseNow() const {
  const double wall =
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
  if (!clock_.Runs()) return static_cast<double>(ToEpoch(clock_.Now()));
  // The clock's offset from the wall clock, with the wall clock's fraction.
  return wall + static_cast<double>(ToEpoch(clock_.Now()) - ToEpoch(WallNow()));
}

Result<SchedulerRun> Scheduler::RunDue() { return RunDue(/*remedies=*/true); }

Result<SchedulerRun> Scheduler::RunDue(bool remedies) {
  SchedulerRun run;
  if (remedies) {
    const Instant now = clock_.Now();
    auto ended = store_.Write<std::vector<RemedyPeriodRecord>>([&](DeskRepository& repo) {
      return TicketClockService(repo, *policies_).EndRemedyPeriods(now, options_.batch);
    });
    if (!ended.ok()) return ended.error();
    const double at = PreciseNow();
    for (const auto& p : *ended) {
      run.fired++;
      if (metrics_) metrics_->RecordFired("remedy_period_ended", at - static_cast<double>(ToEpoch(p.ends_at)));
    }
  }
  for (int batch = 0; batch < kMaxBatchesPerRun && !stopping_; ++batch) {
    const Instant now = clock_.Now();
    auto claimed = store_.Write<std::vector<DueTicket>>([&](DeskRepository& repo) {
      return repo.ClaimDueTickets(now, now + std::chrono::seconds(options_.lease_seconds), options_.batch);
    });
    if (!claimed.ok()) return claimed.error();
    if (claimed->empty()) break;
    // One unit per ticket, submitted together: the writer commits them as
    // one group, and a ticket that fails is undone alone.
    const std::size_t n = claimed->size();
    std::vector<std::optional<Result<FireResult>>> results(n);
    std::mutex mu;
    std::condition_variable cv;
    std::size_t remaining = n;
    for (std::size_t i = 0; i < n; ++i) {
      const DueTicket due = (*claimed)[i];
      store_.SubmitWrite(
          [this, due, now, &results, i](DeskRepository& repo) -> Status {
            auto r = TicketClockService(repo, *policies_).FireDue(now, due.number);
            const bool ok = r.ok();
            Status st = ok ? Status::Ok() : Status(r.error());
            results[i].emplace(std::move(r));
            return st;
          },
          [&, i](Status st) {
            std::lock_guard<std::mutex> lock(mu);
            if (!st.ok() && (!results[i] || results[i]->ok())) results[i].emplace(st.error());
            --remaining;
            cv.notify_all();
          });
    }
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return remaining == 0; });
    }
    const double fired_at = PreciseNow();
    for (std::size_t i = 0; i < n; ++i) {
      run.tickets++;
      const auto& r = results[i];
      if (!r || !r->ok()) {
        run.failed++;
        std::cerr << "sladesk scheduler: ticket " << (*claimed)[i].number << ": "
                  << (r ? r->error().ToString() : std::string("no answer")) << "\n";
        continue;
      }
      for (const Firing& f : (*r)->fired) {
        run.fired++;
        if (metrics_)
          metrics_->RecordFired(std::string(EventKindName(f.kind)), fired_at - static_cast<double>(ToEpoch(f.at)));
      }
      if (on_fired_ && !(*r)->fired.empty()) on_fired_(**r);
    }
    if (n < static_cast<std::size_t>(options_.batch)) break;
  }
  return run;
}

std::optional<Instant> Scheduler::NextMonthBoundary(Instant after) const {
  std::optional<Instant> next;
  for (const auto& id : policies_->Ids()) {
    const Policy* policy = policies_->Find(id);
    if (!policy || !policy->contract.availability) continue;
    auto zone = AvailabilityZone(*policy);
    if (!zone.ok()) continue;  // ReviewMonth skips it too
    const Instant b = MonthStart(AddMonths(MonthOf(after, **zone), 1), **zone);
    if (!next || b < *next) next = b;
  }
  return next;
}

Result<std::vector<RcaTaskRecord>> Scheduler::ReviewEndedMonths() {
  std::lock_guard<std::mutex> lock(review_mu_);
  const Instant now = clock_.Now();
  if (reviewed_at_) {
    auto next = NextMonthBoundary(*reviewed_at_);
    if (!next || *next > now) return std::vector<RcaTaskRecord>();
  }
  // The months just ended, one per distinct (zone's) month; a month that
  // is not complete yet for an organisation's zone is skipped by the
  // service and reviewed again at that zone's boundary.
  std::vector<std::string> months;
  for (const auto& id : policies_->Ids()) {
    const Policy* policy = policies_->Find(id);
    if (!policy || !policy->contract.availability) continue;
    auto zone = AvailabilityZone(*policy);
    if (!zone.ok()) continue;
    const std::string m = FormatYearMonth(AddMonths(MonthOf(now, **zone), -1));
    if (std::find(months.begin(), months.end(), m) == months.end()) months.push_back(m);
  }
  std::vector<RcaTaskRecord> opened;
  for (const auto& m : months) {
    auto r = store_.Write<std::vector<RcaTaskRecord>>([&](DeskRepository& repo) {
      return IncidentService(repo, *policies_).ReviewMonth(SystemUser(), now, m);
    });
    if (!r.ok()) return r.error();  // not marked reviewed: the next look tries again
    opened.insert(opened.end(), r->begin(), r->end());
  }
  reviewed_at_ = now;
  month_reviews_++;
  return opened;
}

void Scheduler::Arm() {
  if (stopping_) return;
  const Instant now = clock_.Now();
  std::optional<Instant> earliest;
  bool review_failed = false;
  {
    auto reviewed = ReviewEndedMonths();
    if (!reviewed.ok()) {
      std::cerr << "sladesk scheduler: month review: " << reviewed.error().ToString() << "\n";
      review_failed = true;  // retried after `recheck`
    }
    std::lock_guard<std::mutex> lock(review_mu_);
    if (!review_failed && reviewed_at_) earliest = NextMonthBoundary(*reviewed_at_);
  }
  std::int64_t pending = 0;
  bool remedies_due = false;
  Status st = store_.RunRead([&](DeskRepository& repo) -> Status {
    auto e = repo.EarliestDue(now);
    if (!e.ok()) return e.error();
    if (*e && (!earliest || **e < *earliest)) earliest = *e;
    auto r = repo.EarliestRemedyEnd();
    if (!r.ok()) return r.error();
    if (*r && (!earliest || **r < *earliest)) earliest = *r;
    remedies_due = *r && **r <= now;
    if (earliest && *earliest <= now) {
      auto c = repo.CountDue(now);
      if (!c.ok()) return c.error();
      pending = *c;
    }
    return Status::Ok();
  });
  if (st.ok() && metrics_) metrics_->SetPending(pending);
  if (st.ok() && earliest && *earliest <= now) {
    auto run = RunDue(remedies_due);
    if (!run.ok()) std::cerr << "sladesk scheduler: " << run.error().ToString() << "\n";
    if (metrics_) metrics_->SetPending(0);
    if (run.ok() && run->failed == 0) {
      PostArm();  // look again: more may have come due meanwhile
      return;
    }
    earliest.reset();  // failed rows wait for their lease; look again after `recheck`
  } else if (!st.ok()) {
    std::cerr << "sladesk scheduler: " << st.error().ToString() << "\n";
    earliest.reset();
  }
  auto deadline = std::chrono::system_clock::now() + options_.recheck;
  armed_for_ = earliest ? ToEpoch(*earliest) : kNotArmed;
  if (earliest && clock_.Runs()) {
    // The wall-clock moment the clock reaches `earliest` (its offset from
    // the wall clock is whole seconds: read it twice to dodge a tick).
    Seconds offset = ToEpoch(clock_.Now()) - ToEpoch(WallNow());
    const Seconds again = ToEpoch(clock_.Now()) - ToEpoch(WallNow());
    if (again != offset) offset = again;
    const auto wall = std::chrono::system_clock::time_point(std::chrono::seconds(ToEpoch(*earliest) - offset));
    if (wall < deadline) deadline = wall;
  }
  timer_.expires_at(deadline);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec == boost::asio::error::operation_aborted || stopping_) return;
    Arm();
  });
}

}  // namespace sladesk
