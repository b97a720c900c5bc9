#include "mail/quote_trimmer.h"

#include <optional>
#include <vector>

#include "mail/html_to_text.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

std::vector<std::string_view> SplitLines(std::string_view s) {
  std::vector<std::string_view> lines;
  std::size_t pos = 0;
  while (pos <= s.size()) {
    std::size_t nl = s.find('\n', pos);
    if (nl == std::string_view::npos) nl = s.size();
    lines.push_back(s.substr(pos, nl - pos));
    pos = nl + 1;
  }
  return lines;
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '*' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '*' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool IsBlank(std::string_view line) { return TrimView(line).empty(); }

bool IsQuoted(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  return i < line.size() && line[i] == '>';
}

// The line without its quote prefixes ("> > x" -> "x").
std::string_view Unquoted(std::string_view line) {
  while (true) {
    std::size_t i = 0;
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    if (i < line.size() && line[i] == '>') {
      line.remove_prefix(i + 1);
      continue;
    }
    return line;
  }
}

bool ContainsIgnoreCase(std::string_view hay, std::string_view needle) {
  const std::string h = AsciiLower(hay), n = AsciiLower(needle);
  return h.find(n) != std::string::npos;
}

bool EndsWithAny(std::string_view s, std::initializer_list<std::string_view> suffixes) {
  const std::string l = AsciiLower(s);
  for (std::string_view suf : suffixes)
    if (l.size() >= suf.size() && l.compare(l.size() - suf.size(), suf.size(), suf) == 0) return true;
  return false;
}

bool HasDigitOrAt(std::string_view s) {
  for (char c : s)
    if ((c >= '0' && c <= '9') || c == '@') return true;
  return false;
}

// "On … wrote:" in the languages above: a known opening and verb, or a
// known closing ("… wrote:").
bool IsAttributionWithOpening(std::string_view text) {
  text = TrimView(text);
  if (text.size() < 8 || text.size() > 400 || text.back() != ':') return false;
  static const std::pair<std::string_view, std::string_view> kForms[] = {
      {"On ", " wrote"},      {"Am ", " schrieb"},     {"Le ", " a écrit"},  {"El ", " escribió"},
      {"Il ", " ha scritto"}, {"Op ", " schreef"},     {"Em ", " escreveu"}, {"Den ", " skrev"},
      {"W dniu ", " napisał"}, {"W dniu ", " pisze"},  {"Dne ", " napsal"},  {"On ", " kirjoitti"}};
  for (const auto& [opening, verb] : kForms)
    if (StartsWithIgnoreCase(text, opening) && ContainsIgnoreCase(text, verb)) return true;
  return false;
}

bool IsAttribution(std::string_view text) {
  text = TrimView(text);
  if (text.size() < 8 || text.size() > 400) return false;
  return IsAttributionWithOpening(text) ||
         EndsWithAny(text, {"wrote:", "schrieb:", "a écrit :", "a écrit:", "escribió:", "ha scritto:", "schreef:",
                            "escreveu:", "skrev:", "kirjoitti:", "napisał:", "pisze:", "пишет:", "написал:",
                            "napsal:", "yazdı:", "wrote :", "écrit :"});
}

bool IsForwardMarker(std::string_view line) {
  for (std::string_view label : {"forwarded message", "begin forwarded message", "weitergeleitete nachricht",
                                 "message transféré", "mensaje reenviado", "messaggio inoltrato",
                                 "doorgestuurd bericht", "original message follows"})
    if (ContainsIgnoreCase(line, label)) return true;
  return false;
}

bool IsOriginalMessageLine(std::string_view line) {
  const std::string_view t = TrimView(line);
  if (t.size() < 10 || t.substr(0, 3) != "---") return false;
  for (std::string_view label : {"original message", "ursprüngliche nachricht", "original nachricht",
                                 "message d'origine", "message original", "mensaje original", "messaggio originale",
                                 "oorspronkelijk bericht", "mensagem original", "ursprungligt meddelande",
                                 "oprindelig meddelelse", "opprinnelig melding", "alkuperäinen viesti"})
    if (ContainsIgnoreCase(t, label)) return true;
  return false;
}

bool StartsWithField(std::string_view line, std::initializer_list<std::string_view> names) {
  const std::string_view t = TrimView(line);
  for (std::string_view n : names) {
    if (t.size() > n.size() && StartsWithIgnoreCase(t, n)) {
      std::size_t i = n.size();
      while (i < t.size() && t[i] == ' ') ++i;
      if (i < t.size() && t[i] == ':') return true;
      if (i < t.size() && t[i] == '*' && i + 1 < t.size() && t[i + 1] == ':') return true;
    }
  }
  return false;
}

// Outlook's header block: From: then Sent:/Date: and To:/Subject: within four lines.
bool IsOutlookHeaderBlock(const std::vector<std::string_view>& lines, std::size_t i) {
  if (!StartsWithField(lines[i], {"From", "Von", "De", "Da", "Van", "Från", "Fra"})) return false;
  // The header block of a forwarded message is content, not history.
  for (std::size_t k = i, seen = 0; k > 0 && seen < 3; --k) {
    if (IsBlank(lines[k - 1])) continue;
    ++seen;
    if (IsForwardMarker(lines[k - 1])) return false;
  }
  bool sent = false, to = false;
  for (std::size_t k = i + 1; k < lines.size() && k <= i + 5; ++k) {
    if (StartsWithField(lines[k], {"Sent", "Date", "Gesendet", "Datum", "Envoyé", "Date", "Enviado el", "Enviado",
                                   "Fecha", "Inviato", "Data", "Verzonden", "Skickat", "Sendt"}))
      sent = true;
    if (StartsWithField(lines[k], {"To", "Subject", "An", "Betreff", "À", "A", "Objet", "Para", "Asunto", "Oggetto",
                                   "Aan", "Onderwerp", "Till", "Ämne", "Til", "Emne"}))
      to = true;
  }
  return sent && to;
}

bool IsMarkerLine(std::string_view line) {
  return ContainsIgnoreCase(line, "##-") && ContainsIgnoreCase(line, "reply above this line");
}

// An attribution ending at line `last` (one to three lines joined, the ones
// with a known opening first); returns its first line.
std::optional<std::size_t> AttributionEndingAt(const std::vector<std::string_view>& lines, std::size_t last,
                                               bool quoted) {
  for (bool need_opening : {true, false}) {
    for (std::size_t n = 1; n <= 3 && n <= last + 1; ++n) {
      const std::size_t first = last + 1 - n;
      std::string joined;
      bool ok = true;
      for (std::size_t k = first; k <= last; ++k) {
        if (IsBlank(lines[k]) || IsQuoted(lines[k]) != quoted) ok = false;
        joined += std::string(quoted ? Unquoted(lines[k]) : lines[k]);
        joined += ' ';
      }
      if (!ok) break;
      if (need_opening ? IsAttributionWithOpening(joined) : (n == 1 && IsAttribution(joined))) return first;
    }
  }
  return std::nullopt;
}

TrimmedText Result(const std::vector<std::string_view>& lines, const std::vector<bool>& removed) {
  std::string reply, quoted;
  bool last_reply_blank = false, removed_since = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (removed[i]) {
      quoted.append(lines[i]);
      quoted += '\n';
      removed_since = true;
      continue;
    }
    const bool blank = IsBlank(lines[i]);
    // A blank line on each side of a cut block: keep one.
    if (blank && last_reply_blank && removed_since) continue;
    reply.append(lines[i]);
    reply += '\n';
    last_reply_blank = blank;
    removed_since = false;
  }
  TrimmedText out;
  out.reply = StripSpace(reply);
  out.quoted = StripSpace(quoted);
  out.trimmed = !out.quoted.empty() && !out.reply.empty();
  return out;
}

