#include "policy/toml_field_reader.h"

#include <algorithm>

namespace sladesk {

std::string JoinPath(std::string_view prefix, std::string_view key) {
  if (prefix.empty()) return std::string(key);
  std::string out(prefix);
  out += '.';
  out += key;
  return out;
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string_view TypeName(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "true/false";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date/time";
  }
}

}  // namespace

std::optional<std::string> DidYouMean(std::string_view word,
                                      const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string ListWords(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ", ";
    out += w;
  }
  return out;
}

void TomlFieldReader::Fail(const toml::source_region& where, std::string field,
                           std::string message) {
  Error e = MakeError(std::move(field), std::move(message));
  e.file = file_;
  e.line = where.begin.line > 0 ? static_cast<int>(where.begin.line) : 1;
  e.column = where.begin.column > 0 ? static_cast<int>(where.begin.column) : 1;
  errors_.push_back(std::move(e));
}

void TomlFieldReader::CheckKeys(const toml::table& table, std::string_view path,
                                std::initializer_list<std::string_view> allowed) {
  std::vector<std::string> names(allowed.begin(), allowed.end());
  for (auto&& [key, node] : table) {
    if (std::find(names.begin(), names.end(), key.str()) != names.end()) continue;
    std::string msg = "unknown key '" + std::string(key.str()) + "'";
    if (auto hint = DidYouMean(key.str(), names)) msg += "; did you mean '" + *hint + "'?";
    else msg += "; expected one of: " + ListWords(names);
    Fail(key.source(), JoinPath(path, key.str()), msg);
  }
}

toml::source_region TomlFieldReader::KeySource(const toml::table& table,
                                               std::string_view key) const {
  for (auto&& [k, node] : table)
    if (k.str() == key) return k.source();
  return table.source();
}

const toml::node* TomlFieldReader::Get(const toml::table& t, std::string_view key,
                                       std::string_view path, bool required) {
  const toml::node* n = t.get(key);
  if (!n && required) Fail(t.source(), JoinPath(path, key), "missing required key '" + std::string(key) + "'");
  return n;
}

void TomlFieldReader::WrongType(const toml::node& n, std::string_view path,
                                std::string_view expected) {
  Fail(n, std::string(path),
       "expected " + std::string(expected) + ", found " + std::string(TypeName(n)));
}

std::optional<std::string> TomlFieldReader::String(const toml::table& t, std::string_view key,
                                                   std::string_view path, bool required) {
  const toml::node* n = Get(t, key, path, required);
  if (!n) return std::nullopt;
  if (!n->is_string()) {
    WrongType(*n, JoinPath(path, key), "a string");
    return std::nullopt;
  }
  return n->as_string()->get();
}

std::optional<std::int64_t> TomlFieldReader::Integer(const toml::table& t, std::string_view key,
                                                     std::string_view path, std::int64_t min,
                                                     std::int64_t max, bool required) {
  const toml::node* n = Get(t, key, path, required);
  if (!n) return std::nullopt;
  if (!n->is_integer()) {
    WrongType(*n, JoinPath(path, key), "an integer");
    return std::nullopt;
  }
  std::int64_t v = n->as_integer()->get();
  if (v < min || v > max) {
    Fail(*n, JoinPath(path, key),
         std::to_string(v) + " is out of range " + std::to_string(min) + ".." + std::to_string(max));
    return std::nullopt;
  }
  return v;
}

std::optional<double> TomlFieldReader::Number(const toml::table& t, std::string_view key,
                                              std::string_view path, double min, double max,
                                              bool required) {
  const toml::node* n = Get(t, key, path, required);
  if (!n) return std::nullopt;
  double v = 0;
  if (n->is_integer()) v = static_cast<double>(n->as_integer()->get());
  else if (n->is_floating_point()) v = n->as_floating_point()->get();
  else {
    WrongType(*n, JoinPath(path, key), "a number");
    return std::nullopt;
  }
  if (!(v >= min && v <= max)) {  // also rejects nan
    auto fmt = [](double d) {
      std::string s = std::to_string(d);
      s.erase(s.find_last_not_of('0') + 1);
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s;
    };
    Fail(*n, JoinPath(path, key), fmt(v) + " is out of range " + fmt(min) + ".." + fmt(max));
    return std::nullopt;
  }
  return v;
}

std::optional<ExactDecimal> TomlFieldReader::Decimal(const toml::table& t, std::string_view key,
                                                     std::string_view path, double min, double max,
                                                     bool required) {
  auto v = Number(t, key, path, min, max, required);
  if (!v) return std::nullopt;
  const toml::node* n = t.get(key);
  std::optional<ExactDecimal> d = n->is_integer() ? ExactDecimal::FromInteger(n->as_integer()->get())
                                                  : ExactDecimal::FromDouble(*v);
  if (!d) {
    Fail(*n, JoinPath(path, key),
         "at most " + std::to_string(ExactDecimal::kMaxScale) + " decimal places are kept exactly");
    return std::nullopt;
  }
  return d;
}

std::optional<bool> TomlFieldReader::Bool(const toml::table& t, std::string_view key,
                                          std::string_view path, bool required) {
  const toml::node* n = Get(t, key, path, required);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) {
    WrongType(*n, JoinPath(path, key), "true or false");
    return std::nullopt;
  }
  return n->as_boolean()->get();
}

const toml::table* TomlFieldReader::Table(const toml::table& t, std::string_view key,
                                          std::string_view path, bool required) {
  const toml::node* n = Get(t, key, path, required);
  if (!n) return nullptr;
  if (!n->is_table()) {
    WrongType(*n, JoinPath(path, key), "a table");
    return nullptr;
  }
  return n->as_table();
}

const toml::array* TomlFieldReader::Array(const toml::table& t, std::string_view key,
                                          std::string_view path, bool required) {
  const toml::node* n = Get(t, key, path, required);
  if (!n) return nullptr;
  if (!n->is_array()) {
    WrongType(*n, JoinPath(path, key), "an array");
    return nullptr;
  }
  return n->as_array();
}

std::vector<std::string> TomlFieldReader::StringList(const toml::table& t, std::string_view key,
                                                     std::string_view path, bool required) {
  std::vector<std::string> out;
  const toml::array* a = Array(t, key, path, required);
  if (!a) return out;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& n = *a->get(i);
    if (!n.is_string()) {
      WrongType(n, JoinPath(path, key) + "[" + std::to_string(i) + "]", "a string");
      continue;
    }
    out.push_back(n.as_string()->get());
  }
  return out;
}

std::optional<std::vector<int>> TomlFieldReader::Percents(const toml::table& t,
                                                          std::string_view key,
                                                          std::string_view path) {
  const toml::array* a = Array(t, key, path, false);
  if (!a) return std::nullopt;
  std::vector<int> out;
  bool ok = true;
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& n = *a->get(i);
    std::string field = JoinPath(path, key) + "[" + std::to_string(i) + "]";
    if (!n.is_integer()) {
      WrongType(n, field, "a whole percent");
      ok = false;
      continue;
    }
    std::int64_t v = n.as_integer()->get();
    if (v < 1 || v > 99) {
      Fail(n, field, "a warning threshold must be 1..99 percent of the target, not " + std::to_string(v));
      ok = false;
      continue;
    }
    if (!out.empty() && v <= out.back()) {
      Fail(n, field, "warning thresholds must rise: " + std::to_string(v) + " after " +
                         std::to_string(out.back()));
      ok = false;
      continue;
    }
    out.push_back(static_cast<int>(v));
  }
  if (!ok) return std::nullopt;
  return out;
}

}  // namespace sladesk
