// OpenApiDocument: the OpenAPI 3.1 description of the API (api/openapi.json),
// compiled into the binary so a deployed server serves the document that
// matches its code at /api/v1/openapi.json.
// Thread-safety: returns a reference to immutable static text. Ownership: static.
#pragma once

#include <string>

namespace sladesk {

const std::string& OpenApiDocument();

}  // namespace sladesk
