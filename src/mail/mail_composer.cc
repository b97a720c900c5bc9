#include "mail/mail_composer.h"

#include <date/date.h>

#include <cstdio>

#include "mail/header_encoder.h"
#include "mail/message_id_signer.h"
#include "mail/quote_trimmer.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

std::string Base64Lines(std::string_view data) {
  static const char* t = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t col = 0;
  auto put = [&](char c) {
    out += c;
    if (++col == 76) {
      out += "\r\n";
      col = 0;
    }
  };
  std::size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(data[i]) << 16) | (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    put(t[v >> 18]);
    put(t[(v >> 12) & 63]);
    put(t[(v >> 6) & 63]);
    put(t[v & 63]);
  }
  if (i < data.size()) {
    unsigned v = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) v |= static_cast<unsigned char>(data[i + 1]) << 8;
    put(t[v >> 18]);
    put(t[(v >> 12) & 63]);
    put(i + 1 < data.size() ? t[(v >> 6) & 63] : '=');
    put('=');
  }
  if (col != 0) out += "\r\n";
  return out;
}

bool ValidMediaType(std::string_view t) {
  const std::size_t slash = t.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= t.size() || t.size() > 127) return false;
  for (char c : t) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    std::string_view("!#$&-^_.+/").find(c) != std::string_view::npos;
    if (!ok) return false;
  }
  return t.find('/', slash + 1) == std::string_view::npos;
}

Status CheckMailbox(const OutgoingAddress& a, const std::string& field) {
  if (!ValidAddress(a.address)) return MakeError(field + ".address", "not a plain ASCII address: '" + RepairUtf8(a.address) + "'");
  return Status::Ok();
}

std::string MailboxList(const std::vector<OutgoingAddress>& list) {
  std::string out;
  for (const auto& a : list) {
    if (!out.empty()) out += ", ";
    out += FormatMailbox(a.name, a.address);
  }
  return out;
}

std::string TextPart(std::string_view subtype, std::string_view body) {
  return "Content-Type: text/" + std::string(subtype) +
         "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + EncodeQuotedPrintable(body);
}

