// DecodeInbound: one received message (bytes) as the desk's InboundMail.
//
// Purpose: the mail side of routing, before any rule runs: ParseMail
// (CONTRACT §9), the dedupe digest, the signed ticket tag verified with the
// server's secret (In-Reply-To first, then References newest first; for a
// bounce, any sladesk Message-ID quoted in the returned message), whether
// the Message-ID is one sladesk signed (our own mail came back), the failed
// recipients of a delivery report (Final-Recipient), the DMARC verdict and
// the quoted history trimmed off the text (kept in `quoted`).
// Digest: SHA-256 over From, Date, Subject, the text and the attachments'
// types and sizes: the same message delivered twice (an MTA retry, the
// mailbox polled and the pipe) has the same key even when its Received
// lines differ.
// Thread-safety: pure function. Ownership: returns values.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "desk/mail_types.h"
#include "mail/mail_parser.h"

namespace sladesk::mailgate {

Result<InboundMail> DecodeInbound(std::string_view raw, std::string_view source, const std::string& secret);
// The same from a message already parsed with ParseOptions::keep_content
// (`raw` is what was parsed), for callers that also need the parse itself.
InboundMail DecodeInbound(const mail::ParsedMail& parsed, std::string_view raw, std::string_view source,
                          const std::string& secret);

}  // namespace sladesk::mailgate
