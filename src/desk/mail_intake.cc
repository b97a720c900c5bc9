#include "desk/mail_intake.h"

#include <cctype>

#include <nlohmann/json.hpp>

#include "desk/organisation_service.h"
#include "desk/ticket_access.h"
#include "desk/ticket_conversation.h"
#include "desk/ticket_intake.h"

namespace sladesk {
namespace {

MailOutcome With(MailAction action, std::string reason, std::optional<std::int64_t> ticket = std::nullopt) {
  MailOutcome out;
  out.action = action;
  out.reason = std::move(reason);
  out.ticket_number = ticket;
  return out;
}

// Control characters (C0, DEL and C1; but line breaks and tabs in
// multi-line text) become spaces, as TextRules would refuse them.
std::string Clean(std::string_view s, bool multiline) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c == '\n' || c == '\t') && multiline) out += static_cast<char>(c);
    else if (c < 0x20 || c == 0x7f) out += ' ';
    else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
             static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
      out += ' ';  // U+0080..U+009F
      ++i;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

// At most `max` bytes, cut at a UTF-8 character boundary.
std::string Cut(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

bool Blank(std::string_view s) {
  for (unsigned char c : s)
    if (!std::isspace(c)) return false;
  return true;
}

// "Steps to reproduce the issue / or..." -> "steps to reproduce the issue or"
std::string Words(std::string_view s) {
  std::string out;
  bool space = false;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      if (space && !out.empty()) out += ' ';
      out += static_cast<char>(std::tolower(c));
      space = false;
    } else {
      space = true;
    }
  }
  return out;
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

void SetField(OpenTicketInput& in, const std::string& id, const std::string& value) {
  if (id == "steps_to_reproduce") in.steps_to_reproduce = value;
  else if (id == "business_impact") in.business_impact = value;
  else if (id == "product_area") in.product_area = value;
  else if (id == "error_details") in.error_details = value;
  else in.fields[id] = value;
}

}  // namespace

bool MailIntake::IsRefusal(const Error& e) {
  // A conflict is a race with another change (run the unit again), except
  // the monthly quota, which refuses the ticket.
  if (e.code == ErrorCode::kConflict) return e.reason == "quota-exceeded";
  return e.code != ErrorCode::kUnavailable && e.code != ErrorCode::kInternal;
}

std::map<std::string, std::string> MailIntake::LabelledFields(const Policy& policy, std::string_view text) {
  std::map<std::string, std::string> out;
  // Fields the mail cannot name: the ones the desk fills itself.
  auto skip = [](const std::string& id) {
    return id == "subject" || id == "description" || id == "contact_name" || id == "email" || id == "company_name";
  };
  std::vector<std::pair<std::string, std::string>> labels;  // words of a label -> field id
  std::map<std::string, bool> multiline;                     // field id -> may span lines
  for (const auto* list : {&policy.required_fields, &policy.requested_fields})
    for (const auto& f : *list) {
      if (skip(f.id)) continue;
      labels.emplace_back(Words(f.id), f.id);
      labels.emplace_back(Words(f.name), f.id);
      multiline[f.id] = f.id == "steps_to_reproduce" || f.id == "business_impact" || f.id == "error_details" ||
                        (f.type && *f.type == FieldType::kMultiline);
    }
  auto match = [&](const std::string& label) -> std::string {
    const std::string w = Words(label);
    if (w.empty()) return "";
    for (const auto& [words, id] : labels) {
      if (w == words) return id;
      // The first two or more words of the field's name.
      if (w.find(' ') != std::string::npos && words.rfind(w, 0) == 0 &&
          (words.size() == w.size() || words[w.size()] == ' '))
        return id;
    }
    return "";
  };
  std::vector<std::string_view> lines;
  for (size_t p = 0; p <= text.size();) {
    size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) nl = text.size();
    lines.push_back(text.substr(p, nl - p));
    p = nl + 1;
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto colon = lines[i].find(':');
    if (colon == std::string_view::npos || colon == 0 || colon > 120) continue;
    const std::string id = match(std::string(lines[i].substr(0, colon)));
    if (id.empty() || out.count(id)) continue;
    std::string value = Trim(lines[i].substr(colon + 1));
    for (size_t j = i + 1; multiline[id] && j < lines.size() && !Blank(lines[j]); ++j) {
      auto c = lines[j].find(':');
      if (c != std::string_view::npos && c > 0 && !match(std::string(lines[j].substr(0, c))).empty()) break;
      value += (value.empty() ? "" : "\n") + Trim(lines[j]);
    }
    if (!value.empty()) out[id] = value;
  }
  return out;
}

