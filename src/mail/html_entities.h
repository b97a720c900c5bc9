// The HTML5 named character references ("amp;", "nbsp;", "nbsp" for the
// legacy ones that may omit the semicolon), generated into html_entities.cc.
//
// Purpose: entity decoding for HTML mail turned to text.
// Thread-safety: a constant table. Ownership: returns static strings.
#pragma once

#include <string_view>

namespace sladesk::mail {

// The UTF-8 text for `name` (without '&', with its ';' when written), or null.
const char* LookupHtmlEntity(std::string_view name);

}  // namespace sladesk::mail
