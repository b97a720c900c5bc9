#include "mail/charset.h"

#include <iconv.h>

#include <array>
#include <cerrno>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

// Lower-case labels (after trimming) to decoder names. Labels not listed go
// to iconv as written (upper-cased); iconv knows most ISO/CP names.
const std::unordered_map<std::string, std::string>& LabelTable() {
  static const auto* table = [] {
    auto* t = new std::unordered_map<std::string, std::string>;
    auto add = [t](std::initializer_list<const char*> labels, const char* name) {
      for (const char* l : labels) (*t)[l] = name;
    };
    add({"utf-8", "utf8", "unicode-1-1-utf-8", "unicode-2-0-utf-8", "x-unicode20utf8", "utf-8n", "x-utf-8"},
        "UTF-8");
    add({"us-ascii", "ascii", "ansi_x3.4-1968", "ansi_x3.4-1986", "iso646-us", "iso_646.irv:1991", "us", "cp367",
         "ibm367", "iso-ir-6", "csascii", "646", "7bit", "8bit"},
        "ASCII");
    add({"iso-8859-1", "iso8859-1", "iso_8859-1", "iso_8859-1:1987", "iso88591", "latin1", "latin-1", "l1",
         "cp819", "ibm819", "iso-ir-100", "csisolatin1", "windows-1252", "cp1252", "x-cp1252", "cp-1252",
         "win-1252", "ms-ansi", "ansi", "8859-1", "iso-8859-1:1987", "windows-1252-latin1"},
        "WINDOWS-1252");
    // WHATWG: ISO-8859-9 is read as windows-1254, ISO-8859-11/TIS-620 as windows-874.
    add({"iso-8859-9", "iso8859-9", "iso_8859-9", "iso88599", "latin5", "l5", "iso-ir-148", "csisolatin5",
         "windows-1254", "cp1254", "x-cp1254", "iso_8859-9:1989"},
        "CP1254");
    add({"iso-8859-11", "iso8859-11", "iso885911", "tis-620", "tis620", "windows-874", "dos-874", "cp874",
         "x-cp874", "iso-ir-166"},
        "CP874");
    add({"gb2312", "gb_2312", "gb_2312-80", "csgb2312", "chinese", "iso-ir-58", "csiso58gb231280", "euc-cn",
         "x-euc-cn", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "gb18030", "x-gb18030", "euccn", "gb-2312",
         "x-cp936"},
        "GB18030");
    add({"big5", "big-5", "cn-big5", "csbig5", "x-x-big5", "big5-hkscs", "x-big5", "cp950", "ms950", "windows-950"},
        "BIG5-HKSCS");
    add({"ks_c_5601-1987", "ks_c_5601-1989", "ks_c_5601", "ksc5601", "ksc_5601", "ks_c_5601_1987", "euc-kr",
         "euckr", "cseuckr", "csksc56011987", "iso-ir-149", "korean", "windows-949", "cp949", "uhc", "x-uhc",
         "x-windows-949", "ms949", "ks_c_5601-1992"},
        "CP949");
    add({"shift_jis", "shift-jis", "sjis", "x-sjis", "ms_kanji", "csshiftjis", "windows-31j", "cp932", "ms932",
         "x-ms-cp932", "shiftjis", "x-shift_jis", "cswindows31j"},
        "CP932");
    add({"euc-jp", "x-euc-jp", "eucjp", "cseucpkdfmtjapanese", "x-euc"}, "EUC-JP-MS");
    add({"iso-2022-jp", "csiso2022jp", "iso2022jp", "jis", "iso-2022-jp-1", "iso-2022-jp-2"}, "ISO-2022-JP-2");
    add({"koi8-r", "koi8r", "koi8", "koi", "cskoi8r", "koi8_r"}, "KOI8-R");
    add({"koi8-u", "koi8-ru", "koi8u"}, "KOI8-U");
    add({"macintosh", "mac", "x-mac-roman", "csmacintosh", "macroman", "mac-roman"}, "MACINTOSH");
    add({"x-mac-cyrillic", "x-mac-ukrainian", "mac-cyrillic", "maccyrillic"}, "MAC-CYRILLIC");
    add({"ibm866", "cp866", "866", "csibm866"}, "CP866");
    add({"iso-8859-8-i", "iso-8859-8-e", "csiso88598i", "logical", "visual", "csiso88598e"}, "ISO-8859-8");
    add({"iso-8859-6-i", "iso-8859-6-e", "csiso88596i", "csiso88596e"}, "ISO-8859-6");
    add({"utf-16", "utf16", "ucs-2", "iso-10646-ucs-2", "csunicode", "unicode"}, "UTF-16");
    add({"utf-16le", "utf16le", "unicodefffe"}, "UTF-16LE");
    add({"utf-16be", "utf16be", "unicodefeff"}, "UTF-16BE");
    add({"utf-7", "utf7", "unicode-1-1-utf-7", "csunicode11utf7", "x-utf-7"}, "UTF-7");
    add({"unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined", "charset", "none", "x-unknown-8bit",
         "binary", "unknown-7bit", "us-ascii-unknown"},
        "");
    for (int n : {1250, 1251, 1253, 1255, 1256, 1257, 1258}) {
      const std::string num = std::to_string(n);
      const std::string name = "CP" + num;
      for (const std::string& l : {"windows-" + num, "cp" + num, "x-cp" + num, "cp-" + num, "win-" + num,
                                   "windows" + num, "win" + num})
        (*t)[l] = name;
    }
    for (int n : {2, 3, 4, 5, 6, 7, 8, 10, 13, 14, 15, 16}) {
      const std::string num = std::to_string(n);
      const std::string name = "ISO-8859-" + num;
      for (const std::string& l : {"iso-8859-" + num, "iso8859-" + num, "iso_8859-" + num, "iso8859" + num,
                                   "iso-8859" + num, "iso_8859_" + num, "8859-" + num})
        (*t)[l] = name;
    }
    add({"latin2", "l2", "csisolatin2", "iso-ir-101"}, "ISO-8859-2");
    add({"latin3", "l3", "csisolatin3", "iso-ir-109"}, "ISO-8859-3");
    add({"latin4", "l4", "csisolatin4", "iso-ir-110"}, "ISO-8859-4");
    add({"cyrillic", "csisolatincyrillic", "iso-ir-144"}, "ISO-8859-5");
    add({"arabic", "csisolatinarabic", "iso-ir-127", "asmo-708", "ecma-114"}, "ISO-8859-6");
    add({"greek", "greek8", "csisolatingreek", "iso-ir-126", "ecma-118", "elot_928"}, "ISO-8859-7");
    add({"hebrew", "csisolatinhebrew", "iso-ir-138"}, "ISO-8859-8");
    add({"latin6", "l6", "csisolatin6", "iso-ir-157"}, "ISO-8859-10");
    add({"latin9", "l9", "csisolatin9", "iso-8859-15", "latin-9"}, "ISO-8859-15");
    return t;
  }();
  return *table;
}

