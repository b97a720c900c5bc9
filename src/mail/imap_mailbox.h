// ImapMailbox: one mailbox on an IMAP server (libcurl), for polling mail in.
//
// Purpose: what `sladesk mail poll` needs: connect over imaps:// or imap://
// with STARTTLS (a test CA may be added), report UIDVALIDITY so a caller can
// key what it stored by (uidvalidity, uid), list UIDs not yet seen (UNSEEN)
// or from a UID on, fetch a message's raw bytes, mark it \Seen (or not),
// and move it to another mailbox.
// IMAP facts a caller must know (docs/EMAIL.md, "Polling IMAP"):
// * Fetch() reads BODY[], which sets \Seen on the server as a side effect
//   (libcurl has no BODY.PEEK). A poller that stores by UNSEEN must
//   MarkUnseen() what it failed to store; a poller keyed by
//   (uidvalidity, last stored uid) with UidsFrom() does not care.
// * UIDs are only meaningful with the UIDVALIDITY they came with; when it
//   changes, everything must be re-listed (and deduplicated by Message-ID
//   plus digest, as the desk does).
// Failures are Errors (field "imap") with libcurl's and the server's words:
// the caller retries at its next poll.
// Thread-safety: not thread-safe; one mailbox object per polling thread. It
// keeps one libcurl handle, so the connection (and the selected mailbox) is
// reused between calls. Ownership: owns its configuration and the handle.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "mail/smtp_sender.h"  // StartTls

namespace sladesk::mail {

struct ImapConfig {
  std::string url = "imaps://127.0.0.1:993";  // imaps://host:port, or imap://host:port (STARTTLS below)
  std::string mailbox = "INBOX";               // printable ASCII
  std::string username, password;
  StartTls starttls = StartTls::kRequired;  // for imap:// only
  std::string ca_file;                      // extra CA bundle (a test's self-signed certificate)
  bool verify_peer = true;
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds timeout{60000};
};

struct MailboxStatus {
  std::uint64_t uidvalidity = 0;
  std::uint64_t uidnext = 0;
  std::uint64_t messages = 0;
};

class ImapMailbox {
 public:
  explicit ImapMailbox(ImapConfig config);
  ~ImapMailbox();
  ImapMailbox(const ImapMailbox&) = delete;
  ImapMailbox& operator=(const ImapMailbox&) = delete;

  Result<MailboxStatus> Status();
  // UIDs without \Seen, ascending.
  Result<std::vector<std::uint64_t>> UnseenUids();
  // UIDs >= first_uid, ascending (an empty list when there are none; IMAP's
  // "n:*" quirk of always naming the last message is filtered out).
  Result<std::vector<std::uint64_t>> UidsFrom(std::uint64_t first_uid);
  // The message's raw bytes (RFC 5322, as stored on the server).
  Result<std::string> Fetch(std::uint64_t uid);
  sladesk::Status MarkSeen(std::uint64_t uid);
  sladesk::Status MarkUnseen(std::uint64_t uid);
  // UID MOVE (RFC 6851) into `target` (which must exist).
  sladesk::Status Move(std::uint64_t uid, std::string_view target);
  // APPEND a message (libcurl appends it with \Seen set).
  sladesk::Status Append(std::string_view message);
  // CREATE a mailbox (e.g. the "Processed" target of Move); an existing one is not an error.
  sladesk::Status Create(std::string_view name);

 private:
  struct Handle;
  // One libcurl transfer on the kept handle: a custom command, a plain
  // fetch of `url` (command empty), or an APPEND (upload non-empty).
  Result<std::string> Perform(const std::string& url, const std::string& command, std::string_view upload);
  void* Prepare(const std::string& url, char* errbuf);
  std::string MailboxUrl() const;

  ImapConfig config_;
  std::unique_ptr<Handle> handle_;
};

}  // namespace sladesk::mail
