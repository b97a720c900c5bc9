// NotificationService: the rules of the notification resources: webhook
// endpoints and their delivery log (admins only), a person's in-app feed
// (their own entries only), and the notifications of one ticket (what was
// sent, what is pending, what failed and why).
//
// Purpose: the API's handlers call these (one operation each) so the
// rules are written once: who may see what, what a valid endpoint is
// (an absolute http(s) URL with a host, at most 2,000 bytes, no spaces or
// control characters; event types from WebhookEventTypes() or "*"), and
// that a contact sees only their own rows of a ticket of their
// organisation (webhook rows are staff's).
// Thread-safety: one unit of work, one thread. Ownership: borrows the
// repository and the policy registry.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/policy_registry.h"

namespace sladesk {

struct WebhookInput {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> event_types;
  std::optional<std::string> description;
  std::optional<bool> enabled;
  std::optional<std::string> secret;  // whsec_...; the caller makes a new one on create
};

struct NotificationFeed {
  std::vector<InAppNotification> items;
  std::int64_t unread = 0;
};

class NotificationService {
 public:
  NotificationService(DeskRepository& repo, const PolicyRegistry& policies) : repo_(repo), policies_(policies) {}

  // Every type an endpoint may subscribe to ("ticket.created", ...).
  static const std::vector<std::string>& WebhookEventTypes();
  static Status CheckUrl(const std::string& url);

  Result<std::vector<WebhookEndpoint>> ListEndpoints(const User& actor);
  Result<WebhookEndpoint> GetEndpoint(const User& actor, Id id);
  Result<WebhookEndpoint> CreateEndpoint(const User& actor, Instant now, const WebhookInput& in);
  // Enabling again clears the disabled reason.
  Result<WebhookEndpoint> UpdateEndpoint(const User& actor, Instant now, Id id, const WebhookInput& in);
  Status DeleteEndpoint(const User& actor, Id id);
  Result<std::vector<WebhookDelivery>> Deliveries(const User& actor, Id endpoint_id, Id before_id, int limit);

  Result<NotificationFeed> Feed(const User& actor, bool unread_only, Id before_id, int limit);
  Result<InAppNotification> MarkRead(const User& actor, Instant now, Id id);
  Result<std::int64_t> MarkAllRead(const User& actor, Instant now);

  Result<std::vector<OutboxEntry>> ForTicket(const User& actor, std::int64_t number);

 private:
  Status CheckAdmin(const User& actor) const;
  Result<OutboxRepository*> Outbox();
  Status Apply(const WebhookInput& in, WebhookEndpoint& e) const;

  DeskRepository& repo_;
  const PolicyRegistry& policies_;
};

}  // namespace sladesk
