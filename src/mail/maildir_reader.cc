#include "mail/maildir_reader.h"

#include <fstream>
#include <sstream>
#include <system_error>

namespace sladesk::mail {

Result<std::unique_ptr<MaildirReader>> MaildirReader::Open(const std::string& dir) {
  std::error_code ec;
  const std::filesystem::path p(dir);
  if (!std::filesystem::is_directory(p / "new", ec) && !std::filesystem::is_directory(p / "cur", ec))
    return MakeError("--maildir", "'" + dir + "' is not a maildir (no new/ or cur/ inside)");
  return std::unique_ptr<MaildirReader>(new MaildirReader(p));
}

bool MaildirReader::Advance() {
  std::error_code ec;
  while (stage_ < 3) {
    if (stage_ == 0 || (stage_ == 1 && it_ == end_)) {
      const bool to_cur = stage_ == 1;
      stage_ = to_cur ? 2 : 1;
      const std::filesystem::path sub = dir_ / (to_cur ? "cur" : "new");
      it_ = std::filesystem::is_directory(sub, ec) ? std::filesystem::directory_iterator(sub, ec)
                                                   : std::filesystem::directory_iterator();
      if (ec) it_ = std::filesystem::directory_iterator();
      continue;
    }
    if (it_ == end_) {
      stage_ = 3;
      return false;
    }
    return true;
  }
  return false;
}

Result<bool> MaildirReader::Next(MaildirMessage& out) {
  std::error_code ec;
  while (Advance()) {
    const std::filesystem::directory_entry entry = *it_;
    const bool is_new = stage_ == 1;
    it_.increment(ec);
    if (ec) it_ = std::filesystem::directory_iterator();
    const std::string file = entry.path().filename().string();
    if (file.empty() || file[0] == '.' || !entry.is_regular_file(ec)) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) continue;  // delivered and moved away meanwhile
    std::ostringstream buffer;
    buffer << in.rdbuf();
    out.path = entry.path().string();
    const std::size_t colon = file.find(':');
    out.name = file.substr(0, colon);
    out.flags.clear();
    if (colon != std::string::npos && file.compare(colon, 3, ":2,") == 0) out.flags = file.substr(colon + 3);
    out.is_new = is_new;
    out.bytes = buffer.str();
    return true;
  }
  return false;
}

}  // namespace sladesk::mail
