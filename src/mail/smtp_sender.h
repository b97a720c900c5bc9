// SmtpSender: one message to a recipient list over SMTP (libcurl).
//
// Purpose: the outbox's email transport. smtp:// with STARTTLS never, when
// offered, or required; smtps:// (implicit TLS); AUTH with a user name and
// password (libcurl picks PLAIN/LOGIN/CRAM-MD5 from what the server
// offers); connect and total timeouts. The result says what the outbox
// must do:
//   kSent              the server answered 250 to the message: mark it sent;
//   kTemporaryFailure  4xx, connection refused, DNS, timeout, TLS or any
//                      failure before an answer: retry later (backoff);
//   kPermanentFailure  5xx: record the failure with the server's text.
// A recipient the server refuses fails the whole transaction (nothing is
// sent to anyone): SmtpResult::rejected_recipient names it, so the outbox
// can drop or bounce that address and send again to the others.
// Thread-safety: Send() is const and safe to call concurrently (each call
// uses its own libcurl handle; curl_global_init runs once).
// Ownership: the sender owns its configuration.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

namespace sladesk::mail {

enum class StartTls { kNever, kIfOffered, kRequired };

struct SmtpConfig {
  std::string url = "smtp://127.0.0.1:25";  // smtp://host:port or smtps://host:port
  StartTls starttls = StartTls::kIfOffered;  // ignored for smtps://
  std::string username, password;           // AUTH when username is set
  std::string ca_file;                      // extra CA bundle (a test's self-signed certificate)
  bool verify_peer = true;                  // certificate and host name
  std::string helo_name = "localhost";      // the EHLO argument
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};
};

enum class SmtpOutcome { kSent, kTemporaryFailure, kPermanentFailure };

struct SmtpResult {
  SmtpOutcome outcome = SmtpOutcome::kTemporaryFailure;
  int code = 0;                    // the server's last reply code, 0 when it never answered
  std::string detail;              // the server's last reply line, or libcurl's error
  std::string rejected_recipient;  // the RCPT the server refused, if any
  bool sent() const { return outcome == SmtpOutcome::kSent; }
};

const char* SmtpOutcomeName(SmtpOutcome outcome);  // "sent", "temporary_failure", "permanent_failure"

class SmtpSender {
 public:
  explicit SmtpSender(SmtpConfig config);

  // `message` is RFC 5322 with CRLF line ends (ComposedMessage::bytes);
  // libcurl does the SMTP dot-stuffing.
  SmtpResult Send(std::string_view envelope_from, const std::vector<std::string>& recipients,
                  std::string_view message) const;

 private:
  SmtpConfig config_;
};

// curl_global_init once per process (also used by ImapMailbox).
void EnsureCurlInitialized();

}  // namespace sladesk::mail
