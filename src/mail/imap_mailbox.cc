#include "mail/imap_mailbox.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <sstream>

namespace sladesk::mail {
namespace {

std::size_t WriteCallback(char* data, std::size_t size, std::size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

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

int DebugCallback(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  if (type != CURLINFO_HEADER_IN) return 0;
  std::string line(data, size);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
  // Tagged NO/BAD replies carry the server's reason.
  const std::size_t sp = line.find(' ');
  if (sp != std::string::npos && line[0] != '*' && line[0] != '+' &&
      (line.compare(sp + 1, 3, "NO ") == 0 || line.compare(sp + 1, 4, "BAD ") == 0))
    *static_cast<std::string*>(user) = line.substr(sp + 1);
  return 0;
}

bool PrintableAscii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7E) return false;
  return !s.empty();
}

std::string Quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string PercentEncode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::vector<std::uint64_t> ParseSearch(const std::string& out) {
  std::vector<std::uint64_t> uids;
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("* SEARCH", 0) != 0) continue;
    std::istringstream words(line.substr(8));
    std::string w;
    while (words >> w) {
      if (w.empty() || w.find_first_not_of("0123456789") != std::string::npos) continue;
      uids.push_back(std::stoull(w));
    }
  }
  std::sort(uids.begin(), uids.end());
  uids.erase(std::unique(uids.begin(), uids.end()), uids.end());
  return uids;
}

std::uint64_t StatusItem(const std::string& out, const std::string& item) {
  const std::size_t at = out.find(item + " ");
  if (at == std::string::npos) return 0;
  return std::strtoull(out.c_str() + at + item.size() + 1, nullptr, 10);
}

}  // namespace

struct ImapMailbox::Handle {
  CURL* curl = nullptr;
  ~Handle() {
    if (curl) curl_easy_cleanup(curl);
  }
};

ImapMailbox::ImapMailbox(ImapConfig config) : config_(std::move(config)), handle_(std::make_unique<Handle>()) {
  EnsureCurlInitialized();
}

ImapMailbox::~ImapMailbox() = default;

std::string ImapMailbox::MailboxUrl() const {
  std::string base = config_.url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + PercentEncode(config_.mailbox);
}

void* ImapMailbox::Prepare(const std::string& url, char* errbuf) {
  if (!handle_->curl) handle_->curl = curl_easy_init();
  CURL* c = handle_->curl;
  if (!c) return nullptr;
  curl_easy_reset(c);  // options only: the connection (and the selected mailbox) stays cached
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "imap,imaps");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(config_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(c, CURLOPT_USERNAME, config_.username.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, config_.password.c_str());
  if (config_.url.rfind("imaps://", 0) != 0) {
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
  return c;
}

Result<std::string> ImapMailbox::Perform(const std::string& url, const std::string& command,
                                         std::string_view upload_data) {
  if (!PrintableAscii(config_.mailbox)) return MakeError("imap", "the mailbox name must be printable ASCII");
  char errbuf[CURL_ERROR_SIZE] = {0};
  CURL* c = static_cast<CURL*>(Prepare(url, errbuf));
  if (!c) return MakeError("imap", "curl_easy_init failed");
  std::string out, server_error;
  Upload upload{upload_data, 0};
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, WriteCallback);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
  curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, DebugCallback);
  curl_easy_setopt(c, CURLOPT_DEBUGDATA, &server_error);
  if (!command.empty()) curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, command.c_str());
  if (!upload_data.empty()) {
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, ReadCallback);
    curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(upload_data.size()));
  }
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    std::string message = std::string(curl_easy_strerror(rc)) + (errbuf[0] ? std::string(": ") + errbuf : "");
    if (!server_error.empty()) message += " (server: " + server_error + ")";
    const std::string what = !command.empty() ? command : !upload_data.empty() ? "APPEND" : "FETCH";
    return MakeError("imap", what + ": " + message);
  }
  return out;
}

Result<MailboxStatus> ImapMailbox::Status() {
  auto out = Perform(config_.url, "STATUS " + Quoted(config_.mailbox) + " (UIDVALIDITY UIDNEXT MESSAGES)", {});
  if (!out.ok()) return out.error();
  MailboxStatus s;
  s.uidvalidity = StatusItem(*out, "UIDVALIDITY");
  s.uidnext = StatusItem(*out, "UIDNEXT");
  s.messages = StatusItem(*out, "MESSAGES");
  if (s.uidvalidity == 0) return MakeError("imap", "the server reported no UIDVALIDITY: " + *out);
  return s;
}

Result<std::vector<std::uint64_t>> ImapMailbox::UnseenUids() {
  auto out = Perform(MailboxUrl(), "UID SEARCH UNSEEN", {});
  if (!out.ok()) return out.error();
  return ParseSearch(*out);
}

Result<std::vector<std::uint64_t>> ImapMailbox::UidsFrom(std::uint64_t first_uid) {
  auto out = Perform(MailboxUrl(), "UID SEARCH UID " + std::to_string(std::max<std::uint64_t>(first_uid, 1)) + ":*", {});
  if (!out.ok()) return out.error();
  std::vector<std::uint64_t> uids = ParseSearch(*out);
  uids.erase(std::remove_if(uids.begin(), uids.end(), [&](std::uint64_t u) { return u < first_uid; }), uids.end());
  return uids;
}

Result<std::string> ImapMailbox::Fetch(std::uint64_t uid) {
  // The URL form (";UID=n": UID FETCH n BODY[]) makes libcurl read the
  // literal; a custom FETCH command would only give its first line.
  auto out = Perform(MailboxUrl() + "/;UID=" + std::to_string(uid), "", {});
  if (!out.ok()) return out.error();
  if (out->empty()) return MakeError("imap", "no message with UID " + std::to_string(uid));
  return out;
}

sladesk::Status ImapMailbox::MarkSeen(std::uint64_t uid) {
  auto out = Perform(MailboxUrl(), "UID STORE " + std::to_string(uid) + " +FLAGS.SILENT (\\Seen)", {});
  if (!out.ok()) return out.error();
  return sladesk::Status::Ok();
}

sladesk::Status ImapMailbox::MarkUnseen(std::uint64_t uid) {
  auto out = Perform(MailboxUrl(), "UID STORE " + std::to_string(uid) + " -FLAGS.SILENT (\\Seen)", {});
  if (!out.ok()) return out.error();
  return sladesk::Status::Ok();
}

sladesk::Status ImapMailbox::Move(std::uint64_t uid, std::string_view target) {
  if (!PrintableAscii(target)) return MakeError("imap", "the target mailbox name must be printable ASCII");
  auto out = Perform(MailboxUrl(), "UID MOVE " + std::to_string(uid) + " " + Quoted(target), {});
  if (!out.ok()) return out.error();
  return sladesk::Status::Ok();
}

sladesk::Status ImapMailbox::Append(std::string_view message) {
  if (message.empty()) return MakeError("imap", "APPEND: an empty message");
  auto out = Perform(MailboxUrl(), "", message);
  if (!out.ok()) return out.error();
  return sladesk::Status::Ok();
}

sladesk::Status ImapMailbox::Create(std::string_view name) {
  if (!PrintableAscii(name)) return MakeError("imap", "the mailbox name must be printable ASCII");
  auto out = Perform(config_.url, "CREATE " + Quoted(name), {});
  if (!out.ok() && out.error().message.find("ALREADYEXISTS") == std::string::npos &&
      out.error().message.find("already exists") == std::string::npos)
    return out.error();
  return sladesk::Status::Ok();
}

}  // namespace sladesk::mail