Result<MailOutcome> MailIntake::Receive(Instant now, const InboundMail& mail) {
  auto seen = mail_.FindInbound(mail.message_id, mail.digest);
  if (!seen.ok()) return seen.error();
  if (*seen) return With(MailAction::kDuplicate, "stored before", (*seen)->ticket_number);
  Result<MailOutcome> out = MailOutcome{};
  if (mail.own_message) {
    out = With(MailAction::kDropped, "sladesk's own mail came back");
  } else if (mail.bounce) {
    out = Bounce(now, mail);
  } else if (mail.dmarc_failed) {
    out = With(MailAction::kHeld, "DMARC check failed (Authentication-Results)");
  } else {
    out = Route(now, mail);
  }
  if (!out.ok()) return out;
  if (Status st = Record(now, mail, *out); !st.ok()) return st.error();
  return out;
}

Result<MailOutcome> MailIntake::Refuse(Instant now, const InboundMail& mail, const Error& why) {
  auto seen = mail_.FindInbound(mail.message_id, mail.digest);
  if (!seen.ok()) return seen.error();
  if (*seen) return With(MailAction::kDuplicate, "stored before", (*seen)->ticket_number);
  MailOutcome out = With(MailAction::kRefused, why.message);
  out.answer_text = "Our support desk could not take your message: " + why.message +
                    ".\n\nPlease send it again with what is missing, or use the support portal.";
  if (Status st = Answer(now, mail, MailAnswer::kRefusal, 0, out); !st.ok()) return st.error();
  if (Status st = Record(now, mail, out); !st.ok()) return st.error();
  return out;
}

Status MailIntake::Record(Instant now, const InboundMail& mail, const MailOutcome& out) {
  InboundMailRecord r;
  r.message_id = mail.message_id;
  r.digest = mail.digest;
  r.received_at = now;
  r.source = mail.source;
  r.sender = EmailKey(mail.from_address);
  r.subject = Clean(mail.subject, false);
  r.action = out.action;
  r.reason = out.reason;
  r.ticket_number = out.ticket_number;
  if (out.action == MailAction::kHeld || out.action == MailAction::kRefused) r.raw = mail.raw;
  auto id = mail_.InsertInbound(r);
  if (!id.ok()) return id.error();
  return Status::Ok();
}

Status MailIntake::Answer(Instant now, const InboundMail& mail, MailAnswer answer, std::int64_t ticket_number,
                          MailOutcome& out) {
  if (mail.auto_generated || mail.from_address.empty()) return Status::Ok();  // never answer a robot
  const std::string to = EmailKey(mail.from_address);
  auto sent = mail_.CountOutbound(ticket_number, to, now - std::chrono::seconds(options_.loop_window));
  if (!sent.ok()) return sent.error();
  if (*sent >= options_.loop_limit) {
    out.reason += (out.reason.empty() ? "" : "; ") + std::string("no answer: loop limit reached for ") + to;
    return Status::Ok();
  }
  out.answer = answer;
  out.answer_to = mail.from_address;
  // The acknowledgement is the email row the NotificationPlanner writes
  // with the new ticket; the outbox's email transport counts it toward the
  // limit when it is delivered. A refusal has no ticket: its row is
  // written here, and counted now, so a robot writing faster than mail is
  // sent still meets the limit.
  if (answer != MailAnswer::kRefusal) return Status::Ok();
  OutboundMailRecord r;
  r.ticket_number = 0;
  r.recipient = to;
  r.kind = "refusal";
  r.at = now;
  if (Status st = mail_.RecordOutbound(r); !st.ok()) return st;
  nlohmann::json v;
  v["recipient"] = {{"email", mail.from_address}, {"name", Clean(mail.from_name, false)}};
  const std::string subject = Clean(mail.subject, false);
  v["summary"] = subject.empty() ? std::string("Your message to our support desk") : "Re: " + Cut(subject, 200);
  v["refusal"] = {{"text", out.answer_text}, {"reason", out.reason}};
  v["message"] = {{"subject", subject}, {"received_at", FormatInstant(now)}};
  if (!mail.message_id.empty()) v["in_reply_to"] = mail.message_id;
  OutboxEntry e;
  e.dedupe_key = "mail_refusal/" + (mail.message_id.empty() ? mail.digest : mail.message_id);
  e.channel = OutboxChannel::kEmail;
  e.recipient = "mail:" + to;
  e.template_name = "mail_refusal";
  e.event_type = "mail.refused";
  e.payload_json = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  e.state = OutboxState::kPending;
  e.next_attempt_at = now;
  e.created_at = now;
  OutboxRepository* outbox = repo_.outbox();
  if (!outbox) return MakeError(ErrorCode::kInternal, "outbox", "the store has no outbox for the refusal");
  return outbox->Enqueue({e});
}

