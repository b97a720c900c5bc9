// OutboxTransport: the seam between the outbox dispatcher and the ways a
// notification leaves sladesk, one per channel (webhook here; email is
// the mail gateway's SmtpSender behind the same interface).
//
// Purpose: the dispatcher claims a row, renders it (OutboxMessage) and
// asks the channel's transport to send it; the answer says what to do
// with the row: delivered (sent), retry (later, with backoff; the
// receiver's Retry-After when it gave one), gone (a webhook endpoint
// answered 410: disable it) or failed (never worth retrying: a refused URL,
// a bad address). A channel without a transport keeps its rows `held`.
// Thread-safety: Send is called from the dispatcher's thread only.
// Ownership: the dispatcher owns its transports.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/instant.h"
#include "desk/outbox_repository.h"

namespace sladesk {

// One row ready to send.
struct OutboxMessage {
  const OutboxEntry* entry = nullptr;
  const WebhookEndpoint* endpoint = nullptr;  // webhook rows only
  std::string message_id;                     // webhook-id / Message-ID seed: the same on every retry
  Instant now{};
  std::string body;        // webhook: the JSON body; email: the text part
  std::string html;        // email: the HTML part (may be empty)
  std::string subject;     // email / in-app title
  std::string to_address;  // email
  std::string to_name;
};

struct TransportResult {
  enum class Outcome { kDelivered, kRetry, kGone, kFailed };
  Outcome outcome = Outcome::kRetry;
  int http_status = 0;
  std::string detail;
  std::optional<std::chrono::seconds> retry_after;
  std::chrono::milliseconds elapsed{0};
};

const char* TransportOutcomeName(TransportResult::Outcome outcome);  // "delivered", "retry", "gone", "failed"

class OutboxTransport {
 public:
  virtual ~OutboxTransport() = default;
  virtual OutboxChannel channel() const = 0;
  virtual TransportResult Send(const OutboxMessage& message) = 0;
};

}  // namespace sladesk
