// OutboxDispatcher: sends what the outbox holds: claims due rows, renders
// them, hands them to the channel's transport and records the outcome.
//
// Purpose: the delivery half of the outbox (the writing half is the desk's
// TicketNotifications, in the ticket change's own transaction, so a slow or
// failing receiver never blocks or loses a change). A round claims up to
// `batch` due rows for `lease` (OutboxRepository::ClaimDue: each row goes
// to one dispatcher across processes; a crashed dispatcher's rows are due
// again when the lease ends) and then, per row:
//   webhook "*"       copied to one row per enabled endpoint subscribed to
//                     its type (fanned_out); only admin-registered URLs
//   webhook endpoint  signed and POSTed; every attempt goes to the
//                     endpoint's delivery log; 410 disables the endpoint
//   in_app            becomes an entry of the person's feed
//   email             rendered (text and HTML templates) and given to the
//                     email transport; without one the row is `held`
//                     (kept; AddTransport for email releases held rows)
// A failed attempt is tried again after BackoffPolicy's delay (the
// receiver's Retry-After when longer); after the attempt limit the row is
// `failed` with its last error (the ticket's notification list shows it)
// and sladesk_outbox_failed_total counts it.
// The thread wakes when Wake() is called (DeskStore's after-commit hook:
// rows were written), when the clock jumps, and at the earliest due row
// or lease; rows another process wrote are picked up within `rescan`.
// Thread-safety: Wake, stats and RenderMetrics are safe from any thread;
// RunOnce and Drain are for tests and one-shot senders (not while the
// thread runs). Ownership: borrows the store and the clock (they outlive
// it); owns its transports.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "common/clock.h"
#include "notify/backoff_policy.h"
#include "notify/template_renderer.h"
#include "ops/outbox_transport.h"
#include "storage/desk_store.h"

namespace sladesk {

struct OutboxDispatcherOptions {
  int batch = 64;
  std::chrono::seconds lease{300};
  BackoffOptions backoff;
  // Rows written by another server process are seen within this (the
  // in-process writes wake the dispatcher at once).
  std::chrono::seconds rescan{5};
  std::string desk_name = "sladesk";
  std::string base_url;       // the web app's address, for ticket.url ("" = a relative /tickets/N)
  std::string templates_dir;  // "" = no rendering (feed entries and mail carry the summary)
  std::function<double()> random;  // jitter in [0, 1); default: 0.5 (none)
  // AddTransport moves the channel's held rows back to pending. Off for a
  // dispatcher that only drains a scope (one-shot `mail ingest --smtp`):
  // the server's dispatcher owns the rest of the outbox.
  bool release_held = true;
};

struct OutboxDispatcherStats {
  std::uint64_t sent = 0;
  std::uint64_t failed = 0;    // rows given up on
  std::uint64_t retried = 0;   // failed attempts to be tried again
  std::uint64_t rounds = 0;
  std::int64_t pending = 0;    // as of the last round
  std::int64_t held = 0;
};

class OutboxDispatcher {
 public:
  OutboxDispatcher(DeskStore& store, Clock& clock, OutboxDispatcherOptions options = {});
  ~OutboxDispatcher();
  OutboxDispatcher(const OutboxDispatcher&) = delete;
  OutboxDispatcher& operator=(const OutboxDispatcher&) = delete;

  // Before Start (or between RunOnce calls). Held rows of the channel
  // become pending (unless options.release_held is off).
  Status AddTransport(std::unique_ptr<OutboxTransport> transport);
  void Start();
  void Stop();
  void Wake();

  // One round at clock.Now() over the due rows in `scope`: how many rows
  // it handled. For tests and one-shot senders, not while the thread runs.
  Result<int> RunOnce(const OutboxClaimScope& scope = {});
  // Rounds until nothing is due at clock.Now() (at most `max_rounds`); the
  // pending/held gauges are counted once, at the end.
  Result<int> Drain(int max_rounds = 100, const OutboxClaimScope& scope = {});

  OutboxDispatcherStats stats() const;
  // sladesk_outbox_pending, sladesk_outbox_held, sladesk_outbox_sent_total,
  // sladesk_outbox_failed_total, sladesk_outbox_retries_total.
  std::string RenderMetrics() const;

 private:
  struct Outcome;
  void Loop();
  Status Handle(const OutboxEntry& row, Instant now);
  Status FanOut(const OutboxEntry& row, Instant now);
  Status DeliverWebhook(const OutboxEntry& row, Instant now);
  Status DeliverInApp(const OutboxEntry& row, Instant now);
  Status DeliverEmail(const OutboxEntry& row, Instant now);
  // Records an attempt's outcome (and the retry schedule).
  Status Record(const OutboxEntry& row, Instant now, const TransportResult& result);
  nlohmann::json Values(const OutboxEntry& row) const;
  std::string Render(const OutboxEntry& row, const std::string& format, const nlohmann::json& values) const;
  Status RefreshCounts();
  // One claim and its deliveries, without counting the gauges.
  Result<int> Round(const OutboxClaimScope& scope);

  DeskStore& store_;
  Clock& clock_;
  OutboxDispatcherOptions options_;
  BackoffPolicy backoff_;
  std::optional<TemplateRenderer> renderer_;
  std::map<OutboxChannel, std::unique_ptr<OutboxTransport>> transports_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool stopping_ = false;
  std::thread thread_;
  int jump_listener_ = 0;

  std::atomic<std::uint64_t> sent_{0}, failed_{0}, retried_{0}, rounds_{0};
  std::atomic<std::int64_t> pending_{0}, held_{0};
};

}  // namespace sladesk
