#include "ops/outbox_webhook_transport.h"

namespace sladesk {

const char* TransportOutcomeName(TransportResult::Outcome outcome) {
  switch (outcome) {
    case TransportResult::Outcome::kDelivered: return "delivered";
    case TransportResult::Outcome::kRetry: return "retry";
    case TransportResult::Outcome::kGone: return "gone";
    case TransportResult::Outcome::kFailed: return "failed";
  }
  return "failed";
}

TransportResult OutboxWebhookTransport::Send(const OutboxMessage& m) {
  TransportResult out;
  if (!m.endpoint) {
    out.outcome = TransportResult::Outcome::kFailed;
    out.detail = "no endpoint";
    return out;
  }
  auto signer = WebhookSigner::FromSecret(m.endpoint->secret);
  if (!signer.ok()) {
    out.outcome = TransportResult::Outcome::kFailed;
    out.detail = "endpoint " + std::to_string(m.endpoint->id) + ": " + signer.error().message;
    return out;
  }
  WebhookResult r = client_.Deliver(m.endpoint->url, *signer, m.message_id, ToEpoch(m.now), m.body);
  out.http_status = r.http_status;
  out.detail = r.detail;
  out.retry_after = r.retry_after;
  out.elapsed = r.elapsed;
  switch (r.outcome) {
    case WebhookResult::Outcome::kDelivered: out.outcome = TransportResult::Outcome::kDelivered; break;
    case WebhookResult::Outcome::kGone: out.outcome = TransportResult::Outcome::kGone; break;
    case WebhookResult::Outcome::kRetry: out.outcome = TransportResult::Outcome::kRetry; break;
    case WebhookResult::Outcome::kRefused: out.outcome = TransportResult::Outcome::kFailed; break;
  }
  return out;
}

}  // namespace sladesk
