// Clock: where "now" comes from, injected into everything that acts on time
// (the API, the SLA scheduler, mail polling), never read directly.
//
// Purpose: the domain core takes `now` as a parameter; the adapters take a
// Clock. SystemClock is the wall clock; ManualClock is driven by tests (it
// never moves by itself); OffsetClock is the wall clock plus an offset that
// `serve --test-clock` lets end-to-end tests move forward. When a clock
// jumps, its listeners are told, so a timer armed for a wall-clock wait
// re-arms (the scheduler fires what came due at once).
// Thread-safety: Now() and Set/Advance are safe from any thread; listeners
// run on the thread that moved the clock, outside the clock's lock.
// Ownership: listeners are owned by the clock until removed.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>

#include "common/instant.h"

namespace sladesk {

class Clock {
 public:
  using Listener = std::function<void()>;
  virtual ~Clock() = default;
  virtual Instant Now() const = 0;
  // Whether Now() follows the wall clock between jumps (a ManualClock does
  // not: a waiter must wait for a jump, not for wall time).
  virtual bool Runs() const { return true; }

  // Registers a listener called after every jump; returns its handle.
  int OnJump(Listener listener) {
    std::lock_guard<std::mutex> lock(mu_);
    listeners_[++next_] = std::move(listener);
    return next_;
  }
  void RemoveListener(int handle) {
    std::lock_guard<std::mutex> lock(mu_);
    listeners_.erase(handle);
  }

 protected:
  void NotifyJump() {
    std::map<int, Listener> copy;
    {
      std::lock_guard<std::mutex> lock(mu_);
      copy = listeners_;
    }
    for (auto& [h, l] : copy) l();
  }

 private:
  std::mutex mu_;
  std::map<int, Listener> listeners_;
  int next_ = 0;
};

inline Instant WallNow() {
  return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

class SystemClock final : public Clock {
 public:
  Instant Now() const override { return WallNow(); }
};

// Tests: time stands still until Set or Advance.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(Instant start) : now_(ToEpoch(start)) {}
  Instant Now() const override { return FromEpoch(now_.load()); }
  bool Runs() const override { return false; }
  void Set(Instant t) {
    now_.store(ToEpoch(t));
    NotifyJump();
  }
  void Advance(Seconds s) {
    now_.fetch_add(s);
    NotifyJump();
  }

 private:
  std::atomic<Seconds> now_;
};

// `serve --test-clock`: the wall clock moved by an offset that only grows.
class OffsetClock final : public Clock {
 public:
  Instant Now() const override { return WallNow() + std::chrono::seconds(offset_.load()); }
  Seconds offset() const { return offset_.load(); }
  // False (nothing changes) when `t` is before Now(): the clock never goes back.
  bool Set(Instant t) {
    const Seconds delta = ToEpoch(t) - ToEpoch(Now());
    if (delta < 0) return false;
    offset_.fetch_add(delta);
    NotifyJump();
    return true;
  }

 private:
  std::atomic<Seconds> offset_{0};
};

}  // namespace sladesk
