// WebhookClient: POSTs one signed JSON message to a webhook endpoint with
// libcurl and says what the caller should do next.
//
// Purpose: the outbox dispatcher's transport for webhooks. Only URLs an
// admin registered reach it, and only http:// and https:// are ever
// called (CheckUrl; curl is also restricted to those protocols). No
// redirect is followed (a 3xx is a failure: the admin updates the URL), the
// connect and total times are bounded, and at most max_response_bytes of
// the answer are kept (reading stops there). Outcomes:
//   kDelivered  2xx.
//   kGone       410: the receiver wants no more; the caller disables the endpoint.
//   kRetry      everything else that reached the network: timeouts,
//               connection errors, 429, 5xx, 3xx and the other 4xx (a 404
//               or 401 is usually a receiver being deployed or
//               misconfigured, which an admin fixes within the retry
//               schedule; the BackoffPolicy's attempt limit ends it).
//               `retry_after` carries the receiver's Retry-After (seconds
//               or an HTTP date) when it sent one.
//   kRefused    never sent: the URL is not http(s) or not a URL.
// Thread-safety: Deliver is safe from many threads at once (one curl easy
// handle per call); it blocks for up to the total timeout.
// Ownership: owns its options.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"
#include "notify/webhook_signer.h"

namespace sladesk {

struct WebhookClientOptions {
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds total_timeout{15000};  // the spec suggests 15-30 s
  std::size_t max_response_bytes = 64 * 1024;
  std::string user_agent = "sladesk-webhooks/1";
  bool use_environment_proxy = true;  // http_proxy/https_proxy (e.g. an SSRF-filtering proxy)
};

struct WebhookResult {
  enum class Outcome { kDelivered, kGone, kRetry, kRefused };
  Outcome outcome = Outcome::kRetry;
  int http_status = 0;  // 0: no HTTP answer
  std::string detail;   // "HTTP 500", "timed out after 15000 ms", "connection refused", ...
  std::optional<std::chrono::seconds> retry_after;
  std::string response_body;  // at most max_response_bytes
  bool response_truncated = false;
  std::chrono::milliseconds elapsed{0};
};

const char* OutcomeName(WebhookResult::Outcome outcome);

class WebhookClient {
 public:
  explicit WebhookClient(WebhookClientOptions options = {});

  // OK for an absolute http:// or https:// URL with a host; else an error
  // naming the field "url".
  static Status CheckUrl(const std::string& url);

  // Signs `body` for (id, timestamp) and POSTs it as application/json.
  WebhookResult Deliver(const std::string& url, const WebhookSigner& signer, std::string_view id,
                        std::int64_t timestamp, std::string_view body) const;

  // Classifies an HTTP status the way Deliver does.
  static WebhookResult::Outcome Classify(int http_status);
  // "120" or an HTTP date (relative to `now_unix`); nullopt if neither.
  static std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, std::int64_t now_unix);

 private:
  WebhookClientOptions options_;
};

}  // namespace sladesk