// A label as written in a header: quotes, whitespace and an RFC 2231
// language suffix ("utf-8*en") removed, lower-cased.
std::string CleanLabel(std::string_view label) {
  std::string s = AsciiLower(label);
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t' || s[b] == '"' || s[b] == '\'')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '"' || s[e - 1] == '\'' || s[e - 1] == ';'))
    --e;
  s = s.substr(b, e - b);
  if (auto star = s.find('*'); star != std::string::npos) s.resize(star);
  return s;
}

bool IconvKnows(const std::string& name) {
  static std::mutex mu;
  static auto* known = new std::unordered_map<std::string, bool>;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = known->find(name); it != known->end()) return it->second;
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  const bool ok = cd != reinterpret_cast<iconv_t>(-1);
  if (ok) iconv_close(cd);
  if (known->size() < 4096) (*known)[name] = ok;
  return ok;
}

// The WHATWG windows-1252 table for 0x80-0x9F.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

std::string IconvToUtf8(std::string_view bytes, const std::string& name) {
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return Windows1252ToUtf8(bytes);
  std::string out;
  out.reserve(bytes.size() * 2 + 16);
  char buffer[4096];
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  while (true) {
    char* o = buffer;
    std::size_t o_left = sizeof buffer;
    const std::size_t rc = iconv(cd, in_left > 0 ? &in : nullptr, &in_left, &o, &o_left);
    out.append(buffer, sizeof buffer - o_left);
    if (rc != static_cast<std::size_t>(-1)) {
      if (in_left == 0) {
        // Flush any shift state (ISO-2022-JP, UTF-7).
        o = buffer;
        o_left = sizeof buffer;
        iconv(cd, nullptr, nullptr, &o, &o_left);
        out.append(buffer, sizeof buffer - o_left);
        break;
      }
      continue;
    }
    if (errno == E2BIG) continue;
    // EILSEQ or EINVAL (truncated input): one replacement, skip one byte.
    out += "\xEF\xBF\xBD";
    if (in_left == 0) break;
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);  // reset the shift state
    if (in_left == 0) break;
  }
  iconv_close(cd);
  return RepairUtf8(out);
}

