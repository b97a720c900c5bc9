#include "policy/duration_text.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <vector>

namespace sladesk {
namespace {

constexpr std::string_view kExamples =
    "write e.g. '8 business hours', '30 minutes', '3 business days', "
    "'1 - 2 business days' or 'best effort'";

// Lower-cases ASCII and turns en/em dashes into '-', so "1 – 2" == "1 - 2".
std::string Normalize(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    // U+2013 and U+2014 are E2 80 93 / E2 80 94 in UTF-8.
    if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        (static_cast<unsigned char>(text[i + 2]) == 0x93 ||
         static_cast<unsigned char>(text[i + 2]) == 0x94)) {
      out += '-';
      i += 2;
      continue;
    }
    out += static_cast<char>(std::tolower(c));
  }
  return out;
}

struct Token {
  enum Kind { kNumber, kWord, kDash, kOther } kind;
  std::string text;
};

std::vector<Token> Tokenize(const std::string& s) {
  std::vector<Token> tokens;
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
      ++i;
    } else if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      tokens.push_back({Token::kNumber, s.substr(i, j - i)});
      i = j;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
      tokens.push_back({Token::kWord, s.substr(i, j - i)});
      i = j;
    } else if (c == '-') {
      tokens.push_back({Token::kDash, "-"});
      ++i;
    } else {
      // Keep a whole UTF-8 sequence together so the message shows it intact.
      size_t j = i + 1;
      while (j < s.size() && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
      tokens.push_back({Token::kOther, s.substr(i, j - i)});
      i = j;
    }
  }
  return tokens;
}

bool IsNoTargetPhrase(const std::string& normalized) {
  std::string collapsed;
  for (char c : normalized) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!collapsed.empty() && collapsed.back() != ' ') collapsed += ' ';
    } else {
      collapsed += c;
    }
  }
  while (!collapsed.empty() && collapsed.back() == ' ') collapsed.pop_back();
  static constexpr std::array<std::string_view, 10> kPhrases = {
      "best effort", "best-effort", "by mutual agreement", "mutual agreement", "none",
      "no target", "not stated", "-", "--", "n/a"};
  for (auto p : kPhrases)
    if (collapsed == p) return true;
  return false;
}

std::optional<double> ToNumber(const std::string& s) {
  if (s.empty() || s == "." || s.find('.') != s.rfind('.')) return std::nullopt;
  // strtod, not stod: a 400-digit number must be an error, not an exception.
  return std::strtod(s.c_str(), nullptr);
}

std::optional<DurationUnit> UnitWord(const std::string& w) {
  static constexpr std::array<std::string_view, 5> kMinutes = {"minute", "minutes", "min", "mins", "m"};
  static constexpr std::array<std::string_view, 5> kHours = {"hour", "hours", "hr", "hrs", "h"};
  static constexpr std::array<std::string_view, 3> kDays = {"day", "days", "d"};
  for (auto u : kMinutes) if (w == u) return DurationUnit::kMinute;
  for (auto u : kHours) if (w == u) return DurationUnit::kHour;
  for (auto u : kDays) if (w == u) return DurationUnit::kBusinessDay;
  return std::nullopt;
}

bool IsQualifier(const std::string& w) {
  return w == "business" || w == "support" || w == "working";
}

Error Bad(std::string_view field, std::string_view text, std::string why) {
  return MakeError(std::string(field),
                   "'" + std::string(text) + "': " + why + "; " + std::string(kExamples));
}

}  // namespace

