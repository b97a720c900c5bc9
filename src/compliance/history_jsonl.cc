#include "compliance/history_jsonl.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include <nlohmann/json.hpp>

namespace sladesk {
namespace {

constexpr int kMaxDepth = 64;

// A cursor over one line with the error it stopped at.
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  void Ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t' || s_[p_] == '\r' || s_[p_] == '\n')) ++p_;
  }
  bool AtEnd() const { return p_ >= s_.size(); }
  char Peek() const { return p_ < s_.size() ? s_[p_] : '\0'; }
  bool Eat(char c) {
    Ws();
    if (Peek() != c) return false;
    ++p_;
    return true;
  }

  Error Syntax(std::string_view what) const {
    return MakeError("input", "not valid JSON: " + std::string(what) + " at column " + std::to_string(p_ + 1));
  }

  // A JSON string into `out` (cleared). Expects the opening quote.
  Status String(std::string& out) {
    out.clear();
    Ws();
    if (Peek() != '"') return Syntax("expected a string");
    ++p_;
    for (;;) {
      size_t start = p_;
      for (;;) {
        while (p_ < s_.size() && s_[p_] != '"' && s_[p_] != '\\' && static_cast<unsigned char>(s_[p_]) >= 0x20 &&
               static_cast<unsigned char>(s_[p_]) < 0x80)
          ++p_;
        if (p_ >= s_.size() || static_cast<unsigned char>(s_[p_]) < 0x80) break;
        if (!SkipUtf8()) return Syntax("not valid UTF-8");
      }
      out.append(s_.data() + start, p_ - start);
      if (p_ >= s_.size()) return Syntax("unterminated string");
      const char c = s_[p_];
      if (c == '"') {
        ++p_;
        return Status::Ok();
      }
      if (c != '\\') return Syntax("control character in a string");
      if (++p_ >= s_.size()) return Syntax("unterminated string");
      const char e = s_[p_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = 0;
          if (!Hex4(cp)) return Syntax("bad \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo = 0;
            if (p_ + 1 >= s_.size() || s_[p_] != '\\' || s_[p_ + 1] != 'u') return Syntax("lone surrogate");
            p_ += 2;
            if (!Hex4(lo) || lo < 0xDC00 || lo > 0xDFFF) return Syntax("lone surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Syntax("lone surrogate");
          }
          Utf8(cp, out);
          break;
        }
        default: return Syntax("bad escape");
      }
    }
  }

  // A JSON number's text (validated against the grammar).
  Status Number(double& v) {
    Ws();
    const size_t start = p_;
    if (Peek() == '-') ++p_;
    if (Peek() == '0') {
      ++p_;
    } else if (Peek() >= '1' && Peek() <= '9') {
      while (Peek() >= '0' && Peek() <= '9') ++p_;
    } else {
      return Syntax("expected a number");
    }
    if (Peek() == '.') {
      ++p_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Syntax("bad number");
      while (Peek() >= '0' && Peek() <= '9') ++p_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++p_;
      if (Peek() == '+' || Peek() == '-') ++p_;
      if (!(Peek() >= '0' && Peek() <= '9')) return Syntax("bad number");
      while (Peek() >= '0' && Peek() <= '9') ++p_;
    }
    const std::string text(s_.substr(start, p_ - start));
    v = std::strtod(text.c_str(), nullptr);
    return Status::Ok();
  }

  // Skips any JSON value; `what` receives its type name.
  Status Skip(int depth, const char** what = nullptr) {
    if (depth > kMaxDepth) return Syntax("nested too deeply");
    Ws();
    const char c = Peek();
    auto set = [&](const char* t) {
      if (what) *what = t;
    };
    if (c == '"') {
      set("string");
      return String(scratch_);
    }
    if (c == '{') {
      set("object");
      ++p_;
      if (Eat('}')) return Status::Ok();
      do {
        if (Status s = String(scratch_); !s.ok()) return s;
        if (!Eat(':')) return Syntax("expected ':'");
        if (Status s = Skip(depth + 1); !s.ok()) return s;
      } while (Eat(','));
      if (!Eat('}')) return Syntax("expected ',' or '}'");
      return Status::Ok();
    }
    if (c == '[') {
      set("array");
      ++p_;
      if (Eat(']')) return Status::Ok();
      do {
        if (Status s = Skip(depth + 1); !s.ok()) return s;
      } while (Eat(','));
      if (!Eat(']')) return Syntax("expected ',' or ']'");
      return Status::Ok();
    }
    for (const char* lit : {"true", "false", "null"}) {
      const size_t n = std::strlen(lit);
      if (s_.compare(p_, n, lit) == 0) {
        set(lit[0] == 'n' ? "null" : "boolean");
        p_ += n;
        return Status::Ok();
      }
    }
    double ignored;
    set("number");
    return Number(ignored);
  }

