// uuencoded files inside a text body ("begin 644 name" ... "end").
//
// Purpose: old clients (Outlook Express, Lotus Notes, scripts piping
// `uuencode`) put files into the text body itself; mail clients (Thunderbird,
// Roundcube) show them as attachments, and so does sladesk: a well-formed
// block is cut out of `text` and becomes an attachment named after its begin
// line, its media type guessed from the file extension. A block that is not
// well formed (bad line lengths, characters outside the uuencode alphabet,
// no "end") stays in the text untouched.
// Thread-safety: pure functions. Ownership: returns values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sladesk::mail {

struct UuencodedFile {
  std::string filename;
  std::string content_type;  // from the extension; application/octet-stream otherwise
  std::string data;          // decoded bytes
};

// Cuts the well-formed blocks out of `text` (LF line ends) and returns them
// in order; `text` keeps everything else.
std::vector<UuencodedFile> ExtractUuencodedFiles(std::string& text);

// Media type for a file name's extension ("report.pdf" -> application/pdf).
std::string MediaTypeForFilename(std::string_view filename);

}  // namespace sladesk::mail
