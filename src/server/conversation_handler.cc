// /api/v1/tickets/{number}/messages and .../attachments: the conversation.
#include "desk/ticket_conversation.h"
#include "desk/ticket_queries.h"
#include "server/desk_api.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/json_views.h"
#include "server/token_codec.h"

namespace sladesk {
namespace {

using nlohmann::json;

// Media types a browser may show inline from our origin without risk;
// anything else is served as a download of application/octet-stream.
bool SafeToServe(const std::string& type) {
  static const char* kSafe[] = {"image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf",
                                "text/plain", "text/csv", "application/json", "application/zip",
                                "application/gzip", "application/x-har+json", "video/mp4", "audio/mpeg"};
  for (const char* s : kSafe)
    if (type == s) return true;
  return false;
}

// RFC 6266 / RFC 8187: an ASCII fallback and the UTF-8 name percent-encoded.
std::string ContentDisposition(const std::string& filename) {
  std::string ascii, encoded;
  static const char* kHex = "0123456789ABCDEF";
  for (unsigned char c : filename) {
    const bool attr = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr) {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 15];
    }
    ascii += (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') ? static_cast<char>(c) : '_';
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

}  // namespace

ApiResponse ListMessages(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  auto msgs = TicketQueries(call.repo, call.policies).Messages(call.actor, number);
  if (!msgs.ok()) return ProblemFor(msgs.error());
  json items = json::array();
  for (const auto& [m, author] : *msgs) items.push_back(MessageJson(m, number, author ? &*author : nullptr));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse AddMessage(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"body", "visibility"});
  ReplyInput in;
  in.body = f.RequiredString("body", 100000);
  auto vis = f.OptString("visibility", 20);
  if (!f.ok()) return ProblemResponse(f.error());
  if (vis) {
    auto v = VisibilityFromName(*vis);
    if (!v) return ProblemFor(MakeError("visibility", "'visibility' must be public or internal"));
    in.visibility = *v;
  }
  in.expected = TicketExpectation(call, number, false);
  auto posted = TicketConversation(call.repo, call.policies).Reply(call.actor, call.now, number, in);
  if (!posted.ok()) return ProblemFor(posted.error());
  const Ticket t = posted->ticket;
  ApiResponse r = DeferredJsonResponse(201, [p = std::move(posted).value()] {
    json body = MessageJson(p.message, p.ticket.number, nullptr);
    body["ticket"] = TicketJson(p.ticket, StoredSla(p.ticket));
    body["reopened"] = p.reopened;
    body["reopen_requested"] = p.reopen_requested;
    return body;
  });
  r = ChangedTicket(std::move(r), t);
  return WithHeader(std::move(r), "Location", "/api/v1/tickets/" + std::to_string(t.number) + "/messages");
}

ApiResponse ListAttachments(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  auto list = TicketQueries(call.repo, call.policies).Attachments(call.actor, number);
  if (!list.ok()) return ProblemFor(list.error());
  json items = json::array();
  for (const auto& a : *list) items.push_back(AttachmentJson(a));
  return JsonResponse(200, json{{"items", items}});
}

ApiResponse AddAttachment(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"filename", "content_type", "content_base64"});
  AttachmentInput in;
  in.filename = f.RequiredString("filename", 255);
  in.content_type = f.OptString("content_type", 200, false).value_or("application/octet-stream");
  std::string encoded = f.RequiredString("content_base64", call.config.max_body_bytes);
  if (!f.ok()) return ProblemResponse(f.error());
  auto data = TokenCodec::Base64Decode(encoded);
  if (!data) return ProblemFor(MakeError("content_base64", "'content_base64' is not valid base64"));
  in.data = std::move(*data);
  in.max_bytes = call.config.max_attachment_bytes;
  auto added = TicketConversation(call.repo, call.policies).Attach(call.actor, call.now, number, in);
  if (!added.ok()) return ProblemFor(added.error());
  ApiResponse r = JsonResponse(201, AttachmentJson(added->attachment));
  r = ChangedTicket(std::move(r), added->ticket);
  return WithHeader(std::move(r), "Location",
                    "/api/v1/tickets/" + std::to_string(number) + "/attachments/" + std::to_string(added->attachment.id));
}

ApiResponse GetAttachment(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0, aid = 0;
  if (!IdParam(call, 0, "number", &number, &problem) || !IdParam(call, 1, "attachment_id", &aid, &problem))
    return problem;
  auto a = TicketQueries(call.repo, call.policies).GetAttachment(call.actor, number, aid);
  if (!a.ok()) return ProblemFor(a.error());
  ApiResponse r;
  r.status = 200;
  // Served from an allow-list of types, never sniffed, always as a download,
  // and sandboxed should a browser render it anyway.
  r.content_type = SafeToServe(a->content_type) ? a->content_type : "application/octet-stream";
  r.body = std::move(a->data);
  r.headers.emplace_back("Content-Disposition", ContentDisposition(a->filename));
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  r.headers.emplace_back("Content-Security-Policy", "default-src 'none'; sandbox");
  r.headers.emplace_back("Cache-Control", "private, no-store");
  return r;
}

}  // namespace sladesk
