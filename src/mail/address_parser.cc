#include "mail/address_parser.h"

#include "mail/charset.h"
#include "mail/header_decoder.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

enum class Tok { kAtom, kQuoted, kComment, kAngle, kSpace, kComma, kColon, kSemicolon, kAt, kOther };

struct Token {
  Tok kind;
  std::string text;  // quoted: unescaped content; angle: inside the brackets; others: as written
};

bool IsWs(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Length of an RFC 2047 encoded word at s[i] ("=?cs?Q?text?="), or 0. Its
// text may hold specials (',' '@' ':' '(' ...) that senders do not escape
// ("=?iso-8859-1?Q?B=FCrling,=20Andreas?="): the word is one atom.
std::size_t EncodedWordLength(std::string_view s, std::size_t i) {
  if (s.compare(i, 2, "=?") != 0) return 0;
  std::size_t j = i + 2;
  while (j < s.size() && s[j] != '?' && !IsWs(s[j]) && j - i < 66) ++j;
  if (j == i + 2 || j + 2 >= s.size() || s[j] != '?' || s[j + 2] != '?') return 0;
  const char enc = s[j + 1];
  if (enc != 'q' && enc != 'Q' && enc != 'b' && enc != 'B') return 0;
  for (std::size_t k = j + 3; k + 1 < s.size() && k - i < 1100; ++k) {
    if (IsWs(s[k]) || s[k] == '"') return 0;
    if (s[k] == '?' && s[k + 1] == '=') return k + 2 - i;
  }
  return 0;
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (IsWs(c)) {
      while (i < s.size() && IsWs(s[i])) ++i;
      out.push_back({Tok::kSpace, " "});
    } else if (c == '"') {
      std::string text;
      ++i;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        if (s[i] != '\r' && s[i] != '\n') text += s[i];
        ++i;
      }
      if (i < s.size()) ++i;
      out.push_back({Tok::kQuoted, std::move(text)});
    } else if (c == '(') {
      int depth = 0;
      std::string text;
      while (i < s.size()) {
        if (s[i] == '\\' && i + 1 < s.size()) {
          text += s[i + 1];
          i += 2;
          continue;
        }
        if (s[i] == '(') ++depth;
        if (s[i] == ')') --depth;
        text += s[i++];
        if (depth == 0) break;
      }
      out.push_back({Tok::kComment, std::move(text)});
    } else if (c == '<') {
      std::size_t end = i + 1;
      bool in_quote = false;
      while (end < s.size() && (in_quote || (s[end] != '>' && s[end] != ','))) {
        if (s[end] == '"') in_quote = !in_quote;
        if (s[end] == '\\' && end + 1 < s.size()) ++end;
        ++end;
      }
      out.push_back({Tok::kAngle, std::string(s.substr(i + 1, end - i - 1))});
      i = end < s.size() && s[end] == '>' ? end + 1 : end;
    } else if (const std::size_t ew = EncodedWordLength(s, i); ew > 0) {
      out.push_back({Tok::kAtom, std::string(s.substr(i, ew))});
      i += ew;
    } else if (c == ',' || c == ':' || c == ';' || c == '@') {
      out.push_back({c == ',' ? Tok::kComma : c == ':' ? Tok::kColon : c == ';' ? Tok::kSemicolon : Tok::kAt,
                     std::string(1, c)});
      ++i;
    } else if (c == '>' || c == ')') {
      ++i;  // stray closers are dropped
    } else {
      std::size_t end = i;
      while (end < s.size() && !IsWs(s[end]) &&
             std::string_view("\"(<,:;@>)").find(s[end]) == std::string_view::npos)
        ++end;
      out.push_back({Tok::kAtom, std::string(s.substr(i, end - i))});
      i = end;
    }
  }
  return out;
}

// The phrase tokens [b, e) as one string: quoted strings unquoted, comments
// dropped, whitespace runs one space; then RFC 2047 and 8-bit decoding.
std::string Phrase(const std::vector<Token>& t, std::size_t b, std::size_t e, std::string_view fallback) {
  std::string raw;
  for (std::size_t i = b; i < e; ++i) {
    switch (t[i].kind) {
      case Tok::kComment:
      case Tok::kSpace:
        if (!raw.empty() && raw.back() != ' ') raw += ' ';
        break;
      case Tok::kQuoted:
        raw += t[i].text;
        break;
      default:
        raw += t[i].text;
    }
  }
  return DecodeHeaderText(raw, fallback);
}

