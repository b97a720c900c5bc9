// OutboxWebhookTransport: the webhook channel of the outbox: signs the
// body per Standard Webhooks (WebhookSigner: webhook-id, webhook-timestamp,
// webhook-signature: v1,<base64 HMAC-SHA256>) with the endpoint's secret
// and POSTs it with WebhookClient to the endpoint's URL, which only an
// admin can register.
// Thread-safety: see OutboxTransport. Ownership: owns its client.
#pragma once

#include "notify/webhook_client.h"
#include "ops/outbox_transport.h"

namespace sladesk {

class OutboxWebhookTransport final : public OutboxTransport {
 public:
  explicit OutboxWebhookTransport(WebhookClientOptions options = {}) : client_(std::move(options)) {}
  OutboxChannel channel() const override { return OutboxChannel::kWebhook; }
  TransportResult Send(const OutboxMessage& message) override;

 private:
  WebhookClient client_;
};

}  // namespace sladesk
