// MailIntake: the routing rules for inbound mail, on the desk layer.
//
// Purpose: decides what one decoded, verified message (InboundMail) does,
// and does it through the desk services (TicketIntake, TicketConversation,
// OrganisationService), in the caller's unit of work:
// * a message stored before (same Message-ID and digest) is a duplicate;
// * sladesk's own mail coming back is dropped;
// * a bounce marks the failed addresses and is attached to the ticket it
//   bounces from (found through the signed Message-ID it quotes);
// * an Authentication-Results DMARC failure holds the message for an agent;
// * a reply lands on a ticket only through a signed tag (a Message-ID
//   sladesk signed in In-Reply-To/References), or through a bare "[#N]"
//   subject tag when the sender is an active contact of that ticket's
//   organisation; it becomes that contact's public reply. An automatic
//   reply (out of office) on a ticket becomes an internal note: it changes
//   no status and gets no answer. A signed reply from someone who is not a
//   contact of the ticket's organisation is held;
// * anything else from an active contact opens a ticket on channel
//   `email` with the policy's default severity, the subject, the text and
//   the required fields the text names ("Business impact: ..." lines);
//   automatic mail that is not on a ticket is held, never answered;
// * unknown senders: the setting for their domain (SenderRule) or the
//   default: refuse with a polite answer, hold, or add them as a contact of
//   the rule's organisation and open the ticket;
// * answers (acknowledgement, refusal) are never sent to automatic mail,
//   and at most `loop_limit` per ticket and recipient in `loop_window`
//   (Zammad's 10 in 10 minutes), so two robots cannot loop. Both are
//   outbox email rows written in the caller's unit: the acknowledgement
//   is the NotificationPlanner's row for the new ticket (the email
//   transport counts it when delivered); a refusal is a `mail_refusal`
//   row written here (no ticket; counted when decided).
// Quoted history and the mail's files are attached to the ticket.
// When a desk service refuses (named-contacts rule, a required field the
// mail cannot fill, the quota), Receive returns that Error so the unit of
// work rolls back; the caller then runs Refuse in a new unit, which records
// the message and answers the sender politely.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <cstddef>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/mail_repository.h"
#include "desk/policy_registry.h"

namespace sladesk {

struct MailIntakeOptions {
  UnknownSenderAction unknown_senders = UnknownSenderAction::kHold;  // when no SenderRule matches
  std::int64_t loop_limit = 10;
  Seconds loop_window = 600;
  std::size_t max_attachment_bytes = 2 * 1024 * 1024;
};

class MailIntake {
 public:
  MailIntake(DeskRepository& repo, MailRepository& mail, const PolicyRegistry& policies,
             MailIntakeOptions options = {})
      : repo_(repo), mail_(mail), policies_(policies), options_(options) {}

  Result<MailOutcome> Receive(Instant now, const InboundMail& mail);
  // Records a message a desk service refused and answers the sender.
  Result<MailOutcome> Refuse(Instant now, const InboundMail& mail, const Error& why);
  // Whether Receive's error is the desk refusing the message (rather than
  // the store failing, or a race with another change to the ticket: a
  // kConflict other than the quota's, which the caller runs again).
  static bool IsRefusal(const Error& e);

  // What the agent adds when opening held mail: a severity other than the
  // policy's default, and values of the policy's fields the text lacks
  // (by field id, the built-in ones like steps_to_reproduce included; they
  // win over what the text names).
  struct HeldOpenExtras {
    std::optional<std::string> severity;
    std::map<std::string, std::string> fields;
  };

  // Held mail an agent releases (HeldMailService), under the same rules as
  // Receive's. OpenHeld opens a ticket from it as its sender's (an active
  // contact's: the named-contacts rule, the default severity, the required
  // fields the text names, the files attached, the acknowledgement); an
  // unknown sender is first added as a contact of `organisation_id` (kInvalid
  // naming organisation_id when none is given; staff and deactivated
  // senders are kInvalid too). AttachHeld adds it to ticket `number`: the
  // sender's public reply when they are an active contact of the ticket's
  // organisation, otherwise an internal note by `agent` with the files.
  Result<MailOutcome> OpenHeld(Instant now, const InboundMail& mail, std::optional<Id> organisation_id,
                               const HeldOpenExtras& extras = {});
  Result<MailOutcome> AttachHeld(Instant now, const User& agent, const InboundMail& mail, std::int64_t number);

  // The policy's fields a text names as "Label: value" lines (the field's
  // id, its name, or its name's first two or more words). A multi-line
  // field's value runs to the next blank line or label; any other field's
  // is the rest of its line. Not the fields the mail fills by itself
  // (subject, description, the contact's name and e-mail, the company).
  static std::map<std::string, std::string> LabelledFields(const Policy& policy, std::string_view text);

 private:
  Result<MailOutcome> Route(Instant now, const InboundMail& mail);
  Result<MailOutcome> OnTicket(Instant now, const InboundMail& mail, const Ticket& ticket,
                               const std::optional<User>& sender);
  Result<MailOutcome> OpenFor(Instant now, const InboundMail& mail, const User& contact,
                              const HeldOpenExtras& extras = {});
  Result<MailOutcome> Unknown(Instant now, const InboundMail& mail);
  Result<MailOutcome> Bounce(Instant now, const InboundMail& mail);
  Status AttachAll(Instant now, const User& actor, std::int64_t number, const InboundMail& mail);
  // Fills in the answer when the loop limit allows one.
  Status Answer(Instant now, const InboundMail& mail, MailAnswer answer, std::int64_t ticket_number,
                MailOutcome& out);
  Status Record(Instant now, const InboundMail& mail, const MailOutcome& out);

  DeskRepository& repo_;
  MailRepository& mail_;
  const PolicyRegistry& policies_;
  MailIntakeOptions options_;
};

}  // namespace sladesk
