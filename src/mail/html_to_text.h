// HTML mail turned to plain text.
//
// Purpose: the `text` of an HTML-only message (CONTRACT §9) and the input of
// the quoted-history trimmer. No tags; entities decoded (every HTML5 named
// reference, numeric ones with the HTML5 windows-1252 remapping of
// &#128;-&#159;); <script>, <style>, <title>, <template> and comments
// dropped; whitespace collapsed as a browser does, except in <pre>; block
// elements (div, p, li, tr, h1-h6, blockquote, table, ...) start new lines,
// <p> and headings leave a blank line, <br> breaks a line, table cells are
// separated by a space; non-breaking spaces become spaces, trailing spaces
// are removed from every line, at most one blank line in a row, and the
// result is trimmed. Link targets and image alt texts are not shown.
// Thread-safety: pure function. Ownership: returns a new string.
#pragma once

#include <string>
#include <string_view>

namespace sladesk::mail {

// `html` is UTF-8 (charset already undone).
std::string HtmlToText(std::string_view html);

// Entities in `text` decoded (the rules above); exposed for tests.
std::string DecodeHtmlEntities(std::string_view text);

}  // namespace sladesk::mail
