// /api/v1/notifications (the signed-in person's in-app feed) and
// /api/v1/tickets/{number}/notifications (what a ticket told whom, and
// what is pending or failed).
#include "desk/notification_service.h"
#include "server/handlers.h"

namespace sladesk {
namespace {

using nlohmann::json;

json FeedJson(const InAppNotification& n) {
  return {{"id", n.id},
          {"ticket_number", n.ticket_number ? json(n.ticket_number) : json()},
          {"kind", n.kind},
          {"title", n.title},
          {"body", n.body},
          {"read", n.read},
          {"created_at", FormatInstant(n.created_at)},
          {"read_at", n.read_at ? json(FormatInstant(*n.read_at)) : json()}};
}

json OutboxJson(const OutboxEntry& e) {
  return {{"id", e.id},
          {"channel", OutboxChannelName(e.channel)},
          {"recipient", e.recipient},
          {"user_id", e.user_id ? json(*e.user_id) : json()},
          {"template", e.template_name},
          {"event_type", e.event_type},
          {"event_index", e.event_index ? json(*e.event_index) : json()},
          {"state", OutboxStateName(e.state)},
          {"attempts", e.attempts},
          {"next_attempt_at", e.state == OutboxState::kPending ? json(FormatInstant(e.next_attempt_at)) : json()},
          {"last_error", e.last_error.empty() ? json() : json(e.last_error)},
          {"created_at", FormatInstant(e.created_at)},
          {"sent_at", e.sent_at ? json(FormatInstant(*e.sent_at)) : json()}};
}

}  // namespace

ApiResponse ListNotifications(ApiCall& call) {
  bool unread = false;
  std::int64_t before = 0, limit = 50;
  for (const auto& [k, v] : call.req.query) {
    std::int64_t n = 0;
    if (k == "unread") {
      if (v != "true" && v != "false") return ProblemResponse(BadRequest("unread", "'unread' must be true or false"));
      unread = v == "true";
    } else if (k == "before" || k == "limit") {
      if (!ParseId(v, &n) || (k == "limit" && n > 200))
        return ProblemResponse(BadRequest(k, k == "limit" ? "'limit' must be 1..200" : "'before' must be an id"));
      (k == "limit" ? limit : before) = n;
    } else {
      return ProblemResponse(BadRequest(k, "unknown query parameter '" + k + "'; allowed: unread, before, limit"));
    }
  }
  auto feed = NotificationService(call.repo, call.policies).Feed(call.actor, unread, before, static_cast<int>(limit));
  if (!feed.ok()) return ProblemFor(feed.error());
  json items = json::array();
  for (const auto& n : feed->items) items.push_back(FeedJson(n));
  json body{{"items", items}, {"unread", feed->unread}};
  if (static_cast<std::int64_t>(feed->items.size()) == limit && !feed->items.empty())
    body["next_before"] = feed->items.back().id;
  return JsonResponse(200, body);
}

ApiResponse MarkNotificationRead(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto n = NotificationService(call.repo, call.policies).MarkRead(call.actor, call.now, id);
  if (!n.ok()) return ProblemFor(n.error());
  return JsonResponse(200, FeedJson(*n));
}

ApiResponse MarkAllNotificationsRead(ApiCall& call) {
  auto n = NotificationService(call.repo, call.policies).MarkAllRead(call.actor, call.now);
  if (!n.ok()) return ProblemFor(n.error());
  return JsonResponse(200, json{{"marked", *n}});
}

ApiResponse ListTicketNotifications(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  auto rows = NotificationService(call.repo, call.policies).ForTicket(call.actor, number);
  if (!rows.ok()) return ProblemFor(rows.error());
  json items = json::array();
  std::int64_t failed = 0, pending = 0;
  for (const auto& r : *rows) {
    items.push_back(OutboxJson(r));
    failed += r.state == OutboxState::kFailed;
    pending += r.state == OutboxState::kPending || r.state == OutboxState::kSending || r.state == OutboxState::kHeld;
  }
  return JsonResponse(200, json{{"items", items}, {"failed", failed}, {"pending", pending}});
}

}  // namespace sladesk
