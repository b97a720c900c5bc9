// TicketConversation: replies, internal notes and attachments.
//
// Purpose: the conversation rules. The first public answer of an agent
// acknowledges a new ticket (new → open); a customer's reply ends a wait
// (waiting_on_customer → open) and, on a resolved ticket, asks to reopen
// it as the policy's reopen rule says (ticket_reopen.h). Only staff write
// internal notes. Closed tickets take nothing but staff notes (one rule:
// TicketRules::CheckChange). Attachment metadata is checked here, so no
// front end can store a file name or media type that breaks out of the
// header it is later sent in.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <string>

#include "common/result.h"
#include "desk/ticket_access.h"

namespace sladesk {

struct ReplyInput {
  std::string body;
  Visibility visibility = Visibility::kPublic;
  ExpectedVersion expected;
};

struct PostedMessage {
  Message message;
  Ticket ticket;
  bool reopened = false;          // the reply reopened a resolved ticket
  bool reopen_requested = false;  // the reply asked an agent to reopen it
};

struct AttachmentInput {
  std::string filename;
  std::string content_type = "application/octet-stream";
  std::string data;
  std::size_t max_bytes = 2 * 1024 * 1024;
};

struct AddedAttachment {
  Attachment attachment;  // without its data
  Ticket ticket;
};

class TicketConversation {
 public:
  TicketConversation(DeskRepository& repo, const PolicyRegistry& policies) : access_(repo, policies) {}

  Result<PostedMessage> Reply(const User& actor, Instant now, std::int64_t number, const ReplyInput& input);
  Result<AddedAttachment> Attach(const User& actor, Instant now, std::int64_t number, const AttachmentInput& input);

  // A media type as stored: "type/subtype" in lower case with RFC 9110
  // token characters, parameters dropped; kInvalid naming `field` otherwise.
  static Result<std::string> NormaliseMediaType(std::string_view field, std::string_view value);

 private:
  TicketAccess access_;
};

}  // namespace sladesk
