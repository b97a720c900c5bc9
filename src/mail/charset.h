// Charset labels read the way mail clients read them, and decoding to UTF-8.
//
// Purpose: one place for the label table (GB2312 as GB18030, ks_c_5601-1987
// and EUC-KR as CP949, ISO-8859-1 and US-ASCII as windows-1252, Shift_JIS as
// CP932, ... after the WHATWG Encoding Standard that browsers and mail
// clients follow) and for turning bytes in any of them into valid UTF-8
// (glibc iconv; windows-1252 and UTF-8 decoded here). Ill-formed bytes
// become U+FFFD; nothing throws.
// Unlabelled or unknown-label text: UTF-8 when the bytes are valid UTF-8,
// else the caller's fallback charset (the message's declared body charset,
// when it has one), else KOI8-R or windows-1251 when the bytes are shaped
// like Cyrillic (words only of 0xC0-0xFF letters, one of four or more, none
// mixed with ASCII letters), else windows-1252.
// ISO-2022-JP is read with the Windows (CP50220) extensions, and as CP932
// when its bytes are 8-bit.
// Thread-safety: pure functions (iconv descriptors are opened per call).
// Ownership: returns new strings.
#pragma once

#include <string>
#include <string_view>

namespace sladesk::mail {

// The decoder name for a label: an iconv name ("GB18030", "CP949"), or one of
// the special names "UTF-8", "ASCII" (US-ASCII: UTF-8 when valid, else
// windows-1252), "WINDOWS-1252". Empty when the label is empty, unknown to
// both the table and iconv, or one of the "unknown" labels (unknown-8bit,
// x-unknown, default, ...).
std::string CanonicalCharset(std::string_view label);

// `bytes` in charset `label` as UTF-8. An empty/unknown label uses the
// unlabelled rule with `fallback_label` (itself ignored when unknown).
std::string DecodeToUtf8(std::string_view bytes, std::string_view label, std::string_view fallback_label = {});

// The unlabelled rule alone: 7-bit text with ISO 2022 escapes (ESC $ B, ...)
// as ISO-2022-JP (or ISO-2022-KR), else valid UTF-8 as is, else
// `fallback_label`'s decoder when known, else the Cyrillic guess, else
// windows-1252.
std::string DecodeUnlabelled(std::string_view bytes, std::string_view fallback_label = {});

// windows-1252 (the WHATWG form: the five undefined bytes map to the C1
// controls of the same value) to UTF-8.
std::string Windows1252ToUtf8(std::string_view bytes);

}  // namespace sladesk::mail
