// The monthly customer statement as HTML: a MonthlyStatement rendered
// through a Mustache template with libmstch (Debian's libmstch-dev).
//
// Purpose: `sladesk report statement`. The page prints to PDF from a browser
// (A4 print styles, no scripts, no external resources); the attainment by
// week and the availability month are inline SVG built from the numbers
// here. The default template (statement.mustache) is compiled in; callers
// may pass their own with the same keys (see docs/COMPLIANCE.md). Values
// are HTML-escaped by mstch ({{x}}).
// Thread-safety: pure functions. Ownership: none.
#pragma once

#include <string>

#include "common/result.h"
#include "compliance/statement.h"

namespace sladesk {

const std::string& DefaultStatementTemplate();

// Errors: a template mstch cannot render ("--template").
[[nodiscard]] Result<std::string> RenderStatementHtml(const MonthlyStatement& statement,
                                                      const std::string& template_text);

}  // namespace sladesk
