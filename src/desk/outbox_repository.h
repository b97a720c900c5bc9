// OutboxRepository: the notifications a ticket change must send (the
// outbox), the webhook endpoints an admin registered, the log of webhook
// deliveries and the in-app feed, in the domain's terms.
//
// Purpose: a ticket change writes its notification rows in the same
// transaction as the change (TicketAccess::Save and TicketIntake call
// TicketNotifications, which calls Enqueue); the dispatcher (src/ops)
// claims due rows, delivers them and records the outcome. Each row has a
// unique `dedupe_key`, and Enqueue skips a row whose key is already there,
// so a unit of work that runs again (or a scheduler firing that two
// processes race for) never writes a notification twice.
// States: pending (due at next_attempt_at), sending (claimed until
// lease_until by one dispatcher), sent, failed (gave up after the attempt
// limit, or refused), fanned_out (a webhook event copied to one row per
// subscribed endpoint), held (no transport for the channel is configured:
// kept, never lost, sent when one is).
// Thread-safety: not thread-safe; one transaction, one thread.
// Ownership: implementations borrow their connection.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "desk/desk_types.h"

namespace sladesk {

enum class OutboxChannel { kWebhook, kInApp, kEmail };
enum class OutboxState { kPending, kSending, kSent, kFailed, kFannedOut, kHeld };

std::string_view OutboxChannelName(OutboxChannel c);  // "webhook", "in_app", "email"
std::optional<OutboxChannel> OutboxChannelFromName(std::string_view s);
std::string_view OutboxStateName(OutboxState s);      // "pending", "sending", ...
std::optional<OutboxState> OutboxStateFromName(std::string_view s);

struct OutboxEntry {
  Id id = 0;
  std::string dedupe_key;     // unique: a re-run unit never writes the row twice
  OutboxChannel channel = OutboxChannel::kInApp;
  // "user:<id>" (in_app, email), "endpoint:<id>" (webhook, after fan-out)
  // or "*" (a webhook event not yet copied to its endpoints).
  std::string recipient;
  std::optional<Id> user_id;  // the person told (in_app, email)
  std::string template_name;  // "ticket_acknowledgement", ... (templates/)
  std::string event_type;     // webhook event type: "ticket.created", ...
  std::optional<Id> ticket_id;
  std::int64_t ticket_number = 0;
  std::string policy_id;      // for the template override
  // The event's position in the ticket's log (0 = the first event); the
  // log's row id is not known while its insert is deferred.
  std::optional<std::int64_t> event_index;
  std::string payload_json = "{}";  // the template's values / the webhook's data
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  Instant next_attempt_at{};
  std::optional<Instant> lease_until;
  std::string last_error;
  Instant created_at{};
  std::optional<Instant> sent_at;
};

struct WebhookEndpoint {
  Id id = 0;
  std::string url;
  std::string secret;                    // whsec_...
  std::vector<std::string> event_types;  // "ticket.created", ...; "*" = all
  std::string description;
  bool enabled = true;
  std::string disabled_reason;           // "the receiver answered 410 Gone", or an admin's
  Instant created_at{};
  Instant updated_at{};
  bool Subscribes(std::string_view event_type) const;
};

struct WebhookDelivery {
  Id id = 0;
  Id endpoint_id = 0;
  Id outbox_id = 0;
  std::optional<Id> ticket_id;
  std::string event_type;
  std::string message_id;  // webhook-id (the outbox row's, the same on every retry)
  int attempt = 0;
  Instant at{};
  std::string outcome;     // "delivered", "gone", "retry", "refused", "failed"
  int http_status = 0;
  std::string detail;
  std::int64_t duration_ms = 0;
};

struct InAppNotification {
  Id id = 0;
  Id user_id = 0;
  std::optional<Id> outbox_id;
  std::optional<Id> ticket_id;
  std::int64_t ticket_number = 0;
  std::string kind;   // the template's name
  std::string title;
  std::string body;
  bool read = false;
  Instant created_at{};
  std::optional<Instant> read_at;
};

// Which due rows a ClaimDue may take (default: any). A one-shot `mail
// ingest` sends only the answers to what it stored: email rows of the
// tickets it touched, and mail refusals (ticket number 0).
struct OutboxClaimScope {
  std::optional<OutboxChannel> channel;
  std::vector<std::int64_t> ticket_numbers;  // empty: any ticket
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;

  // Writes the rows; a row whose dedupe_key exists is skipped. May be
  // deferred to the end of the unit of work (its failure fails the unit).
  virtual Status Enqueue(const std::vector<OutboxEntry>& entries) = 0;
  // Claims up to `limit` rows due at `now` (pending with next_attempt_at
  // <= now, or sending with an expired lease) for this dispatcher until
  // `lease_until`, each claimed by one process only (PostgreSQL: FOR
  // UPDATE SKIP LOCKED; SQLite: the single writer), within `scope`.
  virtual Result<std::vector<OutboxEntry>> ClaimDue(Instant now, Instant lease_until, int limit,
                                                    const OutboxClaimScope& scope) = 0;
  // The earliest instant a pending row is due (or a lease expires).
  virtual Result<std::optional<Instant>> NextDue() = 0;
  // Records an attempt's outcome; `state` pending means "again at next_attempt_at".
  virtual Status Finish(Id id, OutboxState state, int attempts, Instant next_attempt_at,
                        const std::string& last_error, std::optional<Instant> sent_at) = 0;
  // Rows of one channel in `from` move to `to` (held email rows become
  // pending when a transport is configured); returns how many.
  virtual Result<std::int64_t> MoveState(OutboxChannel channel, OutboxState from, OutboxState to) = 0;
  virtual Result<std::int64_t> CountInState(OutboxState state) = 0;
  virtual Result<std::vector<OutboxEntry>> ListForTicket(Id ticket_id) = 0;

  // Webhook endpoints (admins only, checked by the caller).
  virtual Result<Id> InsertEndpoint(const WebhookEndpoint& endpoint) = 0;
  virtual Result<std::optional<WebhookEndpoint>> GetEndpoint(Id id) = 0;
  virtual Result<std::vector<WebhookEndpoint>> ListEndpoints() = 0;
  virtual Status UpdateEndpoint(const WebhookEndpoint& endpoint) = 0;
  virtual Result<bool> DeleteEndpoint(Id id) = 0;

  virtual Result<Id> InsertDelivery(const WebhookDelivery& delivery) = 0;
  // Newest first; `before_id` 0 = from the newest.
  virtual Result<std::vector<WebhookDelivery>> ListDeliveries(Id endpoint_id, Id before_id, int limit) = 0;

  // The in-app feed. Insert skips a second entry for the same outbox row.
  virtual Status InsertInApp(const InAppNotification& n) = 0;
  virtual Result<std::vector<InAppNotification>> ListInApp(Id user_id, bool unread_only, Id before_id, int limit) = 0;
  // False when the entry is not the user's.
  virtual Result<bool> MarkInAppRead(Id user_id, Id id, Instant at) = 0;
  virtual Result<std::int64_t> MarkAllInAppRead(Id user_id, Instant at) = 0;
  virtual Result<std::int64_t> CountUnreadInApp(Id user_id) = 0;
};

}  // namespace sladesk
