#include "desk/mail_types.h"

namespace sladesk {

std::string_view UnknownSenderActionName(UnknownSenderAction a) {
  switch (a) {
    case UnknownSenderAction::kRefuse: return "refuse";
    case UnknownSenderAction::kHold: return "hold";
    case UnknownSenderAction::kCreateContact: return "create_contact";
  }
  return "hold";
}

std::optional<UnknownSenderAction> UnknownSenderActionFromName(std::string_view s) {
  if (s == "refuse") return UnknownSenderAction::kRefuse;
  if (s == "hold") return UnknownSenderAction::kHold;
  if (s == "create_contact") return UnknownSenderAction::kCreateContact;
  return std::nullopt;
}

std::string_view MailActionName(MailAction a) {
  switch (a) {
    case MailAction::kOpened: return "opened";
    case MailAction::kReplied: return "replied";
    case MailAction::kNoted: return "noted";
    case MailAction::kBounceRecorded: return "bounce_recorded";
    case MailAction::kHeld: return "held";
    case MailAction::kRefused: return "refused";
    case MailAction::kDropped: return "dropped";
    case MailAction::kDuplicate: return "duplicate";
  }
  return "dropped";
}

std::optional<MailAction> MailActionFromName(std::string_view s) {
  for (MailAction a : {MailAction::kOpened, MailAction::kReplied, MailAction::kNoted, MailAction::kBounceRecorded,
                       MailAction::kHeld, MailAction::kRefused, MailAction::kDropped, MailAction::kDuplicate})
    if (MailActionName(a) == s) return a;
  return std::nullopt;
}

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string AddressDomain(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : LowerAscii(address.substr(at + 1));
}

std::string_view HeldReleaseName(HeldRelease r) {
  switch (r) {
    case HeldRelease::kOpen: return "open";
    case HeldRelease::kAttach: return "attach";
    case HeldRelease::kDiscard: return "discard";
  }
  return "discard";
}

std::optional<HeldRelease> HeldReleaseFromName(std::string_view s) {
  for (HeldRelease r : {HeldRelease::kOpen, HeldRelease::kAttach, HeldRelease::kDiscard})
    if (HeldReleaseName(r) == s) return r;
  return std::nullopt;
}

}  // namespace sladesk
