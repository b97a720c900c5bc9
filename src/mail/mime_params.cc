#include "mail/mime_params.h"

#include <algorithm>
#include <map>

#include "mail/charset.h"
#include "mail/header_decoder.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

struct RawParam {
  std::string name;       // lower-case, without the RFC 2231 suffix
  int section = -1;       // -1: not a continuation
  bool extended = false;  // name* or name*N*: charset'lang'%XX
  std::string value;      // unquoted, not yet decoded
};

std::string Trim(std::string_view s) {
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return std::string(s.substr(b, e - b));
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

// Splits "a=b; c="d;e"; f" into raw parameters.
std::vector<RawParam> SplitParams(std::string_view s) {
  std::vector<RawParam> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && (s[i] == ';' || s[i] == ' ' || s[i] == '\t')) ++i;
    const std::size_t name_begin = i;
    while (i < s.size() && s[i] != '=' && s[i] != ';') ++i;
    std::string name = AsciiLower(Trim(s.substr(name_begin, i - name_begin)));
    if (i >= s.size() || s[i] == ';') continue;  // a parameter without '=' is skipped
    ++i;                                         // '='
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
    std::string value;
    if (i < s.size() && s[i] == '"') {
      ++i;
      while (i < s.size() && s[i] != '"') {
        // A quoted-pair (RFC 5322 3.2.1) stands for the character after the
        // backslash, whatever it is: "C:\TEMP\a.png" names C:TEMPa.png, as
        // Python's email package and Stalwart's mail-parser read it.
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        value += s[i++];
      }
      if (i < s.size()) ++i;
      while (i < s.size() && s[i] != ';') ++i;  // junk after the closing quote
    } else {
      const std::size_t b = i;
      while (i < s.size() && s[i] != ';') ++i;
      value = Trim(s.substr(b, i - b));
    }
    if (name.empty()) continue;
    RawParam p;
    // RFC 2231 suffixes: name*, name*N, name*N*.
    if (auto star = name.find('*'); star != std::string::npos) {
      std::string rest = name.substr(star + 1);
      p.name = name.substr(0, star);
      if (!rest.empty() && rest.back() == '*') {
        p.extended = true;
        rest.pop_back();
      } else if (rest.empty()) {
        p.extended = true;
      }
      if (!rest.empty()) {
        if (!std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; }) || rest.size() > 4) {
          p.name = name;  // not an RFC 2231 name after all
          p.extended = false;
        } else {
          p.section = std::stoi(rest);
        }
      }
    } else {
      p.name = name;
    }
    p.value = std::move(value);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

const std::string* HeaderParams::Find(std::string_view name) const {
  for (const auto& [k, v] : params)
    if (k == name) return &v;
  return nullptr;
}

HeaderParams ParseHeaderParams(std::string_view raw, std::string_view fallback_charset) {
  const std::string s = UnfoldHeader(raw);
  HeaderParams out;
  // The value ends at the first ';' outside quotes.
  std::size_t semi = 0;
  bool quoted = false;
  while (semi < s.size() && (quoted || s[semi] != ';')) {
    if (s[semi] == '"') quoted = !quoted;
    ++semi;
  }
  out.value = AsciiLower(Trim(std::string_view(s).substr(0, semi)));
  if (semi >= s.size()) return out;
  const std::vector<RawParam> raws = SplitParams(std::string_view(s).substr(semi + 1));

  // RFC 2231 parameters first (they win), grouped by name.
  std::map<std::string, std::map<int, const RawParam*>> extended;
  std::vector<std::string> order;
  for (const RawParam& p : raws) {
    if (p.section < 0 && !p.extended) continue;
    auto& sections = extended[p.name];
    if (sections.empty()) order.push_back(p.name);
    sections.emplace(p.section < 0 ? 0 : p.section, &p);
  }
  for (const std::string& name : order) {
    std::string bytes, charset;
    bool first = true;
    int expect = 0;
    for (const auto& [index, p] : extended[name]) {
      if (index != expect) break;  // a gap ends the value
      ++expect;
      std::string_view v = p->value;
      if (p->extended && first) {
        // charset'language'value
        const std::size_t q1 = v.find('\'');
        const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
        if (q2 != std::string_view::npos) {
          charset = std::string(v.substr(0, q1));
          v.remove_prefix(q2 + 1);
        }
      }
      bytes += p->extended ? PercentDecode(v) : std::string(v);
      first = false;
    }
    std::string decoded = charset.empty() ? DecodeUnlabelled(bytes, fallback_charset)
                                          : DecodeToUtf8(bytes, charset, fallback_charset);
    // Some clients put RFC 2047 words inside continuations.
    if (decoded.find("=?") != std::string::npos) decoded = DecodeHeaderText(decoded, fallback_charset);
    out.params.emplace_back(name, std::move(decoded));
  }
  for (const RawParam& p : raws) {
    if (p.section >= 0 || p.extended) continue;
    if (out.Find(p.name)) continue;
    out.params.emplace_back(p.name, DecodeHeaderText(p.value, fallback_charset));
  }
  return out;
}

std::optional<std::string> AttachmentFilename(const HeaderParams& disposition, const HeaderParams& content_type) {
  for (const std::string* v : {disposition.Find("filename"), content_type.Find("name")}) {
    if (!v) continue;
    std::string name = StripSpace(*v);
    if (!name.empty()) return name;
  }
  return std::nullopt;
}

}  // namespace sladesk::mail
