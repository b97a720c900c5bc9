// /api/v1/mail/held (staff: list, read, release held and refused mail) and
// /api/v1/mail/sender-rules (admins: the unknown-sender setting per domain).
// The rules are HeldMailService's; the stored bytes are decoded here, by
// the mail gateway's decoder (mail parsing stays in src/mail).
#include "desk/held_mail_service.h"
#include "mail/mail_parser.h"
#include "mailgate/inbound_decoder.h"
#include "server/desk_api.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/query_params.h"
#include "storage/sql_mail_repository.h"

namespace sladesk {
namespace {

using nlohmann::json;

json Opt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

json RecordJson(const InboundMailRecord& r) {
  json out{{"id", r.id},
           {"message_id", r.message_id},
           {"received_at", FormatInstant(r.received_at)},
           {"source", r.source},
           {"sender", r.sender},
           {"subject", r.subject},
           {"action", std::string(MailActionName(r.action))},
           {"reason", r.reason},
           {"ticket_number", Opt(r.ticket_number)},
           {"size", r.raw.size()}};
  json release = nullptr;
  if (r.released_at)
    release = json{{"action", r.release_action},
                   {"at", FormatInstant(*r.released_at)},
                   {"by", Opt(r.released_by)},
                   {"ticket_number", Opt(r.released_ticket)}};
  out["release"] = release;
  return out;
}

std::string SourceOf(const InboundMailRecord& r) { return r.source.empty() ? std::string("held") : r.source; }

MailDecoder Decoder(const ApiCall& call) {
  const std::string secret = call.config.mail_secret;
  return [secret](const InboundMailRecord& r) -> Result<InboundMail> {
    return mailgate::DecodeInbound(r.raw, SourceOf(r), secret);
  };
}

// The held mail's routing view of the message, with the parser's headers
// (one parse for both). `from` receives the decoded sender address.
json MessageJson(const ApiCall& call, const InboundMailRecord& r, std::string* from) {
  if (r.raw.empty()) return nullptr;
  mail::ParseOptions options;
  options.keep_content = true;
  auto parsed = mail::ParseMail(r.raw, options);
  if (!parsed.ok()) return json{{"error", parsed.error().message}};
  const InboundMail in = mailgate::DecodeInbound(*parsed, r.raw, SourceOf(r), call.config.mail_secret);
  *from = in.from_address;
  json files = json::array();
  for (const auto& a : in.attachments)
    files.push_back({{"filename", a.filename}, {"content_type", a.content_type}, {"size", a.data.size()}});
  json to = json::array();
  for (const auto& a : parsed->to) to.push_back(a.address);
  json cc = json::array();
  for (const auto& a : parsed->cc) cc.push_back(a.address);
  return json{{"from", {{"email", in.from_address}, {"name", in.from_name}}},
              {"subject", in.subject},
              {"text", in.text},
              {"quoted", in.quoted},
              {"attachments", files},
              {"auto_generated", in.auto_generated},
              {"dmarc_failed", in.dmarc_failed},
              {"bounce", in.bounce},
              {"to", to},
              {"cc", cc},
              {"date", parsed->date ? json(*parsed->date) : json(nullptr)}};
}

template <typename F>
auto WithMail(ApiCall& call, F f) -> decltype(f(std::declval<HeldMailService&>())) {
  auto mail = SqlMailRepository::ForUnit(call.repo);
  if (!mail.ok()) return ProblemFor(mail.error());
  HeldMailService service(call.repo, *mail, call.policies);
  return f(service);
}

bool ReadAction(const std::string& text, MailAction* out) {
  auto a = MailActionFromName(text);
  if (!a || (*a != MailAction::kHeld && *a != MailAction::kRefused)) return false;
  *out = *a;
  return true;
}

json RuleJson(const SenderRule& r) {
  return json{{"domain", r.domain},
              {"action", std::string(UnknownSenderActionName(r.action))},
              {"organisation_id", Opt(r.organisation_id)}};
}

json SenderJson(const HeldSender& s) {
  return json{{"kind", std::string(HeldSenderKindName(s.kind))},
              {"user_id", Opt(s.user_id)},
              {"name", s.user_id ? json(s.name) : json(nullptr)},
              {"organisation_id", Opt(s.organisation_id)},
              {"organisation_name", s.organisation_id ? json(s.organisation_name) : json(nullptr)},
              {"domain_rule", s.domain_rule ? RuleJson(*s.domain_rule) : json(nullptr)}};
}

}  // namespace

ApiResponse ListHeldMail(ApiCall& call) {
  QueryParams q(call.req, {"action", "state", "after", "limit"});
  auto action = q.Text("action", 20);
  auto state = q.Text("state", 20);
  HeldMailQuery query;
  query.after_id = q.Id("after").value_or(0);
  query.limit = static_cast<int>(std::min<std::int64_t>(q.Id("limit").value_or(50), 500));
  if (!q.ok()) return ProblemResponse(q.error());
  if (action && *action != "all") {
    MailAction a;
    if (!ReadAction(*action, &a)) return ProblemResponse(BadRequest("action", "'action' must be held, refused or all"));
    query.action = a;
  }
  if (!state || *state == "pending") query.released = false;
  else if (*state == "released") query.released = true;
  else if (*state != "all") return ProblemResponse(BadRequest("state", "'state' must be pending, released or all"));
  return WithMail(call, [&](HeldMailService& s) {
    auto list = s.List(call.actor, query);
    if (!list.ok()) return ProblemFor(list.error());
    json items = json::array();
    for (const auto& r : *list) items.push_back(RecordJson(r));
    json body{{"items", items}};
    body["next_after"] = static_cast<int>(list->size()) == query.limit ? json(list->back().id) : json(nullptr);
    return JsonResponse(200, body);
  });
}

ApiResponse GetHeldMail(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  return WithMail(call, [&](HeldMailService& s) {
    auto r = s.Get(call.actor, id);
    if (!r.ok()) return ProblemFor(r.error());
    json body = RecordJson(*r);
    std::string from = r->sender;
    body["message"] = MessageJson(call, *r, &from);
    auto sender = s.Sender(call.actor, from);
    if (!sender.ok()) return ProblemFor(sender.error());
    body["sender_status"] = SenderJson(*sender);
    return JsonResponse(200, body);
  });
}

ApiResponse ReleaseHeldMail(ApiCall& call) {
  ApiResponse problem;
  std::int64_t id = 0;
  if (!IdParam(call, 0, "id", &id, &problem)) return problem;
  JsonFields f(call.body, {"action", "organisation_id", "ticket_number", "allow_domain", "severity", "fields"});
  const std::string action = f.RequiredString("action", 20);
  HeldReleaseInput in;
  in.organisation_id = f.OptInt("organisation_id", 1, INT64_MAX);
  in.ticket_number = f.OptInt("ticket_number", 1, INT64_MAX);
  in.allow_domain = f.OptBool("allow_domain").value_or(false);
  in.open.severity = f.OptString("severity", 50);
  if (auto m = f.OptStringMap("fields", 20000)) in.open.fields = std::move(*m);
  if (!f.ok()) return ProblemResponse(f.error());
  auto a = HeldReleaseFromName(action);
  if (!a) return ProblemResponse(Invalid("action", "'action' must be open, attach or discard"));
  in.action = *a;
  return WithMail(call, [&](HeldMailService& s) {
    auto r = s.Release(call.actor, call.now, id, in, Decoder(call));
    if (!r.ok()) return ProblemFor(r.error());
    json body = RecordJson(r->record);
    body["outcome"] = {{"action", std::string(MailActionName(r->outcome.action))},
                       {"reason", r->outcome.reason},
                       {"ticket_number", Opt(r->outcome.ticket_number)},
                       {"acknowledged", r->outcome.answer == MailAnswer::kAcknowledgement}};
    ApiResponse out = JsonResponse(200, body);
    if (r->outcome.ticket) out = ChangedTicket(std::move(out), *r->outcome.ticket);
    return out;
  });
}

ApiResponse ListSenderRules(ApiCall& call) {
  QueryParams q(call.req, {});
  if (!q.ok()) return ProblemResponse(q.error());
  return WithMail(call, [&](HeldMailService& s) {
    auto list = s.ListSenderRules(call.actor);
    if (!list.ok()) return ProblemFor(list.error());
    json items = json::array();
    for (const auto& r : *list) items.push_back(RuleJson(r));
    return JsonResponse(200, json{{"items", items}});
  });
}

ApiResponse PutSenderRule(ApiCall& call) {
  JsonFields f(call.body, {"action", "organisation_id"});
  const std::string action = f.RequiredString("action", 20);
  SenderRule rule;
  rule.domain = call.params.at(0);
  rule.organisation_id = f.OptInt("organisation_id", 1, INT64_MAX);
  if (!f.ok()) return ProblemResponse(f.error());
  auto a = UnknownSenderActionFromName(action);
  if (!a) return ProblemResponse(Invalid("action", "'action' must be refuse, hold or create_contact"));
  rule.action = *a;
  return WithMail(call, [&](HeldMailService& s) {
    auto r = s.PutSenderRule(call.actor, rule);
    if (!r.ok()) return ProblemFor(r.error());
    return JsonResponse(200, RuleJson(*r));
  });
}

ApiResponse DeleteSenderRule(ApiCall& call) {
  return WithMail(call, [&](HeldMailService& s) {
    Status st = s.DeleteSenderRule(call.actor, call.params.at(0));
    if (!st.ok()) return ProblemFor(st.error());
    ApiResponse out;
    out.status = 204;
    return out;
  });
}

}  // namespace sladesk
