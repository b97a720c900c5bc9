// HeldMailService: the held-mail console's rules (issue 10): agents list
// and read the messages the mail routing held (or refused) and release
// each once: open a ticket from it, attach it to a ticket, or discard it.
// Admins keep the unknown-sender settings per domain (SenderRule).
//
// Purpose: who may do what, and the release's bookkeeping; what a release
// does to tickets is MailIntake's (OpenHeld, AttachHeld), so the routing
// rules (named contacts, default severity, required fields, the
// acknowledgement through the outbox) are written once. Decoding the
// stored bytes is the mail layer's: the caller passes a MailDecoder.
// * staff (agents, leads, admins) list, read and release; customers get
//   kForbidden; sender rules are admins' only;
// * only held and refused messages are listed and released; a release is
//   recorded on the message (when, by whom, what, the ticket) in the same
//   unit of work as its effect, and a second release is a kConflict naming
//   the first (the store's guard makes a race a kConflict too);
// * "open" with allow_domain also sets the sender's domain to
//   create_contact in that organisation (admins only).
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/mail_intake.h"
#include "desk/mail_repository.h"
#include "desk/policy_registry.h"

namespace sladesk {

// The stored message (its raw bytes) as the routing rules see it.
using MailDecoder = std::function<Result<InboundMail>(const InboundMailRecord&)>;

struct HeldMailQuery {
  std::optional<MailAction> action;  // kHeld or kRefused; nullopt: both
  std::optional<bool> released;      // nullopt: both
  Id after_id = 0;
  int limit = 50;
};

struct HeldReleaseInput {
  HeldRelease action = HeldRelease::kDiscard;
  std::optional<Id> organisation_id;       // open: the organisation of an unknown sender
  std::optional<std::int64_t> ticket_number;  // attach: required
  bool allow_domain = false;               // open: always create contacts from this domain
  MailIntake::HeldOpenExtras open;         // open: severity and field values the agent adds
};

struct HeldReleaseResult {
  InboundMailRecord record;  // with its release
  MailOutcome outcome;       // open/attach: what the routing did (kDropped for discard)
};

// Who sent a held message, as the release rules see them: Open needs an
// organisation only for kUnknown; kStaff and kDeactivated cannot be opened
// for; Attach keeps mail from anyone but the ticket's own contacts as an
// internal note.
enum class HeldSenderKind { kUnknown, kContact, kDeactivated, kStaff };
std::string_view HeldSenderKindName(HeldSenderKind k);

struct HeldSender {
  HeldSenderKind kind = HeldSenderKind::kUnknown;
  std::optional<Id> user_id;
  std::string name;                        // the user's name (empty when unknown)
  std::optional<Id> organisation_id;       // a contact's organisation
  std::string organisation_name;
  std::optional<SenderRule> domain_rule;   // the unknown-sender setting of the address's domain
};

class HeldMailService {
 public:
  HeldMailService(DeskRepository& repo, MailRepository& mail, const PolicyRegistry& policies,
                  MailIntakeOptions options = {})
      : repo_(repo), mail_(mail), policies_(policies), options_(options) {}

  Result<std::vector<InboundMailRecord>> List(const User& actor, const HeldMailQuery& query);
  Result<InboundMailRecord> Get(const User& actor, Id id);
  // The sender of a held message (its decoded From address; empty: none).
  Result<HeldSender> Sender(const User& actor, const std::string& address);
  Result<HeldReleaseResult> Release(const User& actor, Instant now, Id id, const HeldReleaseInput& in,
                                    const MailDecoder& decode);

  Result<std::vector<SenderRule>> ListSenderRules(const User& actor);
  // `rule.domain` is normalised to lower case; create_contact needs an
  // existing organisation.
  Result<SenderRule> PutSenderRule(const User& actor, SenderRule rule);
  Status DeleteSenderRule(const User& actor, const std::string& domain);

  // The rule with its domain in lower case, or kInvalid naming what is
  // wrong: not a domain name, create_contact without an existing
  // organisation, an organisation for another action. PutSenderRule and
  // `mail sender-rule` both check with it.
  static Result<SenderRule> CheckSenderRule(DeskRepository& repo, SenderRule rule);

 private:
  Status CheckStaff(const User& actor) const;
  Status CheckAdmin(const User& actor) const;

  DeskRepository& repo_;
  MailRepository& mail_;
  const PolicyRegistry& policies_;
  MailIntakeOptions options_;
};

}  // namespace sladesk
