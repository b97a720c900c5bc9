#include "ops/outbox_dispatcher.h"

#include <algorithm>
#include <sstream>

namespace sladesk {
namespace {

using json = nlohmann::json;

std::optional<Id> IdAfter(const std::string& recipient, const std::string& prefix) {
  if (recipient.rfind(prefix, 0) != 0) return std::nullopt;
  try {
    return std::stoll(recipient.substr(prefix.size()));
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

OutboxDispatcher::OutboxDispatcher(DeskStore& store, Clock& clock, OutboxDispatcherOptions options)
    : store_(store), clock_(clock), options_(std::move(options)) {
  auto b = BackoffPolicy::Create(options_.backoff);
  backoff_ = b.ok() ? *b : BackoffPolicy();
  if (!options_.templates_dir.empty()) {
    auto r = TemplateRenderer::Open(options_.templates_dir);
    if (r.ok()) renderer_.emplace(std::move(*r));
  }
  if (!options_.random) options_.random = [] { return 0.5; };
}

OutboxDispatcher::~OutboxDispatcher() { Stop(); }

Status OutboxDispatcher::AddTransport(std::unique_ptr<OutboxTransport> transport) {
  const OutboxChannel channel = transport->channel();
  transports_[channel] = std::move(transport);
  if (!options_.release_held) return Status::Ok();
  Status st = store_.RunWrite([&](DeskRepository& repo) -> Status {
    auto moved = repo.outbox()->MoveState(channel, OutboxState::kHeld, OutboxState::kPending);
    return moved.ok() ? Status::Ok() : Status(moved.error());
  });
  Wake();
  return st;
}

void OutboxDispatcher::Start() {
  if (thread_.joinable()) return;
  jump_listener_ = clock_.OnJump([this] { Wake(); });
  thread_ = std::thread([this] { Loop(); });
}

void OutboxDispatcher::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (jump_listener_) clock_.RemoveListener(jump_listener_);
  jump_listener_ = 0;
}

void OutboxDispatcher::Wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void OutboxDispatcher::Loop() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      woken_ = false;
    }
    auto handled = RunOnce();
    // A full batch: more may be due; go again at once.
    if (handled.ok() && *handled >= options_.batch) continue;
    std::optional<Instant> next;
    (void)store_.RunRead([&](DeskRepository& repo) -> Status {
      auto n = repo.outbox()->NextDue();
      if (!n.ok()) return n.error();
      next = *n;
      return Status::Ok();
    });
    // Wait for a write (Wake), a clock jump, the next due row or the rescan
    // for other processes' rows. A clock that does not run (tests) moves
    // only by jumps, which wake us.
    std::chrono::seconds wait = options_.rescan;
    if (!handled.ok()) wait = std::min<std::chrono::seconds>(wait, std::chrono::seconds(1));
    if (next && clock_.Runs()) {
      const auto until = std::chrono::duration_cast<std::chrono::seconds>(*next - clock_.Now());
      wait = std::clamp(until, std::chrono::seconds(0), wait);
    } else if (next && *next <= clock_.Now()) {
      wait = std::chrono::seconds(0);
    }
    std::unique_lock<std::mutex> lock(mu_);
    if (wait.count() > 0) cv_.wait_for(lock, wait, [&] { return stopping_ || woken_; });
  }
}

Result<int> OutboxDispatcher::RunOnce(const OutboxClaimScope& scope) {
  auto handled = Round(scope);
  (void)RefreshCounts();
  return handled;
}

Result<int> OutboxDispatcher::Round(const OutboxClaimScope& scope) {
  rounds_++;
  const Instant now = clock_.Now();
  std::vector<OutboxEntry> rows;
  Status st = store_.RunWrite([&](DeskRepository& repo) -> Status {
    auto claimed = repo.outbox()->ClaimDue(now, now + options_.lease, options_.batch, scope);
    if (!claimed.ok()) return claimed.error();
    rows = std::move(*claimed);
    return Status::Ok();
  });
  if (!st.ok()) return st.error();
  for (const auto& row : rows) {
    // A row that cannot even be recorded stays `sending` and is claimed
    // again when its lease ends.
    (void)Handle(row, now);
  }
  return static_cast<int>(rows.size());
}