  // The type of the value that starts here, without consuming it.
  const char* TypeHere() {
    Ws();
    switch (Peek()) {
      case '"': return "string";
      case '{': return "object";
      case '[': return "array";
      case 't':
      case 'f': return "boolean";
      case 'n': return "null";
      default: return "number";
    }
  }
  bool NullHere() {
    Ws();
    if (s_.compare(p_, 4, "null") == 0) {
      p_ += 4;
      return true;
    }
    return false;
  }

 private:
  // One well-formed UTF-8 sequence of 2-4 bytes at p_ (no overlongs,
  // surrogates or code points past U+10FFFF); advances past it.
  bool SkipUtf8() {
    const auto b = [&](size_t i) { return static_cast<unsigned char>(s_[p_ + i]); };
    const unsigned char c = b(0);
    size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (n == 0 || c > 0xF4 || p_ + n > s_.size()) return false;
    for (size_t i = 1; i < n; ++i)
      if ((b(i) & 0xC0) != 0x80) return false;
    if (c == 0xE0 && b(1) < 0xA0) return false;  // overlong
    if (c == 0xED && b(1) > 0x9F) return false;  // surrogates
    if (c == 0xF0 && b(1) < 0x90) return false;  // overlong
    if (c == 0xF4 && b(1) > 0x8F) return false;  // past U+10FFFF
    p_ += n;
    return true;
  }

  bool Hex4(unsigned& v) {
    if (p_ + 4 > s_.size()) return false;
    v = 0;
    for (int i = 0; i < 4; ++i) {
      const char h = s_[p_++];
      v <<= 4;
      if (h >= '0' && h <= '9') v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f') v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F') v |= static_cast<unsigned>(h - 'A' + 10);
      else return false;
    }
    return true;
  }
  static void Utf8(unsigned cp, std::string& out) {
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

  std::string_view s_;
  size_t p_ = 0;
  std::string scratch_;
};

std::string Indexed(const char* base, size_t i, const char* key) {
  return std::string(base) + "[" + std::to_string(i) + "]." + key;
}

Error Expected(std::string field, const char* expected, const char* got) {
  return MakeError(std::move(field), std::string("expected ") + expected + ", got " + got);
}

// A value of the wrong type, or none at all (the line ends).
Error Mismatch(Reader& r, std::string field, const char* expected, const char* got) {
  r.Ws();
  if (r.AtEnd()) return r.Syntax("unexpected end of the line");
  const char c = r.Peek();
  if (std::strchr("\"{[tfn-0123456789", c) == nullptr) return r.Syntax("unexpected character");
  return Expected(std::move(field), expected, got);
}

// A string value (or null when `nullable`) for a known key.
Status ReadStringValue(Reader& r, std::string& out, const char* field, bool nullable) {
  if (nullable && r.NullHere()) {
    out.clear();
    return Status::Ok();
  }
  const char* t = r.TypeHere();
  if (t[0] != 's') return Mismatch(r, field, "a string", t);
  return r.String(out);
}

// The field name is only built on an error: this runs once per event.
Status ReadInstantValue(Reader& r, std::string& scratch, Instant& out, const char* base, size_t index) {
  const char* t = r.TypeHere();
  if (t[0] != 's') return Mismatch(r, Indexed(base, index, "at"), "an RFC 3339 time string", t);
  if (Status s = r.String(scratch); !s.ok()) return s;
  auto at = ParseInstant(scratch, "at");
  if (!at.ok()) {
    Error e = at.error();
    e.field = Indexed(base, index, "at");
    return e;
  }
  out = *at;
  return Status::Ok();
}

