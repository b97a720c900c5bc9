// TokenCodec: API token secrets, their SHA-256 hashes, and base64.
//
// Purpose: tokens are random 32-byte secrets shown once ("sdk_" + hex); only
// their hex SHA-256 is stored, so a database leak reveals no usable token.
// Base64 is used for attachment bodies and pagination cursors.
// Thread-safety: stateless functions (OpenSSL's RAND_bytes is thread-safe).
// Ownership: none.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sladesk {

class TokenCodec {
 public:
  static std::string NewSecret();                        // "sdk_" + 64 hex digits
  static std::string Sha256Hex(std::string_view data);
  static std::string Base64Encode(std::string_view data, bool url_safe = false);
  // nullopt when `text` is not valid base64 (standard or URL-safe alphabet, padding optional).
  static std::optional<std::string> Base64Decode(std::string_view text);
};

}  // namespace sladesk
