#include "mail/mail_parser.h"

#include <cctype>

#include "mail/gmime_support.h"
#include "mail/header_decoder.h"
#include "mail/mail_body.h"
#include "mail/mail_headers.h"
#include "mail/utf8.h"

namespace sladesk::mail {
namespace {

constexpr const char* kMailHeaders[] = {
    "from", "to", "cc", "bcc", "subject", "date", "message-id", "received", "return-path", "sender", "reply-to",
    "mime-version", "content-type", "content-transfer-encoding", "delivered-to", "in-reply-to", "references",
    "x-mailer", "user-agent", "dkim-signature", "authentication-results", "list-id", "auto-submitted",
    "precedence", "x-original-to", "envelope-to", "thread-topic", "thread-index", "importance", "organization",
    "x-priority", "arc-seal", "received-spf", "x-received", "resent-from", "resent-to", "resent-date",
    "newsgroups", "path", "keywords", "comments", "disposition-notification-to", "content-disposition",
    "x-envelope-from", "x-original-sender", "mail-followup-to", "list-unsubscribe", "x-sender"};

// Length of a header field name at the start of `line` followed by ':'
// (optional spaces before it), or 0.
std::size_t FieldNameLength(std::string_view line) {
  std::size_t i = 0;
  while (i < line.size()) {
    const auto c = static_cast<unsigned char>(line[i]);
    if (c <= 32 || c >= 127 || c == ':') break;
    ++i;
  }
  if (i == 0) return 0;
  std::size_t j = i;
  while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
  return j < line.size() && line[j] == ':' ? i : 0;
}

std::string_view LineAt(std::string_view s, std::size_t pos, std::size_t& next) {
  std::size_t nl = s.find('\n', pos);
  if (nl == std::string_view::npos) nl = s.size();
  next = nl < s.size() ? nl + 1 : nl;
  std::string_view line = s.substr(pos, nl - pos);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsBlankLine(std::string_view line) {
  for (char c : line)
    if (c != ' ' && c != '\t' && c != '\r') return false;
  return true;
}

RawHeaders CollectHeaders(GMimeObject* obj) {
  RawHeaders out;
  GMimeHeaderList* list = g_mime_object_get_header_list(obj);
  if (!list) return out;
  const int n = g_mime_header_list_get_count(list);
  for (int i = 0; i < n; ++i) {
    GMimeHeader* h = g_mime_header_list_get_header_at(list, i);
    const char* name = g_mime_header_get_name(h);
    const char* raw = g_mime_header_get_raw_value(h);
    out.emplace_back(name ? name : "", raw ? raw : "");
  }
  return out;
}

std::optional<MailAddress> FirstAddress(const RawHeaders& headers, const char* name, std::string_view fallback) {
  const std::string* v = FindHeader(headers, name);
  if (!v) return std::nullopt;
  auto list = ParseAddressList(*v, fallback);
  if (list.empty()) return std::nullopt;
  return list.front();
}

// The first From field with a mailbox that has an '@' (spam and broken
// gateways write two, the first garbage, "From: [??????]"); else the first.
std::optional<MailAddress> FromAddress(const RawHeaders& headers, std::string_view fallback) {
  std::optional<MailAddress> first;
  bool seen = false;
  for (const auto& [name, value] : headers) {
    if (!EqualsIgnoreCase(name, "From")) continue;
    auto list = ParseAddressList(value, fallback);
    std::optional<MailAddress> a;
    if (!list.empty()) a = list.front();
    if (a && a->address.find('@') != std::string::npos) return a;
    if (!seen) first = a;
    seen = true;
  }
  return first;
}

std::vector<MailAddress> AddressList(const RawHeaders& headers, const char* name, std::string_view fallback) {
  const std::string* v = FindHeader(headers, name);
  return v ? ParseAddressList(*v, fallback) : std::vector<MailAddress>{};
}

// The top-level header block with every Content-Type field after the first
// removed (with its continuation lines), or nullopt when there is at most
// one. A message should have one; with several, mail clients and Python's
// email package take the first, while GMime would take the last.
std::optional<std::string> WithFirstContentTypeOnly(std::string_view raw) {
  std::size_t pos = 0, next = 0;
  int seen = 0;
  std::vector<std::pair<std::size_t, std::size_t>> drop;  // [begin, end) byte ranges
  while (pos < raw.size()) {
    std::string_view line = LineAt(raw, pos, next);
    if (next == pos || line.empty()) break;
    const std::size_t n = FieldNameLength(line);
    if (n > 0 && AsciiLower(line.substr(0, n)) == "content-type" && ++seen > 1) {
      std::size_t end = next;
      while (end < raw.size()) {  // its folded continuation lines
        std::size_t after = end;
        std::string_view cont = LineAt(raw, end, after);
        if (cont.empty() || (cont[0] != ' ' && cont[0] != '\t') || after == end) break;
        end = after;
      }
      drop.emplace_back(pos, end);
      pos = end;
      continue;
    }
    pos = next;
  }
  if (drop.empty()) return std::nullopt;
  std::string out;
  out.reserve(raw.size());
  std::size_t from = 0;
  for (const auto& [b, e] : drop) {
    out.append(raw.substr(from, b - from));
    from = e;
  }
  out.append(raw.substr(from));
  return out;
}

// A parameter line that lost its folding whitespace: Exchange writes
// "Content-Type: multipart/alternative; \r\nboundary=\"...\"" in some parts.
// Mail clients read the next line as the parameter it is; GMime would end the
// header block there and lose the part's boundary (and its text). Only header
// blocks are looked at (the top one, and those after a "--" boundary line).
// Returns the message with such lines indented, or nullopt when there are none.
std::optional<std::string> WithParameterLinesFolded(std::string_view raw) {
  std::vector<std::size_t> indent;  // offsets of lines to indent
  std::size_t pos = 0, next = 0;
  bool after_param_header = false;
  bool in_header = true;  // the top header block, or a part's after its boundary line
  while (pos < raw.size()) {
    std::string_view line = LineAt(raw, pos, next);
    if (next == pos) break;
    if (!in_header) {
      in_header = line.size() > 2 && line[0] == '-' && line[1] == '-';
      after_param_header = false;
      pos = next;
      continue;
    }
    if (line.empty()) {
      in_header = false;
      after_param_header = false;
      pos = next;
      continue;
    }
    if (after_param_header) {
      std::size_t i = 0;
      while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '-' ||
                                 line[i] == '_' || line[i] == '*' || line[i] == '.'))
        ++i;
      if (i > 0 && i < line.size() && line[i] == '=') indent.push_back(pos);
    }
    std::string_view trimmed = line;
    while (!trimmed.empty() && (trimmed.back() == ' ' || trimmed.back() == '\t')) trimmed.remove_suffix(1);
    const std::size_t n = FieldNameLength(line);
    const std::string name = n > 0 ? AsciiLower(line.substr(0, n)) : std::string();
    const bool param_header = name == "content-type" || name == "content-disposition";
    const bool continuation = !line.empty() && (line[0] == ' ' || line[0] == '\t');
    const bool indented_here = !indent.empty() && indent.back() == pos;
    // Still inside a Content-Type/-Disposition field that ends in ';'.
    after_param_header = !trimmed.empty() && trimmed.back() == ';' &&
                         (param_header || ((continuation || indented_here) && after_param_header));
    pos = next;
  }
  if (indent.empty()) return std::nullopt;
  std::string out;
  out.reserve(raw.size() + indent.size());
  std::size_t from = 0;
  for (std::size_t at : indent) {
    out.append(raw.substr(from, at - from));
    out += ' ';
    from = at;
  }
  out.append(raw.substr(from));
  return out;
}

}  // namespace

