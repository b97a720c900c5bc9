// ExactDecimal: a decimal number exactly as a person wrote it (98, 97.5,
// 99.95), kept as units / 10^scale so that contract thresholds compare
// exactly against integer counts and seconds.
//
// Purpose: the availability target, the downtime rule's share and margin
// (CONTRACT §7, §8) decide `met` / `over` on exact ratios; a double 99.95 is
// 99.9500000000000028..., which gets a boundary case wrong. TOML hands the
// loader a double, so FromDouble() recovers the text the double came from:
// the shortest decimal that reads back as the same double (std::to_chars),
// which is the written text for anything of up to 15 significant digits.
// Thread-safety: a plain value type. Ownership: none.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sladesk {

struct ExactDecimal {
  static constexpr int kMaxScale = 9;             // at most 9 decimal places
  static constexpr std::int64_t kMaxUnits = 1'000'000'000'000'000;  // |units| < 10^15

  std::int64_t units = 0;  // 9995 for 99.95
  int scale = 0;           // 2 for 99.95

  // "98", "97.5", "-0.25", "1e2", "2.5E-3"; nullopt for anything else or
  // more than kMaxScale decimal places.
  static std::optional<ExactDecimal> Parse(std::string_view text);
  // The shortest decimal that reads back as `value` (nullopt for nan, inf,
  // or one needing more than kMaxScale places).
  static std::optional<ExactDecimal> FromDouble(double value);
  static ExactDecimal FromInteger(std::int64_t v) { return ExactDecimal{v, 0}; }

  // 10^scale.
  std::int64_t denominator() const;
  double ToDouble() const;
  // "99.95", "98", "-0.5": no exponent, no trailing zeros.
  std::string ToString() const;
  bool is_integer() const;

  // Exact comparison of a / b with this number (b > 0): -1, 0 or 1.
  int CompareRatio(std::int64_t a, std::int64_t b) const;

  friend bool operator==(const ExactDecimal& x, const ExactDecimal& y);
};

}  // namespace sladesk
