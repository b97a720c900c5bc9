// SignIn: POST /api/v1/auth/login, in three steps off the writer's path:
// a read finds the user and checks the rate limits (SessionService), the
// password is verified with Argon2id on the store's reader thread (tens of
// milliseconds, never on the writer every write waits on), and a write
// opens the session or records the failure.
//
// Purpose: the only request that authenticates by password. The answer is
// the Session (user, CSRF token, expiry) with
// `Set-Cookie: sladesk_session=<secret>; HttpOnly; SameSite=Strict; Path=/`
// (Secure when configured); the same 401 for every kind of wrong
// credentials; 429 with Retry-After when limited.
// Thread-safety: Start may be called from any thread; `respond` runs once,
// on a store thread. Ownership: borrows the store, which must outlive it.
#pragma once

#include <functional>

#include "common/instant.h"
#include "server/api_types.h"
#include "storage/desk_store.h"

namespace sladesk {

class SignIn {
 public:
  static void Start(DeskStore& store, const ApiRequest& request, Instant now, bool secure_cookies,
                    std::function<void(ApiResponse)> respond);
  // The session secret from a Cookie header ("" when there is none).
  static std::string SessionSecret(const std::string& cookie_header);
  static std::string SessionCookie(const std::string& secret, Seconds max_age, bool secure);
};

}  // namespace sladesk
