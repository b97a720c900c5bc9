// ParsedMail: what sladesk reads out of one inbound RFC 5322 message
// (CONTRACT §9), plus what the desk's mail routing needs beyond it.
//
// Purpose: the value ParseMail() returns and `sladesk mail parse` prints.
// Every string is valid UTF-8. The contract's fields come first; the rest
// (cc, reply_to, date, the HTML body, attachment bytes, report details) is
// for routing mail into tickets.
// Thread-safety: a plain value type. Ownership: owns everything.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mail/address_parser.h"

namespace sladesk::mail {

struct MailAttachment {
  std::optional<std::string> filename;  // decoded, or null
  std::string content_type;             // "image/png": lower case, no parameters
  std::uint64_t size = 0;               // decoded size in bytes
  std::string content_id;               // Content-ID without <>, or empty
  bool inline_disposition = false;      // Content-Disposition inline (or none) rather than attachment
  bool from_uuencode = false;           // cut out of a text body (uuencode.h)
  std::string content;                  // decoded bytes; only with ParseOptions::keep_content
};

// How `auto_generated` was decided: the first rule of CONTRACT §9 that matched.
enum class AutoReason {
  kNone,
  kAutoSubmitted,         // Auto-Submitted other than "no"
  kPrecedence,            // Precedence: bulk, junk or list
  kAutoResponseSuppress,  // X-Auto-Response-Suppress: All or OOF
  kMailingList,           // List-Id or List-Unsubscribe
  kNullReturnPath,        // Return-Path: <>
  kDaemonSender,          // mailer-daemon@ / postmaster@ in From, Sender or Return-Path
  kDeliveryReport,        // multipart/report
};

struct ParsedMail {
  // CONTRACT §9.
  std::optional<std::string> message_id;   // "<abc@mail.example>"
  std::optional<std::string> in_reply_to;  // the first message id of In-Reply-To
  std::vector<std::string> references;     // in order, brackets kept
  std::optional<MailAddress> from;
  std::vector<MailAddress> to;
  std::optional<std::string> subject;
  std::optional<std::int64_t> ticket_number;  // from a "[#N]" subject tag
  bool auto_generated = false;
  std::string text;
  std::vector<MailAttachment> attachments;

  // Beyond the contract.
  std::vector<MailAddress> cc;
  std::vector<MailAddress> reply_to;
  std::optional<MailAddress> sender;
  std::optional<std::string> return_path;  // as written, "<>" for a null sender
  std::optional<std::string> date;         // the Date header, unfolded, as written
  AutoReason auto_reason = AutoReason::kNone;
  bool text_from_html = false;      // `text` came from an HTML part
  std::string html;                 // the HTML alternative of the body, UTF-8 (with keep_content)
  std::string report_type;          // multipart/report's report-type ("delivery-status"), lower case
  bool dmarc_failed = false;        // an Authentication-Results header says dmarc=fail
};

// "auto_submitted", "precedence", ... ("" for kNone).
const char* AutoReasonName(AutoReason reason);

}  // namespace sladesk::mail