Status CheckLooksLikeMail(std::string_view raw, std::size_t* header_offset) {
  std::size_t pos = 0;
  if (raw.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  std::size_t next = pos;
  // Blank lines before the header block.
  while (pos < raw.size()) {
    std::string_view line = LineAt(raw, pos, next);
    if (!IsBlankLine(line) || next == pos) break;
    pos = next;
  }
  if (pos >= raw.size()) return MakeError("input", "the input is empty or blank, not a mail message");
  {
    std::string_view line = LineAt(raw, pos, next);
    if (line.substr(0, 5) == "From " || line.substr(0, 6) == ">From ") pos = next;
  }
  {
    // One line of a forwarder's or archiver's own before the header block
    // ("---- Original email message ----"), when a field follows it.
    std::string_view line = LineAt(raw, pos, next);
    std::size_t after = next;
    if (FieldNameLength(line) == 0 && !IsBlankLine(line) && line.size() <= 200 && next < raw.size() &&
        FieldNameLength(LineAt(raw, next, after)) > 0)
      pos = next;
  }
  if (header_offset) *header_offset = pos;
  std::string_view first = LineAt(raw, pos, next);
  if (FieldNameLength(first) == 0)
    return MakeError("input", "not a mail message: it does not start with a header field (\"Name: value\")");
  // The header block must hold at least one field every mail has.
  std::size_t p = pos;
  for (int lines = 0; p < raw.size() && lines < 2000; ++lines) {
    std::string_view line = LineAt(raw, p, next);
    if (next == p) break;
    p = next;
    if (line.empty()) break;
    const std::size_t n = FieldNameLength(line);
    if (n == 0) continue;
    const std::string name = AsciiLower(line.substr(0, n));
    if (name.rfind("x-", 0) == 0 || name.rfind("resent-", 0) == 0 || name.rfind("list-", 0) == 0 ||
        name.rfind("arc-", 0) == 0)
      return Status::Ok();
    for (const char* known : kMailHeaders)
      if (name == known) return Status::Ok();
  }
  return MakeError("input",
                   "not a mail message: the header block has none of From, To, Subject, Date, Message-ID, "
                   "Received, MIME-Version, Content-Type");
}

Result<ParsedMail> ParseMail(std::string_view raw, const ParseOptions& options) {
  std::size_t offset = 0;
  if (Status s = CheckLooksLikeMail(raw, &offset); !s.ok()) return s.error();
  raw.remove_prefix(offset);
  const std::optional<std::string> repaired = WithFirstContentTypeOnly(raw);
  if (repaired) raw = *repaired;
  const std::optional<std::string> folded = WithParameterLinesFolded(raw);
  if (folded) raw = *folded;
  EnsureGMimeInitialized();

  GPtr<GMimeStream> stream(g_mime_stream_mem_new_with_buffer(raw.data(), raw.size()));
  GPtr<GMimeParser> parser(g_mime_parser_new_with_stream(stream.get()));
  g_mime_parser_set_format(parser.get(), GMIME_FORMAT_MESSAGE);
  g_mime_parser_set_respect_content_length(parser.get(), FALSE);
  // A part, not a GMimeMessage: GMime keeps every top-level header raw and
  // runs none of its own decoders on them (we decode them ourselves).
  GPtr<GMimeObject> top_object(g_mime_parser_construct_part(parser.get(), SharedParserOptions()));
  if (!top_object) return MakeError("input", "not a mail message: no header block could be read");
  GMimeObject* top = top_object.get();
  const RawHeaders headers = CollectHeaders(top);

  ParsedMail mail;
  const std::string fallback = top ? FirstDeclaredCharset(top) : std::string();
  if (const std::string* v = FindHeader(headers, "Message-ID")) mail.message_id = FirstMessageId(*v);
  if (const std::string* v = FindHeader(headers, "In-Reply-To")) mail.in_reply_to = FirstMessageId(*v);
  if (const std::string* v = FindHeader(headers, "References")) mail.references = MessageIdList(*v);
  mail.from = FromAddress(headers, fallback);
  mail.to = AddressList(headers, "To", fallback);
  mail.cc = AddressList(headers, "Cc", fallback);
  mail.reply_to = AddressList(headers, "Reply-To", fallback);
  mail.sender = FirstAddress(headers, "Sender", fallback);
  if (const std::string* v = FindHeader(headers, "Subject")) {
    mail.subject = DecodeHeaderText(*v, fallback);
    mail.ticket_number = TicketNumberFromSubject(*mail.subject);
  }
  if (const std::string* v = FindHeader(headers, "Return-Path")) mail.return_path = RepairUtf8(StripComments(*v));
  if (const std::string* v = FindHeader(headers, "Date")) mail.date = RepairUtf8(StripSpace(UnfoldHeader(*v)));

  std::string content_type = "text/plain";
  if (top) {
    GMimeContentType* ct = g_mime_object_get_content_type(top);
    if (ct) {
      const char* t = g_mime_content_type_get_media_type(ct);
      const char* st = g_mime_content_type_get_media_subtype(ct);
      content_type = AsciiLower(std::string(t ? t : "") + "/" + (st ? st : ""));
      if (content_type == "multipart/report") {
        const char* rt = g_mime_content_type_get_parameter(ct, "report-type");
        mail.report_type = AsciiLower(rt ? RepairUtf8(rt) : "");
      }
    }
  }
  mail.auto_reason = AutoGeneratedReason(headers, content_type, mail.from);
  mail.auto_generated = mail.auto_reason != AutoReason::kNone;
  mail.dmarc_failed = DmarcFailed(headers);

  if (top) {
    BodyOptions body;
    body.keep_content = options.keep_content;
    body.fallback_charset = fallback;
    ExtractBody(top, body, mail);
  }
  return mail;
}

}  // namespace sladesk::mail
