#include "mail/utf8.h"

#include <glib.h>

namespace sladesk::mail {
namespace {

// Length of the well-formed sequence starting at s[pos], or 0 when the bytes
// there are ill-formed; `consumed` is then the maximal ill-formed subpart
// (at least 1), per Unicode 15 §3.9 "U+FFFD substitution of maximal subparts".
std::size_t WellFormedLength(std::string_view s, std::size_t pos, std::size_t& consumed, char32_t& cp) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  const unsigned char c = b(pos);
  consumed = 1;
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  std::size_t need;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    need = 1;
    cp = c & 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    need = 2;
    cp = c & 0x0F;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    need = 3;
    cp = c & 0x07;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  for (std::size_t k = 1; k <= need; ++k) {
    if (pos + k >= s.size()) return 0;
    const unsigned char t = b(pos + k);
    const unsigned char l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
    if (t < l || t > h) return 0;
    cp = (cp << 6) | (t & 0x3F);
    consumed = k + 1;
  }
  return need + 1;
}

}  // namespace

bool IsValidUtf8(std::string_view bytes) {
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    if (static_cast<unsigned char>(bytes[pos]) < 0x80) {
      ++pos;
      continue;
    }
    std::size_t consumed;
    char32_t cp;
    const std::size_t n = WellFormedLength(bytes, pos, consumed, cp);
    if (n == 0) return false;
    pos += n;
  }
  return true;
}

char32_t NextCodePoint(std::string_view s, std::size_t& pos) {
  std::size_t consumed;
  char32_t cp;
  const std::size_t n = WellFormedLength(s, pos, consumed, cp);
  if (n == 0) {
    pos += consumed;
    return 0xFFFD;
  }
  pos += n;
  return cp;
}

std::string RepairUtf8(std::string_view bytes) {
  if (IsValidUtf8(bytes)) return std::string(bytes);
  std::string out;
  out.reserve(bytes.size() + 8);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    std::size_t consumed;
    char32_t cp;
    const std::size_t n = WellFormedLength(bytes, pos, consumed, cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      pos += consumed;
    } else {
      out.append(bytes.substr(pos, n));
      pos += n;
    }
  }
  return out;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool IsUnicodeSpace(char32_t cp) {
  if (cp <= 0x20) return cp == 0x20 || (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x1F);
  switch (cp) {
    case 0x85: case 0xA0: case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
      return true;
    default:
      return cp >= 0x2000 && cp <= 0x200A;
  }
}

namespace {

// Byte offset just past the last non-space code point.
std::size_t EndOfContent(std::string_view s) {
  std::size_t pos = 0, end = 0;
  while (pos < s.size()) {
    const char32_t cp = NextCodePoint(s, pos);
    if (!IsUnicodeSpace(cp)) end = pos;
  }
  return end;
}

}  // namespace

std::string StripSpace(std::string_view s) {
  std::size_t begin = 0;
  while (begin < s.size()) {
    std::size_t next = begin;
    if (!IsUnicodeSpace(NextCodePoint(s, next))) break;
    begin = next;
  }
  s.remove_prefix(begin);
  return std::string(s.substr(0, EndOfContent(s)));
}

std::string StripTrailingSpace(std::string_view s) {
  // Fast path: ASCII tail.
  std::size_t n = s.size();
  while (n > 0 && static_cast<unsigned char>(s[n - 1]) < 0x80 && IsUnicodeSpace(static_cast<unsigned char>(s[n - 1])))
    --n;
  if (n == 0 || static_cast<unsigned char>(s[n - 1]) < 0x80) return std::string(s.substr(0, n));
  return std::string(s.substr(0, EndOfContent(s)));
}

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string Utf8Lower(std::string_view s) {
  bool ascii = true;
  for (char c : s) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) return AsciiLower(s);
  const std::string valid = RepairUtf8(s);
  gchar* lowered = g_utf8_strdown(valid.data(), static_cast<gssize>(valid.size()));
  std::string out(lowered);
  g_free(lowered);
  return out;
}

std::string NormalizeNewlines(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r') {
      out += '\n';
      if (i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace sladesk::mail
