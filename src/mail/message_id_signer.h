// Message-IDs that sladesk can recognise and nobody else can forge.
//
// Purpose: every message sladesk sends carries
//   <sladesk.{ticket}.{random}.{hmac}@{domain}>
// where {hmac} is HMAC-SHA256(secret, "sladesk.{ticket}.{random}"), the
// first 12 bytes in lower-case hex. A reply names it in In-Reply-To or
// References; VerifyTicketTag() gives the ticket number back only when the
// HMAC verifies (constant-time), so a forged "[#N]" subject or a made-up id
// from a stranger never lands on a ticket (osTicket signs its reply
// addresses the same way). {ticket} is 0 for mail about no ticket.
// {random} is 16 lower-case hex characters from OpenSSL's CSPRNG unless the
// caller passes its own (tests). The secret is the server's; rotate it by
// verifying against the old and the new secret for a while.
// Thread-safety: a const MessageIdSigner is safe to share; the free
// functions are pure (RandomToken uses OpenSSL's thread-safe RAND_bytes).
// Ownership: the signer owns a copy of the secret.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace sladesk::mail {

class MessageIdSigner {
 public:
  explicit MessageIdSigner(std::string secret);

  // "<sladesk.1042.0123456789abcdef.9f8e...@desk.example>". `random` empty:
  // a fresh RandomToken().
  std::string MakeMessageId(std::int64_t ticket, std::string_view domain, std::string_view random = {}) const;

  // The ticket number of a sladesk id signed with this secret (brackets
  // optional, case of the hex ignored), else null.
  std::optional<std::int64_t> Verify(std::string_view message_id) const;

 private:
  std::string Mac(std::int64_t ticket, std::string_view random) const;
  std::string secret_;
};

// The first id in `message_ids` that verifies with `secret` and names a
// ticket (> 0). Pass In-Reply-To first, then References newest first
// (ThreadingIds does that).
std::optional<std::int64_t> VerifyTicketTag(std::span<const std::string> message_ids, std::string_view secret);

// 16 lower-case hex characters from RAND_bytes.
std::string RandomToken();

}  // namespace sladesk::mail
