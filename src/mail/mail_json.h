// The JSON form of a ParsedMail, as `sladesk mail parse` prints it
// (CONTRACT §9).
//
// Purpose: the contract's keys in its order (message_id, in_reply_to,
// references, from, to, subject, ticket_number, auto_generated, text,
// attachments), then sladesk's extra keys: cc, and reply_text/quoted_text
// when the caller passes a trimmed reply (quote_trimmer.h). Absent values
// are null, absent lists []. Two-space indentation, UTF-8 (not \u-escaped),
// a final newline.
// Thread-safety: pure function. Ownership: returns a new string.
#pragma once

#include <string>

#include "mail/parsed_mail.h"

namespace sladesk::mail {

struct TrimmedText;

std::string ParsedMailToJson(const ParsedMail& mail, const TrimmedText* trimmed = nullptr);

}  // namespace sladesk::mail
