// Decoding of header field values to UTF-8: unfolding and RFC 2047 encoded
// words, read loosely the way mail clients read them.
//
// Purpose: Subject and display names (the address parser hands its phrases
// here). Rules: folding line breaks are removed (the whitespace after them
// stays, RFC 5322 §2.2.3); encoded words `=?charset[*lang]?B|Q?text?=` are
// decoded even when glued to other text; whitespace between two encoded
// words is dropped (RFC 2047 §6.2); consecutive encoded words in one charset
// are joined before charset conversion, so a multi-byte character split
// across two words survives; unknown charsets and raw 8-bit bytes use the
// unlabelled rule of charset.h with the message's fallback charset. Decoded
// CR/LF become spaces; the result is trimmed.
// Thread-safety: pure functions. Ownership: returns new strings.
#pragma once

#include <string>
#include <string_view>

namespace sladesk::mail {

// CR and LF removed (a raw header value as stored, folded, with its line end).
std::string UnfoldHeader(std::string_view raw);

// Unfolds and decodes an unstructured value (Subject, a phrase). Trims.
std::string DecodeHeaderText(std::string_view raw, std::string_view fallback_charset = {});

// Q (RFC 2047 §4.2; `underscore_is_space`) and B (lenient base64) decoding.
std::string DecodeQ(std::string_view text, bool underscore_is_space);
std::string DecodeBase64Lenient(std::string_view text);

}  // namespace sladesk::mail
