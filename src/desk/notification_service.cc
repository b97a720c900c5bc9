#include "desk/notification_service.h"

#include <algorithm>

#include "desk/notification_planner.h"
#include "desk/text_rules.h"
#include "desk/ticket_access.h"

namespace sladesk {

const std::vector<std::string>& NotificationService::WebhookEventTypes() {
  static const std::vector<std::string> kTypes = [] {
    std::vector<std::string> out;
    for (int k = 0; k <= static_cast<int>(EventKind::kAutoClosed); ++k) {
      std::string t = NotificationPlanner::WebhookType(static_cast<EventKind>(k));
      if (!t.empty() && std::find(out.begin(), out.end(), t) == out.end()) out.push_back(t);
    }
    return out;
  }();
  return kTypes;
}

Status NotificationService::CheckUrl(const std::string& url) {
  if (url.size() > 2000) return MakeError("url", "'url' is longer than 2,000 bytes");
  for (unsigned char c : url)
    if (c <= 0x20 || c == 0x7f) return MakeError("url", "'url' must not contain spaces or control characters");
  std::string rest;
  if (url.rfind("https://", 0) == 0) rest = url.substr(8);
  else if (url.rfind("http://", 0) == 0) rest = url.substr(7);
  else return MakeError("url", "'url' must be an absolute http:// or https:// URL");
  const std::string host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.front() == ':' || host.find('@') != std::string::npos)
    return MakeError("url", "'url' must name a host (and no user name or password)");
  return Status::Ok();
}

Status NotificationService::CheckAdmin(const User& actor) const {
  if (actor.role != Role::kAdmin && actor.role != Role::kSystem) return ForbiddenError("only admins manage webhooks");
  return Status::Ok();
}

Result<OutboxRepository*> NotificationService::Outbox() {
  if (!repo_.outbox()) return MakeError(ErrorCode::kUnavailable, "outbox", "this store keeps no notifications");
  return repo_.outbox();
}

Status NotificationService::Apply(const WebhookInput& in, WebhookEndpoint& e) const {
  if (in.url) {
    if (Status st = CheckUrl(*in.url); !st.ok()) return st;
    e.url = *in.url;
  }
  if (in.event_types) {
    if (in.event_types->empty())
      return MakeError("event_types", "'event_types' must name at least one type (or \"*\" for all)");
    for (const auto& t : *in.event_types) {
      const auto& known = WebhookEventTypes();
      if (t != "*" && std::find(known.begin(), known.end(), t) == known.end()) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        return MakeError("event_types", "unknown event type '" + t + "'; known: *, " + list);
      }
    }
    e.event_types = *in.event_types;
  }
  if (in.description) {
    if (Status st = TextRules::CheckSingleLine("description", *in.description); !st.ok()) return st;
    e.description = *in.description;
  }
  if (in.secret) {
    if (in.secret->rfind("whsec_", 0) != 0 || in.secret->size() < 20)
      return MakeError("secret", "'secret' must be a Standard Webhooks secret (whsec_ and base64)");
    e.secret = *in.secret;
  }
  if (in.enabled) {
    if (*in.enabled && !e.enabled) e.disabled_reason.clear();
    if (!*in.enabled && e.enabled) e.disabled_reason = "disabled by an admin";
    e.enabled = *in.enabled;
  }
  return Status::Ok();
}

Result<std::vector<WebhookEndpoint>> NotificationService::ListEndpoints(const User& actor) {
  if (Status st = CheckAdmin(actor); !st.ok()) return st.error();
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  return (*ob)->ListEndpoints();
}

Result<WebhookEndpoint> NotificationService::GetEndpoint(const User& actor, Id id) {
  if (Status st = CheckAdmin(actor); !st.ok()) return st.error();
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  auto e = (*ob)->GetEndpoint(id);
  if (!e.ok()) return e.error();
  if (!*e) return NotFoundError("webhook " + std::to_string(id) + " does not exist");
  return std::move(**e);
}