// ISO-2022-JP as EUC-JP bytes, so that the EUC-JP-MS decoder reads the
// Windows (CP50220) extensions Japanese mail is full of: NEC row 13 (①, ㈱,
// №) and the IBM rows, which glibc's ISO-2022-JP decoder rejects. Nothing
// when the text uses an ISO-2022-JP-2 set EUC-JP cannot hold.
std::optional<std::string> Iso2022JpAsEucJp(std::string_view in) {
  enum class Set { kAscii, kJis0208, kKatakana } set = Set::kAscii;
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const auto c = static_cast<unsigned char>(in[i]);
    if (c == 0x1B) {
      const std::string_view esc = in.substr(i + 1, 3);
      if (esc.substr(0, 2) == "$B" || esc.substr(0, 2) == "$@") {
        set = Set::kJis0208;
        i += 2;
      } else if (esc.substr(0, 3) == "$(B" || esc.substr(0, 3) == "$(Q") {
        set = Set::kJis0208;
        i += 3;
      } else if (esc.substr(0, 2) == "(B" || esc.substr(0, 2) == "(J") {
        set = Set::kAscii;
        i += 2;
      } else if (esc.substr(0, 2) == "(I") {
        set = Set::kKatakana;
        i += 2;
      } else {
        return std::nullopt;
      }
      continue;
    }
    if (c == 0x0E || c == 0x0F || c >= 0x80) return std::nullopt;
    if (c == '\n' || c == '\r') {
      set = Set::kAscii;  // a line ends every shift (RFC 1468)
      out += static_cast<char>(c);
    } else if (set == Set::kJis0208 && c > 0x20 && c < 0x7F && i + 1 < in.size()) {
      const auto d = static_cast<unsigned char>(in[i + 1]);
      if (d <= 0x20 || d >= 0x7F) return std::nullopt;
      out += static_cast<char>(c | 0x80);
      out += static_cast<char>(d | 0x80);
      ++i;
    } else if (set == Set::kKatakana && c > 0x20 && c < 0x60) {
      out += '\x8E';
      out += static_cast<char>(c | 0x80);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string DecodeWith(std::string_view bytes, const std::string& name, std::string_view fallback_label) {
  if (name == "UTF-8") {
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    return RepairUtf8(bytes);
  }
  if (name == "ASCII") return DecodeUnlabelled(bytes, fallback_label);
  if (name == "WINDOWS-1252") return Windows1252ToUtf8(bytes);
  const bool ascii_superset = name.rfind("UTF-16", 0) != 0 && name.rfind("UTF-32", 0) != 0 &&
                              name.rfind("UCS", 0) != 0 && name != "UTF-7";
  if (ascii_superset) {
    bool ascii = true;
    for (char c : bytes) ascii = ascii && static_cast<unsigned char>(c) < 0x80 && c != 0x1B && c != '~';
    if (ascii) return std::string(bytes);  // ASCII bytes read the same in every ASCII superset
  }
  // ISO-2022-JP is 7-bit: 8-bit bytes under that label are the Shift_JIS
  // (CP932) the sender's software really wrote, as Japanese mail clients
  // guess ("=?ISO-2022-JP?B?g2OBW4OL?=" is "ツール").
  if (name.rfind("ISO-2022-JP", 0) == 0) {
    bool high = false;
    for (char c : bytes) high = high || static_cast<unsigned char>(c) >= 0x80;
    if (high) {
      std::string sjis = IconvToUtf8(bytes, "CP932");
      if (sjis.find("\xEF\xBF\xBD") == std::string::npos) return sjis;
    } else if (std::optional<std::string> euc = Iso2022JpAsEucJp(bytes)) {
      return IconvToUtf8(*euc, "EUC-JP-MS");
    }
  }
  return IconvToUtf8(bytes, name);
}

}  // namespace

std::string CanonicalCharset(std::string_view label) {
  const std::string clean = CleanLabel(label);
  if (clean.empty()) return {};
  const auto& table = LabelTable();
  if (auto it = table.find(clean); it != table.end()) return it->second;
  // Anything else goes to iconv when it looks like a charset name.
  if (clean.size() > 40) return {};
  for (char c : clean) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
                    c == ':' || c == '+';
    if (!ok) return {};
  }
  std::string upper = clean;
  for (char& c : upper)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  return IconvKnows(upper) ? upper : std::string();
}