TrimmedText TrimText(std::string_view text) {
  const std::vector<std::string_view> lines = SplitLines(text);
  std::vector<bool> removed(lines.size(), false);
  auto cut_from = [&](std::size_t i) {
    for (std::size_t k = i; k < lines.size(); ++k) removed[k] = true;
  };
  // Cut-to-end separators, the earliest first: sladesk's marker when it is
  // not quoted (a quoted one is a '>' block like any other, below), Outlook's
  // separators, an attribution followed by unquoted text.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const bool marker = IsMarkerLine(lines[i]) && !IsQuoted(lines[i]);
    if (marker || IsOriginalMessageLine(lines[i]) || IsOutlookHeaderBlock(lines, i)) {
      std::size_t from = i;
      if (marker) {
        // The client's attribution line just above the marker goes too.
        std::size_t k = i;
        while (k > 0 && IsBlank(lines[k - 1])) --k;
        if (k > 0) {
          if (auto a = AttributionEndingAt(lines, k - 1, false)) from = *a;
        }
      }
      cut_from(from);
      break;
    }
    if (!IsQuoted(lines[i]) && !IsBlank(lines[i])) {
      // "On <date> <name> wrote:" followed by unquoted text: HTML turned to text.
      if (auto a = AttributionEndingAt(lines, i, false)) {
        std::size_t k = i + 1;
        while (k < lines.size() && IsBlank(lines[k])) ++k;
        std::string joined;
        for (std::size_t j = *a; j <= i; ++j) joined += std::string(lines[j]) + " ";
        if (k < lines.size() && !IsQuoted(lines[k]) && HasDigitOrAt(joined)) {
          cut_from(*a);
          break;
        }
      }
    }
  }
  // '>' blocks and their attribution lines.
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (removed[i] || !IsQuoted(lines[i])) continue;
    std::size_t end = i;
    while (end < lines.size() && !removed[end] && (IsQuoted(lines[end]) || IsBlank(lines[end]))) ++end;
    while (end > i && IsBlank(lines[end - 1])) --end;
    for (std::size_t k = i; k < end; ++k) removed[k] = true;
    std::size_t k = i;
    while (k > 0 && IsBlank(lines[k - 1]) && !removed[k - 1]) --k;
    if (k > 0 && !removed[k - 1]) {
      if (auto a = AttributionEndingAt(lines, k - 1, false)) {
        for (std::size_t j = *a; j < i; ++j) removed[j] = true;
      }
    }
    i = end;
  }
  return Result(lines, removed);
}

