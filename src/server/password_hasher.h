// PasswordHasher: Argon2id password hashes with libsodium (crypto_pwhash_str).
//
// Purpose: the only place that hashes or checks a password. The hash string
// carries its own salt and parameters (libsodium's "interactive" limits:
// 2 passes over 64 MiB), so verifying an older hash still works after the
// limits change. Hashing costs tens of milliseconds and 64 MiB by design:
// call it off the store's writer thread.
// Thread-safety: safe from any thread (libsodium is initialised once).
// Ownership: none.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace sladesk {

class PasswordHasher {
 public:
  static Result<std::string> Hash(std::string_view password);
  // False for a wrong password or a malformed hash.
  static bool Verify(const std::string& hash, std::string_view password);
  // A readable random password for demo users (16 letters and digits).
  static std::string NewPassword();
  // Constant-time comparison of two secrets.
  static bool Equal(std::string_view a, std::string_view b);
};

}  // namespace sladesk
