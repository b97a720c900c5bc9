#include "mail/message_id_signer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <charconv>
#include <cstdlib>

namespace sladesk::mail {
namespace {

constexpr std::size_t kMacBytes = 12;
constexpr std::size_t kRandomChars = 16;

std::string Hex(const unsigned char* data, std::size_t n) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += digits[data[i] >> 4];
    out += digits[data[i] & 15];
  }
  return out;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return !s.empty();
}

}  // namespace

MessageIdSigner::MessageIdSigner(std::string secret) : secret_(std::move(secret)) {}

std::string MessageIdSigner::Mac(std::int64_t ticket, std::string_view random) const {
  const std::string data = "sladesk." + std::to_string(ticket) + "." + std::string(random);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret_.data(), static_cast<int>(secret_.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), mac, &len);
  return Hex(mac, kMacBytes);
}

std::string MessageIdSigner::MakeMessageId(std::int64_t ticket, std::string_view domain,
                                           std::string_view random) const {
  const std::string r = random.empty() ? RandomToken() : std::string(random);
  return "<sladesk." + std::to_string(ticket) + "." + r + "." + Mac(ticket, r) + "@" + std::string(domain) + ">";
}

std::optional<std::int64_t> MessageIdSigner::Verify(std::string_view id) const {
  if (!id.empty() && id.front() == '<') id.remove_prefix(1);
  if (!id.empty() && id.back() == '>') id.remove_suffix(1);
  const std::size_t at = id.rfind('@');
  if (at == std::string_view::npos) return std::nullopt;
  std::string local(id.substr(0, at));
  for (char& c : local)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  constexpr std::string_view kPrefix = "sladesk.";
  if (local.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  const std::string_view rest = std::string_view(local).substr(kPrefix.size());
  const std::size_t d1 = rest.find('.');
  const std::size_t d2 = d1 == std::string_view::npos ? d1 : rest.find('.', d1 + 1);
  if (d2 == std::string_view::npos || rest.find('.', d2 + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view ticket_text = rest.substr(0, d1);
  const std::string_view random = rest.substr(d1 + 1, d2 - d1 - 1);
  const std::string_view mac = rest.substr(d2 + 1);
  if (ticket_text.empty() || ticket_text.size() > 18 || random.size() != kRandomChars || !IsLowerHex(random) ||
      mac.size() != kMacBytes * 2 || !IsLowerHex(mac))
    return std::nullopt;
  std::int64_t ticket = 0;
  auto [p, ec] = std::from_chars(ticket_text.data(), ticket_text.data() + ticket_text.size(), ticket);
  if (ec != std::errc() || p != ticket_text.data() + ticket_text.size() || ticket < 0) return std::nullopt;
  if (std::to_string(ticket) != ticket_text) return std::nullopt;  // no leading zeros or signs
  const std::string expected = Mac(ticket, random);
  if (CRYPTO_memcmp(expected.data(), mac.data(), expected.size()) != 0) return std::nullopt;
  return ticket;
}

std::optional<std::int64_t> VerifyTicketTag(std::span<const std::string> message_ids, std::string_view secret) {
  const MessageIdSigner signer{std::string(secret)};
  for (const std::string& id : message_ids) {
    auto ticket = signer.Verify(id);
    if (ticket && *ticket > 0) return ticket;
  }
  return std::nullopt;
}

std::string RandomToken() {
  unsigned char bytes[kRandomChars / 2];
  if (RAND_bytes(bytes, sizeof bytes) != 1) std::abort();  // no entropy: nothing safe to send
  return Hex(bytes, sizeof bytes);
}

}  // namespace sladesk::mail
