// ImapPoller: fetches new mail from one IMAP mailbox into the desk.
//
// Purpose: `sladesk mail poll` and `serve --imap`. One poll takes the
// mailbox's lease (a row in mail_leases: several processes may run it, one
// polls a mailbox at a time; a crashed holder's lease expires), reads the
// position stored for the mailbox (UIDVALIDITY and the last UID stored),
// lists the UIDs after it (ImapMailbox::UidsFrom), and for each: fetches,
// ingests through the MailGateway, marks it \Seen and stores the new
// position. A message is never stored twice: the position moves only after
// the message is stored, and a message seen again (UIDVALIDITY changed, a
// crash between store and position) is a duplicate by Message-ID plus
// digest. When the store is unavailable the poll stops without moving
// past that message (the next poll retries); a message that is not mail
// at all is skipped (counted in `failed`) so it cannot block the mailbox.
// Each poll opens its own IMAP session: a session that stays selected does
// not see messages delivered meanwhile in UID SEARCH (the server reports
// them only with its next EXISTS), so a kept session would miss mail.
// Thread-safety: not thread-safe; one poller per thread.
// Ownership: borrows the store, gateway and clock.
#pragma once

#include <string>

#include "common/clock.h"
#include "mail/imap_mailbox.h"
#include "mailgate/mail_gateway.h"

namespace sladesk::mailgate {

struct ImapPollConfig {
  mail::ImapConfig imap;
  std::string holder;          // this process ("host:pid"), the lease's owner
  Seconds lease_seconds = 300; // renewed while polling
  std::size_t max_messages = 1000;  // per poll
  bool release_lease = true;   // at the end of a poll (false: keep it, for a timer)
};

struct PollResult {
  bool polled = false;  // false: another process holds the lease
  std::size_t fetched = 0, stored = 0, duplicates = 0, failed = 0;
};

class ImapPoller {
 public:
  ImapPoller(DeskStore& store, MailGateway& gateway, ImapPollConfig config, const Clock& clock)
      : store_(store), gateway_(gateway), config_(std::move(config)), clock_(clock) {}

  Result<PollResult> PollOnce();
  // The key of the mailbox in mail_leases and mail_imap_positions.
  std::string Name() const { return config_.imap.url + "/" + config_.imap.mailbox; }

 private:
  Result<bool> Lease();

  DeskStore& store_;
  MailGateway& gateway_;
  ImapPollConfig config_;
  const Clock& clock_;
};

}  // namespace sladesk::mailgate
