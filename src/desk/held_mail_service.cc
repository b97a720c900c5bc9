#include "desk/held_mail_service.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace sladesk {
namespace {

bool Releasable(MailAction a) { return a == MailAction::kHeld || a == MailAction::kRefused; }

// A DNS name: labels of letters, digits and hyphens, at least one dot.
bool ValidDomain(const std::string& d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string::npos) return false;
  size_t label = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    const char c = d[i];
    if (c == '.') {
      if (label == 0 || d[i - 1] == '-') return false;
      label = 0;
    } else if (std::isalnum(static_cast<unsigned char>(c)) || (c == '-' && label > 0)) {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0 && d.back() != '-';
}

}  // namespace

Status HeldMailService::CheckStaff(const User& actor) const {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff see and release held mail");
  return Status::Ok();
}

Status HeldMailService::CheckAdmin(const User& actor) const {
  if (actor.role != Role::kAdmin && actor.role != Role::kSystem)
    return ForbiddenError("only admins change the unknown-sender settings");
  return Status::Ok();
}

Result<std::vector<InboundMailRecord>> HeldMailService::List(const User& actor, const HeldMailQuery& q) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  if (q.action && !Releasable(*q.action)) return MakeError("action", "'action' must be held or refused");
  InboundQuery query;
  if (q.action) query.actions = {*q.action};
  else query.actions = {MailAction::kHeld, MailAction::kRefused};
  query.released = q.released;
  query.after_id = q.after_id;
  query.limit = std::clamp(q.limit, 1, 500);
  return mail_.QueryInbound(query);
}

std::string_view HeldSenderKindName(HeldSenderKind k) {
  switch (k) {
    case HeldSenderKind::kUnknown: return "unknown";
    case HeldSenderKind::kContact: return "contact";
    case HeldSenderKind::kDeactivated: return "deactivated";
    case HeldSenderKind::kStaff: return "staff";
  }
  return "unknown";
}

Result<HeldSender> HeldMailService::Sender(const User& actor, const std::string& address) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  HeldSender out;
  if (address.empty()) return out;
  auto found = repo_.FindUserByEmail(address);
  if (!found.ok()) return found.error();
  if (const std::optional<User>& u = *found) {
    out.user_id = u->id;
    out.name = u->name;
    if (IsStaff(u->role)) out.kind = HeldSenderKind::kStaff;
    else out.kind = u->active ? HeldSenderKind::kContact : HeldSenderKind::kDeactivated;
    if (!IsStaff(u->role) && u->organisation_id) {
      out.organisation_id = u->organisation_id;
      auto org = repo_.GetOrganisation(*u->organisation_id, false);
      if (!org.ok()) return org.error();
      if (*org) out.organisation_name = (*org)->name;
    }
  }
  const std::string domain = AddressDomain(address);
  if (!domain.empty()) {
    auto rule = mail_.FindSenderRule(domain);
    if (!rule.ok()) return rule.error();
    out.domain_rule = *rule;
  }
  return out;
}

Result<InboundMailRecord> HeldMailService::Get(const User& actor, Id id) {
  if (Status st = CheckStaff(actor); !st.ok()) return st.error();
  auto r = mail_.GetInbound(id);
  if (!r.ok()) return r.error();
  if (!*r || !Releasable((*r)->action)) return NotFoundError("held message " + std::to_string(id) + " does not exist");
  return **r;
}