std::string CleanAddress(std::string_view raw, std::string_view fallback) {
  std::string a;
  // Drop whitespace and comments; keep quoted local parts as written.
  bool in_quote = false;
  int comment = 0;
  for (char c : raw) {
    if (c == '"' && comment == 0) in_quote = !in_quote;
    if (!in_quote) {
      if (c == '(') ++comment;
      if (comment > 0) {
        if (c == ')') --comment;
        continue;
      }
      if (IsWs(c)) continue;
    }
    a += c;
  }
  // An obsolete route: "@a,@b:jane@x".
  if (!a.empty() && a[0] == '@') {
    if (auto colon = a.find(':'); colon != std::string::npos) a = a.substr(colon + 1);
  }
  if (a.rfind("mailto:", 0) == 0 || a.rfind("MAILTO:", 0) == 0) a = a.substr(7);
  // A root dot ("jane@example.com.") names the same domain.
  if (a.size() > 2 && a.back() == '.' && a.find('@') != std::string::npos && a[a.size() - 2] != '@') a.pop_back();
  // A quoted local part that needs no quotes is the same mailbox unquoted
  // (RFC 5322 3.4.1): "\"#fax#1\"@x" is #fax#1@x.
  if (a.size() > 3 && a[0] == '"') {
    const std::size_t close = a.find('"', 1);
    if (close != std::string::npos && close + 1 < a.size() && a[close + 1] == '@' && close > 1) {
      const std::string_view local(a.data() + 1, close - 1);
      bool atom = local.front() != '.' && local.back() != '.' && local.find("..") == std::string_view::npos;
      for (char ch : local)
        atom = atom && ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                        std::string_view("!#$%&'*+-/=?^_`{|}~.").find(ch) != std::string_view::npos);
      if (atom) a = std::string(local) + a.substr(close + 1);
    }
  }
  return Utf8Lower(DecodeUnlabelled(a, fallback));
}

struct Chunk {
  std::size_t begin, end;  // token range
};

struct Parsed {
  MailAddress mailbox;
  bool has_angle = false;
  bool words_only = false;  // no address-like content: only a phrase
  bool bare_word = false;   // one word without '@' ("MAILER-DAEMON", or "Doe" of "Doe, Jane <jd@x>")
  std::string phrase;
};

