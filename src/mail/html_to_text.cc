#include "mail/html_to_text.h"

#include <array>
#include <cstring>

#include "mail/html_entities.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || (c >= '0' && c <= '9'); }
bool IsHtmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

// HTML5 §13.2.5.80: numeric references to 0x80-0x9F read as windows-1252.
constexpr std::array<char16_t, 32> kC1Remap = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

// Decodes one reference at s[pos] == '&'; appends to out and returns the
// bytes consumed, or 0 when it is not a reference.
std::size_t DecodeReference(std::string_view s, std::size_t pos, std::string& out) {
  std::size_t i = pos + 1;
  if (i < s.size() && s[i] == '#') {
    ++i;
    const bool hex = i < s.size() && (s[i] == 'x' || s[i] == 'X');
    if (hex) ++i;
    const std::size_t digits_begin = i;
    std::uint32_t v = 0;
    bool overflow = false;
    while (i < s.size()) {
      const char c = s[i];
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else break;
      if (v > 0x10FFFF) overflow = true;
      else v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      ++i;
    }
    if (i == digits_begin) return 0;
    if (i < s.size() && s[i] == ';') ++i;
    char32_t cp = overflow ? 0xFFFD : v;
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    else if (cp >= 0x80 && cp <= 0x9F) cp = kC1Remap[cp - 0x80];
    AppendUtf8(out, cp);
    return i - pos;
  }
  std::size_t end = i;
  while (end < s.size() && end - i < 40 && IsAlnum(s[end])) ++end;
  if (end == i) return 0;
  if (end < s.size() && s[end] == ';') {
    if (const char* v = LookupHtmlEntity(s.substr(i, end - i + 1))) {
      out += v;
      return end + 1 - pos;
    }
  }
  // Legacy references without ';': the longest known prefix ("&ampx" -> "&x").
  for (std::size_t e = end; e > i; --e) {
    if (const char* v = LookupHtmlEntity(s.substr(i, e - i))) {
      out += v;
      return e - pos;
    }
  }
  return 0;
}

enum class Kind { kInline, kBreak, kParagraph, kCell, kLineBreak, kSkipContent, kPre, kHr };

Kind TagKind(std::string_view name) {
  static const char* const kParagraph[] = {"p", "h1", "h2", "h3", "h4", "h5", "h6"};
  static const char* const kBreak[] = {"div", "li", "tr", "blockquote", "table", "ul", "ol", "dl", "dt", "dd",
                                       "address", "article", "aside", "center", "dir", "details", "dialog",
                                       "fieldset", "figcaption", "figure", "footer", "form", "header", "hgroup",
                                       "legend", "main", "menu", "nav", "section", "summary", "caption", "tbody",
                                       "thead", "tfoot", "body", "html", "option", "frameset", "frame", "iframe",
                                       "listing", "plaintext", "noscript", "object", "video", "audio", "map",
                                       "select", "textarea", "xmp"};
  static const char* const kSkip[] = {"script", "style", "title", "template", "head"};
  for (const char* n : kParagraph)
    if (name == n) return Kind::kParagraph;
  for (const char* n : kBreak)
    if (name == n) return Kind::kBreak;
  if (name == "br") return Kind::kLineBreak;
  if (name == "td" || name == "th") return Kind::kCell;
  if (name == "pre") return Kind::kPre;
  if (name == "hr") return Kind::kHr;
  for (const char* n : kSkip)
    if (name == n) return Kind::kSkipContent;
  return Kind::kInline;
}

class TextWriter {
 public:
  void Text(std::string_view t, bool pre) {
    for (char c : t) {
      if (!pre && IsHtmlSpace(c)) {
        space_ = true;
        continue;
      }
      if (pre && c == '\r') continue;
      if (pre && c == '\n') {
        FlushBreaks();
        out_ += '\n';
        space_ = false;
        continue;
      }
      FlushBreaks();
      if (space_ && !out_.empty() && out_.back() != '\n' && out_.back() != ' ') out_ += ' ';
      space_ = false;
      out_ += c;
    }
  }
  void Break(int n) {
    if (n > pending_) pending_ = n;
    space_ = false;
  }
  void LineBreak() {
    FlushBreaks();
    out_ += '\n';
    space_ = false;
  }
  void CellSeparator() {
    if (!out_.empty() && out_.back() != '\n' && pending_ == 0) space_ = true;
  }
  std::string Finish() {
    // Non-breaking spaces become spaces; trailing spaces go; at most one blank line.
    std::string s;
    s.reserve(out_.size());
    for (std::size_t i = 0; i < out_.size(); ++i) {
      if (out_[i] == '\xC2' && i + 1 < out_.size() && out_[i + 1] == '\xA0') {
        s += ' ';
        ++i;
      } else {
        s += out_[i];
      }
    }
    std::string result;
    result.reserve(s.size());
    std::size_t line_begin = 0;
    int blank_run = 0;
    while (line_begin <= s.size()) {
      std::size_t nl = s.find('\n', line_begin);
      if (nl == std::string::npos) nl = s.size();
      const std::string line = StripTrailingSpace(std::string_view(s).substr(line_begin, nl - line_begin));
      if (line.empty()) {
        ++blank_run;
      } else {
        if (!result.empty()) result.append(blank_run > 0 ? "\n\n" : "\n");
        result += line;
        blank_run = 0;
      }
      line_begin = nl + 1;
    }
    return StripSpace(result);
  }

