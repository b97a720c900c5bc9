// TextRules: what characters the desk stores in people's text.
//
// Purpose: one decision for every front end (API, mail, scheduler notes).
// A single-line value (a subject, a name, a file name, a field value) may
// hold no control character at all: C0 (U+0000–U+001F), DEL or C1
// (U+0080–U+009F); they are how a value breaks out into a mail or HTTP
// header, or smuggles terminal escapes into a log. Multi-line text (a
// description, a message body) may hold TAB, LF and CR, but no other
// control character (NUL, ESC, ...). Text is stored exactly as sent
// otherwise. The text must be valid UTF-8.
// Thread-safety: stateless. Ownership: none.
#pragma once

#include <string_view>

#include "common/result.h"

namespace sladesk {

class TextRules {
 public:
  // kInvalid naming `field` and the offending character's position.
  static Status CheckSingleLine(std::string_view field, std::string_view value);
  static Status CheckMultiLine(std::string_view field, std::string_view value);
  // Whether the text is all whitespace (or empty).
  static bool IsBlank(std::string_view value);
};

}  // namespace sladesk