std::vector<Parsed> ParseChunk(const std::vector<Token>& t, Chunk c, std::string_view fallback) {
  Parsed p;
  std::size_t angle = c.end;
  for (std::size_t i = c.begin; i < c.end; ++i)
    if (t[i].kind == Tok::kAngle) {
      angle = i;
      break;
    }
  if (angle != c.end) {
    p.has_angle = true;
    p.mailbox.address = CleanAddress(t[angle].text, fallback);
    p.phrase = Phrase(t, c.begin, angle, fallback);
    if (!p.phrase.empty()) p.mailbox.name = p.phrase;
    return {p};
  }
  // No angle brackets: split into whitespace-separated groups.
  std::vector<std::pair<std::size_t, std::size_t>> groups;
  std::size_t g = c.begin;
  bool any_at = false;
  // Obsolete domains and local parts may have spaces around their dots
  // ("jdoe@test   . example"): such a space separates nothing.
  auto dot_space = [&](std::size_t i) {
    if (t[i].kind != Tok::kSpace) return false;
    const bool before = i > c.begin && t[i - 1].kind == Tok::kAtom && !t[i - 1].text.empty() && t[i - 1].text.back() == '.';
    const bool after = i + 1 < c.end && t[i + 1].kind == Tok::kAtom && !t[i + 1].text.empty() && t[i + 1].text.front() == '.';
    return before || after;
  };
  for (std::size_t i = c.begin; i <= c.end; ++i) {
    const bool boundary =
        i == c.end || (t[i].kind == Tok::kSpace && !dot_space(i)) || t[i].kind == Tok::kComment;
    if (i < c.end && t[i].kind == Tok::kAt) any_at = true;
    if (boundary) {
      if (i > g) groups.emplace_back(g, i);
      g = i + 1;
    }
  }
  if (groups.empty()) return {p};
  auto group_text = [&](std::pair<std::size_t, std::size_t> r) {
    std::string s;
    for (std::size_t i = r.first; i < r.second; ++i)
      if (t[i].kind != Tok::kSpace) s += t[i].kind == Tok::kQuoted ? "\"" + t[i].text + "\"" : t[i].text;
    return s;
  };
  if (!any_at) {
    if (groups.size() == 1 && !(groups[0].second - groups[0].first == 1 && t[groups[0].first].kind == Tok::kQuoted)) {
      p.mailbox.address = CleanAddress(group_text(groups[0]), fallback);
      p.bare_word = true;
      p.phrase = Phrase(t, c.begin, c.end, fallback);
    } else {
      p.words_only = true;
      p.phrase = Phrase(t, c.begin, c.end, fallback);
    }
    return {p};
  }
  // "Jane Doe jane@x": one group holds a whole address, the rest is the name.
  int with_at = -1, count_at = 0;
  for (std::size_t k = 0; k < groups.size(); ++k) {
    bool has = false;
    for (std::size_t i = groups[k].first; i < groups[k].second; ++i) has = has || t[i].kind == Tok::kAt;
    if (has) {
      ++count_at;
      with_at = static_cast<int>(k);
    }
  }
  auto whole_address = [&](std::pair<std::size_t, std::size_t> r) {
    int ats = 0;
    for (std::size_t i = r.first; i < r.second; ++i) ats += t[i].kind == Tok::kAt;
    return ats == 1 && t[r.first].kind != Tok::kAt && t[r.second - 1].kind != Tok::kAt;
  };
  // "tim@x concierge@y": addresses separated by spaces instead of commas.
  if (count_at >= 2) {
    bool all_whole = true;
    for (const auto& r : groups) all_whole = all_whole && whole_address(r);
    if (all_whole) {
      std::vector<Parsed> out;
      for (const auto& r : groups) {
        Parsed one;
        one.mailbox.address = CleanAddress(group_text(r), fallback);
        out.push_back(std::move(one));
      }
      return out;
    }
  }
  const auto& wg = groups[static_cast<std::size_t>(with_at)];
  const bool whole = count_at == 1 && whole_address(wg);
  if (whole && groups.size() > 1) {
    p.mailbox.address = CleanAddress(group_text(wg), fallback);
    const std::string name = with_at > 0 ? Phrase(t, c.begin, wg.first, fallback) : std::string();
    if (!name.empty()) p.mailbox.name = name;
    return {p};
  }
  std::string all;
  for (const auto& r : groups) all += group_text(r);
  p.mailbox.address = CleanAddress(all, fallback);
  return {p};
}

}  // namespace

std::vector<MailAddress> ParseAddressList(std::string_view raw, std::string_view fallback_charset) {
  const std::string unfolded = UnfoldHeader(raw);
  const std::vector<Token> t = Tokenize(unfolded);
  std::vector<Chunk> chunks;
  std::size_t begin = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const Tok k = t[i].kind;
    if (k == Tok::kComma || k == Tok::kSemicolon) {
      chunks.push_back({begin, i});
      begin = i + 1;
    } else if (k == Tok::kColon) {
      // A group name ends at the colon, unless the chunk already has an address.
      bool address_like = false;
      for (std::size_t j = begin; j < i; ++j) address_like = address_like || t[j].kind == Tok::kAngle || t[j].kind == Tok::kAt;
      if (!address_like) begin = i + 1;
    }
  }
  chunks.push_back({begin, t.size()});

  std::vector<Parsed> parsed;
  for (const Chunk& c : chunks)
    for (auto& p : ParseChunk(t, c, fallback_charset)) parsed.push_back(std::move(p));
  std::vector<MailAddress> out;
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    Parsed& p = parsed[i];
    if (p.words_only || p.bare_word) {
      // "Doe, Jane <jd@x>": a bare phrase before a named mailbox is part of its name.
      if (i + 1 < parsed.size() && parsed[i + 1].has_angle && !parsed[i + 1].phrase.empty() && !p.phrase.empty()) {
        parsed[i + 1].mailbox.name = p.phrase + ", " + parsed[i + 1].phrase;
        parsed[i + 1].phrase = *parsed[i + 1].mailbox.name;
        continue;
      }
      if (p.words_only) continue;
    }
    if (p.mailbox.address.empty()) continue;
    out.push_back(std::move(p.mailbox));
  }
  return out;
}

}  // namespace sladesk::mail
