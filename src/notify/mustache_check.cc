#include "notify/mustache_check.h"

#include <vector>

namespace sladesk {

namespace {

struct Open {
  std::string name;
  int line, column;
};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ValidName(std::string_view n) {
  if (n == ".") return true;
  if (n.empty()) return false;
  for (char c : n)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.')) return false;
  return true;
}

}  // namespace

Status CheckMustache(std::string_view text, const std::string& file) {
  std::string open = "{{", close = "}}";
  std::vector<Open> sections;
  std::size_t pos = 0;
  auto where = [&](std::size_t at, int* line, int* col) {
    *line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < at; ++i)
      if (text[i] == '\n') {
        ++*line;
        line_start = i + 1;
      }
    *col = static_cast<int>(at - line_start) + 1;
  };
  auto fail = [&](std::size_t at, const std::string& message) -> Status {
    Error e = MakeError("template", message);
    e.file = file;
    where(at, &e.line, &e.column);
    return e;
  };
  while (true) {
    std::size_t p = text.find(open, pos);
    if (p == std::string_view::npos) break;
    std::size_t after = p + open.size();
    bool triple = open == "{{" && after < text.size() && text[after] == '{';
    std::string closing = triple ? "}" + close : close;
    std::size_t end = text.find(closing, after);
    if (end == std::string_view::npos) return fail(p, "the tag opened here is never closed with '" + closing + "'");
    std::string_view content = text.substr(after + (triple ? 1 : 0), end - after - (triple ? 1 : 0));
    pos = end + closing.size();
    if (triple) {
      std::string_view name = Trim(content);
      if (!ValidName(name)) return fail(p, "'{{{" + std::string(content) + "}}}' does not name a value");
      continue;
    }
    content = Trim(content);
    if (content.empty()) return fail(p, "empty tag '" + open + close + "'");
    char kind = content[0];
    if (kind == '!') continue;
    if (kind == '=') {
      if (content.size() < 3 || content.back() != '=')
        return fail(p, "a set-delimiter tag reads {{=<% %>=}}");
      std::string_view inner = Trim(content.substr(1, content.size() - 2));
      auto space = inner.find_first_of(" \t");
      if (space == std::string_view::npos) return fail(p, "a set-delimiter tag needs two delimiters");
      std::string_view a = Trim(inner.substr(0, space)), b = Trim(inner.substr(space));
      if (a.empty() || b.empty() || a.find('=') != std::string_view::npos || b.find('=') != std::string_view::npos)
        return fail(p, "a set-delimiter tag needs two delimiters without '='");
      open = std::string(a);
      close = std::string(b);
      continue;
    }
    if (kind == '>') return fail(p, "partials ('" + std::string(content) + "') are not supported: one file per template");
    std::string_view name = (kind == '#' || kind == '^' || kind == '/' || kind == '&') ? Trim(content.substr(1)) : content;
    if (!ValidName(name))
      return fail(p, "'" + open + std::string(content) + close + "' does not name a value (letters, digits, _ - .)");
    int line = 0, col = 0;
    where(p, &line, &col);
    if (kind == '#' || kind == '^') {
      sections.push_back({std::string(name), line, col});
    } else if (kind == '/') {
      if (sections.empty()) return fail(p, "'" + open + "/" + std::string(name) + close + "' closes no section");
      if (sections.back().name != name)
        return fail(p, "'" + open + "/" + std::string(name) + close + "' closes the section '" + sections.back().name +
                           "' opened at line " + std::to_string(sections.back().line) + ", column " +
                           std::to_string(sections.back().column));
      sections.pop_back();
    }
  }
  if (!sections.empty()) {
    Error e = MakeError("template", "the section '" + sections.back().name + "' is never closed");
    e.file = file;
    e.line = sections.back().line;
    e.column = sections.back().column;
    return e;
  }
  return Status::Ok();
}

}  // namespace sladesk
