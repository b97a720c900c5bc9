#include "desk/ticket_conversation.h"

#include "desk/text_rules.h"
#include "desk/ticket_reopen.h"
#include "desk/ticket_rules.h"

namespace sladesk {
namespace {

bool IsToken(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view("!#$%&'*+-.^_`|~").find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace

Result<std::string> TicketConversation::NormaliseMediaType(std::string_view field, std::string_view value) {
  if (Status st = TextRules::CheckSingleLine(field, value); !st.ok()) return st.error();
  std::string_view v = value.substr(0, value.find(';'));
  while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
  while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
  const size_t slash = v.find('/');
  if (slash == std::string_view::npos || !IsToken(v.substr(0, slash)) || !IsToken(v.substr(slash + 1)))
    return MakeError(std::string(field), "'" + std::string(field) + "' must be a media type such as image/png");
  std::string out(v);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

Result<PostedMessage> TicketConversation::Reply(const User& actor, Instant now, std::int64_t number,
                                                const ReplyInput& in) {
  if (TextRules::IsBlank(in.body)) return MakeError("body", "'body' must not be empty");
  if (Status st = TextRules::CheckMultiLine("body", in.body); !st.ok()) return st.error();
  const bool staff = IsStaff(actor.role);
  const bool internal = in.visibility == Visibility::kInternal;
  if (internal && !staff) return ForbiddenError("contacts cannot write internal notes");
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketAccess::CheckVersion(t, in.expected); !st.ok()) return st.error();
  if (Status st = TicketRules::CheckChange(t.status, internal ? TicketChange::kInternalNote : TicketChange::kPublicReply,
                                           staff);
      !st.ok())
    return st.error();

  PostedMessage out;
  std::vector<TicketEventRecord> events;
  if (!internal && !staff && t.status == TicketStatus::kResolved) {
    auto decision = TicketReopen::Decide(*scope, actor, now, /*by_reply=*/true);
    if (!decision.ok()) return decision.error();
    if (*decision == ReopenOutcome::kReopen) {
      TicketReopen::Apply(*scope, actor, now, events, "the customer replied");
      out.reopened = true;
    } else if (*decision == ReopenOutcome::kRequestReview) {
      TicketReopen::Request(*scope, actor, now, events, "the customer replied");
      out.reopen_requested = true;
    }
  }
  auto mid = access_.repo().InsertMessage({0, t.id, actor.id, in.visibility, in.body, now});
  if (!mid.ok()) return mid.error();
  if (internal) {
    events.push_back(TicketAccess::Event(actor, now, EventKind::kInternalNote, {{"message_id", *mid}}));
  } else if (staff) {
    events.push_back(TicketAccess::Event(actor, now, EventKind::kAgentReply, {{"message_id", *mid}}));
    if (t.status == TicketStatus::kNew) {
      t.status = TicketStatus::kOpen;  // the first public answer acknowledges the ticket
      events.push_back(TicketAccess::Event(actor, now, EventKind::kStatusChanged, {{"from", "new"}, {"to", "open"}}));
    }
  } else {
    events.push_back(TicketAccess::Event(actor, now, EventKind::kCustomerReply, {{"message_id", *mid}}));
    if (t.status == TicketStatus::kWaitingOnCustomer) t.status = TicketStatus::kOpen;  // the reply ends the wait
  }
  auto saved = access_.Save(*scope, now, std::move(events));
  if (!saved.ok()) return saved.error();
  out.message = Message{*mid, t.id, actor.id, in.visibility, in.body, now};
  out.ticket = std::move(saved).value();
  return out;
}

Result<AddedAttachment> TicketConversation::Attach(const User& actor, Instant now, std::int64_t number,
                                                   const AttachmentInput& in) {
  if (in.filename.empty() || in.filename.size() > 255)
    return MakeError("filename", "'filename' must be 1 to 255 bytes");
  if (Status st = TextRules::CheckSingleLine("filename", in.filename); !st.ok()) return st.error();
  if (in.filename.find('/') != std::string::npos || in.filename.find('\\') != std::string::npos ||
      in.filename == "." || in.filename == "..")
    return MakeError("filename", "'filename' must not contain a path");
  auto media = NormaliseMediaType("content_type", in.content_type);
  if (!media.ok()) return media.error();
  if (in.data.size() > in.max_bytes)
    return MakeError(ErrorCode::kTooLarge, "content_base64",
                     "attachments are limited to " + std::to_string(in.max_bytes) + " bytes");
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketRules::CheckChange(t.status, TicketChange::kAttach, IsStaff(actor.role)); !st.ok())
    return st.error();
  Attachment a{0, t.id, actor.id, in.filename, *media, static_cast<std::int64_t>(in.data.size()), in.data, now};
  auto aid = access_.repo().InsertAttachment(a);
  if (!aid.ok()) return aid.error();
  a.id = *aid;
  a.data.clear();
  auto saved = access_.Save(*scope, now,
                            {TicketAccess::Event(actor, now, EventKind::kAttachmentAdded,
                                                 {{"attachment_id", a.id}, {"filename", a.filename}})});
  if (!saved.ok()) return saved.error();
  return AddedAttachment{std::move(a), std::move(saved).value()};
}

}  // namespace sladesk