Result<MailOutcome> MailIntake::Route(Instant now, const InboundMail& mail) {
  if (mail.from_address.empty()) return With(MailAction::kHeld, "the message names no sender");
  auto found = repo_.FindUserByEmail(mail.from_address);
  if (!found.ok()) return found.error();
  const std::optional<User>& sender = *found;

  // A signed tag is trusted whoever sends it; a bare subject tag only from
  // a contact of that ticket's organisation.
  if (mail.signed_ticket) {
    auto t = repo_.GetTicketByNumber(*mail.signed_ticket, false);
    if (!t.ok()) return t.error();
    if (!*t) return With(MailAction::kHeld, "a signed reference to ticket #" + std::to_string(*mail.signed_ticket) +
                                                " that does not exist");
    return OnTicket(now, mail, **t, sender);
  }
  if (mail.subject_ticket && sender && sender->role == Role::kContact && sender->active) {
    auto t = repo_.GetTicketByNumber(*mail.subject_ticket, false);
    if (!t.ok()) return t.error();
    if (*t && (*t)->organisation_id == sender->organisation_id) return OnTicket(now, mail, **t, sender);
    // Otherwise the tag is not theirs to use: new mail.
  }
  if (!sender) return Unknown(now, mail);
  if (IsStaff(sender->role)) return With(MailAction::kHeld, "mail from staff that is not on a ticket");
  if (!sender->active) return With(MailAction::kHeld, "mail from a deactivated contact");
  if (mail.auto_generated)
    return With(MailAction::kHeld, "automatic mail (" + mail.auto_reason + ") that is not on a ticket");
  return OpenFor(now, mail, *sender);
}

Result<MailOutcome> MailIntake::OnTicket(Instant now, const InboundMail& mail, const Ticket& ticket,
                                         const std::optional<User>& sender) {
  TicketConversation conv(repo_, policies_);
  if (mail.auto_generated) {
    if (ticket.status == TicketStatus::kClosed)
      return With(MailAction::kDropped, "automatic reply on a closed ticket", ticket.number);
    std::string body = "Automatic reply (" + mail.auto_reason + ") from " + mail.from_address + ": " +
                       Clean(mail.subject, false) + "\n\n" + Clean(mail.text, true);
    ReplyInput in{body, Visibility::kInternal, {}};
    auto posted = conv.Reply(SystemUser("mail gateway"), now, ticket.number, in);
    if (!posted.ok()) return posted.error();
    return With(MailAction::kNoted, "automatic reply kept as an internal note", ticket.number);
  }
  if (!sender || sender->role != Role::kContact || !sender->active ||
      sender->organisation_id != ticket.organisation_id)
    return With(MailAction::kHeld,
                "a reply on ticket #" + std::to_string(ticket.number) +
                    " from someone who is not an active contact of its organisation",
                ticket.number);
  std::string body = Clean(mail.text, true);
  if (Blank(body)) body = mail.attachments.empty() ? "(The message had no text.)" : "(Files attached.)";
  auto posted = conv.Reply(*sender, now, ticket.number, ReplyInput{body, Visibility::kPublic, {}});
  if (!posted.ok()) return posted.error();
  if (Status st = AttachAll(now, *sender, ticket.number, mail); !st.ok()) return st.error();
  MailOutcome out = With(MailAction::kReplied, "", ticket.number);
  if (posted->reopen_requested) out.reason = "the reply asks to reopen the ticket";
  return out;
}

