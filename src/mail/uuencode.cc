#include "mail/uuencode.h"

#include <optional>

#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

struct Line {
  std::size_t begin, end, next;  // [begin, end) without the '\n'; next line's start
};

Line LineAt(std::string_view s, std::size_t pos) {
  std::size_t nl = s.find('\n', pos);
  if (nl == std::string_view::npos) return {pos, s.size(), s.size()};
  return {pos, nl, nl + 1};
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// "begin 644 name" -> name.
std::optional<std::string> BeginLine(std::string_view line) {
  line = TrimRight(line);
  if (line.substr(0, 6) != "begin ") return std::nullopt;
  std::size_t i = 6;
  const std::size_t mode_begin = i;
  while (i < line.size() && line[i] >= '0' && line[i] <= '7') ++i;
  const std::size_t mode_len = i - mode_begin;
  if (mode_len < 3 || mode_len > 4 || i >= line.size() || line[i] != ' ') return std::nullopt;
  std::string name(line.substr(i + 1));
  if (name.empty()) return std::nullopt;
  return name;
}

// Decodes one data line into out; false when it is not a uuencode line.
bool DecodeLine(std::string_view line, std::string& out) {
  // Encoders pad with ' ' or '`'; mailers may strip trailing spaces.
  if (line.empty()) return false;
  const int n = (line[0] - 0x20) & 0x3F;
  if (static_cast<unsigned char>(line[0]) < 0x20 || static_cast<unsigned char>(line[0]) > 0x60) return false;
  const std::size_t need = (static_cast<std::size_t>(n) + 2) / 3 * 4;
  std::string_view body = line.substr(1);
  if (body.size() > need + 2) return false;  // some encoders add a check character
  for (char c : body)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x60) return false;
  if (n > 0 && body.size() + 2 < need) return false;  // more than trailing spaces missing
  auto val = [&](std::size_t k) -> unsigned { return k < body.size() ? ((body[k] - 0x20) & 0x3F) : 0; };
  int produced = 0;
  for (std::size_t k = 0; produced < n; k += 4) {
    const unsigned a = val(k), b = val(k + 1), c = val(k + 2), d = val(k + 3);
    const unsigned char bytes[3] = {static_cast<unsigned char>((a << 2) | (b >> 4)),
                                    static_cast<unsigned char>((b << 4) | (c >> 2)),
                                    static_cast<unsigned char>((c << 6) | d)};
    for (int j = 0; j < 3 && produced < n; ++j, ++produced) out += static_cast<char>(bytes[j]);
  }
  return true;
}

}  // namespace

std::string MediaTypeForFilename(std::string_view filename) {
  const std::size_t dot = filename.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  const std::string ext = AsciiLower(filename.substr(dot + 1));
  static const std::pair<const char*, const char*> kTypes[] = {
      {"pdf", "application/pdf"},   {"png", "image/png"},          {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},       {"gif", "image/gif"},          {"bmp", "image/bmp"},
      {"tif", "image/tiff"},        {"tiff", "image/tiff"},        {"txt", "text/plain"},
      {"log", "text/plain"},        {"csv", "text/csv"},           {"htm", "text/html"},
      {"html", "text/html"},        {"xml", "application/xml"},    {"json", "application/json"},
      {"zip", "application/zip"},   {"gz", "application/gzip"},    {"tar", "application/x-tar"},
      {"doc", "application/msword"}, {"xls", "application/vnd.ms-excel"},
      {"ppt", "application/vnd.ms-powerpoint"},
      {"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
      {"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
      {"pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"},
      {"eml", "message/rfc822"},    {"ics", "text/calendar"},      {"rtf", "application/rtf"},
      {"mp3", "audio/mpeg"},        {"wav", "audio/wav"},          {"mp4", "video/mp4"},
      {"svg", "image/svg+xml"},     {"webp", "image/webp"},        {"7z", "application/x-7z-compressed"}};
  for (const auto& [e, type] : kTypes)
    if (ext == e) return type;
  return "application/octet-stream";
}

std::vector<UuencodedFile> ExtractUuencodedFiles(std::string& text) {
  std::vector<UuencodedFile> files;
  if (text.find("begin ") == std::string::npos) return files;
  std::string kept;
  std::size_t pos = 0, copied = 0;
  while (pos < text.size()) {
    const Line begin_line = LineAt(text, pos);
    auto name = BeginLine(std::string_view(text).substr(begin_line.begin, begin_line.end - begin_line.begin));
    if (!name) {
      pos = begin_line.next;
      continue;
    }
    // Data lines up to "end".
    std::string data;
    std::size_t p = begin_line.next;
    bool ok = false;
    while (p < text.size()) {
      const Line l = LineAt(text, p);
      std::string_view line = std::string_view(text).substr(l.begin, l.end - l.begin);
      std::string_view trimmed = TrimRight(line);
      if (trimmed == "end") {
        ok = true;
        p = l.next;
        break;
      }
      std::string_view content = line;
      while (!content.empty() && content.back() == '\r') content.remove_suffix(1);
      if (content.empty()) {
        // Only the zero-length line before "end" may be blank (its ' ' stripped by a mailer).
        const Line after = LineAt(text, l.next);
        if (TrimRight(std::string_view(text).substr(after.begin, after.end - after.begin)) != "end") break;
        p = l.next;
        continue;
      }
      if (!DecodeLine(content, data)) break;
      p = l.next;
    }
    if (!ok) {
      pos = begin_line.next;
      continue;
    }
    kept.append(text, copied, begin_line.begin - copied);
    copied = p;
    pos = p;
    UuencodedFile f;
    f.content_type = MediaTypeForFilename(*name);
    f.filename = std::move(*name);
    f.data = std::move(data);
    files.push_back(std::move(f));
  }
  if (files.empty()) return files;
  kept.append(text, copied, std::string::npos);
  text = std::move(kept);
  return files;
}

}  // namespace sladesk::mail
