#include "server/json_body.h"

#include <cmath>
#include <iterator>
#include <optional>
#include <string>

namespace sladesk {
namespace {

using json = nlohmann::json;

// A forward iterator over the body that publishes how far the lexer has read,
// so SAX events (which carry no position) can say where they happened.
class CountingIterator {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  CountingIterator() = default;
  CountingIterator(const char* p, const char** cursor) : p_(p), cursor_(cursor) {}
  reference operator*() const { return *p_; }
  CountingIterator& operator++() {
    ++p_;
    if (cursor_) *cursor_ = p_;
    return *this;
  }
  CountingIterator operator++(int) {
    CountingIterator old = *this;
    ++*this;
    return old;
  }
  bool operator==(const CountingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const CountingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_ = nullptr;
  const char** cursor_ = nullptr;
};

// Builds the DOM through nlohmann's own builder, refusing what is over a
// limit before it is added. Returning false from an event stops the parse.
class LimitedSax {
 public:
  LimitedSax(json& out, const JsonBodyLimits& limits, const char* begin, const char** cursor)
      : dom_(out, /*allow_exceptions=*/false), limits_(limits), begin_(begin), cursor_(cursor) {}

  bool null() { return dom_.null(); }
  bool boolean(bool v) { return dom_.boolean(v); }
  bool number_integer(json::number_integer_t v) { return dom_.number_integer(v); }
  bool number_unsigned(json::number_unsigned_t v) { return dom_.number_unsigned(v); }
  bool number_float(json::number_float_t v, const json::string_t& text) {
    if (!std::isfinite(v)) {
      std::string shown = text.size() > 40 ? text.substr(0, 40) + "... (" + std::to_string(text.size()) + " characters)"
                                           : text;
      return Fail("number out of range at byte " + std::to_string(NumberOffset(text)) + ": " + shown);
    }
    return dom_.number_float(v, text);
  }
  bool string(json::string_t& v) { return CheckString(v) && dom_.string(v); }
  bool binary(json::binary_t& v) { return dom_.binary(v); }
  bool key(json::string_t& v) { return CheckString(v) && dom_.key(v); }
  bool start_object(std::size_t n) { return Open() && dom_.start_object(n); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t n) { return Open() && dom_.start_array(n); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t position, const std::string& last_token, const nlohmann::detail::exception& ex) {
    // ex.what() reads "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error while
    // parsing value - invalid literal; last read: '1x'"; keep the part after the position.
    // The parser reports a number that is not finite as out_of_range.406.
    if (ex.id == 406) return number_float(HUGE_VAL, last_token);
    std::string what = ex.what();
    auto colon = what.find(": ");
    std::string reason = colon == std::string::npos ? what : what.substr(colon + 2);
    std::size_t byte = position == 0 ? 0 : position - 1;  // nlohmann counts from 1
    if (!message_) message_ = "the body is not valid JSON: " + reason + " (at byte " + std::to_string(byte) + ")";
    return false;
  }

  const std::optional<std::string>& message() const { return message_; }

 private:
  std::size_t Offset(std::size_t back = 1) const {
    std::size_t read = static_cast<std::size_t>(*cursor_ - begin_);
    return read >= back ? read - back : 0;
  }
  // The lexer has read the number and, unless it ended the input, one
  // character past it.
  std::size_t NumberOffset(const json::string_t& text) const {
    std::size_t read = static_cast<std::size_t>(*cursor_ - begin_);
    if (read >= text.size() && std::string_view(begin_ + read - text.size(), text.size()) == text)
      return read - text.size();
    return read >= text.size() + 1 ? read - text.size() - 1 : 0;
  }
  bool Open() {
    if (++depth_ > limits_.max_depth)
      return Fail("the body is nested deeper than " + std::to_string(limits_.max_depth) + " levels (at byte " +
                  std::to_string(Offset()) + ")");
    return true;
  }
  bool CheckString(const json::string_t& v) {
    if (v.size() > limits_.max_string_bytes)
      return Fail("a string in the body is longer than " + std::to_string(limits_.max_string_bytes) +
                  " bytes (ending at byte " + std::to_string(Offset()) + ")");
    return true;
  }
  bool Fail(std::string message) {
    if (!message_) message_ = std::move(message);
    return false;
  }

  nlohmann::detail::json_sax_dom_parser<json> dom_;
  const JsonBodyLimits& limits_;
  const char* begin_;
  const char** cursor_;
  std::size_t depth_ = 0;
  std::optional<std::string> message_;
};

}  // namespace

Result<json> ParseJsonBody(std::string_view body, const JsonBodyLimits& limits) {
  json out;
  const char* begin = body.data();
  const char* cursor = begin;
  LimitedSax sax(out, limits, begin, &cursor);
  bool ok = false;
  try {
    ok = json::sax_parse(CountingIterator(begin, &cursor), CountingIterator(begin + body.size(), &cursor), &sax,
                         json::input_format_t::json, /*strict=*/true);
  } catch (const json::exception& e) {
    // Nothing below should throw with allow_exceptions off; if a future
    // version does, it is still bad input, not a crash.
    return MakeError("", std::string("the body is not valid JSON: ") + e.what());
  } catch (const std::exception& e) {
    return MakeError("", std::string("the body could not be read: ") + e.what());
  }
  if (sax.message()) return MakeError("", *sax.message());
  if (!ok) return MakeError("", "the body is not valid JSON");
  return out;
}

}  // namespace sladesk
