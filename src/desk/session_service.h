// SessionService: people signing in with e-mail and password.
//
// Purpose: the rules of signing in, apart from the password hashing itself
// (Argon2id, which the caller does between the two steps, off the writer
// thread): a sign-in is refused with the same words for an unknown
// address, a wrong password, a user without a password and a deactivated
// one; after 5 failures for one address, or 20 from one client address,
// within 15 minutes, further attempts are refused (kRateLimited) until the
// window passes, even with the right password. A session lasts 12 hours;
// the cookie's secret is never stored (only its hash), and its CSRF token
// must come back with every unsafe request. Signing out revokes it.
// Thread-safety: one unit of work, one thread. Ownership: borrows.
#pragma once

#include <optional>
#include <string>

#include "common/result.h"
#include "desk/desk_repository.h"

namespace sladesk {

inline constexpr Seconds kSessionLifetime = 12 * 3600;
inline constexpr Seconds kSignInWindow = 15 * 60;
inline constexpr int kSignInFailuresPerEmail = 5;
inline constexpr int kSignInFailuresPerAddress = 20;

// What step one found: who, with which hash, unless the attempt is refused.
struct SignInCandidate {
  std::optional<User> user;
  std::string password_hash;  // empty: no password (the attempt fails)
};

struct NewSession {
  std::string token_hash;  // of the cookie's secret
  std::string csrf_token;
};

class SessionService {
 public:
  explicit SessionService(DeskRepository& repo) : repo_(repo) {}

  // Step one (a read): kRateLimited when the address or e-mail is over its
  // limit, else the user and password hash to verify.
  Result<SignInCandidate> Prepare(const std::string& email, const std::string& remote_address, Instant now);
  // Step two (a write): a verified password opens a session; a failed one is
  // recorded and answered kUnauthenticated (the caller commits it anyway:
  // the unit's writes are the failure's record).
  Result<Session> Complete(const SignInCandidate& candidate, bool verified, const std::string& email,
                           const std::string& remote_address, Instant now, const NewSession& session);
  // The session's user; kUnauthenticated when unknown, revoked or expired,
  // or the user is deactivated.
  Result<std::pair<Session, User>> Authenticate(const std::string& token_hash, Instant now);
  Status SignOut(const std::string& token_hash);
  // Admins set anyone's password, people their own; at least 10 characters.
  Status SetPassword(const User& actor, Id user_id, const std::string& password, const std::string& hash);

  static std::string EmailSubject(const std::string& email) { return "email:" + EmailKey(email); }
  static std::string AddressSubject(const std::string& address) { return "address:" + address; }

 private:
  DeskRepository& repo_;
};

}  // namespace sladesk
