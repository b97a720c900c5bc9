#include "desk/text_rules.h"

#include <cstdio>
#include <string>

namespace sladesk {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length (0 when invalid).
size_t Decode(std::string_view s, size_t i, char32_t* out) {
  const auto b = static_cast<unsigned char>(s[i]);
  int len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
  if (len == 0 || i + len > s.size()) return 0;
  char32_t cp = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
  for (int k = 1; k < len; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (c & 0x3F);
  }
  static constexpr char32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *out = cp;
  return static_cast<size_t>(len);
}

std::string Describe(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

Status Check(std::string_view field, std::string_view value, bool multiline) {
  size_t i = 0;
  while (i < value.size()) {
    char32_t cp = 0;
    size_t n = Decode(value, i, &cp);
    if (n == 0)
      return MakeError(std::string(field), "'" + std::string(field) + "' is not valid UTF-8 (at byte " +
                                               std::to_string(i) + ")");
    const bool control = cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
    const bool allowed = multiline && (cp == '\t' || cp == '\n' || cp == '\r');
    if (control && !allowed)
      return MakeError(std::string(field), "'" + std::string(field) + "' contains the control character " +
                                               Describe(cp) + " at byte " + std::to_string(i) +
                                               (multiline ? "; only tab and line breaks are allowed"
                                                          : "; it must be a single line of text"));
    i += n;
  }
  return Status::Ok();
}

}  // namespace

Status TextRules::CheckSingleLine(std::string_view field, std::string_view value) {
  return Check(field, value, false);
}

Status TextRules::CheckMultiLine(std::string_view field, std::string_view value) {
  return Check(field, value, true);
}

bool TextRules::IsBlank(std::string_view value) {
  return value.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

}  // namespace sladesk
