#include "mail/smtp_sender.h"

#include <curl/curl.h>

#include <cstring>
#include <memory>
#include <mutex>

namespace sladesk::mail {
namespace {

struct Upload {
  std::string_view data;
  std::size_t pos = 0;
};

std::size_t ReadCallback(char* buffer, std::size_t size, std::size_t nitems, void* user) {
  auto* u = static_cast<Upload*>(user);
  const std::size_t n = std::min(size * nitems, u->data.size() - u->pos);
  std::memcpy(buffer, u->data.data() + u->pos, n);
  u->pos += n;
  return n;
}

// What the server said (response lines) and the last RCPT we sent.
struct Transcript {
  std::string last_reply;
  std::string first_error;  // the first 4xx/5xx reply line
  std::string last_rcpt;
  std::string failed_rcpt;
};

std::string Line(const char* data, std::size_t size) {
  std::string s(data, size);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

int DebugCallback(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* t = static_cast<Transcript*>(user);
  if (type == CURLINFO_HEADER_IN) {
    t->last_reply = Line(data, size);
    const bool error = !t->last_reply.empty() && (t->last_reply[0] == '4' || t->last_reply[0] == '5');
    if (error && t->first_error.empty()) t->first_error = t->last_reply;
    if (!t->last_rcpt.empty() && t->failed_rcpt.empty() && !t->last_reply.empty() &&
        (t->last_reply[0] == '4' || t->last_reply[0] == '5'))
      t->failed_rcpt = t->last_rcpt;
  } else if (type == CURLINFO_HEADER_OUT) {
    const std::string out = Line(data, size);
    if (out.rfind("RCPT TO:", 0) == 0) {
      std::string a = out.substr(8);
      if (!a.empty() && a.front() == '<') a.erase(0, 1);
      if (auto gt = a.find('>'); gt != std::string::npos) a.resize(gt);
      t->last_rcpt = a;
    } else if (out.rfind("DATA", 0) == 0 || out.rfind("MAIL FROM", 0) == 0) {
      t->last_rcpt.clear();
    }
  }
  return 0;
}

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* s) const { curl_slist_free_all(s); }
};

}  // namespace

void EnsureCurlInitialized() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

const char* SmtpOutcomeName(SmtpOutcome outcome) {
  switch (outcome) {
    case SmtpOutcome::kSent: return "sent";
    case SmtpOutcome::kTemporaryFailure: return "temporary_failure";
    case SmtpOutcome::kPermanentFailure: return "permanent_failure";
  }
  return "";
}

SmtpSender::SmtpSender(SmtpConfig config) : config_(std::move(config)) {}

SmtpResult SmtpSender::Send(std::string_view envelope_from, const std::vector<std::string>& recipients,
                            std::string_view message) const {
  EnsureCurlInitialized();
  SmtpResult result;
  if (recipients.empty()) {
    result.outcome = SmtpOutcome::kPermanentFailure;
    result.detail = "no recipients";
    return result;
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) {
    result.detail = "curl_easy_init failed";
    return result;
  }
  CURL* c = curl.get();
  std::string url = config_.url;
  // libcurl takes the EHLO name from the URL path.
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/" + config_.helo_name;
  const std::string from = "<" + std::string(envelope_from) + ">";
  curl_slist* list = nullptr;
  for (const std::string& r : recipients) {
    curl_slist* head = curl_slist_append(list, ("<" + r + ">").c_str());
    if (!head) {
      curl_slist_free_all(list);
      result.detail = "out of memory";
      return result;
    }
    list = head;
  }
  std::unique_ptr<curl_slist, SlistDeleter> rcpts(list);
  Upload upload{message, 0};
  Transcript transcript;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpts.get());
  curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadCallback);
  curl_easy_setopt(c, CURLOPT_READDATA, &upload);
  curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, DebugCallback);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &transcript);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  if (url.rfind("smtps://", 0) != 0) {
    const long use_ssl = config_.starttls == StartTls::kRequired   ? CURLUSESSL_ALL
                         : config_.starttls == StartTls::kIfOffered ? CURLUSESSL_TRY
                                                                    : CURLUSESSL_NONE;
    curl_easy_setopt(c, CURLOPT_USE_SSL, use_ssl);
  }
  if (!config_.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, config_.ca_file.c_str());
  if (!config_.verify_peer) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  if (!config_.username.empty()) {
    curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  }

  const CURLcode rc = curl_easy_perform(c);
  long code = 0;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
  result.code = static_cast<int>(code);
  result.rejected_recipient = transcript.failed_rcpt;
  if (rc == CURLE_OK) {
    result.outcome = SmtpOutcome::kSent;
    result.detail = transcript.last_reply;
    return result;
  }
  const bool server_answered = code >= 400 && code < 600 && !transcript.first_error.empty();
  result.detail = server_answered ? transcript.first_error
                                  : std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
  result.outcome = server_answered && code >= 500 ? SmtpOutcome::kPermanentFailure : SmtpOutcome::kTemporaryFailure;
  return result;
}

}  // namespace sladesk::mail
