// TomlFieldReader: typed, position-aware access to a parsed TOML document
// that collects every problem as an Error with file:line:col.
//
// Purpose: the policy and calendar readers ask it for "the string at key x
// of this table" and get nullopt plus a recorded error when the key is
// missing or of the wrong type, so one pass reports every mistake. It also
// reports keys a table does not allow (typos), with a "did you mean" hint.
// Thread-safety: single-threaded use; one instance per document read.
// Ownership: does not own the TOML nodes it reads; owns the errors.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <toml++/toml.h>

#include "common/error.h"
#include "policy/exact_decimal.h"
#include "common/result.h"

namespace sladesk {

// "a.b" from ("a", "b"); just "b" when the prefix is empty.
std::string JoinPath(std::string_view prefix, std::string_view key);

class TomlFieldReader {
 public:
  explicit TomlFieldReader(std::string file) : file_(std::move(file)) {}

  void Fail(const toml::source_region& where, std::string field, std::string message);
  void Fail(const toml::node& at, std::string field, std::string message) {
    Fail(at.source(), std::move(field), std::move(message));
  }

  // Records an error for each key of `table` that is not in `allowed`.
  void CheckKeys(const toml::table& table, std::string_view path,
                 std::initializer_list<std::string_view> allowed);
  // The position of key `key` in `table` (the key itself), or the table's.
  toml::source_region KeySource(const toml::table& table, std::string_view key) const;

  // Each getter returns nullopt/nullptr when the key is absent (an error if
  // `required`) or has the wrong type (always an error).
  std::optional<std::string> String(const toml::table& t, std::string_view key,
                                    std::string_view path, bool required = false);
  std::optional<std::int64_t> Integer(const toml::table& t, std::string_view key,
                                      std::string_view path, std::int64_t min, std::int64_t max,
                                      bool required = false);
  // An integer or a float.
  std::optional<double> Number(const toml::table& t, std::string_view key, std::string_view path,
                               double min, double max, bool required = false);
  // A number kept exactly as written (see exact_decimal.h); an error when it
  // needs more than ExactDecimal::kMaxScale decimal places.
  std::optional<ExactDecimal> Decimal(const toml::table& t, std::string_view key, std::string_view path,
                                      double min, double max, bool required = false);
  std::optional<bool> Bool(const toml::table& t, std::string_view key, std::string_view path,
                           bool required = false);
  const toml::table* Table(const toml::table& t, std::string_view key, std::string_view path,
                           bool required = false);
  const toml::array* Array(const toml::table& t, std::string_view key, std::string_view path,
                           bool required = false);
  // An array of strings; an error for each element that is not one.
  std::vector<std::string> StringList(const toml::table& t, std::string_view key,
                                      std::string_view path, bool required = false);
  // Warning thresholds: whole percents 1..99, strictly rising.
  std::optional<std::vector<int>> Percents(const toml::table& t, std::string_view key,
                                           std::string_view path);

  const std::string& file() const { return file_; }
  std::vector<Error>& errors() { return errors_; }
  size_t error_count() const { return errors_.size(); }

 private:
  const toml::node* Get(const toml::table& t, std::string_view key, std::string_view path,
                        bool required);
  void WrongType(const toml::node& n, std::string_view path, std::string_view expected);

  std::string file_;
  std::vector<Error> errors_;
};

// The closest of `candidates` to `word` when it looks like a typo of it.
std::optional<std::string> DidYouMean(std::string_view word,
                                      const std::vector<std::string>& candidates);
// "a, b, c" for messages.
std::string ListWords(const std::vector<std::string>& words);

}  // namespace sladesk
