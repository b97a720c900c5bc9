// /api/v1/webhooks: the webhook endpoints an admin registers (the only URLs
// sladesk ever calls) and each endpoint's delivery log.
#include "desk/notification_service.h"
#include "notify/webhook_signer.h"
#include "server/handlers.h"
#include "server/json_fields.h"

namespace sladesk {
namespace {

using nlohmann::json;

json EndpointJson(const WebhookEndpoint& e, bool with_secret) {
  json j{{"id", e.id},
         {"url", e.url},
         {"event_types", e.event_types},
         {"description", e.description},
         {"enabled", e.enabled},
         {"disabled_reason", e.disabled_reason.empty() ? json() : json(e.disabled_reason)},
         {"created_at", FormatInstant(e.created_at)},
         {"updated_at", FormatInstant(e.updated_at)}};
  // The secret is shown when it is made (create, rotate) and never again.
  if (with_secret) j["secret"] = e.secret;
  return j;
}

json DeliveryJson(const WebhookDelivery& d) {
  return {{"id", d.id},
          {"outbox_id", d.outbox_id},
          {"ticket_id", d.ticket_id ? json(*d.ticket_id) : json()},
          {"event_type", d.event_type},
          {"message_id", d.message_id},
          {"attempt", d.attempt},
          {"at", FormatInstant(d.at)},
          {"outcome", d.outcome},
          {"http_status", d.http_status ? json(d.http_status) : json()},
          {"detail", d.detail},
          {"duration_ms", d.duration_ms}};
}

// Reads the endpoint fields; `rotate_secret` asks for a new secret.
bool ReadEndpoint(JsonFields& f, const json& body, WebhookInput& in, bool* rotate) {
  in.url = f.OptString("url", 2000, false);
  in.description = f.OptString("description", 500);
  in.enabled = f.OptBool("enabled");
  in.secret = f.OptString("secret", 200, false);
  if (rotate) *rotate = f.OptBool("rotate_secret").value_or(false);
  if (f.ok() && body.contains("event_types")) {
    const json& t = body["event_types"];
    std::vector<std::string> types;
    if (!t.is_array()) f.Fail(Invalid("event_types", "'event_types' must be an array of strings"));
    else
      for (const auto& v : t) {
        if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 100) {
          f.Fail(Invalid("event_types", "'event_types' must be an array of event type names"));
          break;
        }
        types.push_back(v.get<std::string>());
      }
    in.event_types = std::move(types);
  }
  if (f.ok() && in.secret && !WebhookSigner::FromSecret(*in.secret).ok())
    f.Fail(Invalid("secret", "'secret' must be whsec_ followed by the base64 of 24 to 64 bytes"));
  return f.ok();
}

constexpr std::initializer_list<const char*> kFields = {"url", "event_types", "description", "enabled", "secret",
                                                        "rotate_secret"};

}  // namespace

ApiResponse ListWebhooks(ApiCall& call) {
  auto list = NotificationService(call.repo, call.policies).ListEndpoints(call.actor);
  if (!list.ok()) return ProblemFor(list.error());
  json items = json::array();
  for (const auto& e : *list) items.push_back(EndpointJson(e, false));
  return JsonResponse(200, json{{"items", items}, {"event_types", NotificationService::WebhookEventTypes()}});
}

ApiResponse CreateWebhook(ApiCall& call) {
  JsonFields f(call.body, kFields);
  WebhookInput in;
  if (!ReadEndpoint(f, call.body, in, nullptr)) return ProblemResponse(f.error());
  if (call.body.contains("rotate_secret"))
    return ProblemResponse(Invalid("rotate_secret", "'rotate_secret' is for PATCH; a new webhook gets a new secret"));
  if (!in.secret) in.secret = WebhookSigner::NewSecret();
  auto e = NotificationService(call.repo, call.policies).CreateEndpoint(call.actor, call.now, in);
  if (!e.ok()) return ProblemFor(e.error());
  return WithHeader(JsonResponse(201, EndpointJson(*e, true)), "Location", "/api/v1/webhooks/" + std::to_string(e->id));
}

ApiResponse GetWebhook(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  auto e = NotificationService(call.repo, call.policies).GetEndpoint(call.actor, id);
  if (!e.ok()) return ProblemFor(e.error());
  return JsonResponse(200, EndpointJson(*e, false));
}

ApiResponse UpdateWebhook(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  JsonFields f(call.body, kFields);
  WebhookInput in;
  bool rotate = false;
  if (!ReadEndpoint(f, call.body, in, &rotate)) return ProblemResponse(f.error());
  if (rotate && in.secret) return ProblemResponse(Invalid("rotate_secret", "give 'secret' or 'rotate_secret', not both"));
  if (rotate) in.secret = WebhookSigner::NewSecret();
  auto e = NotificationService(call.repo, call.policies).UpdateEndpoint(call.actor, call.now, id, in);
  if (!e.ok()) return ProblemFor(e.error());
  return JsonResponse(200, EndpointJson(*e, rotate || in.secret));
}

ApiResponse DeleteWebhook(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  Status st = NotificationService(call.repo, call.policies).DeleteEndpoint(call.actor, id);
  if (!st.ok()) return ProblemFor(st.error());
  ApiResponse r;
  r.status = 204;
  return r;
}

ApiResponse ListWebhookDeliveries(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  std::int64_t before = 0, limit = 50;
  for (const auto& [k, v] : call.req.query) {
    std::int64_t n = 0;
    if (k != "before" && k != "limit")
      return ProblemResponse(BadRequest(k, "unknown query parameter '" + k + "'; allowed: before, limit"));
    if (!ParseId(v, &n) || (k == "limit" && n > 200))
      return ProblemResponse(BadRequest(k, k == "limit" ? "'limit' must be 1..200" : "'before' must be a delivery id"));
    (k == "limit" ? limit : before) = n;
  }
  auto log = NotificationService(call.repo, call.policies).Deliveries(call.actor, id, before, static_cast<int>(limit));
  if (!log.ok()) return ProblemFor(log.error());
  json items = json::array();
  for (const auto& d : *log) items.push_back(DeliveryJson(d));
  json body{{"items", items}};
  if (static_cast<std::int64_t>(log->size()) == limit && !log->empty()) body["next_before"] = log->back().id;
  return JsonResponse(200, body);
}

}  // namespace sladesk
