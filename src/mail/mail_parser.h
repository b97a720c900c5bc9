// ParseMail: one RFC 5322 message (bytes as received) to a ParsedMail
// (CONTRACT §9).
//
// Purpose: the parser behind `sladesk mail parse`, `mail ingest` and the
// IMAP poller. GMime 3 reads the MIME structure (boundaries, nesting up to
// GMime's 1024 levels, transfer encodings, uuencode); header decoding,
// charsets, addresses and the body rules are sladesk's own (header_decoder,
// charset, address_parser, mail_body, mail_headers), so every choice is one
// we document and test.
// Input rules: a leading UTF-8 BOM, blank lines and one mbox "From " line
// are skipped. What is not a mail message at all (empty, no header field
// "Name: value" at the start, no common mail header such as From, To,
// Subject, Date, Message-ID, Received, MIME-Version or Content-Type in the
// header block) is an Error naming "input". Anything else parses as well as
// it can; nothing throws, crashes or hangs (tests/fuzz/mail_parse_fuzzer).
// Thread-safety: safe to call concurrently (GMime initialised once; every
// call owns its objects). Ownership: borrows `raw`; the result owns copies.
#pragma once

#include <string_view>

#include "common/result.h"
#include "mail/parsed_mail.h"

namespace sladesk::mail {

struct ParseOptions {
  // Keep attachment bytes (MailAttachment::content) and the HTML body
  // (ParsedMail::html); off for `mail parse`, which only reports sizes.
  bool keep_content = false;
};

Result<ParsedMail> ParseMail(std::string_view raw, const ParseOptions& options = {});

// The input checks alone: Ok, or the Error ParseMail would return.
// `body_offset` receives where the header block starts (after BOM, blank
// lines and an mbox From line).
Status CheckLooksLikeMail(std::string_view raw, std::size_t* header_offset = nullptr);

}  // namespace sladesk::mail