std::string Multipart(std::string_view subtype, const std::string& boundary, const std::vector<std::string>& parts) {
  std::string out = FoldHeader("Content-Type", "multipart/" + std::string(subtype) + "; boundary=\"" + boundary + "\"") + "\r\n";
  for (const std::string& p : parts) out += "--" + boundary + "\r\n" + p + "\r\n";
  out += "--" + boundary + "--\r\n";
  return out;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace

std::string FormatMailDate(Instant t) {
  const auto day = std::chrono::floor<date::days>(t);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> hms{t - day};
  static const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s, %u %s %d %02d:%02d:%02d +0000", kDays[date::weekday{day}.c_encoding()],
                static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

std::string EncodeQuotedPrintable(std::string_view text) {
  static const char* hex = "0123456789ABCDEF";
  const std::string normalized = NormalizeNewlines(text);
  std::string out;
  std::size_t pos = 0;
  while (pos <= normalized.size()) {
    std::size_t nl = normalized.find('\n', pos);
    const bool last = nl == std::string::npos;
    if (last) nl = normalized.size();
    const std::string_view line = std::string_view(normalized).substr(pos, nl - pos);
    std::string encoded_line;
    std::size_t col = 0;
    auto emit = [&](const std::string& token) {
      if (col + token.size() > 75) {
        encoded_line += "=\r\n";
        col = 0;
      }
      encoded_line += token;
      col += token.size();
    };
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool at_end = i + 1 == line.size();
      const bool line_start = col == 0;
      bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
      if (line_start && (c == '.' || (c == 'F' && line.substr(i, 5) == "From "))) literal = false;
      if (literal) {
        emit(std::string(1, static_cast<char>(c)));
      } else {
        emit(std::string{'=', hex[c >> 4], hex[c & 15]});
      }
    }
    out += encoded_line;
    if (last) break;
    out += "\r\n";
    pos = nl + 1;
  }
  return out;
}

Result<ComposedMessage> ComposeMessage(const OutgoingMessage& m, const ComposeOptions& o) {
  if (o.domain.empty() || !ValidAddress("x@" + o.domain)) return MakeError("domain", "not a mail domain: '" + RepairUtf8(o.domain) + "'");
  if (o.secret.empty()) return MakeError("secret", "a Message-ID secret is required");
  if (!o.random.empty() && (o.random.size() != 16 || o.random.find_first_not_of("0123456789abcdef") != std::string::npos))
    return MakeError("random", "16 lower-case hex characters expected");
  if (Status s = CheckMailbox(m.from, "from"); !s.ok()) return s.error();
  for (std::size_t i = 0; i < m.to.size(); ++i)
    if (Status s = CheckMailbox(m.to[i], "to[" + std::to_string(i) + "]"); !s.ok()) return s.error();
  for (std::size_t i = 0; i < m.cc.size(); ++i)
    if (Status s = CheckMailbox(m.cc[i], "cc[" + std::to_string(i) + "]"); !s.ok()) return s.error();
  for (std::size_t i = 0; i < m.bcc.size(); ++i)
    if (!ValidAddress(m.bcc[i])) return MakeError("bcc[" + std::to_string(i) + "]", "not a plain ASCII address");
  if (m.reply_to)
    if (Status s = CheckMailbox(*m.reply_to, "reply_to"); !s.ok()) return s.error();
  if (m.to.empty() && m.cc.empty() && m.bcc.empty()) return MakeError("to", "no recipient");
  if (m.in_reply_to && !ValidMessageId(*m.in_reply_to))
    return MakeError("in_reply_to", "not a message id <left@right>");
  for (std::size_t i = 0; i < m.references.size(); ++i)
    if (!ValidMessageId(m.references[i]))
      return MakeError("references[" + std::to_string(i) + "]", "not a message id <left@right>");
  for (std::size_t i = 0; i < m.headers.size(); ++i) {
    const auto& [name, value] = m.headers[i];
    const std::string field = "headers[" + std::to_string(i) + "]";
    if (!ValidHeaderName(name)) return MakeError(field + ".name", "not a header field name");
    if (!SingleLine(value)) return MakeError(field + ".value", "a header value may not contain CR, LF or NUL");
    for (char c : value)
      if (static_cast<unsigned char>(c) >= 0x80) return MakeError(field + ".value", "extra header values must be ASCII");
  }
  for (std::size_t i = 0; i < m.attachments.size(); ++i) {
    const auto& a = m.attachments[i];
    const std::string field = "attachments[" + std::to_string(i) + "]";
    if (!ValidMediaType(a.content_type)) return MakeError(field + ".content_type", "not a media type type/subtype");
    if (!a.content_id.empty() && !ValidMessageId("<" + a.content_id + ">"))
      return MakeError(field + ".content_id", "not a content id left@right");
  }

  ComposedMessage out;
  const std::string random = o.random.empty() ? RandomToken() : o.random;
  const MessageIdSigner signer(o.secret);
  out.message_id = signer.MakeMessageId(m.ticket_number.value_or(0), o.domain, random);
  out.envelope_from = m.from.address;
  for (const auto& a : m.to) out.recipients.push_back(a.address);
  for (const auto& a : m.cc) out.recipients.push_back(a.address);
  for (const auto& a : m.bcc) out.recipients.push_back(a);

  std::string subject = m.subject;
  if (m.ticket_number) {
    const std::string tag = "[#" + std::to_string(*m.ticket_number) + "]";
    if (subject.find(tag) == std::string::npos) subject = subject.empty() ? tag : tag + " " + subject;
  }
  std::vector<std::string> references = m.references;
  if (m.in_reply_to && (references.empty() || references.back() != *m.in_reply_to))
    references.push_back(*m.in_reply_to);

  std::string h;
  h += FoldHeader("Date", FormatMailDate(o.now));
  h += FoldHeader("From", FormatMailbox(m.from.name, m.from.address));
  if (!m.to.empty()) h += FoldHeader("To", MailboxList(m.to));
  if (!m.cc.empty()) h += FoldHeader("Cc", MailboxList(m.cc));
  if (m.reply_to) h += FoldHeader("Reply-To", FormatMailbox(m.reply_to->name, m.reply_to->address));
  h += FoldHeader("Subject", EncodeUnstructured(subject));
  h += FoldHeader("Message-ID", out.message_id);
  if (m.in_reply_to) h += FoldHeader("In-Reply-To", *m.in_reply_to);
  if (!references.empty()) {
    std::string refs;
    for (const auto& r : references) refs += (refs.empty() ? "" : " ") + r;
    h += FoldHeader("References", refs);
  }
  if (m.automatic) h += FoldHeader("Auto-Submitted", "auto-replied");
  h += FoldHeader("X-Auto-Response-Suppress", "All");
  for (const auto& [name, value] : m.headers) h += FoldHeader(name, value);
  h += "MIME-Version: 1.0\r\n";

  std::string text = m.text, html = m.html;
  if (m.reply_marker) {
    text = std::string(kReplyAboveMarker) + "\n\n" + text;
    if (!html.empty()) html = "<div style=\"color:#888888\">" + HtmlEscape(kReplyAboveMarker) + "</div><br>" + html;
  }
  std::string body = html.empty() ? TextPart("plain", text)
                                   : Multipart("alternative", "=_sladesk_alt_" + random,
                                               {TextPart("plain", text), TextPart("html", html)});
  if (!m.attachments.empty()) {
    std::vector<std::string> parts{body};
    for (const auto& a : m.attachments) {
      std::string p = FoldHeader("Content-Type", AsciiLower(a.content_type) + NameParam(a.filename));
      p += "Content-Transfer-Encoding: base64\r\n";
      const bool inline_part = !a.content_id.empty();
      p += FoldHeader("Content-Disposition",
                      std::string(inline_part ? "inline" : "attachment") + FilenameParams("filename", a.filename));
      if (inline_part) p += "Content-ID: <" + a.content_id + ">\r\n";
      p += "\r\n" + Base64Lines(a.data);
      parts.push_back(std::move(p));
    }
    body = Multipart("mixed", "=_sladesk_mix_" + random, parts);
  }
  out.bytes = h + body;
  if (out.bytes.compare(out.bytes.size() - 2, 2, "\r\n") != 0) out.bytes += "\r\n";
  return out;
}

}  // namespace sladesk::mail