Result<DurationText> ParseDurationText(std::string_view text, std::string_view field) {
  const std::string norm = Normalize(text);
  DurationText out;
  if (IsNoTargetPhrase(norm)) {
    out.no_target = true;
    return out;
  }
  const std::vector<Token> t = Tokenize(norm);
  if (t.empty()) return Bad(field, text, "empty duration");
  size_t i = 0;
  // Leading words that do not change the meaning of a limit.
  if (t[i].kind == Token::kWord && (t[i].text == "within" || t[i].text == "under")) ++i;
  else if (i + 1 < t.size() && t[i].text == "up" && t[i + 1].text == "to") i += 2;
  if (i >= t.size() || t[i].kind != Token::kNumber) {
    if (i < t.size() && t[i].kind == Token::kWord)
      return Bad(field, text, "unknown word '" + t[i].text + "' where a number was expected");
    return Bad(field, text, "expected a number");
  }
  auto first = ToNumber(t[i].text);
  if (!first) return Bad(field, text, "'" + t[i].text + "' is not a number");
  ++i;
  std::optional<double> second;
  if (i < t.size() && (t[i].kind == Token::kDash || t[i].text == "to")) {
    ++i;
    if (i >= t.size() || t[i].kind != Token::kNumber)
      return Bad(field, text, "a range needs a number after '-'");
    second = ToNumber(t[i].text);
    if (!second) return Bad(field, text, "'" + t[i].text + "' is not a number");
    ++i;
  }
  if (i < t.size() && t[i].kind == Token::kWord && IsQualifier(t[i].text)) ++i;
  if (i >= t.size()) return Bad(field, text, "missing unit (minutes, hours or business days)");
  auto unit = t[i].kind == Token::kWord ? UnitWord(t[i].text) : std::nullopt;
  if (!unit) return Bad(field, text, "unknown word '" + t[i].text + "'");
  ++i;
  if (i < t.size()) return Bad(field, text, "unexpected '" + t[i].text + "' after the unit");
  out.unit = *unit;
  if (second) {
    out.goal = *first;
    out.amount = *second;
  } else {
    out.amount = *first;
  }
  if (out.amount <= 0) return Bad(field, text, "a target must be longer than zero");
  if (out.goal && *out.goal <= 0) return Bad(field, text, "a range must start above zero");
  if (out.goal && *out.goal > out.amount)
    return Bad(field, text, "the goal (lower bound) is above the limit (upper bound)");
  return out;
}

Result<Seconds> DurationSeconds(double amount, DurationUnit unit,
                                std::optional<Seconds> business_day_seconds,
                                std::string_view calendar_id, std::string_view field) {
  double seconds = 0;
  switch (unit) {
    case DurationUnit::kMinute: seconds = amount * 60; break;
    case DurationUnit::kHour: seconds = amount * 3600; break;
    case DurationUnit::kBusinessDay:
      if (!business_day_seconds)
        return MakeError(std::string(field),
                         "a target in business days needs hours_per_business_day on calendar '" +
                             std::string(calendar_id) + "'");
      seconds = amount * static_cast<double>(*business_day_seconds);
      break;
  }
  // Far beyond any support contract; keeps the arithmetic in range.
  if (seconds > 1e10) return MakeError(std::string(field), "duration is too long");
  return static_cast<Seconds>(std::llround(seconds));
}

Result<Period> ParsePeriodText(std::string_view text, std::string_view field) {
  const std::vector<Token> t = Tokenize(Normalize(text));
  auto bad = [&](std::string why) {
    return MakeError(std::string(field), "'" + std::string(text) + "': " + why +
                                             "; write e.g. '12 months', '1 year' or '30 days'");
  };
  if (t.size() != 2 || t[0].kind != Token::kNumber || t[1].kind != Token::kWord)
    return bad("expected a whole number and a unit");
  if (t[0].text.find('.') != std::string::npos) return bad("expected a whole number");
  if (t[0].text.size() > 6) return bad("period is too long");
  const int n = std::stoi(t[0].text);
  if (n <= 0) return bad("a period must be longer than zero");
  Period p;
  p.text = std::string(text);
  const std::string& u = t[1].text;
  if (u == "month" || u == "months") p.months = n;
  else if (u == "year" || u == "years") p.months = 12 * n;
  else if (u == "week" || u == "weeks") p.days = 7 * n;
  else if (u == "day" || u == "days") p.days = n;
  else return bad("unknown unit '" + u + "'");
  return p;
}

}  // namespace sladesk
