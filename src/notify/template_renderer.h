// TemplateRenderer: renders notification templates (Mustache, through
// Debian's libmstch) from a directory, with per-policy overrides.
//
// Purpose: one file per notification and format, e.g.
// templates/ticket_acknowledgement.txt.mustache, which a policy overrides
// with templates/<policy_id>/ticket_acknowledgement.txt.mustache. Support
// managers edit them; Mustache has no logic to break. Values are a plain
// nested structure (nlohmann::json: objects, arrays, strings, numbers,
// booleans). {{name}} is HTML-escaped in .html templates and inserted as is
// in .txt ones; {{{name}}} and {{&name}} never escape. A missing template,
// an unreadable file or a syntax error (mustache_check.h) is an Error
// naming the file (and line and column). Files are read on every render, so
// an edited template takes effect without a restart.
// Thread-safety: Render is safe from any thread. mstch escapes through one
// global function; this class installs it once and it reads a
// thread-local mode, so nothing else in the process may set
// mstch::config::escape.
// Ownership: owns the directory path.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace sladesk {

class TemplateRenderer {
 public:
  // Errors name the directory ("templates").
  static Result<TemplateRenderer> Open(const std::filesystem::path& directory);

  // `name` is "<notification>.txt" or "<notification>.html" (letters,
  // digits and '_'); `policy_id` may be empty (no override).
  Result<std::string> Render(const std::string& name, const std::string& policy_id,
                             const nlohmann::json& values) const;
  // The file Render would use.
  Result<std::filesystem::path> Resolve(const std::string& name, const std::string& policy_id) const;
  // Every *.mustache file under the directory parses (for start-up or a check command).
  Status CheckAll() const;
  // The notifications shipped in templates/ (each has .txt and .html).
  static const std::vector<std::string>& DefaultNotifications();

  static std::string HtmlEscape(const std::string& text);

 private:
  explicit TemplateRenderer(std::filesystem::path dir) : dir_(std::move(dir)) {}
  std::filesystem::path dir_;
};

}  // namespace sladesk
