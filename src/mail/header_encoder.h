// Writing header fields: RFC 2047 encoded words for non-ASCII text, quoted
// display names, folding at 78 columns (RFC 5322 §2.1.1), RFC 2231 file
// names, and the checks that make header injection impossible.
//
// Purpose: the composer's header primitives. Nothing written here can
// contain a bare CR or LF: unstructured text has them replaced by spaces
// before encoding; structured values (addresses, message ids, header names)
// with CR, LF, NUL or other forbidden characters are refused by the Valid*
// checks, which the composer runs first.
// Thread-safety: pure functions. Ownership: returns new strings.
#pragma once

#include <string>
#include <string_view>

namespace sladesk::mail {

// "Name: value" folded to lines of at most 78 characters (longer words
// stay whole), lines joined with CRLF, ending in CRLF. `value` must already
// be encoded (ASCII).
std::string FoldHeader(std::string_view name, std::string_view value);

// Unstructured text (a Subject): as is when it is printable ASCII without
// "=?", else UTF-8 B encoded words of at most 75 characters, split between
// characters. CR/LF/tab runs become one space first.
std::string EncodeUnstructured(std::string_view utf8);

// A display name: an atom sequence as is, ASCII with specials quoted
// ("Doe, Jane"), non-ASCII as encoded words. Empty stays empty.
std::string EncodeDisplayName(std::string_view utf8);

// `name <address>` or `address`; the address must be ValidAddress.
std::string FormatMailbox(std::string_view display_name, std::string_view address);

// "; filename=..." for a file name: plain quoted ASCII, else RFC 2231
// (filename*=utf-8''%C3%A9...). Path separators become '_'.
std::string FilenameParams(std::string_view param, std::string_view utf8_name);
// "; name=..." for Content-Type: plain quoted ASCII, else RFC 2047 words in
// quotes (what Outlook and Gmail write, for clients that read only name=).
std::string NameParam(std::string_view utf8_name);

// local@domain in printable ASCII without spaces, quotes, brackets, commas,
// semicolons or control characters.
bool ValidAddress(std::string_view address);
// <left@right> in printable ASCII without spaces.
bool ValidMessageId(std::string_view id);
// A header field name: printable ASCII without ':' or space.
bool ValidHeaderName(std::string_view name);
// No CR, LF or NUL.
bool SingleLine(std::string_view value);

}  // namespace sladesk::mail
