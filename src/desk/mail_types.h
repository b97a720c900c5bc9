// The desk's vocabulary for mail: one inbound message as the routing rules
// see it, what became of it, the per-domain setting for unknown senders and
// the records the mail repository keeps (dedupe, outbound log, bounces).
//
// Purpose: plain values between the mail gateway (src/mailgate, which
// parses and verifies) and the routing rules (MailIntake, pure). Nothing
// here knows MIME: the gateway has already decoded, verified the signed
// Message-ID tag and trimmed quoted history.
// Thread-safety: plain value types. Ownership: each record owns its strings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/instant.h"
#include "desk/desk_types.h"

namespace sladesk {

// What to do with mail from an address no contact or staff member has.
enum class UnknownSenderAction { kRefuse, kHold, kCreateContact };
std::string_view UnknownSenderActionName(UnknownSenderAction a);
std::optional<UnknownSenderAction> UnknownSenderActionFromName(std::string_view s);

// The setting for one sender domain ("customer.example"); kCreateContact
// adds the sender as a contact of `organisation_id`.
struct SenderRule {
  std::string domain;  // lower case
  UnknownSenderAction action = UnknownSenderAction::kHold;
  std::optional<Id> organisation_id;
};

struct InboundAttachment {
  std::string filename;
  std::string content_type;
  std::string data;
};

// One inbound message, decoded and checked by the gateway.
struct InboundMail {
  std::string message_id;  // "<...>" or "" when the message had none
  std::string digest;      // hex digest of what identifies the message (with message_id: the dedupe key)
  std::string source;      // "stdin", "maildir", "mbox", "imap:<mailbox>"
  std::string from_address;
  std::string from_name;
  std::string subject;
  std::string text;    // the new words (quoted history trimmed)
  std::string quoted;  // the trimmed history, kept as an attachment ("" when none)
  std::vector<InboundAttachment> attachments;
  // The ticket named by a Message-ID sladesk signed (In-Reply-To /
  // References verified with the server's secret); the only trusted link.
  std::optional<std::int64_t> signed_ticket;
  // "[#N]" in the subject: a hint, trusted only from a contact of that
  // ticket's organisation.
  std::optional<std::int64_t> subject_ticket;
  bool auto_generated = false;   // CONTRACT §9
  std::string auto_reason;       // "auto_submitted", "precedence", ...
  bool bounce = false;           // a delivery status notification
  std::vector<std::string> bounced_recipients;  // Final-Recipient addresses of a bounce
  bool own_message = false;      // its Message-ID is one sladesk signed: our own mail came back
  bool dmarc_failed = false;     // Authentication-Results: dmarc=fail
  std::string raw;               // the message as received (kept for held mail and bounces)
};

// What became of a message.
enum class MailAction {
  kOpened,          // a new ticket
  kReplied,         // a customer reply on a ticket
  kNoted,           // an automatic reply kept as an internal note on its ticket
  kBounceRecorded,  // a bounce: the address is marked, the report attached
  kHeld,            // kept for an agent to look at
  kRefused,         // not taken; the sender is told why (unless automatic)
  kDropped,         // deliberately ignored (our own mail, automatic mail from strangers)
  kDuplicate,       // stored before (same Message-ID and digest)
};
std::string_view MailActionName(MailAction a);
std::optional<MailAction> MailActionFromName(std::string_view s);

// ASCII lower case (addresses, domains: what the routing compares).
std::string LowerAscii(std::string_view s);
// "customer.example" from "Ann@Customer.Example"; "" without an @.
std::string AddressDomain(std::string_view address);

// What the gateway should send back, if anything.
enum class MailAnswer { kNone, kAcknowledgement, kRefusal };

struct MailOutcome {
  MailAction action = MailAction::kDropped;
  std::string reason;  // why (for held, refused, dropped), for logs and agents
  std::optional<std::int64_t> ticket_number;
  MailAnswer answer = MailAnswer::kNone;
  std::string answer_to;   // the recipient of the answer
  std::string answer_text; // refusal: what the sender is told
  // For the acknowledgement.
  std::optional<Ticket> ticket;
  std::optional<User> officer;
  std::optional<User> requester;
  std::string policy_id;
};

// The dedupe record of one inbound message.
struct InboundMailRecord {
  Id id = 0;
  std::string message_id;
  std::string digest;
  Instant received_at{};
  std::string source;
  std::string sender;
  std::string subject;
  MailAction action = MailAction::kDropped;
  std::string reason;
  std::optional<std::int64_t> ticket_number;
  std::string raw;  // held and refused messages only
  // An agent's release of a held (or refused) message (HeldMailService):
  // when, by whom, what they did, and the ticket it went to.
  std::optional<Instant> released_at;
  std::optional<Id> released_by;
  std::string release_action;  // HeldReleaseName, "" while not released
  std::optional<std::int64_t> released_ticket;
};

// What an agent does with a held message.
enum class HeldRelease { kOpen, kAttach, kDiscard };
std::string_view HeldReleaseName(HeldRelease r);
std::optional<HeldRelease> HeldReleaseFromName(std::string_view s);

// A page of stored inbound messages (the held-mail console).
struct InboundQuery {
  std::vector<MailAction> actions;  // empty: every action
  std::optional<bool> released;     // true: released only; false: not yet
  Id after_id = 0;                  // paging: ids above this one
  int limit = 50;
};

// One automatic mail sladesk sent (for the loop limit).
struct OutboundMailRecord {
  std::int64_t ticket_number = 0;  // 0: about no ticket (a refusal)
  std::string recipient;           // EmailKey form
  std::string kind;                // "acknowledgement", "refusal"
  Instant at{};
};

// An address mail to which has bounced.
struct AddressBounce {
  std::string address;  // EmailKey form
  Instant last_bounced_at{};
  std::int64_t bounces = 0;
  std::string detail;
};

}  // namespace sladesk