 private:
  void FlushBreaks() {
    if (pending_ == 0) return;
    if (!out_.empty()) {
      int have = 0;
      for (std::size_t i = out_.size(); i > 0 && out_[i - 1] == '\n' && have < 2; --i) ++have;
      while (out_.size() > 0 && out_.back() == ' ') out_.pop_back();
      for (int k = have; k < pending_; ++k) out_ += '\n';
    }
    pending_ = 0;
  }

  std::string out_;
  int pending_ = 0;
  bool space_ = false;
};

// Finds `needle` (lower-case ASCII) in s from pos, ignoring ASCII case.
std::size_t FindIgnoreCase(std::string_view s, std::string_view needle, std::size_t pos) {
  for (std::size_t i = pos; i + needle.size() <= s.size(); ++i) {
    bool match = true;
    for (std::size_t k = 0; k < needle.size() && match; ++k) {
      char c = s[i + k];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      match = c == needle[k];
    }
    if (match) return i;
  }
  return std::string_view::npos;
}

// The end of a tag starting at s[pos] == '<' (just past '>'), quotes respected.
std::size_t TagEnd(std::string_view s, std::size_t pos) {
  char quote = 0;
  for (std::size_t i = pos + 1; i < s.size(); ++i) {
    const char c = s[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      // Quotes only open inside an attribute value (after '=').
      std::size_t k = i;
      while (k > pos && IsHtmlSpace(s[k - 1])) --k;
      if (k > pos && s[k - 1] == '=') quote = c;
    } else if (c == '>') {
      return i + 1;
    }
  }
  return s.size();
}

}  // namespace

std::string DecodeHtmlEntities(std::string_view text) {
  if (text.find('&') == std::string_view::npos) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '&') {
      if (const std::size_t n = DecodeReference(text, i, out)) {
        i += n;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

std::string HtmlToText(std::string_view html) {
  TextWriter w;
  int pre_depth = 0;
  bool head_unclosed = false;  // no </head> and no <body> after some <head>: none after later ones either
  std::size_t i = 0;
  std::string run;
  auto flush_run = [&] {
    if (run.empty()) return;
    w.Text(DecodeHtmlEntities(run), pre_depth > 0);
    run.clear();
  };
  while (i < html.size()) {
    const char c = html[i];
    if (c != '<' || i + 1 >= html.size()) {
      run += c;
      ++i;
      continue;
    }
    const char n = html[i + 1];
    if (html.compare(i, 4, "<!--") == 0) {
      flush_run();
      const std::size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (html.compare(i, 9, "<![CDATA[") == 0) {
      flush_run();
      const std::size_t end = html.find("]]>", i + 9);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    if (n == '!' || n == '?') {
      flush_run();
      const std::size_t end = html.find('>', i + 2);
      i = end == std::string_view::npos ? html.size() : end + 1;
      continue;
    }
    const bool closing = n == '/';
    const std::size_t name_begin = i + (closing ? 2 : 1);
    if (name_begin >= html.size() || !IsAlpha(html[name_begin])) {
      run += c;  // a literal '<'
      ++i;
      continue;
    }
    std::size_t name_end = name_begin;
    while (name_end < html.size() && (IsAlnum(html[name_end]) || html[name_end] == ':' || html[name_end] == '-' ||
                                      html[name_end] == '_'))
      ++name_end;
    const std::string name = AsciiLower(html.substr(name_begin, name_end - name_begin));
    const std::size_t end = TagEnd(html, i);
    flush_run();
    i = end;
    const Kind kind = TagKind(name);
    switch (kind) {
      case Kind::kSkipContent:
        if (!closing && !(name == "head" && head_unclosed)) {
          // Skip to the matching end tag (</head> only ends at </head> or <body>).
          const std::size_t close = FindIgnoreCase(html, "</" + name, i);
          std::size_t stop = close;
          if (name == "head") {
            const std::size_t body = FindIgnoreCase(html, "<body", i);
            if (body < stop) stop = body;
            if (stop == std::string_view::npos) {
              head_unclosed = true;
              break;  // no end: keep the content
            }
          }
          if (stop == std::string_view::npos) {
            i = html.size();
          } else {
            i = stop == close ? TagEnd(html, close) : stop;
          }
        }
        break;
      case Kind::kParagraph:
        w.Break(2);
        break;
      case Kind::kBreak:
        w.Break(1);
        break;
      case Kind::kHr:
        w.Break(1);
        break;
      case Kind::kLineBreak:
        w.LineBreak();
        break;
      case Kind::kCell:
        if (!closing) w.CellSeparator();
        break;
      case Kind::kPre:
        w.Break(2);
        if (closing) {
          if (pre_depth > 0) --pre_depth;
        } else {
          ++pre_depth;
          // A newline right after <pre> is not content.
          if (i < html.size() && html[i] == '\n') ++i;
          else if (i + 1 < html.size() && html[i] == '\r' && html[i + 1] == '\n') i += 2;
        }
        break;
      case Kind::kInline:
        break;
    }
  }
  flush_run();
  return w.Finish();
}

}  // namespace sladesk::mail
