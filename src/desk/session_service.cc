#include "desk/session_service.h"

namespace sladesk {
namespace {

Error Refused() {
  return MakeError(ErrorCode::kUnauthenticated, "email", "the e-mail address or the password is not right");
}

}  // namespace

Result<SignInCandidate> SessionService::Prepare(const std::string& email, const std::string& address, Instant now) {
  const Instant since = now - std::chrono::seconds(kSignInWindow - 1);  // the last 15 minutes
  auto by_email = repo_.CountSignInFailures(EmailSubject(email), since);
  if (!by_email.ok()) return by_email.error();
  auto by_address = repo_.CountSignInFailures(AddressSubject(address), since);
  if (!by_address.ok()) return by_address.error();
  if (*by_email >= kSignInFailuresPerEmail || *by_address >= kSignInFailuresPerAddress)
    return MakeError(ErrorCode::kRateLimited, "email",
                     "too many failed sign-ins; try again in " + std::to_string(kSignInWindow / 60) + " minutes");
  SignInCandidate c;
  auto user = repo_.FindUserByEmail(email);
  if (!user.ok()) return user.error();
  if (!*user || !(*user)->active) return c;
  c.user = **user;
  auto hash = repo_.GetPasswordHash(c.user->id);
  if (!hash.ok()) return hash.error();
  c.password_hash = hash->value_or("");
  return c;
}

Result<Session> SessionService::Complete(const SignInCandidate& c, bool verified, const std::string& email,
                                         const std::string& address, Instant now, const NewSession& ns) {
  if (!verified || !c.user || c.password_hash.empty()) {
    if (Status st = repo_.RecordSignInFailure(EmailSubject(email), now); !st.ok()) return st.error();
    if (Status st = repo_.RecordSignInFailure(AddressSubject(address), now); !st.ok()) return st.error();
    return Refused();
  }
  if (Status st = repo_.ClearSignInFailures(EmailSubject(email)); !st.ok()) return st.error();
  Session s{ns.token_hash, c.user->id, ns.csrf_token, now, now + std::chrono::seconds(kSessionLifetime), false};
  if (Status st = repo_.InsertSession(s); !st.ok()) return st.error();
  return s;
}

Result<std::pair<Session, User>> SessionService::Authenticate(const std::string& token_hash, Instant now) {
  auto found = repo_.FindSessionUser(token_hash);
  if (!found.ok()) return found.error();
  auto fail = [](std::string why) { return MakeError(ErrorCode::kUnauthenticated, "Cookie", std::move(why)); };
  if (!*found || (*found)->first.revoked) return fail("the session is not valid; sign in again");
  if ((*found)->first.expires_at <= now) return fail("the session expired; sign in again");
  if (!(*found)->second.active) return fail("the user is deactivated");
  return std::move(**found);
}

Status SessionService::SignOut(const std::string& token_hash) { return repo_.RevokeSession(token_hash); }

Status SessionService::SetPassword(const User& actor, Id user_id, const std::string& password, const std::string& hash) {
  const bool allowed = actor.role == Role::kAdmin || actor.role == Role::kSystem || actor.id == user_id;
  if (!allowed) return ForbiddenError("only admins set other people's passwords");
  if (password.size() < 10) return MakeError("password", "a password has at least 10 characters");
  if (password.size() > 1024) return MakeError("password", "a password has at most 1024 characters");
  return repo_.SetPasswordHash(user_id, hash);
}

}  // namespace sladesk
