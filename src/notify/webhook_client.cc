#include "notify/webhook_client.h"

#include <curl/curl.h>

#include <ctime>
#include <memory>
#include <mutex>

namespace sladesk {

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct Capture {
  std::string body;
  std::size_t limit = 0;
  bool truncated = false;
  std::string retry_after;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* c = static_cast<Capture*>(user);
  size_t bytes = size * n;
  size_t room = c->limit - std::min(c->limit, c->body.size());
  if (bytes > room) {
    c->body.append(data, room);
    c->truncated = true;
    return 0;  // stops the transfer: CURLE_WRITE_ERROR, the status is already known
  }
  c->body.append(data, bytes);
  return bytes;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* c = static_cast<Capture*>(user);
  std::string_view line(data, size * n);
  constexpr std::string_view kName = "retry-after:";
  if (line.size() > kName.size()) {
    bool match = true;
    for (size_t i = 0; i < kName.size() && match; ++i)
      match = std::tolower(static_cast<unsigned char>(line[i])) == kName[i];
    if (match) {
      std::string_view v = line.substr(kName.size());
      while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
      c->retry_after = std::string(v);
    }
  }
  if (line.rfind("HTTP/", 0) == 0) c->retry_after.clear();  // a new response (after 100 Continue)
  return size * n;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

}  // namespace

const char* OutcomeName(WebhookResult::Outcome o) {
  switch (o) {
    case WebhookResult::Outcome::kDelivered: return "delivered";
    case WebhookResult::Outcome::kGone: return "gone";
    case WebhookResult::Outcome::kRetry: return "retry";
    case WebhookResult::Outcome::kRefused: return "refused";
  }
  return "retry";
}

WebhookClient::WebhookClient(WebhookClientOptions options) : options_(std::move(options)) { GlobalInit(); }

Status WebhookClient::CheckUrl(const std::string& url) {
  GlobalInit();
  std::unique_ptr<CURLU, UrlDeleter> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK)
    return MakeError("url", "'" + url + "' is not an absolute URL");
  char* scheme = nullptr;
  char* host = nullptr;
  std::string s, h;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK && scheme) s = scheme;
  if (curl_url_get(u.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK && host) h = host;
  curl_free(scheme);
  curl_free(host);
  if (s != "http" && s != "https")
    return MakeError("url", "only http:// and https:// webhook URLs are allowed (got '" + s + "')");
  if (h.empty()) return MakeError("url", "'" + url + "' has no host");
  if (url.find_first_of("\r\n\t ") != std::string::npos) return MakeError("url", "the URL contains whitespace");
  return Status::Ok();
}

WebhookResult::Outcome WebhookClient::Classify(int status) {
  if (status >= 200 && status < 300) return WebhookResult::Outcome::kDelivered;
  if (status == 410) return WebhookResult::Outcome::kGone;
  return WebhookResult::Outcome::kRetry;
}

std::optional<std::chrono::seconds> WebhookClient::ParseRetryAfter(std::string_view v, std::int64_t now_unix) {
  if (v.empty()) return std::nullopt;
  bool digits = v.size() <= 10;
  for (char c : v) digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (digits) return std::chrono::seconds(std::stoll(std::string(v)));
  time_t at = curl_getdate(std::string(v).c_str(), nullptr);
  if (at < 0) return std::nullopt;
  return std::chrono::seconds(std::max<std::int64_t>(0, static_cast<std::int64_t>(at) - now_unix));
}

WebhookResult WebhookClient::Deliver(const std::string& url, const WebhookSigner& signer, std::string_view id,
                                     std::int64_t timestamp, std::string_view body) const {
  WebhookResult out;
  if (Status st = CheckUrl(url); !st.ok()) {
    out.outcome = WebhookResult::Outcome::kRefused;
    out.detail = st.error().message;
    return out;
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    out.detail = "could not start a transfer";
    return out;
  }
  const auto headers_for = signer.HeadersFor(id, timestamp, body);
  curl_slist* raw = nullptr;
  for (const std::string& h : {std::string("Content-Type: application/json"), "webhook-id: " + headers_for.id,
                               "webhook-timestamp: " + headers_for.timestamp,
                               "webhook-signature: " + headers_for.signature, std::string("Expect:")})
    raw = curl_slist_append(raw, h.c_str());
  std::unique_ptr<curl_slist, SlistDeleter> headers(raw);
  Capture cap;
  cap.limit = options_.max_response_bytes;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_POST, 1L);
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options_.total_timeout.count()));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &cap);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &cap);
  if (!options_.use_environment_proxy) curl_easy_setopt(c, CURLOPT_PROXY, "");
  auto started = std::chrono::steady_clock::now();
  CURLcode rc = curl_easy_perform(c);
  out.elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  long status = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
  out.http_status = static_cast<int>(status);
  out.response_body = std::move(cap.body);
  out.response_truncated = cap.truncated;
  if (rc != CURLE_OK && !(rc == CURLE_WRITE_ERROR && cap.truncated && status != 0)) {
    out.outcome = WebhookResult::Outcome::kRetry;
    out.http_status = 0;
    if (rc == CURLE_OPERATION_TIMEDOUT)
      out.detail = "timed out after " + std::to_string(out.elapsed.count()) + " ms";
    else
      out.detail = curl_easy_strerror(rc);
    return out;
  }
  out.outcome = Classify(out.http_status);
  out.detail = "HTTP " + std::to_string(out.http_status);
  if (!cap.retry_after.empty())
    out.retry_after = ParseRetryAfter(cap.retry_after, static_cast<std::int64_t>(std::time(nullptr)));
  return out;
}

}  // namespace sladesk
