// JsonWriter: writes JSON text straight into a string, for answers on the
// hot path (the agents' queue) where building an nlohmann::json tree first
// costs more than the rest of the request.
//
// Purpose: output identical in form to DumpJson (compact, UTF-8 kept as
// is, invalid UTF-8 replaced by U+FFFD, control characters escaped), with
// commas handled by the writer. Misuse (a value without a key inside an
// object) is the caller's bug; the writer does not check nesting.
// Thread-safety: one writer, one thread. Ownership: owns its buffer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/instant.h"

namespace sladesk {

class JsonWriter {
 public:
  JsonWriter& BeginObject() { return Open('{'); }
  JsonWriter& EndObject() { return Close('}'); }
  JsonWriter& BeginArray() { return Open('['); }
  JsonWriter& EndArray() { return Close(']'); }
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Time(Instant t) { return String(FormatInstant(t)); }
  JsonWriter& OptTime(const std::optional<Instant>& t) { return t ? Time(*t) : Null(); }
  JsonWriter& OptInt(const std::optional<std::int64_t>& v) { return v ? Int(*v) : Null(); }
  JsonWriter& OptString(const std::optional<std::string>& v) { return v ? String(*v) : Null(); }
  // A whole JSON value already written (e.g. by DumpJson).
  JsonWriter& Raw(std::string_view json);

  std::string Take() { return std::move(out_); }
  void Reserve(std::size_t n) { out_.reserve(n); }

 private:
  JsonWriter& Open(char c);
  JsonWriter& Close(char c);
  void Separate();

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace sladesk