// ---------------------------------------------------------------- HTML

// The start of the tag that contains position `pos` (the '<' before it).
std::size_t TagStart(std::string_view html, std::size_t pos) {
  const std::size_t lt = html.rfind('<', pos);
  return lt == std::string_view::npos ? pos : lt;
}

// `lower` is the HTML lower-cased (same length, ASCII only changes).
std::string TagName(std::string_view lower, std::size_t lt) {
  std::size_t i = lt + 1, e = i;
  while (e < lower.size() && ((lower[e] >= 'a' && lower[e] <= 'z') || (lower[e] >= '0' && lower[e] <= '9'))) ++e;
  return std::string(lower.substr(i, e - i));
}

// Just past the element that starts at `lt` (balanced on its own tag name).
std::size_t ElementEnd(std::string_view lower, std::size_t lt) {
  const std::string name = TagName(lower, lt);
  if (name.empty()) return lower.size();
  const std::string open_tag = "<" + name, close_tag = "</" + name;
  int depth = 0;
  std::size_t pos = lt;
  std::size_t open = lower.find(open_tag, pos), close = lower.find(close_tag, pos);
  while (pos < lower.size()) {
    if (close == std::string_view::npos) return lower.size();
    if (open != std::string_view::npos && open < close) {
      const char after = open + open_tag.size() < lower.size() ? lower[open + open_tag.size()] : '>';
      if (after == '>' || after == ' ' || after == '\t' || after == '\n' || after == '\r' || after == '/') ++depth;
      pos = open + 1;
      open = lower.find(open_tag, pos);
      continue;
    }
    --depth;
    const std::size_t gt = lower.find('>', close);
    pos = gt == std::string_view::npos ? lower.size() : gt + 1;
    if (depth <= 0) return pos;
    close = lower.find(close_tag, pos);
    if (open != std::string_view::npos && open < pos) open = lower.find(open_tag, pos);
  }
  return lower.size();
}

