// MaildirReader: the messages of a maildir (new/ then cur/), one at a time.
//
// Purpose: `mail ingest --maildir DIR`. Streams: the directory is read
// entry by entry (no list of names is built), so memory stays flat in the
// number of messages. tmp/ (deliveries in progress), dot files and anything
// that is not a regular file are skipped. Order is the directory's, new/
// first. The info part of a cur/ name (":2,FLAGS") is returned as `flags`.
// Thread-safety: one reader per thread. Ownership: owns its directory
// iterators.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/result.h"

namespace sladesk::mail {

struct MaildirMessage {
  std::string path;      // full path of the file
  std::string name;      // the unique part of the file name (before ':')
  std::string flags;     // "S", "RS", ... (cur/ only), else ""
  bool is_new = false;   // from new/
  std::string bytes;
};

class MaildirReader {
 public:
  // `dir` must have a new/ or a cur/ subdirectory.
  static Result<std::unique_ptr<MaildirReader>> Open(const std::string& dir);

  // The next message into `out`; false at the end. A file that cannot be
  // read (removed meanwhile) is skipped.
  Result<bool> Next(MaildirMessage& out);

 private:
  explicit MaildirReader(std::filesystem::path dir) : dir_(std::move(dir)) {}
  bool Advance();

  std::filesystem::path dir_;
  int stage_ = 0;  // 0: new/ not opened yet, 1: in new/, 2: in cur/, 3: done
  std::filesystem::directory_iterator it_, end_;
};

}  // namespace sladesk::mail
