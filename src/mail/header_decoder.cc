#include "mail/header_decoder.h"

#include <optional>
#include <vector>

#include "mail/charset.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct EncodedWord {
  std::size_t begin = 0, end = 0;  // [begin, end) in the unfolded value
  std::string charset;             // as written, language suffix included
  std::string bytes;               // decoded, not yet charset-converted
};

// An encoded word starting at s[pos] ("=?"), or nothing.
std::optional<EncodedWord> MatchEncodedWord(std::string_view s, std::size_t pos) {
  if (s.compare(pos, 2, "=?") != 0) return std::nullopt;
  std::size_t q1 = pos + 2;
  std::size_t i = q1;
  while (i < s.size() && s[i] != '?' && s[i] != ' ' && s[i] != '\t' && i - q1 < 64) ++i;
  if (i >= s.size() || s[i] != '?' || i == q1) return std::nullopt;
  const std::string_view charset = s.substr(q1, i - q1);
  if (i + 2 >= s.size() || s[i + 2] != '?') return std::nullopt;
  const char enc = s[i + 1];
  if (enc != 'b' && enc != 'B' && enc != 'q' && enc != 'Q') return std::nullopt;
  const std::size_t text_begin = i + 3;
  std::size_t j = text_begin;
  bool spaced = false;
  while (j + 1 < s.size() && !(s[j] == '?' && s[j + 1] == '=')) {
    // A length no encoder writes ends the search (keeps broken headers linear).
    if (j - text_begin > 1024) return std::nullopt;
    // Whitespace is not allowed in a word, but some senders write raw spaces
    // in one ("=?utf-7?Q?a b?=", "=?UTF-8?Q? x?="); other decoders read the
    // word as meant. Another "=?" before the "?=" means it was no word.
    if (s[j] == ' ' || s[j] == '\t') spaced = true;
    if (spaced && s[j] == '=' && s[j + 1] == '?') return std::nullopt;
    ++j;
  }
  if (j + 1 >= s.size()) return std::nullopt;
  // A spaced word must end where a word could: at the end or before whitespace.
  if (spaced && j + 2 < s.size() && s[j + 2] != ' ' && s[j + 2] != '\t') return std::nullopt;
  EncodedWord w;
  w.begin = pos;
  w.end = j + 2;
  w.charset = std::string(charset);
  const std::string_view text = s.substr(text_begin, j - text_begin);
  w.bytes = (enc == 'b' || enc == 'B') ? DecodeBase64Lenient(text) : DecodeQ(text, true);
  return w;
}

bool IsBlank(std::string_view s) {
  for (char c : s)
    if (c != ' ' && c != '\t') return false;
  return true;
}

}  // namespace

std::string UnfoldHeader(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char c : raw)
    if (c != '\r' && c != '\n') out += c;
  return out;
}

std::string DecodeQ(std::string_view text, bool underscore_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=') {
      const int hi = i + 1 < text.size() ? HexValue(text[i + 1]) : -1;
      const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
      out += c;
    } else if (c == '_' && underscore_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string DecodeBase64Lenient(std::string_view text) {
  std::string out;
  out.reserve(text.size() * 3 / 4 + 3);
  unsigned int acc = 0;
  int bits = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') break;
    else continue;
    acc = (acc << 6) | static_cast<unsigned int>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  return out;
}

std::string DecodeHeaderText(std::string_view raw, std::string_view fallback_charset) {
  const std::string s = UnfoldHeader(raw);
  // Split into plain runs and encoded words.
  struct Piece {
    bool encoded;
    std::string charset;
    std::string bytes;
  };
  std::vector<Piece> pieces;
  std::size_t pos = 0, plain_begin = 0;
  while (pos < s.size()) {
    const std::size_t at = s.find("=?", pos);
    if (at == std::string::npos) break;
    auto w = MatchEncodedWord(s, at);
    if (!w) {
      pos = at + 1;
      continue;
    }
    std::string_view plain(s.data() + plain_begin, at - plain_begin);
    const bool after_word = !pieces.empty() && pieces.back().encoded;
    if (!(after_word && IsBlank(plain)) && !plain.empty()) pieces.push_back({false, {}, std::string(plain)});
    pieces.push_back({true, std::move(w->charset), std::move(w->bytes)});
    pos = plain_begin = w->end;
  }
  if (plain_begin < s.size()) pieces.push_back({false, {}, s.substr(plain_begin)});

  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < pieces.size();) {
    if (!pieces[i].encoded) {
      out += DecodeUnlabelled(pieces[i].bytes, fallback_charset);
      ++i;
      continue;
    }
    // Join consecutive encoded words in the same charset, then convert.
    std::string bytes = pieces[i].bytes;
    const std::string charset = AsciiLower(pieces[i].charset);
    std::size_t j = i + 1;
    while (j < pieces.size() && pieces[j].encoded && AsciiLower(pieces[j].charset) == charset) {
      bytes += pieces[j].bytes;
      ++j;
    }
    std::string text = DecodeToUtf8(bytes, charset, fallback_charset);
    for (char& c : text)
      if (c == '\r' || c == '\n') c = ' ';
    out += text;
    i = j;
  }
  return StripSpace(out);
}

}  // namespace sladesk::mail