struct HtmlCut {
  std::size_t begin, end;
  bool to_end;
};

// The quote markers, each with its next occurrence cached, so finding every
// cut in a long HTML part stays linear.
class HtmlQuoteFinder {
 public:
  explicit HtmlQuoteFinder(std::string_view lower) : lower_(lower) {}

  std::optional<HtmlCut> Next(std::size_t from) {
    std::optional<HtmlCut> best;
    for (Marker& m : markers_) {
      if (m.next != std::string_view::npos && (m.next < from || !m.searched)) {
        m.next = lower_.find(m.needle, from);
        m.searched = true;
      }
      // An occurrence inside a tag that starts before `from` is behind us.
      while (m.next != std::string_view::npos && TagStart(lower_, m.next) < from)
        m.next = lower_.find(m.needle, m.next + 1);
      if (m.next == std::string_view::npos) continue;
      const std::size_t lt = TagStart(lower_, m.next);
      if (best && best->begin <= lt) continue;
      std::size_t end = m.to_end ? lower_.size() : ElementEnd(lower_, lt);
      if (m.with_blockquote) {
        // Thunderbird: the "On ... wrote:" div, then the quoted blockquote.
        const std::size_t next = lower_.find('<', end);
        if (next != std::string_view::npos && TagName(lower_, next) == "blockquote") end = ElementEnd(lower_, next);
      }
      best = HtmlCut{lt, end, m.to_end};
    }
    return best;
  }

 private:
  struct Marker {
    std::string_view needle;
    bool to_end;
    bool with_blockquote;
    std::size_t next = 0;
    bool searched = false;
  };
  std::string_view lower_;
  Marker markers_[9] = {{"id=\"divrplyfwdmsg\"", true, false},  {"id=divrplyfwdmsg", true, false},
                        {"id=\"appendonsend\"", true, false},   {"id=\"stopspelling\"", true, false},
                        {"class=\"gmail_quote", false, false},   {"class=\"yahoo_quoted", false, false},
                        {"class=\"protonmail_quote", false, false}, {"type=\"cite\"", false, false},
                        {"class=\"moz-cite-prefix", false, true}};
};

std::optional<TrimmedText> TrimHtml(std::string_view html) {
  const std::string lower = AsciiLower(html);
  HtmlQuoteFinder finder(lower);
  std::string kept, quoted_html;
  std::size_t pos = 0;
  bool any = false;
  while (pos < html.size()) {
    auto cut = finder.Next(pos);
    if (!cut) break;
    any = true;
    kept.append(html.substr(pos, cut->begin - pos));
    quoted_html.append(html.substr(cut->begin, cut->end - cut->begin));
    quoted_html += "<br>";
    pos = std::max(cut->end, cut->begin + 1);
    if (cut->to_end) break;
  }
  if (!any) return std::nullopt;
  if (pos < html.size()) kept.append(html.substr(pos));
  TrimmedText out;
  out.reply = HtmlToText(kept);
  out.quoted = HtmlToText(quoted_html);
  out.trimmed = !out.reply.empty() && !out.quoted.empty();
  if (!out.trimmed) return std::nullopt;
  return out;
}

}  // namespace

TrimmedText TrimQuotedHistory(std::string_view text, std::string_view html) {
  if (!html.empty()) {
    if (auto h = TrimHtml(html)) {
      // sladesk's marker (or an Outlook block) may still sit in what is left.
      TrimmedText more = TrimText(h->reply);
      if (more.trimmed) {
        more.quoted += "\n\n" + h->quoted;
        return more;
      }
      return *h;
    }
  }
  TrimmedText t = TrimText(text);
  if (!t.trimmed) {
    TrimmedText whole;
    whole.reply = StripSpace(text);
    return whole;
  }
  return t;
}

}  // namespace sladesk::mail