Result<MailOutcome> MailIntake::OpenFor(Instant now, const InboundMail& mail, const User& contact,
                                        const HeldOpenExtras& extras) {
  auto org = repo_.GetOrganisation(*contact.organisation_id, false);
  if (!org.ok()) return org.error();
  if (!*org) return NotFoundError("organisation " + std::to_string(*contact.organisation_id) + " does not exist");
  TicketAccess access(repo_, policies_);
  auto rules = access.RulesFor(**org);
  if (!rules.ok()) return rules.error();
  OpenTicketInput in;
  in.subject = Trim(Clean(mail.subject, false));
  if (in.subject.empty()) in.subject = "(no subject)";
  in.subject = Cut(std::move(in.subject), 500);
  in.description = Clean(mail.text, true);
  if (Blank(in.description)) return MakeError("description", "the message has no text to describe the problem");
  in.channel = TicketChannel::kEmail;
  for (const auto& [id, value] : LabelledFields(*rules->policy, in.description)) SetField(in, id, value);
  for (const auto& [id, value] : extras.fields) SetField(in, id, value);
  if (extras.severity) in.severity = extras.severity;
  auto opened = TicketIntake(repo_, policies_).Open(contact, now, in);
  if (!opened.ok()) return opened.error();
  if (Status st = AttachAll(now, contact, opened->ticket.number, mail); !st.ok()) return st.error();
  MailOutcome out = With(MailAction::kOpened, "", opened->ticket.number);
  if (Status st = Answer(now, mail, MailAnswer::kAcknowledgement, opened->ticket.number, out); !st.ok())
    return st.error();
  out.ticket = opened->ticket;
  out.officer = opened->officer;
  out.requester = contact;
  out.policy_id = (*org)->policy_id;
  return out;
}

Result<MailOutcome> MailIntake::Unknown(Instant now, const InboundMail& mail) {
  if (mail.auto_generated)
    return With(MailAction::kDropped, "automatic mail (" + mail.auto_reason + ") from an unknown sender");
  auto rule = mail_.FindSenderRule(AddressDomain(mail.from_address));
  if (!rule.ok()) return rule.error();
  const UnknownSenderAction action = *rule ? (*rule)->action : options_.unknown_senders;
  if (action == UnknownSenderAction::kHold) return With(MailAction::kHeld, "unknown sender");
  if (action == UnknownSenderAction::kRefuse) {
    MailOutcome out = With(MailAction::kRefused, "unknown sender");
    out.answer_text = "Your address is not registered with our support desk, so we could not open a ticket "
                      "from your message.\n\nPlease ask your organisation's support contact to add you, or "
                      "write from the address you are registered with.";
    if (Status st = Answer(now, mail, MailAnswer::kRefusal, 0, out); !st.ok()) return st.error();
    return out;
  }
  if (!*rule || !(*rule)->organisation_id)
    return With(MailAction::kHeld, "unknown sender (create_contact needs an organisation for the domain)");
  ContactInput in;
  in.name = Trim(Clean(mail.from_name, false));
  if (in.name->empty()) in.name = mail.from_address;
  in.email = mail.from_address;
  in.named_contact = false;
  auto contact = OrganisationService(repo_, policies_).AddContact(SystemUser("mail gateway"), now,
                                                                   *(*rule)->organisation_id, in);
  if (!contact.ok()) return contact.error();
  return OpenFor(now, mail, *contact);
}

Result<MailOutcome> MailIntake::OpenHeld(Instant now, const InboundMail& mail, std::optional<Id> organisation_id,
                                         const HeldOpenExtras& extras) {
  if (mail.from_address.empty()) return MakeError("action", "the message names no sender, so no ticket can be opened for it");
  auto found = repo_.FindUserByEmail(mail.from_address);
  if (!found.ok()) return found.error();
  if (const std::optional<User>& sender = *found) {
    if (IsStaff(sender->role))
      return MakeError("action", mail.from_address + " is a staff member; a customer ticket cannot be opened for them");
    if (!sender->active)
      return MakeError("action", mail.from_address + " is a deactivated contact; reactivate them first");
    if (organisation_id && organisation_id != sender->organisation_id)
      return MakeError("organisation_id", mail.from_address + " is a contact of organisation " +
                                              std::to_string(sender->organisation_id.value_or(0)) + ", not of " +
                                              std::to_string(*organisation_id));
    return OpenFor(now, mail, *sender, extras);
  }
  if (!organisation_id)
    return MakeError("organisation_id", mail.from_address +
                                            " is not a contact: name the organisation to add them to (organisation_id)");
  ContactInput in;
  in.name = Trim(Clean(mail.from_name, false));
  if (in.name->empty()) in.name = mail.from_address;
  in.email = mail.from_address;
  in.named_contact = false;
  auto contact = OrganisationService(repo_, policies_).AddContact(SystemUser("mail gateway"), now, *organisation_id, in);
  if (!contact.ok()) {
    Error e = contact.error();
    if (e.code == ErrorCode::kNotFound) e.field = "organisation_id";
    return e;
  }
  return OpenFor(now, mail, *contact, extras);
}