Status ReadEvent(Reader& r, size_t index, std::string& scratch, TicketEvent& ev) {
  const char* t = r.TypeHere();
  if (t[0] != 'o') return Mismatch(r, "events[" + std::to_string(index) + "]", "an object", t);
  r.Eat('{');
  bool have_at = false, have_type = false, have_severity = false;
  std::string severity;
  if (!r.Eat('}')) {
    do {
      if (Status s = r.String(scratch); !s.ok()) return s;
      if (!r.Eat(':')) return r.Syntax("expected ':'");
      if (scratch == "at") {
        if (Status s = ReadInstantValue(r, scratch, ev.at, "events", index); !s.ok()) return s;
        have_at = true;
      } else if (scratch == "type") {
        const char* vt = r.TypeHere();
        if (vt[0] != 's') return Mismatch(r, Indexed("events", index, "type"), "a string", vt);
        if (Status s = r.String(scratch); !s.ok()) return s;
        auto type = EventTypeFromName(scratch);
        if (!type)
          return MakeError(Indexed("events", index, "type"),
                           "unknown event type '" + scratch.substr(0, 80) + "' (known: " + KnownEventTypeNames() + ")");
        ev.type = *type;
        have_type = true;
      } else if (scratch == "severity" && r.TypeHere()[0] == 's') {
        if (Status s = r.String(severity); !s.ok()) return s;
        have_severity = true;
      } else {
        if (Status s = r.Skip(1); !s.ok()) return s;
      }
    } while (r.Eat(','));
    if (!r.Eat('}')) return r.Syntax("expected ',' or '}'");
  }
  if (!have_type) return MakeError(Indexed("events", index, "type"), "missing");
  if (!have_at) return MakeError(Indexed("events", index, "at"), "missing");
  if (ev.type == EventType::kSeverityChanged) {
    if (!have_severity || severity.empty())
      return MakeError(Indexed("events", index, "severity"), "missing: severity_changed needs the new severity");
    ev.severity = std::move(severity);
  }
  return Status::Ok();
}

Status ReadEvents(Reader& r, std::string& scratch, std::vector<TicketEvent>& events) {
  const char* t = r.TypeHere();
  if (t[0] != 'a') return Mismatch(r, "events", "an array", t);
  r.Eat('[');
  if (r.Eat(']')) return Status::Ok();
  do {
    events.emplace_back();
    if (Status s = ReadEvent(r, events.size() - 1, scratch, events.back()); !s.ok()) return s;
  } while (r.Eat(','));
  if (!r.Eat(']')) return r.Syntax("expected ',' or ']'");
  return Status::Ok();
}

Status ReadEscalations(Reader& r, std::string& scratch, std::vector<HistoryEscalation>& out) {
  if (r.NullHere()) return Status::Ok();
  const char* t = r.TypeHere();
  if (t[0] != 'a') return Mismatch(r, "escalations", "an array", t);
  r.Eat('[');
  if (r.Eat(']')) return Status::Ok();
  do {
    const size_t i = out.size();
    const char* et = r.TypeHere();
    if (et[0] != 'o') return Mismatch(r, "escalations[" + std::to_string(i) + "]", "an object", et);
    r.Eat('{');
    HistoryEscalation e;
    bool have_at = false;
    if (!r.Eat('}')) {
      do {
        if (Status s = r.String(scratch); !s.ok()) return s;
        if (!r.Eat(':')) return r.Syntax("expected ':'");
        if (scratch == "at") {
          if (Status s = ReadInstantValue(r, scratch, e.at, "escalations", i); !s.ok()) return s;
          have_at = true;
        } else if (scratch == "level") {
          if (Status s = ReadStringValue(r, e.level, Indexed("escalations", i, "level").c_str(), true); !s.ok())
            return s;
        } else if (Status s = r.Skip(1); !s.ok()) {
          return s;
        }
      } while (r.Eat(','));
      if (!r.Eat('}')) return r.Syntax("expected ',' or '}'");
    }
    if (!have_at) return MakeError(Indexed("escalations", i, "at"), "missing");
    out.push_back(std::move(e));
  } while (r.Eat(','));
  if (!r.Eat(']')) return r.Syntax("expected ',' or ']'");
  return Status::Ok();
}

}  // namespace

