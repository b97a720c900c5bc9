// CheckMustache: finds the syntax errors libmstch would silently render
// around (mstch drops an unclosed section or a mismatched close without a
// word), so a support manager's typo in a template is a clear error naming
// the file, line and column instead of a notification with text missing.
//
// Checks: every tag closed ("}}", or "}}}" for a triple), no empty tag,
// names of letters, digits, '_', '-' and '.', sections ({{#a}}, {{^a}})
// closed by a matching {{/a}} in order, set-delimiter tags well formed.
// Partials ({{> x}}) are refused: templates are one file each.
// Thread-safety: a pure function. Ownership: none.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace sladesk {

// Error.file = `file`, Error.line/column at the offending tag (1-based),
// Error.field = "template".
Status CheckMustache(std::string_view text, const std::string& file);

}  // namespace sladesk
