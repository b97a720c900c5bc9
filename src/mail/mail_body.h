// The body rules of CONTRACT §9 over a parsed GMime tree: which part is
// `text`, which parts are its alternatives, and the attachments.
//
// Purpose: internal to ParseMail (mail_parser.cc); separate so the walk is
// readable. The rules (docs/EMAIL.md has the reasons):
// * Parts are visited depth first in message order; a message/rfc822 (or
//   message/global, message/news) part is one leaf: nothing inside it counts.
// * A part is inline unless its Content-Disposition is "attachment".
// * text = the first inline text/plain leaf, else the first inline
//   text/html leaf turned to text. A blank text/plain alternative gives way
//   to its HTML alternative.
// * The body's alternatives: for every multipart/alternative above the
//   body, its other children: a leaf child entirely; a multipart child
//   only its inline text/plain and text/html leaves (its images and files
//   are attachments: "inline images count").
// * Later inline text parts of the body's kind (text/plain, or text/html
//   for an HTML body) without a file name whose parent is a
//   multipart/mixed are appended to text, separated by a line break; they
//   are still listed as attachments (they are neither the body nor its
//   alternatives).
// * uuencoded blocks in a text/plain body are cut out and listed at the
//   body's place (uuencode.h).
// * attachments: every other leaf, in message order.
// * Text: charset undone (charset.h; an HTML part without a charset
//   parameter may name one in <meta>), CRLF and CR to LF, trimmed.
// Thread-safety: as GMime objects: one tree per thread.
// Ownership: borrows the tree.
#pragma once

#include <gmime/gmime.h>

#include <string>
#include <string_view>

#include "mail/parsed_mail.h"

namespace sladesk::mail {

struct BodyOptions {
  bool keep_content = false;
  std::string fallback_charset;
};

// Fills out.text, out.text_from_html, out.html (with keep_content) and out.attachments.
void ExtractBody(GMimeObject* top, const BodyOptions& options, ParsedMail& out);

// The charset parameter of the first text part that declares one other than
// US-ASCII or UTF-8, else that of the first multipart that declares one
// (the fallback for raw 8-bit headers), or "".
std::string FirstDeclaredCharset(GMimeObject* top);

}  // namespace sladesk::mail
