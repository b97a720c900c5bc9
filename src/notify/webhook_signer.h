// WebhookSigner: Standard Webhooks (standardwebhooks.com, spec 1.0.0)
// symmetric signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of
// "{id}.{timestamp}.{body}">` with a secret serialised as `whsec_<base64>`
// (the key is the base64 after the prefix, 24 to 64 bytes).
//
// Purpose: every webhook sladesk sends can be verified by a receiver's
// existing Standard Webhooks library. The id stays the same across retries
// of one message (receivers use it for idempotency); the timestamp and the
// signature are made afresh for each attempt.
// Thread-safety: immutable after construction; Sign/Verify are safe from
// any thread. Ownership: owns a copy of the key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sladesk {

class WebhookSigner {
 public:
  struct Headers {
    std::string id;         // webhook-id
    std::string timestamp;  // webhook-timestamp: unix seconds
    std::string signature;  // webhook-signature: "v1,<base64>"
  };

  // "whsec_<base64 of 24..64 random bytes>"; errors name the field "secret".
  static Result<WebhookSigner> FromSecret(std::string_view secret);
  // A new random secret (32 bytes) in the whsec_ form.
  static std::string NewSecret();
  // A new message id: "msg_" + 26 random base32 characters (no '.').
  static std::string NewMessageId();

  // "v1,<base64>". `id` must not contain '.' (the caller makes ids).
  std::string Sign(std::string_view id, std::int64_t timestamp, std::string_view body) const;
  Headers HeadersFor(std::string_view id, std::int64_t timestamp, std::string_view body) const;
  // True when one of the space-separated signatures in `header` is a v1
  // signature of this message under this key (constant-time comparison).
  bool Verify(std::string_view id, std::int64_t timestamp, std::string_view body, std::string_view header) const;

  static std::string Base64(std::string_view bytes);
  // Standard alphabet with padding; false on anything else.
  static bool Unbase64(std::string_view text, std::string* out);

 private:
  explicit WebhookSigner(std::string key) : key_(std::move(key)) {}
  std::string key_;
};

}  // namespace sladesk