Result<int> OutboxDispatcher::Drain(int max_rounds, const OutboxClaimScope& scope) {
  int total = 0;
  Result<int> out = 0;
  for (int i = 0; i < max_rounds; ++i) {
    auto n = Round(scope);
    if (!n.ok()) {
      out = n.error();
      break;
    }
    if (*n == 0) break;
    total += *n;
  }
  (void)RefreshCounts();
  if (!out.ok()) return out;
  return total;
}

Status OutboxDispatcher::RefreshCounts() {
  return store_.RunRead([&](DeskRepository& repo) -> Status {
    auto p = repo.outbox()->CountInState(OutboxState::kPending);
    if (!p.ok()) return p.error();
    auto h = repo.outbox()->CountInState(OutboxState::kHeld);
    if (!h.ok()) return h.error();
    pending_ = *p;
    held_ = *h;
    return Status::Ok();
  });
}

Status OutboxDispatcher::Handle(const OutboxEntry& row, Instant now) {
  switch (row.channel) {
    case OutboxChannel::kWebhook: return row.recipient == "*" ? FanOut(row, now) : DeliverWebhook(row, now);
    case OutboxChannel::kInApp: return DeliverInApp(row, now);
    case OutboxChannel::kEmail: return DeliverEmail(row, now);
  }
  return Status::Ok();
}

Status OutboxDispatcher::FanOut(const OutboxEntry& row, Instant now) {
  return store_.RunWrite([&](DeskRepository& repo) -> Status {
    auto endpoints = repo.outbox()->ListEndpoints();
    if (!endpoints.ok()) return endpoints.error();
    std::vector<OutboxEntry> copies;
    for (const auto& e : *endpoints) {
      if (!e.enabled || !e.Subscribes(row.event_type)) continue;
      OutboxEntry c = row;
      c.id = 0;
      c.recipient = "endpoint:" + std::to_string(e.id);
      c.dedupe_key = row.dedupe_key + "/" + c.recipient;
      c.state = OutboxState::kPending;
      c.attempts = 0;
      c.next_attempt_at = now;
      c.lease_until.reset();
      c.created_at = now;
      copies.push_back(std::move(c));
    }
    if (Status st = repo.outbox()->Enqueue(copies); !st.ok()) return st;
    return repo.outbox()->Finish(row.id, OutboxState::kFannedOut, row.attempts, row.next_attempt_at,
                                 std::to_string(copies.size()) + " endpoint(s)", now);
  });
}

json OutboxDispatcher::Values(const OutboxEntry& row) const {
  json v = json::parse(row.payload_json, nullptr, false);
  if (!v.is_object()) v = json::object();
  v["desk"] = {{"name", options_.desk_name}};
  if (v.contains("ticket") && v["ticket"].is_object())
    v["ticket"]["url"] = options_.base_url + "/tickets/" + std::to_string(row.ticket_number);
  return v;
}

std::string OutboxDispatcher::Render(const OutboxEntry& row, const std::string& format, const json& values) const {
  if (!renderer_) return "";
  auto text = renderer_->Render(row.template_name + "." + format, row.policy_id, values);
  return text.ok() ? *text : "";
}

Status OutboxDispatcher::DeliverInApp(const OutboxEntry& row, Instant now) {
  json v = Values(row);
  return store_.RunWrite([&](DeskRepository& repo) -> Status {
    if (!row.user_id) return repo.outbox()->Finish(row.id, OutboxState::kFailed, row.attempts + 1, now, "no user", {});
    // An agent's reply is read when it is sent (the event names the message).
    if (v.contains("reply") && row.ticket_id) {
      const Id mid = v["reply"].value("message_id", Id{0});
      auto messages = repo.ListMessages(*row.ticket_id, false);
      if (!messages.ok()) return messages.error();
      for (const auto& m : *messages)
        if (m.id == mid) v["reply"]["body"] = m.body;
    }
    InAppNotification n;
    n.user_id = *row.user_id;
    n.outbox_id = row.id;
    n.ticket_id = row.ticket_id;
    n.ticket_number = row.ticket_number;
    n.kind = row.template_name;
    n.title = v.value("summary", row.template_name);
    n.body = Render(row, "txt", v);
    if (n.body.empty()) n.body = n.title;
    n.created_at = now;
    if (Status st = repo.outbox()->InsertInApp(n); !st.ok()) return st;
    sent_++;
    return repo.outbox()->Finish(row.id, OutboxState::kSent, row.attempts + 1, now, "", now);
  });
}