Result<HeldReleaseResult> HeldMailService::Release(const User& actor, Instant now, Id id, const HeldReleaseInput& in,
                                                   const MailDecoder& decode) {
  auto rec = Get(actor, id);
  if (!rec.ok()) return rec.error();
  auto already = [&](const InboundMailRecord& r) {
    std::string what = "held message " + std::to_string(id) + " was already released (" + r.release_action;
    if (r.released_ticket) what += ", ticket #" + std::to_string(*r.released_ticket);
    if (r.released_by) what += ", by user " + std::to_string(*r.released_by);
    if (r.released_at) what += ", at " + FormatInstant(*r.released_at);
    return ConflictError("id", what + ")", "already-released");
  };
  if (rec->released_at) return already(*rec);
  if (in.action == HeldRelease::kAttach && !in.ticket_number)
    return MakeError("ticket_number", "'ticket_number' is required to attach a message to a ticket");
  if (in.action != HeldRelease::kAttach && in.ticket_number)
    return MakeError("ticket_number", "'ticket_number' is only for action attach");
  if (in.action != HeldRelease::kOpen) {
    const std::pair<bool, const char*> open_only[] = {{in.organisation_id.has_value(), "organisation_id"},
                                                      {in.allow_domain, "allow_domain"},
                                                      {in.open.severity.has_value(), "severity"},
                                                      {!in.open.fields.empty(), "fields"}};
    for (const auto& [given, name] : open_only)
      if (given) return MakeError(name, std::string("'") + name + "' is only for action open");
  }
  if (in.allow_domain) {
    if (Status st = CheckAdmin(actor); !st.ok()) return st.error();
  }

  HeldReleaseResult out;
  out.outcome.action = MailAction::kDropped;
  out.outcome.reason = "discarded by an agent";
  if (in.action != HeldRelease::kDiscard) {
    if (rec->raw.empty())
      return MakeError("id", "held message " + std::to_string(id) + " has no stored text to open or attach");
    auto mail = decode(*rec);
    if (!mail.ok()) {
      Error e = mail.error();
      e.field = "id";
      e.code = ErrorCode::kInvalid;
      e.message = "held message " + std::to_string(id) + " cannot be read as mail: " + e.message;
      return e;
    }
    MailIntake intake(repo_, mail_, policies_, options_);
    auto done = in.action == HeldRelease::kOpen ? intake.OpenHeld(now, *mail, in.organisation_id, in.open)
                                                : intake.AttachHeld(now, actor, *mail, *in.ticket_number);
    if (!done.ok()) return done.error();
    out.outcome = std::move(*done);
    if (in.allow_domain) {
      const std::string domain = AddressDomain(mail->from_address);
      std::optional<Id> org = in.organisation_id;
      if (!org && out.outcome.requester) org = out.outcome.requester->organisation_id;
      if (!domain.empty() && org) {
        if (Status st = mail_.PutSenderRule(SenderRule{domain, UnknownSenderAction::kCreateContact, org}); !st.ok())
          return st.error();
      }
    }
  }
  InboundMailRecord release;
  release.released_at = now;
  release.released_by = actor.id;
  release.release_action = std::string(HeldReleaseName(in.action));
  release.released_ticket = in.action == HeldRelease::kDiscard ? std::nullopt : out.outcome.ticket_number;
  auto marked = mail_.MarkReleased(id, release);
  if (!marked.ok()) return marked.error();
  if (!*marked) {
    auto again = mail_.GetInbound(id);
    if (!again.ok()) return again.error();
    if (*again) return already(**again);
    return NotFoundError("held message " + std::to_string(id) + " does not exist");
  }
  out.record = std::move(*rec);
  out.record.released_at = release.released_at;
  out.record.released_by = release.released_by;
  out.record.release_action = release.release_action;
  out.record.released_ticket = release.released_ticket;
  return out;
}

Result<std::vector<SenderRule>> HeldMailService::ListSenderRules(const User& actor) {
  if (Status st = CheckAdmin(actor); !st.ok()) return st.error();
  return mail_.ListSenderRules();
}

Result<SenderRule> HeldMailService::PutSenderRule(const User& actor, SenderRule rule) {
  if (Status st = CheckAdmin(actor); !st.ok()) return st.error();
  auto checked = CheckSenderRule(repo_, std::move(rule));
  if (!checked.ok()) return checked.error();
  if (Status st = mail_.PutSenderRule(*checked); !st.ok()) return st.error();
  return *checked;
}

Result<SenderRule> HeldMailService::CheckSenderRule(DeskRepository& repo, SenderRule rule) {
  rule.domain = LowerAscii(rule.domain);
  if (!ValidDomain(rule.domain))
    return MakeError("domain", "'" + rule.domain + "' is not a domain name (like customer.example)");
  if (rule.action == UnknownSenderAction::kCreateContact && !rule.organisation_id)
    return MakeError("organisation_id", "create_contact needs the organisation to add the senders to");
  if (rule.action != UnknownSenderAction::kCreateContact && rule.organisation_id)
    return MakeError("organisation_id", "'organisation_id' is only for action create_contact");
  if (rule.organisation_id) {
    auto org = repo.GetOrganisation(*rule.organisation_id, false);
    if (!org.ok()) return org.error();
    if (!*org)
      return MakeError("organisation_id", "organisation " + std::to_string(*rule.organisation_id) + " does not exist");
  }
  return rule;
}

Status HeldMailService::DeleteSenderRule(const User& actor, const std::string& domain) {
  if (Status st = CheckAdmin(actor); !st.ok()) return st;
  const std::string key = LowerAscii(domain);
  auto gone = mail_.DeleteSenderRule(key);
  if (!gone.ok()) return gone.error();
  if (!*gone) return NotFoundError("there is no sender rule for " + key);
  return Status::Ok();
}

}  // namespace sladesk
