#include "mail/mbox_reader.h"

namespace sladesk::mail {
namespace {

std::string_view WithoutLineEnd(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

bool IsEmptyLine(std::string_view line) { return WithoutLineEnd(line).empty(); }

}  // namespace

bool IsFromLine(std::string_view line) {
  line = WithoutLineEnd(line);
  return line.size() > 5 && line.compare(0, 5, "From ") == 0 && line[5] != ' ';
}

Result<std::unique_ptr<MboxReader>> MboxReader::Open(const std::string& path, MboxFormat format) {
  auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*file) return MakeError("--mbox", "cannot read '" + path + "'");
  auto reader = std::make_unique<MboxReader>(*file, format);
  reader->owned_ = std::move(file);
  return reader;
}

MboxReader::MboxReader(std::istream& in, MboxFormat format) : in_(&in), format_(format) {}

bool MboxReader::ReadLine(std::string& line) {
  line.clear();
  if (!std::getline(*in_, line)) return !line.empty();
  if (!in_->eof()) line += '\n';
  return true;
}

Result<bool> MboxReader::Next(MboxMessage& out) {
  std::string line;
  if (!started_) {
    started_ = true;
    // Skip leading empty lines; then the first line must be a From_ line.
    while (ReadLine(line)) {
      if (IsEmptyLine(line)) {
        offset_ += line.size();
        continue;
      }
      if (!IsFromLine(line)) return MakeError("--mbox", "not an mbox file: it does not start with a \"From \" line");
      pending_ = line;
      have_pending_ = true;
      pending_offset_ = offset_;
      offset_ += line.size();
      break;
    }
  }
  if (!have_pending_) return false;
  out.envelope = std::string(WithoutLineEnd(pending_).substr(5));
  out.offset = pending_offset_;
  out.index = index_++;
  out.bytes.clear();
  have_pending_ = false;
  bool previous_empty = false;
  std::size_t held_empty = 0;  // bytes of an empty line held back (it may precede a From_ line)
  while (ReadLine(line)) {
    const std::uint64_t line_offset = offset_;
    offset_ += line.size();
    if (previous_empty && IsFromLine(line)) {
      out.bytes.resize(out.bytes.size() - held_empty);  // the separator's empty line
      pending_ = line;
      have_pending_ = true;
      pending_offset_ = line_offset;
      return true;
    }
    // Unescape quoted From_ lines.
    std::size_t gts = 0;
    while (gts < line.size() && line[gts] == '>') ++gts;
    const bool quoted_from = gts > 0 && line.compare(gts, 5, "From ") == 0;
    if (quoted_from && (format_ == MboxFormat::kMboxrd || gts == 1)) line.erase(0, 1);
    out.bytes += line;
    previous_empty = IsEmptyLine(line);
    held_empty = previous_empty ? line.size() : 0;
  }
  // End of file: a final empty line belongs to the format as well.
  if (previous_empty) out.bytes.resize(out.bytes.size() - held_empty);
  pending_.clear();
  pending_.shrink_to_fit();
  return true;
}

}  // namespace sladesk::mail