Status OutboxDispatcher::DeliverEmail(const OutboxEntry& row, Instant now) {
  auto it = transports_.find(OutboxChannel::kEmail);
  if (it == transports_.end())
    return store_.RunWrite([&](DeskRepository& repo) {
      return repo.outbox()->Finish(row.id, OutboxState::kHeld, row.attempts, now, "no email transport is configured",
                                   {});
    });
  json v = Values(row);
  if (v.contains("reply") && row.ticket_id) {
    const Id mid = v["reply"].value("message_id", Id{0});
    (void)store_.RunRead([&](DeskRepository& repo) -> Status {
      auto messages = repo.ListMessages(*row.ticket_id, false);
      if (!messages.ok()) return messages.error();
      for (const auto& m : *messages)
        if (m.id == mid) v["reply"]["body"] = m.body;
      return Status::Ok();
    });
  }
  OutboxMessage m;
  m.entry = &row;
  m.message_id = "outbox-" + std::to_string(row.id);
  m.now = now;
  m.subject = v.value("summary", row.template_name);
  m.body = Render(row, "txt", v);
  if (m.body.empty()) m.body = m.subject;
  m.html = Render(row, "html", v);
  if (v.contains("recipient")) {
    m.to_address = v["recipient"].value("email", "");
    m.to_name = v["recipient"].value("name", "");
  }
  return Record(row, now, it->second->Send(m));
}

Status OutboxDispatcher::DeliverWebhook(const OutboxEntry& row, Instant now) {
  const auto endpoint_id = IdAfter(row.recipient, "endpoint:");
  std::optional<WebhookEndpoint> endpoint;
  Status read = store_.RunRead([&](DeskRepository& repo) -> Status {
    if (!endpoint_id) return Status::Ok();
    auto e = repo.outbox()->GetEndpoint(*endpoint_id);
    if (!e.ok()) return e.error();
    endpoint = std::move(*e);
    return Status::Ok();
  });
  if (!read.ok()) return read;
  if (!endpoint || !endpoint->enabled) {
    failed_++;
    return store_.RunWrite([&](DeskRepository& repo) {
      return repo.outbox()->Finish(row.id, OutboxState::kFailed, row.attempts, now,
                                   endpoint ? "the endpoint is disabled: " + endpoint->disabled_reason
                                            : "the endpoint was deleted",
                                   {});
    });
  }
  auto it = transports_.find(OutboxChannel::kWebhook);
  if (it == transports_.end())
    return store_.RunWrite([&](DeskRepository& repo) {
      return repo.outbox()->Finish(row.id, OutboxState::kHeld, row.attempts, now, "no webhook transport is configured",
                                   {});
    });
  json payload = json::parse(row.payload_json, nullptr, false);
  if (payload.is_object()) payload.erase("type");
  json body{{"type", row.event_type}, {"timestamp", FormatInstant(now)}, {"data", payload}};
  OutboxMessage m;
  m.entry = &row;
  m.endpoint = &*endpoint;
  m.message_id = "msg_sladesk" + std::to_string(row.id);
  m.now = now;
  m.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  const TransportResult r = it->second->Send(m);
  return Record(row, now, r);
}

