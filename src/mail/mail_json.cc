#include "mail/mail_json.h"

#include <nlohmann/json.hpp>

#include "mail/quote_trimmer.h"

namespace sladesk::mail {
namespace {

using Json = nlohmann::ordered_json;

Json OptionalString(const std::optional<std::string>& s) { return s ? Json(*s) : Json(nullptr); }

Json Address(const MailAddress& a) {
  Json j = Json::object();
  j["address"] = a.address;
  j["name"] = OptionalString(a.name);
  return j;
}

Json AddressList(const std::vector<MailAddress>& list) {
  Json j = Json::array();
  for (const auto& a : list) j.push_back(Address(a));
  return j;
}

}  // namespace

std::string ParsedMailToJson(const ParsedMail& mail, const TrimmedText* trimmed) {
  Json j = Json::object();
  j["message_id"] = OptionalString(mail.message_id);
  j["in_reply_to"] = OptionalString(mail.in_reply_to);
  j["references"] = mail.references;
  j["from"] = mail.from ? Address(*mail.from) : Json(nullptr);
  j["to"] = AddressList(mail.to);
  j["subject"] = OptionalString(mail.subject);
  j["ticket_number"] = mail.ticket_number ? Json(*mail.ticket_number) : Json(nullptr);
  j["auto_generated"] = mail.auto_generated;
  j["text"] = mail.text;
  Json attachments = Json::array();
  for (const MailAttachment& a : mail.attachments) {
    Json x = Json::object();
    x["filename"] = OptionalString(a.filename);
    x["content_type"] = a.content_type;
    x["size"] = a.size;
    attachments.push_back(std::move(x));
  }
  j["attachments"] = std::move(attachments);
  j["cc"] = AddressList(mail.cc);
  if (trimmed) {
    j["reply_text"] = trimmed->reply;
    j["quoted_text"] = trimmed->quoted;
  }
  return j.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace sladesk::mail
