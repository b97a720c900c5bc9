// UTF-8 helpers for the mail parser: validation, repair, case and
// whitespace rules shared by header decoding, body decoding and HTML text.
//
// Purpose: every string the mail code hands out is valid UTF-8; these are the
// few primitives that guarantee it (invalid sequences become U+FFFD, one per
// maximal ill-formed subpart, the way WHATWG decoders and Python's
// errors="replace" count them).
// Thread-safety: pure functions. Ownership: returns new strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sladesk::mail {

bool IsValidUtf8(std::string_view bytes);

// `bytes` with every ill-formed sequence replaced by U+FFFD.
std::string RepairUtf8(std::string_view bytes);

// Appends the UTF-8 form of `cp` (U+FFFD for surrogates and values past U+10FFFF).
void AppendUtf8(std::string& out, char32_t cp);

// Decodes one code point at `pos` of valid-or-not UTF-8; advances pos (at
// least one byte). Ill-formed input gives U+FFFD.
char32_t NextCodePoint(std::string_view s, std::size_t& pos);

// True for the code points Python's str.isspace() accepts (ASCII whitespace,
// \x1c-\x1f, U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F,
// U+205F, U+3000), which is what `strip()` removes.
bool IsUnicodeSpace(char32_t cp);

// Leading and trailing IsUnicodeSpace code points removed (Python's strip()).
std::string StripSpace(std::string_view s);
// Trailing ones only.
std::string StripTrailingSpace(std::string_view s);

// ASCII letters lower-cased; other bytes unchanged.
std::string AsciiLower(std::string_view s);

// Unicode simple lower-casing (via GLib's g_utf8_strdown), for addresses with
// non-ASCII characters. Valid UTF-8 in, valid UTF-8 out.
std::string Utf8Lower(std::string_view s);

// CRLF and lone CR become LF.
std::string NormalizeNewlines(std::string_view s);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);

}  // namespace sladesk::mail