Result<WebhookEndpoint> NotificationService::CreateEndpoint(const User& actor, Instant now, const WebhookInput& in) {
  if (Status st = CheckAdmin(actor); !st.ok()) return st.error();
  if (!in.url) return MakeError("url", "'url' is required");
  if (!in.secret) return MakeError("secret", "a webhook needs a signing secret");
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  WebhookEndpoint e;
  e.event_types = {"*"};
  if (Status st = Apply(in, e); !st.ok()) return st.error();
  e.created_at = e.updated_at = now;
  auto id = (*ob)->InsertEndpoint(e);
  if (!id.ok()) return id.error();
  e.id = *id;
  return e;
}

Result<WebhookEndpoint> NotificationService::UpdateEndpoint(const User& actor, Instant now, Id id,
                                                            const WebhookInput& in) {
  auto e = GetEndpoint(actor, id);
  if (!e.ok()) return e.error();
  if (Status st = Apply(in, *e); !st.ok()) return st.error();
  e->updated_at = now;
  if (Status st = repo_.outbox()->UpdateEndpoint(*e); !st.ok()) return st.error();
  return e;
}

Status NotificationService::DeleteEndpoint(const User& actor, Id id) {
  if (Status st = CheckAdmin(actor); !st.ok()) return st;
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  auto gone = (*ob)->DeleteEndpoint(id);
  if (!gone.ok()) return gone.error();
  if (!*gone) return NotFoundError("webhook " + std::to_string(id) + " does not exist");
  return Status::Ok();
}

Result<std::vector<WebhookDelivery>> NotificationService::Deliveries(const User& actor, Id endpoint_id, Id before_id,
                                                                     int limit) {
  auto e = GetEndpoint(actor, endpoint_id);
  if (!e.ok()) return e.error();
  return repo_.outbox()->ListDeliveries(endpoint_id, before_id, limit);
}

Result<NotificationFeed> NotificationService::Feed(const User& actor, bool unread_only, Id before_id, int limit) {
  if (actor.id == 0) return ForbiddenError("sladesk itself has no notification feed");
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  NotificationFeed f;
  auto items = (*ob)->ListInApp(actor.id, unread_only, before_id, limit);
  if (!items.ok()) return items.error();
  f.items = std::move(*items);
  auto unread = (*ob)->CountUnreadInApp(actor.id);
  if (!unread.ok()) return unread.error();
  f.unread = *unread;
  return f;
}

Result<InAppNotification> NotificationService::MarkRead(const User& actor, Instant now, Id id) {
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  auto marked = (*ob)->MarkInAppRead(actor.id, id, now);
  if (!marked.ok()) return marked.error();
  // Another person's entry is reported as absent (its existence is not revealed).
  if (!*marked) return NotFoundError("notification " + std::to_string(id) + " does not exist");
  auto items = (*ob)->ListInApp(actor.id, false, id + 1, 1);
  if (!items.ok()) return items.error();
  if (items->empty() || items->front().id != id) return NotFoundError("notification " + std::to_string(id) + " does not exist");
  return items->front();
}

Result<std::int64_t> NotificationService::MarkAllRead(const User& actor, Instant now) {
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  return (*ob)->MarkAllInAppRead(actor.id, now);
}

Result<std::vector<OutboxEntry>> NotificationService::ForTicket(const User& actor, std::int64_t number) {
  TicketAccess access(repo_, policies_);
  auto scope = access.Load(actor, number, false, false);
  if (!scope.ok()) return scope.error();
  auto ob = Outbox();
  if (!ob.ok()) return ob.error();
  auto rows = (*ob)->ListForTicket(scope->ticket.id);
  if (!rows.ok()) return rows.error();
  if (IsStaff(actor.role)) return rows;
  std::vector<OutboxEntry> own;
  for (auto& r : *rows)
    if (r.user_id == actor.id && r.channel != OutboxChannel::kWebhook) own.push_back(std::move(r));
  return own;
}

}  // namespace sladesk