std::string Windows1252ToUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x80) {
      out += ch;
    } else if (c < 0xA0) {
      AppendUtf8(out, kCp1252High[c - 0x80]);
    } else {
      AppendUtf8(out, c);
    }
  }
  return out;
}

namespace {

// Cyrillic written without a label (old Russian mailers: raw KOI8-R or
// windows-1251 subjects, no Content-Type): read as windows-1252 it is words
// made only of letters from 0xC0-0xFF ("ÔÅÓÔ"), which Western text never
// is (its accented letters sit between ASCII ones). Returns "KOI8-R",
// "CP1251" or "" (then windows-1252 stands).
std::string GuessCyrillic(std::string_view bytes) {
  int long_high_words = 0, mixed_words = 0, low_half = 0, high_half = 0;
  std::size_t i = 0;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c >= 0x80;
    if (!letter) {
      ++i;
      continue;
    }
    int ascii = 0, high = 0, other_high = 0;
    for (; i < bytes.size(); ++i) {
      c = static_cast<unsigned char>(bytes[i]);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        ++ascii;
      } else if (c >= 0xC0) {
        ++high;
        (c < 0xE0 ? low_half : high_half) += 1;
      } else if (c >= 0x80) {
        ++other_high;
      } else {
        break;
      }
    }
    if (other_high > 0) return {};  // 0x80-0xBF: not this shape (CJK, windows-1252 punctuation, ...)
    if (ascii == 0) {
      if (high >= 4) ++long_high_words;
    } else if (high > 0) {
      ++mixed_words;
    }
  }
  // One such word of four letters at least: shorter ones ("Þú" in
  // Icelandic, "ÀÉ") can be Western.
  if (long_high_words == 0 || mixed_words > 0) return {};
  // KOI8-R has its lower case in 0xC0-0xDF, windows-1251 in 0xE0-0xFF; text is mostly lower case.
  return low_half > high_half ? "KOI8-R" : "CP1251";
}

// 7-bit text that designates a character set by escape sequence (ISO 2022)
// is that encoding, whatever the label says or does not say: Japanese
// Outlook sends ISO-2022-JP bodies with a bare "text/plain;" and old
// mailers raw ISO-2022-JP subjects; ESC never occurs in plain text, so the
// guess is safe. Returns the decoder name, or "" when the bytes have no
// such escape (or any 8-bit byte).
std::string Guess7BitIso2022(std::string_view bytes) {
  if (bytes.find('\x1B') == std::string_view::npos) return {};
  for (char c : bytes)
    if (static_cast<unsigned char>(c) >= 0x80) return {};
  // JIS X 0208 (1978, 1983), JIS X 0212, JIS X 0201 katakana.
  for (std::string_view esc : {"\x1B$B", "\x1B$@", "\x1B$(D", "\x1B(I"})
    if (bytes.find(esc) != std::string_view::npos) return "ISO-2022-JP-2";
  // ISO-2022-KR (RFC 1557): the designation once, then SO/SI shifts.
  if (bytes.find("\x1B$)C") != std::string_view::npos && bytes.find('\x0E') != std::string_view::npos)
    return "ISO-2022-KR";
  return {};
}

}  // namespace

std::string DecodeUnlabelled(std::string_view bytes, std::string_view fallback_label) {
  if (const std::string iso2022 = Guess7BitIso2022(bytes); !iso2022.empty()) {
    std::string text = DecodeWith(bytes, iso2022, {});
    if (text.find("\xEF\xBF\xBD") == std::string::npos && text.find('\x1B') == std::string::npos) return text;
  }
  if (IsValidUtf8(bytes)) {
    if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") bytes.remove_prefix(3);
    return std::string(bytes);
  }
  const std::string fallback = CanonicalCharset(fallback_label);
  if (!fallback.empty() && fallback != "UTF-8" && fallback != "ASCII") return DecodeWith(bytes, fallback, {});
  if (const std::string cyrillic = GuessCyrillic(bytes); !cyrillic.empty()) return IconvToUtf8(bytes, cyrillic);
  return Windows1252ToUtf8(bytes);
}

std::string DecodeToUtf8(std::string_view bytes, std::string_view label, std::string_view fallback_label) {
  const std::string name = CanonicalCharset(label);
  if (name.empty()) return DecodeUnlabelled(bytes, fallback_label);
  return DecodeWith(bytes, name, fallback_label);
}

}  // namespace sladesk::mail
