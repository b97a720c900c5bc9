#include "notify/webhook_signer.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <stdexcept>

namespace sladesk {

namespace {
constexpr std::string_view kPrefix = "whsec_";
}

std::string WebhookSigner::Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

bool WebhookSigner::Unbase64(std::string_view text, std::string* out) {
  if (text.empty() || text.size() % 4 != 0) return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '/' || c == '=')) return false;
  std::string buf(3 * (text.size() / 4), '\0');
  int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(buf.data()),
                          reinterpret_cast<const unsigned char*>(text.data()), static_cast<int>(text.size()));
  if (n < 0) return false;
  // EVP_DecodeBlock counts padding as zero bytes.
  std::size_t pad = 0;
  if (text.back() == '=') ++pad;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++pad;
  buf.resize(static_cast<std::size_t>(n) - pad);
  *out = std::move(buf);
  return true;
}

Result<WebhookSigner> WebhookSigner::FromSecret(std::string_view secret) {
  if (secret.substr(0, kPrefix.size()) != kPrefix)
    return MakeError("secret", "a webhook secret starts with 'whsec_' followed by base64");
  std::string key;
  if (!Unbase64(secret.substr(kPrefix.size()), &key))
    return MakeError("secret", "the part after 'whsec_' is not valid base64");
  if (key.size() < 24 || key.size() > 64)
    return MakeError("secret", "a webhook secret must decode to 24..64 bytes (it has " + std::to_string(key.size()) +
                                   ")");
  return WebhookSigner(std::move(key));
}

std::string WebhookSigner::NewSecret() {
  unsigned char key[32];
  if (RAND_bytes(key, sizeof key) != 1) throw std::runtime_error("RAND_bytes failed");
  return std::string(kPrefix) + Base64(std::string_view(reinterpret_cast<const char*>(key), sizeof key));
}

std::string WebhookSigner::NewMessageId() {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  unsigned char bytes[26];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  std::string id = "msg_";
  for (unsigned char b : bytes) id += kAlphabet[b % 32];
  return id;
}

std::string WebhookSigner::Sign(std::string_view id, std::int64_t timestamp, std::string_view body) const {
  std::string content;
  content.reserve(id.size() + body.size() + 24);
  content.append(id);
  content += '.';
  content += std::to_string(timestamp);
  content += '.';
  content.append(body);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key_.data(), static_cast<int>(key_.size()), reinterpret_cast<const unsigned char*>(content.data()),
       content.size(), mac, &len);
  return "v1," + Base64(std::string_view(reinterpret_cast<const char*>(mac), len));
}

WebhookSigner::Headers WebhookSigner::HeadersFor(std::string_view id, std::int64_t timestamp,
                                                 std::string_view body) const {
  return Headers{std::string(id), std::to_string(timestamp), Sign(id, timestamp, body)};
}

bool WebhookSigner::Verify(std::string_view id, std::int64_t timestamp, std::string_view body,
                           std::string_view header) const {
  const std::string expected = Sign(id, timestamp, body);
  bool found = false;
  std::size_t start = 0;
  while (start <= header.size()) {
    std::size_t space = header.find(' ', start);
    std::string_view one = header.substr(start, space == std::string_view::npos ? std::string_view::npos : space - start);
    if (one.size() == expected.size() && CRYPTO_memcmp(one.data(), expected.data(), expected.size()) == 0)
      found = true;  // keep going: the time taken does not depend on which one matched
    if (space == std::string_view::npos) break;
    start = space + 1;
  }
  return found;
}

}  // namespace sladesk
