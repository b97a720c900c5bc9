// OutgoingMessage: one mail sladesk sends (an acknowledgement, an agent's
// reply, a notification), before it is written as RFC 5322 bytes by
// ComposeMessage (mail_composer.h).
//
// Purpose: the value the desk's outbox hands to the composer and the SMTP
// transport. Texts are UTF-8; addresses plain "local@domain".
// Thread-safety: a plain value type. Ownership: owns everything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sladesk::mail {

struct OutgoingAddress {
  std::string address;  // "jane@customer.example"
  std::string name;     // display name, may be empty
};

struct OutgoingAttachment {
  std::string filename;                               // UTF-8
  std::string content_type = "application/octet-stream";  // "type/subtype"
  std::string data;                                   // the bytes
  std::string content_id;                             // without <>; set: an inline part (cid: in the HTML)
};

struct OutgoingMessage {
  OutgoingAddress from;
  std::vector<OutgoingAddress> to, cc;
  std::vector<std::string> bcc;  // envelope only, never a header
  std::optional<OutgoingAddress> reply_to;
  std::string subject;                        // without the tag
  std::optional<std::int64_t> ticket_number;  // "[#N] " is put in front of the subject (once)
  std::string text;                           // the plain text body
  std::string html;                           // optional HTML alternative
  std::vector<OutgoingAttachment> attachments;
  std::optional<std::string> in_reply_to;  // "<id@host>" of the message answered
  std::vector<std::string> references;     // oldest first; In-Reply-To is appended when missing
  bool automatic = false;       // sent without a person: Auto-Submitted: auto-replied (RFC 3834)
  bool reply_marker = false;    // the "##- Please type your reply above this line -##" line on top
  std::vector<std::pair<std::string, std::string>> headers;  // extra header fields (ASCII values)
};

}  // namespace sladesk::mail
