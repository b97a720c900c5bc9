// The policy loader: TOML policy text or file -> validated Policy.
//
// Purpose: the only way other layers make a Policy from a file (the SLA
// command, the server, `sladesk policy check`). The language is described in
// docs/POLICY.md. Every error carries file, line and column, so
// Error::ToString() reads "policies/gold.toml:12:5: plans[gold]...: ...".
// Thread-safety: pure functions; the returned Policy is immutable and may be
// shared across threads. No I/O except reading the file LoadPolicyFile is
// given (or the directory LoadPolicyDirectory lists); never throws.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "policy/policy.h"

namespace sladesk {

// Loads and validates; the first error (with file, line, column) on failure.
[[nodiscard]] Result<std::shared_ptr<const Policy>> LoadPolicyFile(const std::string& path);
[[nodiscard]] Result<std::shared_ptr<const Policy>> ParsePolicy(std::string_view toml_text,
                                                                std::string_view source_name);
// Every *.toml file of `dir`, sorted by file name, each loaded and validated;
// the first file's error (with its file name) on failure.
[[nodiscard]] Result<std::vector<std::shared_ptr<const Policy>>> LoadPolicyDirectory(const std::string& dir);
// Every error found, in file order, each with file/line/column set
// (Error::ToString() gives "file:line:col: ..."). Empty when the text is a
// valid policy.
[[nodiscard]] std::vector<Error> CheckPolicyText(std::string_view toml_text,
                                                 std::string_view source_name);

}  // namespace sladesk
