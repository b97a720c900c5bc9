#include "mail/header_encoder.h"

#include <vector>

#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

bool IsPrintableAscii(std::string_view s) {
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
  }
  return true;
}

std::string Base64(std::string_view data) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += t[(v >> 6) & 63];
    out += t[v & 63];
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += t[v >> 18];
    out += t[(v >> 12) & 63];
    out += i + 1 < data.size() ? t[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// One line of text: CR, LF and tabs become spaces, runs collapse, trimmed.
std::string OneLine(std::string_view s) {
  std::string out;
  for (char c : RepairUtf8(s)) {
    const bool space = c == '\r' || c == '\n' || c == '\t' || c == ' ' || c == '\0';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// UTF-8 text as B encoded words, each at most 75 characters.
std::string EncodedWords(std::string_view utf8) {
  constexpr std::size_t kMaxPayload = 39;  // bytes: "=?utf-8?B?" + 52 base64 chars + "?=" = 64
  std::vector<std::string> words;
  std::size_t pos = 0;
  while (pos < utf8.size()) {
    std::size_t end = pos;
    while (end < utf8.size()) {
      std::size_t next = end;
      NextCodePoint(utf8, next);
      if (next - pos > kMaxPayload && end > pos) break;
      end = next;
    }
    words.push_back("=?utf-8?B?" + Base64(utf8.substr(pos, end - pos)) + "?=");
    pos = end;
  }
  std::string out;
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i > 0) out += ' ';
    out += words[i];
  }
  return out;
}

bool IsAtext(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

}  // namespace

std::string FoldHeader(std::string_view name, std::string_view value) {
  std::string out(name);
  out += ':';
  std::size_t line_len = out.size();
  std::size_t pos = 0;
  bool first = true;
  while (pos < value.size()) {
    std::size_t sp = value.find(' ', pos);
    if (sp == std::string_view::npos) sp = value.size();
    const std::string_view word = value.substr(pos, sp - pos);
    if (!first && line_len + 1 + word.size() > 78) {
      out += "\r\n";
      line_len = 0;
    }
    out += ' ';
    out += word;
    line_len += 1 + word.size();
    first = false;
    pos = sp + 1;
  }
  out += "\r\n";
  return out;
}

std::string EncodeUnstructured(std::string_view utf8) {
  const std::string line = OneLine(utf8);
  if (IsPrintableAscii(line) && line.find("=?") == std::string::npos) return line;
  return EncodedWords(line);
}

std::string EncodeDisplayName(std::string_view utf8) {
  const std::string line = OneLine(utf8);
  if (line.empty()) return line;
  if (!IsPrintableAscii(line) || line.find("=?") != std::string::npos) return EncodedWords(line);
  bool atoms = true;
  for (char c : line) atoms = atoms && (IsAtext(c) || c == ' ');
  if (atoms) return line;
  std::string quoted = "\"";
  for (char c : line) {
    if (c == '"' || c == '\\') quoted += '\\';
    quoted += c;
  }
  return quoted + "\"";
}

std::string FormatMailbox(std::string_view display_name, std::string_view address) {
  const std::string name = EncodeDisplayName(display_name);
  if (name.empty()) return std::string(address);
  return name + " <" + std::string(address) + ">";
}

std::string FilenameParams(std::string_view param, std::string_view utf8_name) {
  std::string name = OneLine(utf8_name);
  for (char& c : name)
    if (c == '/' || c == '\\') c = '_';
  if (IsPrintableAscii(name) && name.find("=?") == std::string::npos) {
    std::string quoted;
    for (char c : name) {
      if (c == '"' || c == '\\') quoted += '\\';
      quoted += c;
    }
    return "; " + std::string(param) + "=\"" + quoted + "\"";
  }
  std::string pct;
  static const char* hex = "0123456789ABCDEF";
  for (char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    const bool attr_char = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                           std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
    if (attr_char) {
      pct += static_cast<char>(c);
    } else {
      pct += '%';
      pct += hex[c >> 4];
      pct += hex[c & 15];
    }
  }
  return "; " + std::string(param) + "*=utf-8''" + pct;
}

std::string NameParam(std::string_view utf8_name) {
  std::string name = OneLine(utf8_name);
  for (char& c : name)
    if (c == '/' || c == '\\') c = '_';
  if (IsPrintableAscii(name) && name.find("=?") == std::string::npos) return FilenameParams("name", name);
  return "; name=\"" + EncodedWords(name) + "\"";
}

bool SingleLine(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

bool ValidAddress(std::string_view a) {
  const std::size_t at = a.rfind('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size() || a.size() > 320) return false;
  for (char c : a) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos) return false;
  }
  return a.find('@') == at;
}

bool ValidMessageId(std::string_view id) {
  if (id.size() < 5 || id.size() > 995 || id.front() != '<' || id.back() != '>') return false;
  const std::string_view inner = id.substr(1, id.size() - 2);
  if (inner.find('@') == std::string_view::npos) return false;
  for (char c : inner) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == '<' || c == '>') return false;
  }
  return true;
}

bool ValidHeaderName(std::string_view name) {
  if (name.empty() || name.size() > 76) return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7F || c == ':') return false;
  }
  return true;
}

}  // namespace sladesk::mail
