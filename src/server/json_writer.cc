#include "server/json_writer.h"

namespace sladesk {
namespace {

// A UTF-8 sequence at s[i], as Unicode's "maximal subpart" practice (and
// nlohmann's replacing serializer) reads it: `*valid` says whether it is a
// whole well-formed character; the length is what one U+FFFD replaces when
// it is not (the lead byte and the continuation bytes that still fit; the
// first byte that does not fit is read again as a character of its own).
std::size_t Utf8Sequence(std::string_view s, std::size_t i, bool* valid) {
  const auto b = static_cast<unsigned char>(s[i]);
  int need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // the range of the second byte
  if (b >= 0xC2 && b <= 0xDF) need = 1;
  else if (b == 0xE0) need = 2, lo = 0xA0;
  else if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) need = 2;
  else if (b == 0xED) need = 2, hi = 0x9F;
  else if (b == 0xF0) need = 3, lo = 0x90;
  else if (b >= 0xF1 && b <= 0xF3) need = 3;
  else if (b == 0xF4) need = 3, hi = 0x8F;
  std::size_t len = 1;
  *valid = false;
  if (need == 0) return 1;
  for (int k = 0; k < need; ++k) {
    if (i + len >= s.size()) return len;
    const auto c = static_cast<unsigned char>(s[i + len]);
    if (c < (k == 0 ? lo : 0x80) || c > (k == 0 ? hi : 0xBF)) return len;
    ++len;
  }
  *valid = true;
  return len;
}

}  // namespace

void JsonWriter::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::Open(char c) {
  Separate();
  out_ += c;
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::Close(char c) {
  out_ += c;
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  String(key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view v) {
  Separate();
  static const char* kHex = "0123456789abcdef";
  out_ += '"';
  std::size_t i = 0;
  while (i < v.size()) {
    // The common case: a run of plain ASCII, copied at once.
    std::size_t run = i;
    while (run < v.size()) {
      const auto r = static_cast<unsigned char>(v[run]);
      if (r < 0x20 || r >= 0x80 || r == '"' || r == '\\') break;
      ++run;
    }
    if (run > i) {
      out_.append(v.data() + i, run - i);
      i = run;
      if (i == v.size()) break;
    }
    const auto c = static_cast<unsigned char>(v[i]);
    switch (c) {
      case '"': out_ += "\\\""; ++i; continue;
      case '\\': out_ += "\\\\"; ++i; continue;
      case '\n': out_ += "\\n"; ++i; continue;
      case '\r': out_ += "\\r"; ++i; continue;
      case '\t': out_ += "\\t"; ++i; continue;
      case '\b': out_ += "\\b"; ++i; continue;
      case '\f': out_ += "\\f"; ++i; continue;
      default: break;
    }
    if (c < 0x20) {
      out_ += "\\u00";
      out_ += kHex[c >> 4];
      out_ += kHex[c & 15];
      ++i;
      continue;
    }
    bool valid = false;
    const std::size_t n = Utf8Sequence(v, i, &valid);
    if (valid) out_.append(v.data() + i, n);
    else out_ += "\xEF\xBF\xBD";  // U+FFFD, as DumpJson's replace
    i += n;
  }
  out_ += '"';
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t v) {
  Separate();
  out_ += std::to_string(v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  Separate();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  Separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

}  // namespace sladesk