Status ParseHistoryLine(std::string_view line, HistoryTicket& out) {
  out.Clear();
  Reader r(line);
  r.Ws();
  if (r.AtEnd()) return MakeError("input", "empty line (one ticket object a line)");
  if (r.Peek() != '{') return MakeError("input", std::string("expected a ticket object, got ") + r.TypeHere());
  r.Eat('{');
  bool have_id = false, have_plan = false, have_events = false;
  thread_local std::string key, scratch;  // reused: no allocation per line
  if (!r.Eat('}')) {
    do {
      if (Status s = r.String(key); !s.ok()) return s;
      if (!r.Eat(':')) return r.Syntax("expected ':'");
      Status s;
      if (key == "id") {
        s = ReadStringValue(r, out.id, "id", false);
        have_id = true;
      } else if (key == "plan") {
        s = ReadStringValue(r, out.plan, "plan", false);
        have_plan = true;
      } else if (key == "organisation") {
        s = ReadStringValue(r, out.organisation, "organisation", true);
      } else if (key == "severity") {
        s = ReadStringValue(r, out.severity, "severity", true);
      } else if (key == "assignee") {
        s = ReadStringValue(r, out.assignee, "assignee", true);
      } else if (key == "events") {
        out.events.clear();
        s = ReadEvents(r, scratch, out.events);
        have_events = true;
      } else if (key == "escalations") {
        out.escalations.clear();
        s = ReadEscalations(r, scratch, out.escalations);
      } else if (key == "support_hours") {
        if (r.NullHere()) {
          out.support_seconds.reset();
        } else {
          const char* t = r.TypeHere();
          if (t[0] != 'n') return Mismatch(r, "support_hours", "a number", t);
          double h = 0;
          s = r.Number(h);
          if (s.ok() && !(h >= 0 && h <= 1e7)) return MakeError("support_hours", "must be 0 to 10,000,000 hours");
          if (s.ok()) out.support_seconds = static_cast<Seconds>(std::llround(h * 3600));
        }
      } else {
        s = r.Skip(1);
      }
      if (!s.ok()) return s;
    } while (r.Eat(','));
    if (!r.Eat('}')) return r.Syntax("expected ',' or '}'");
  }
  r.Ws();
  if (!r.AtEnd()) return r.Syntax("trailing characters after the ticket object");
  if (!have_id) return MakeError("id", "missing");
  if (!have_plan) return MakeError("plan", "missing");
  if (!have_events) return MakeError("events", "missing (use [] for a ticket with no events)");
  return Status::Ok();
}

std::string HistoryLineJson(const HistoryTicket& t) {
  nlohmann::ordered_json o;
  o["id"] = t.id;
  o["organisation"] = t.organisation;
  o["plan"] = t.plan;
  if (!t.severity.empty()) o["severity"] = t.severity;
  if (!t.assignee.empty()) o["assignee"] = t.assignee;
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (const TicketEvent& e : t.events) {
    nlohmann::ordered_json ev;
    ev["at"] = FormatInstant(e.at);
    ev["type"] = EventTypeName(e.type);
    if (e.type == EventType::kSeverityChanged) ev["severity"] = e.severity;
    events.push_back(std::move(ev));
  }
  o["events"] = std::move(events);
  if (!t.escalations.empty()) {
    nlohmann::ordered_json esc = nlohmann::ordered_json::array();
    for (const HistoryEscalation& e : t.escalations) esc.push_back({{"at", FormatInstant(e.at)}, {"level", e.level}});
    o["escalations"] = std::move(esc);
  }
  if (t.support_seconds) o["support_hours"] = static_cast<double>(*t.support_seconds) / 3600.0;
  // Replace, not throw, should a caller hand us bytes that are not UTF-8.
  return o.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace sladesk
