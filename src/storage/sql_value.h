// SqlValue / SqlRow: the values that cross the SQL boundary, independent of
// the backend (SQLite or PostgreSQL).
//
// Purpose: lets the repository write its SQL once; each SqlConnection binds
// these parameters and returns rows of them.
// Thread-safety: plain value types. Ownership: values own their bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sladesk {

// Binary data (attachments); kept apart from text so backends bind it as a BLOB/bytea.
struct SqlBlob {
  std::string bytes;
};

using SqlValue = std::variant<std::monostate, std::int64_t, double, std::string, SqlBlob>;

inline SqlValue SqlNull() { return SqlValue{std::monostate{}}; }
inline SqlValue SqlOpt(const std::optional<std::int64_t>& v) {
  return v ? SqlValue{*v} : SqlNull();
}
inline SqlValue SqlOptText(const std::optional<std::string>& v) {
  return v ? SqlValue{*v} : SqlNull();
}

class SqlRow {
 public:
  explicit SqlRow(std::vector<SqlValue> values) : values_(std::move(values)) {}
  size_t size() const { return values_.size(); }
  bool IsNull(size_t i) const { return std::holds_alternative<std::monostate>(values_.at(i)); }
  std::int64_t Int(size_t i) const {
    const auto& v = values_.at(i);
    if (auto p = std::get_if<std::int64_t>(&v)) return *p;
    if (auto d = std::get_if<double>(&v)) return static_cast<std::int64_t>(*d);
    if (auto s = std::get_if<std::string>(&v)) return std::stoll(*s);
    return 0;
  }
  std::optional<std::int64_t> OptInt(size_t i) const {
    return IsNull(i) ? std::nullopt : std::optional<std::int64_t>(Int(i));
  }
  double Real(size_t i) const {
    const auto& v = values_.at(i);
    if (auto d = std::get_if<double>(&v)) return *d;
    if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
    if (auto s = std::get_if<std::string>(&v)) return std::stod(*s);
    return 0;
  }
  std::string Text(size_t i) const {
    const auto& v = values_.at(i);
    if (auto s = std::get_if<std::string>(&v)) return *s;
    if (auto b = std::get_if<SqlBlob>(&v)) return b->bytes;
    if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
    return std::string();
  }
  std::optional<std::string> OptText(size_t i) const {
    return IsNull(i) ? std::nullopt : std::optional<std::string>(Text(i));
  }
  // The text of column i without a copy (empty unless it is text or a blob);
  // valid while the row is.
  std::string_view TextView(size_t i) const {
    const auto& v = values_.at(i);
    if (auto s = std::get_if<std::string>(&v)) return *s;
    if (auto b = std::get_if<SqlBlob>(&v)) return b->bytes;
    return std::string_view();
  }
  // For a backend that refills one row per step (SqlConnection::QueryEach),
  // keeping the strings' capacity.
  std::vector<SqlValue>& mutable_values() { return values_; }

 private:
  std::vector<SqlValue> values_;
};

using SqlRows = std::vector<SqlRow>;

}  // namespace sladesk
