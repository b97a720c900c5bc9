// MboxReader: the messages of an mbox file, one at a time.
//
// Purpose: `mail ingest --mbox FILE` (imports and replays). Streams: only
// the current message is in memory, whatever the number of messages.
// Format: a message starts at a "From " line (the From_ separator) at the
// start of the file or after an empty line; the separator is not part of the
// message (it is returned as `envelope`), nor is the empty line before the
// next separator. mboxrd (default) unescapes ">From ", ">>From ", ... by
// one '>'; mboxo unescapes only ">From ". Line ends are kept as they are.
// Thread-safety: one reader per thread. Ownership: owns its file (Open) or
// borrows the stream it was given.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "common/result.h"

namespace sladesk::mail {

enum class MboxFormat { kMboxrd, kMboxo };

struct MboxMessage {
  std::string envelope;     // the From_ line without "From " and its line end
  std::string bytes;        // the message, unescaped
  std::uint64_t index = 0;  // 0-based position in the file
  std::uint64_t offset = 0; // byte offset of the From_ line
};

class MboxReader {
 public:
  static Result<std::unique_ptr<MboxReader>> Open(const std::string& path, MboxFormat format = MboxFormat::kMboxrd);
  explicit MboxReader(std::istream& in, MboxFormat format = MboxFormat::kMboxrd);

  // The next message into `out`; false at the end. Text before the first
  // From_ line (not an mbox) is an Error naming the file.
  Result<bool> Next(MboxMessage& out);

  // Bytes held between calls (the look-ahead line): stays small.
  std::size_t BufferedBytes() const { return pending_.capacity(); }

 private:
  bool ReadLine(std::string& line);

  std::unique_ptr<std::ifstream> owned_;
  std::istream* in_;
  MboxFormat format_;
  std::string pending_;  // the From_ line read ahead
  bool have_pending_ = false;
  bool started_ = false;
  std::uint64_t index_ = 0, offset_ = 0, pending_offset_ = 0;
};

// True for a line that starts a message: "From " followed by something.
bool IsFromLine(std::string_view line);

}  // namespace sladesk::mail
