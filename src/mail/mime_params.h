// Content-Type / Content-Disposition values and their parameters, decoded.
//
// Purpose: the file name of an attachment and the charset of a text part,
// read as clients read them: RFC 2231 (`filename*=utf-8''%C3%A9t%C3%A9.pdf`,
// continuations `name*0*=`, `name*1=` in index order, the charset of section
// 0), RFC 2047 words inside (or instead of) a quoted value, unquoted values
// with spaces, raw 8-bit values (charset.h's unlabelled rule). An RFC 2231
// value wins over a plain one of the same name; otherwise the first wins.
// Thread-safety: pure functions. Ownership: returns values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sladesk::mail {

struct HeaderParams {
  std::string value;  // "text/plain", "attachment": lower-cased, trimmed
  std::vector<std::pair<std::string, std::string>> params;  // lower-case name -> decoded UTF-8 value

  const std::string* Find(std::string_view name) const;
};

HeaderParams ParseHeaderParams(std::string_view raw, std::string_view fallback_charset = {});

// The decoded file name: Content-Disposition `filename`, else Content-Type
// `name`; null when neither is there or the name is blank.
std::optional<std::string> AttachmentFilename(const HeaderParams& disposition, const HeaderParams& content_type);

}  // namespace sladesk::mail