Status OutboxDispatcher::Record(const OutboxEntry& row, Instant now, const TransportResult& r) {
  const int attempts = row.attempts + 1;
  OutboxState state = OutboxState::kSent;
  Instant next = now;
  std::string error;
  std::optional<Instant> sent_at;
  switch (r.outcome) {
    case TransportResult::Outcome::kDelivered: sent_at = now; break;
    case TransportResult::Outcome::kGone:
      state = OutboxState::kFailed;
      error = "the receiver answered 410 Gone; the endpoint is disabled";
      break;
    case TransportResult::Outcome::kFailed:
      state = OutboxState::kFailed;
      error = r.detail;
      break;
    case TransportResult::Outcome::kRetry: {
      error = r.detail;
      auto delay = backoff_.NextDelay(attempts, options_.random(), r.retry_after);
      if (delay) {
        state = OutboxState::kPending;
        next = now + *delay;
      } else {
        state = OutboxState::kFailed;
        error = "gave up after " + std::to_string(attempts) + " attempts: " + r.detail;
      }
      break;
    }
  }
  Status st = store_.RunWrite([&](DeskRepository& repo) -> Status {
    OutboxRepository& ob = *repo.outbox();
    if (row.channel == OutboxChannel::kWebhook) {
      WebhookDelivery d;
      d.endpoint_id = IdAfter(row.recipient, "endpoint:").value_or(0);
      d.outbox_id = row.id;
      d.ticket_id = row.ticket_id;
      d.event_type = row.event_type;
      d.message_id = "msg_sladesk" + std::to_string(row.id);
      d.attempt = attempts;
      d.at = now;
      d.outcome = TransportOutcomeName(r.outcome);
      d.http_status = r.http_status;
      d.detail = r.detail;
      d.duration_ms = r.elapsed.count();
      if (auto id = ob.InsertDelivery(d); !id.ok()) return id.error();
      if (r.outcome == TransportResult::Outcome::kGone) {
        auto e = ob.GetEndpoint(d.endpoint_id);
        if (!e.ok()) return e.error();
        if (*e) {
          (*e)->enabled = false;
          (*e)->disabled_reason = "the receiver answered 410 Gone at " + FormatInstant(now);
          (*e)->updated_at = now;
          if (Status u = ob.UpdateEndpoint(**e); !u.ok()) return u;
        }
      }
    }
    return ob.Finish(row.id, state, attempts, next, error, sent_at);
  });
  if (!st.ok()) return st;
  if (state == OutboxState::kSent) sent_++;
  if (state == OutboxState::kFailed) failed_++;
  if (state == OutboxState::kPending) {
    retried_++;
    Wake();  // re-arm the timer for the retry
  }
  return Status::Ok();
}

OutboxDispatcherStats OutboxDispatcher::stats() const {
  return {sent_.load(), failed_.load(), retried_.load(), rounds_.load(), pending_.load(), held_.load()};
}

std::string OutboxDispatcher::RenderMetrics() const {
  const auto s = stats();
  std::ostringstream out;
  out << "# HELP sladesk_outbox_pending Notifications waiting to be sent (as of the dispatcher's last round).\n"
         "# TYPE sladesk_outbox_pending gauge\n"
      << "sladesk_outbox_pending " << s.pending << "\n"
      << "# HELP sladesk_outbox_held Notifications kept for a channel with no transport (email without SMTP).\n"
         "# TYPE sladesk_outbox_held gauge\n"
      << "sladesk_outbox_held " << s.held << "\n"
      << "# HELP sladesk_outbox_sent_total Notifications delivered.\n"
         "# TYPE sladesk_outbox_sent_total counter\n"
      << "sladesk_outbox_sent_total " << s.sent << "\n"
      << "# HELP sladesk_outbox_failed_total Notifications given up on (attempt limit, 410 Gone, refused).\n"
         "# TYPE sladesk_outbox_failed_total counter\n"
      << "sladesk_outbox_failed_total " << s.failed << "\n"
      << "# HELP sladesk_outbox_retries_total Failed attempts scheduled again with backoff.\n"
         "# TYPE sladesk_outbox_retries_total counter\n"
      << "sladesk_outbox_retries_total " << s.retried << "\n";
  return out.str();
}

}  // namespace sladesk
