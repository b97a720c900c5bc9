#include "mailgate/inbound_decoder.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

#include "mail/mail_parser.h"
#include "mail/message_id_signer.h"
#include "mail/quote_trimmer.h"

namespace sladesk::mailgate {
namespace {

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

// Every "<sladesk.N.R.H@...>" in `raw` (a bounce quotes the message it returns).
std::vector<std::string> SladeskIds(std::string_view raw) {
  std::vector<std::string> ids;
  for (size_t p = raw.find("<sladesk."); p != std::string_view::npos && ids.size() < 32;
       p = raw.find("<sladesk.", p + 1)) {
    size_t end = raw.find('>', p);
    if (end == std::string_view::npos || end - p > 200) continue;
    ids.emplace_back(raw.substr(p, end - p + 1));
  }
  return ids;
}

// "Final-Recipient: rfc822; gone@nowhere.example" lines of a delivery report.
std::vector<std::string> FinalRecipients(std::string_view raw) {
  std::vector<std::string> out;
  size_t p = 0;
  while (out.size() < 32) {
    size_t hit = std::string_view::npos;
    for (const char* key : {"\nFinal-Recipient:", "\nfinal-recipient:", "\nFINAL-RECIPIENT:"}) {
      size_t h = raw.find(key, p);
      if (h < hit) hit = h;
    }
    if (hit == std::string_view::npos) break;
    size_t eol = raw.find('\n', hit + 1);
    std::string value(raw.substr(hit + 17, (eol == std::string_view::npos ? raw.size() : eol) - hit - 17));
    size_t semi = value.find(';');
    std::string addr = semi == std::string::npos ? value : value.substr(semi + 1);
    addr.erase(std::remove_if(addr.begin(), addr.end(), [](unsigned char c) { return std::isspace(c) || c == '<' || c == '>'; }),
               addr.end());
    if (addr.find('@') != std::string::npos && addr.size() < 320) {
      addr = LowerAscii(addr);
      if (std::find(out.begin(), out.end(), addr) == out.end()) out.push_back(addr);
    }
    p = hit + 1;
  }
  return out;
}

}  // namespace

Result<InboundMail> DecodeInbound(std::string_view raw, std::string_view source, const std::string& secret) {
  mail::ParseOptions options;
  options.keep_content = true;
  auto parsed = mail::ParseMail(raw, options);
  if (!parsed.ok()) return parsed.error();
  return DecodeInbound(*parsed, raw, source, secret);
}

InboundMail DecodeInbound(const mail::ParsedMail& p, std::string_view raw, std::string_view source,
                          const std::string& secret) {
  InboundMail m;
  m.message_id = p.message_id.value_or("");
  m.source = std::string(source);
  if (p.from) {
    m.from_address = p.from->address;
    m.from_name = p.from->name.value_or("");
  }
  m.subject = p.subject.value_or("");
  m.subject_ticket = p.ticket_number;
  m.auto_generated = p.auto_generated;
  m.auto_reason = mail::AutoReasonName(p.auto_reason);
  m.dmarc_failed = p.dmarc_failed;
  m.bounce = p.report_type == "delivery-status";
  m.raw = std::string(raw);

  std::string key = m.from_address + "\n" + p.date.value_or("") + "\n" + m.subject + "\n" + p.text;
  for (const auto& a : p.attachments) key += "\n" + a.content_type + " " + std::to_string(a.size);
  m.digest = Sha256Hex(key);

  const mail::MessageIdSigner signer(secret);
  if (!m.message_id.empty() && signer.Verify(m.message_id)) m.own_message = true;
  std::vector<std::string> ids;
  if (m.bounce) {
    ids = SladeskIds(raw);
    m.bounced_recipients = FinalRecipients(raw);
  } else {
    if (p.in_reply_to) ids.push_back(*p.in_reply_to);
    ids.insert(ids.end(), p.references.rbegin(), p.references.rend());
  }
  m.signed_ticket = mail::VerifyTicketTag(ids, secret);

  const mail::TrimmedText trimmed = mail::TrimQuotedHistory(p.text, p.html);
  m.text = trimmed.trimmed ? trimmed.reply : p.text;
  m.quoted = trimmed.trimmed ? trimmed.quoted : "";
  for (const auto& a : p.attachments) {
    if (a.content_type == "message/delivery-status" || a.content_type == "text/rfc822-headers") continue;
    // Inline text parts already in `text` (footers, text around an image).
    if (a.inline_disposition && !a.filename && (a.content_type == "text/plain" || a.content_type == "text/html"))
      continue;
    m.attachments.push_back({a.filename.value_or(""), a.content_type, a.content});
  }
  return m;
}

}  // namespace sladesk::mailgate
