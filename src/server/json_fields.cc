#include "server/json_fields.h"

#include <cmath>

namespace sladesk {

JsonFields::JsonFields(const nlohmann::json& object, std::initializer_list<const char*> allowed) : obj_(object) {
  if (!obj_.is_object()) {
    Fail(Invalid("", "the request body must be a JSON object"));
    return;
  }
  for (auto it = obj_.begin(); it != obj_.end(); ++it) {
    bool known = false;
    for (const char* a : allowed) known = known || it.key() == a;
    if (!known) {
      std::string list;
      for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      Fail(Invalid(it.key(), "unknown field '" + it.key() + "'; allowed: " + list));
      return;
    }
  }
}

std::string JsonFields::RequiredString(const char* name, std::size_t max_len) {
  if (error_) return {};
  if (!obj_.contains(name) || obj_.at(name).is_null()) {
    Fail(Invalid(name, std::string("'") + name + "' is required"));
    return {};
  }
  auto v = OptString(name, max_len, false);
  return v.value_or("");
}

std::optional<std::string> JsonFields::OptString(const char* name, std::size_t max_len, bool allow_empty) {
  if (error_ || !obj_.contains(name) || obj_.at(name).is_null()) return std::nullopt;
  const auto& v = obj_.at(name);
  if (!v.is_string()) {
    Fail(Invalid(name, std::string("'") + name + "' must be a string, not " + v.type_name()));
    return std::nullopt;
  }
  std::string s = v.get<std::string>();
  if (!allow_empty && s.find_first_not_of(" \t\r\n") == std::string::npos) {
    Fail(Invalid(name, std::string("'") + name + "' must not be empty"));
    return std::nullopt;
  }
  if (s.size() > max_len) {
    Fail(Invalid(name, std::string("'") + name + "' is longer than " + std::to_string(max_len) + " bytes"));
    return std::nullopt;
  }
  return s;
}

std::optional<std::int64_t> JsonFields::OptInt(const char* name, std::int64_t min, std::int64_t max) {
  if (error_ || !obj_.contains(name) || obj_.at(name).is_null()) return std::nullopt;
  const auto& v = obj_.at(name);
  if (!v.is_number_integer()) {
    Fail(Invalid(name, std::string("'") + name + "' must be an integer, not " + v.type_name()));
    return std::nullopt;
  }
  // Unsigned values beyond int64 are out of range too.
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
    Fail(Invalid(name, std::string("'") + name + "' is out of range"));
    return std::nullopt;
  }
  std::int64_t x = v.get<std::int64_t>();
  if (x < min || x > max) {
    Fail(Invalid(name, std::string("'") + name + "' must be between " + std::to_string(min) + " and " +
                           std::to_string(max)));
    return std::nullopt;
  }
  return x;
}

std::optional<double> JsonFields::OptNumber(const char* name, double min, double max) {
  if (error_ || !obj_.contains(name) || obj_.at(name).is_null()) return std::nullopt;
  const auto& v = obj_.at(name);
  if (!v.is_number()) {
    Fail(Invalid(name, std::string("'") + name + "' must be a number, not " + v.type_name()));
    return std::nullopt;
  }
  double x = v.get<double>();
  if (!std::isfinite(x) || x < min || x > max) {
    Fail(Invalid(name, std::string("'") + name + "' is out of range"));
    return std::nullopt;
  }
  return x;
}

std::optional<bool> JsonFields::OptBool(const char* name) {
  if (error_ || !obj_.contains(name) || obj_.at(name).is_null()) return std::nullopt;
  const auto& v = obj_.at(name);
  if (!v.is_boolean()) {
    Fail(Invalid(name, std::string("'") + name + "' must be true or false, not " + v.type_name()));
    return std::nullopt;
  }
  return v.get<bool>();
}

std::optional<std::map<std::string, std::string>> JsonFields::OptStringMap(const char* name, std::size_t max_len) {
  if (error_ || !obj_.contains(name) || obj_.at(name).is_null()) return std::nullopt;
  const auto& v = obj_.at(name);
  if (!v.is_object()) {
    Fail(Invalid(name, std::string("'") + name + "' must be an object of strings, not " + v.type_name()));
    return std::nullopt;
  }
  std::map<std::string, std::string> out;
  for (auto it = v.begin(); it != v.end(); ++it) {
    const std::string field = std::string(name) + "." + it.key();
    if (!it->is_string()) {
      Fail(Invalid(field, "'" + field + "' must be a string, not " + it->type_name()));
      return std::nullopt;
    }
    if (it->get_ref<const std::string&>().size() > max_len) {
      Fail(Invalid(field, "'" + field + "' is longer than " + std::to_string(max_len) + " bytes"));
      return std::nullopt;
    }
    out[it.key()] = it->get<std::string>();
  }
  return out;
}

}  // namespace sladesk