Result<MailOutcome> MailIntake::AttachHeld(Instant now, const User& agent, const InboundMail& mail,
                                           std::int64_t number) {
  auto t = repo_.GetTicketByNumber(number, false);
  if (!t.ok()) return t.error();
  if (!*t) return MakeError(ErrorCode::kNotFound, "ticket_number", "ticket #" + std::to_string(number) + " does not exist");
  if (!mail.from_address.empty()) {
    auto found = repo_.FindUserByEmail(mail.from_address);
    if (!found.ok()) return found.error();
    const std::optional<User>& sender = *found;
    if (mail.auto_generated ||
        (sender && sender->role == Role::kContact && sender->active && sender->organisation_id == (*t)->organisation_id))
      return OnTicket(now, mail, **t, sender);
  }
  std::string from = mail.from_address.empty() ? std::string("an unknown sender") : mail.from_address;
  if (!Trim(Clean(mail.from_name, false)).empty()) from = Trim(Clean(mail.from_name, false)) + " <" + from + ">";
  std::string body = "Mail from " + from + ", released from the held mail: " + Clean(mail.subject, false) + "\n\n" +
                     Clean(mail.text, true);
  TicketConversation conv(repo_, policies_);
  auto posted = conv.Reply(agent, now, number, ReplyInput{Cut(std::move(body), 60000), Visibility::kInternal, {}});
  if (!posted.ok()) return posted.error();
  if (Status st = AttachAll(now, agent, number, mail); !st.ok()) return st.error();
  return With(MailAction::kNoted, "kept as an internal note", number);
}

Result<MailOutcome> MailIntake::Bounce(Instant now, const InboundMail& mail) {
  std::string detail = Clean(mail.subject, false);
  for (const auto& a : mail.bounced_recipients)
    if (Status st = mail_.RecordBounce(EmailKey(a), now, detail); !st.ok()) return st.error();
  std::string who;
  for (const auto& a : mail.bounced_recipients) who += (who.empty() ? "" : ", ") + a;
  if (who.empty()) who = "an unknown recipient";
  if (!mail.signed_ticket) return With(MailAction::kBounceRecorded, "delivery to " + who + " failed");
  auto t = repo_.GetTicketByNumber(*mail.signed_ticket, false);
  if (!t.ok()) return t.error();
  if (!*t || (*t)->status == TicketStatus::kClosed)
    return With(MailAction::kBounceRecorded, "delivery to " + who + " failed", mail.signed_ticket);
  const User system = SystemUser("mail gateway");
  TicketConversation conv(repo_, policies_);
  auto note = conv.Reply(system, now, (*t)->number,
                         ReplyInput{"Mail to " + who + " bounced: " + detail, Visibility::kInternal, {}});
  if (!note.ok()) return note.error();
  if (!mail.raw.empty() && mail.raw.size() <= options_.max_attachment_bytes) {
    AttachmentInput a;
    a.filename = "bounce.eml";
    a.content_type = "message/rfc822";
    a.data = mail.raw;
    a.max_bytes = options_.max_attachment_bytes;
    auto added = conv.Attach(system, now, (*t)->number, a);
    if (!added.ok()) return added.error();
  }
  return With(MailAction::kBounceRecorded, "delivery to " + who + " failed", (*t)->number);
}

Status MailIntake::AttachAll(Instant now, const User& actor, std::int64_t number, const InboundMail& mail) {
  TicketConversation conv(repo_, policies_);
  auto attach = [&](std::string name, std::string type, const std::string& data) -> Status {
    if (data.empty() || data.size() > options_.max_attachment_bytes) return Status::Ok();  // TODO: note what was left out
    AttachmentInput a;
    // What Attach takes: a name without a path, 1 to 255 bytes.
    std::string base = Trim(Clean(name, false));
    if (auto slash = base.find_last_of("/\\"); slash != std::string::npos) base = base.substr(slash + 1);
    base = Cut(Trim(base), 255);
    if (base.empty() || base == "." || base == "..") base = "attachment";
    a.filename = std::move(base);
    auto media = TicketConversation::NormaliseMediaType("content_type", type);
    a.content_type = media.ok() ? *media : "application/octet-stream";
    a.data = data;
    a.max_bytes = options_.max_attachment_bytes;
    auto added = conv.Attach(actor, now, number, a);
    if (!added.ok()) return added.error();
    return Status::Ok();
  };
  if (!mail.quoted.empty())
    if (Status st = attach("quoted-history.txt", "text/plain", mail.quoted); !st.ok()) return st;
  for (const auto& f : mail.attachments)
    if (Status st = attach(f.filename, f.content_type, f.data); !st.ok()) return st;
  return Status::Ok();
}

}  // namespace sladesk
