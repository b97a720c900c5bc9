#include "policy/exact_decimal.h"

#include <charconv>
#include <cstdlib>

namespace sladesk {
namespace {

std::int64_t Pow10(int n) {
  std::int64_t p = 1;
  for (int i = 0; i < n; ++i) p *= 10;
  return p;
}

// Drops trailing zero decimals: 97.50 -> 97.5.
ExactDecimal Normalize(ExactDecimal d) {
  while (d.scale > 0 && d.units % 10 == 0) {
    d.units /= 10;
    --d.scale;
  }
  if (d.units == 0) d.scale = 0;
  return d;
}

}  // namespace

std::optional<ExactDecimal> ExactDecimal::Parse(std::string_view text) {
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  // Digits with at most one '.', then an optional exponent.
  __int128 units = 0;
  int scale = 0;
  int digits = 0;
  bool dot = false;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.' && !dot) {
      dot = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    units = units * 10 + (c - '0');
    if (dot) ++scale;
    if (units >= kMaxUnits * 10) return std::nullopt;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  if (i < text.size()) {
    if (text[i] != 'e' && text[i] != 'E') return std::nullopt;
    int exponent = 0;
    std::string_view rest = text.substr(i + 1);
    if (!rest.empty() && rest[0] == '+') rest.remove_prefix(1);
    auto [end, ec] = std::from_chars(rest.data(), rest.data() + rest.size(), exponent);
    if (ec != std::errc() || end != rest.data() + rest.size() || rest.empty()) return std::nullopt;
    if (exponent < -40 || exponent > 40) return std::nullopt;
    scale -= exponent;
  }
  while (scale < 0) {
    units *= 10;
    ++scale;
    if (units >= kMaxUnits * 10) return std::nullopt;
  }
  while (scale > 0 && units % 10 == 0) {
    units /= 10;
    --scale;
  }
  if (scale > kMaxScale || units >= kMaxUnits) return std::nullopt;
  ExactDecimal d{static_cast<std::int64_t>(units) * (negative ? -1 : 1), scale};
  return Normalize(d);
}

std::optional<ExactDecimal> ExactDecimal::FromDouble(double value) {
  if (!(value == value) || value > 1e17 || value < -1e17) return std::nullopt;  // nan, huge
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
  if (ec != std::errc()) return std::nullopt;
  return Parse(std::string_view(buf, static_cast<size_t>(end - buf)));
}

std::int64_t ExactDecimal::denominator() const { return Pow10(scale); }

double ExactDecimal::ToDouble() const {
  // Through the text, so 99.95 gives the double nearest to 99.95.
  return std::strtod(ToString().c_str(), nullptr);
}

bool ExactDecimal::is_integer() const { return Normalize(*this).scale == 0; }

std::string ExactDecimal::ToString() const {
  const ExactDecimal d = Normalize(*this);
  std::string digits = std::to_string(d.units < 0 ? -d.units : d.units);
  if (d.scale > 0) {
    if (static_cast<int>(digits.size()) <= d.scale)
      digits.insert(0, static_cast<size_t>(d.scale + 1 - static_cast<int>(digits.size())), '0');
    digits.insert(digits.size() - static_cast<size_t>(d.scale), ".");
  }
  return (d.units < 0 ? "-" : "") + digits;
}

int ExactDecimal::CompareRatio(std::int64_t a, std::int64_t b) const {
  // a / b  vs  units / 10^scale   <=>   a * 10^scale  vs  units * b   (b > 0)
  const __int128 lhs = static_cast<__int128>(a) * denominator();
  const __int128 rhs = static_cast<__int128>(units) * b;
  return lhs < rhs ? -1 : lhs > rhs ? 1 : 0;
}

bool operator==(const ExactDecimal& x, const ExactDecimal& y) {
  const ExactDecimal a = Normalize(x), b = Normalize(y);
  return a.units == b.units && a.scale == b.scale;
}

}  // namespace sladesk
