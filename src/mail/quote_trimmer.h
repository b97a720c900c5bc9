// Quoted history trimmed from a reply, never lost.
//
// Purpose: what a ticket shows as the customer's new words, with the earlier
// messages they quoted set aside (kept in TrimmedText::quoted, for a
// collapsed part or an attachment). A pure function over the parsed text
// and, when the message had one, its HTML body.
// What counts as quoted history (docs/EMAIL.md lists the forms):
// * sladesk's own "##- Please type your reply above this line -##" marker
//   (kReplyAboveMarker; quoted with '>' or not): everything from it (and
//   from the attribution line just above it) on.
// * Outlook: "-----Original Message-----" (and its translations), a
//   From:/Sent:/To:/Subject: header block (English, German, French, Spanish,
//   Italian, Dutch), in HTML div#divRplyFwdMsg, div#appendonsend,
//   hr#stopSpelling: everything from it on (Outlook only top-posts).
// * Gmail div.gmail_quote, Thunderbird div.moz-cite-prefix + blockquote,
//   Apple Mail/Thunderbird blockquote[type=cite], Yahoo div.yahoo_quoted,
//   ProtonMail div.protonmail_quote: the block only, so text after it stays.
// * In text: '>' quoted blocks and the attribution line before them ("On …
//   wrote:", "Am … schrieb …:", "Le … a écrit :", "El … escribió:", "Il …
//   ha scritto:", "Op … schreef …:", "Em … escreveu:", "Den … skrev …:");
//   only those lines go, so what the sender wrote between or below quotes
//   stays. An attribution line with a date or address followed by unquoted
//   text (HTML mail turned to text) cuts from there on.
// Conservative: forwarded messages ("---------- Forwarded message ----------")
// are content, not history, and are kept; when nothing would be left the
// text is kept whole (trimmed = false).
// Thread-safety: pure functions. Ownership: returns values.
#pragma once

#include <string>
#include <string_view>

namespace sladesk::mail {

inline constexpr std::string_view kReplyAboveMarker = "##- Please type your reply above this line -##";

struct TrimmedText {
  std::string reply;   // the new text
  std::string quoted;  // what was trimmed ("" when nothing)
  bool trimmed = false;
};

// `text` is the plain text (ParsedMail::text); `html` the HTML alternative
// when there is one (ParsedMail::html), else empty.
TrimmedText TrimQuotedHistory(std::string_view text, std::string_view html = {});

}  // namespace sladesk::mail
