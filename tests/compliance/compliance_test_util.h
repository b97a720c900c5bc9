// Helpers for the compliance tests: policies and JSON data files from the
// source tree, loaded once.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>

#include "policy/policy_loader.h"

namespace sladesk::testing {

// A file under the source tree ("policies/x.toml", "tests/compliance/data/...").
inline std::string ReadSourceFile(const std::string& relative) {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/" + relative, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + relative);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline nlohmann::json ReadJsonFile(const std::string& relative) {
  return nlohmann::json::parse(ReadSourceFile(relative));
}

// A policy file of the source tree, parsed once per process.
inline std::shared_ptr<const Policy> SourcePolicy(const std::string& relative) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const Policy>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(relative); it != cache.end()) return it->second;
  auto p = ParsePolicy(ReadSourceFile(relative), relative);
  if (!p.ok()) throw std::runtime_error(p.error().ToString());
  cache[relative] = *p;
  return *p;
}

inline Instant At(const std::string& text) {
  auto t = ParseInstant(text, "test");
  if (!t.ok()) throw std::runtime_error(t.error().ToString());
  return *t;
}

// A named JSON case for parameterised tests.
struct JsonCase {
  std::string name;
  nlohmann::json data;
};
inline void PrintTo(const JsonCase& c, std::ostream* os) { *os << c.name; }

inline std::vector<JsonCase> LoadJsonCases(const std::string& relative) {
  std::vector<JsonCase> out;
  for (const auto& c : ReadJsonFile(relative)) out.push_back({c.at("name").get<std::string>(), c});
  return out;
}

inline std::string JsonCaseName(const ::testing::TestParamInfo<JsonCase>& info) { return info.param.name; }

}  // namespace sladesk::testing
