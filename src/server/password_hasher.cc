#include "server/password_hasher.h"

#include <sodium.h>

#include <cstdlib>

namespace sladesk {
namespace {

void Init() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) std::abort();  // no entropy: never hash with a weak salt
}

}  // namespace

Result<std::string> PasswordHasher::Hash(std::string_view password) {
  Init();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    return InternalError("password hashing ran out of memory");
  return std::string(out);
}

bool PasswordHasher::Verify(const std::string& hash, std::string_view password) {
  Init();
  if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

std::string PasswordHasher::NewPassword() {
  Init();
  static const char kAlphabet[] = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 16; ++i) out += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  return out;
}

bool PasswordHasher::Equal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sladesk
