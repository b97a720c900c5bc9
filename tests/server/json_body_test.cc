// ParseJsonBody: every nasty body in tests/server/data/json_body_cases.tsv
// gives its error (or parses), and very deep or very large inputs are
// refused without building the tree.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "server/json_body.h"

namespace sladesk {
namespace {

struct Case {
  std::string file;
  std::string expected;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<Case> LoadCases() {
  std::vector<Case> out;
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/server/data/json_body_cases.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    auto tab = line.find('\t');
    out.push_back({line.substr(0, tab), line.substr(tab + 1)});
  }
  return out;
}

TEST(JsonBody, TableOfNastyBodies) {
  auto cases = LoadCases();
  ASSERT_GE(cases.size(), 20u);
  for (const auto& c : cases) {
    std::string body = ReadFile(std::string(SLADESK_SOURCE_DIR) + "/tests/server/data/json_bodies/" + c.file);
    auto r = ParseJsonBody(body);
    if (c.expected == "ok") {
      EXPECT_TRUE(r.ok()) << c.file << ": " << (r.ok() ? "" : r.error().message);
    } else {
      ASSERT_FALSE(r.ok()) << c.file << " parsed, expected: " << c.expected;
      EXPECT_NE(r.error().message.find(c.expected), std::string::npos)
          << c.file << ": got '" << r.error().message << "', expected it to contain '" << c.expected << "'";
    }
  }
}

TEST(JsonBody, DeepNestingIsRefusedAtTheLimit) {
  // The defect's body: 200,000 levels in a 400 KB request.
  std::string deep = "{\"subject\":" + std::string(200000, '[') + std::string(200000, ']') + "}";
  auto r = ParseJsonBody(deep);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("deeper than 64 levels (at byte 74)"), std::string::npos) << r.error().message;
  // Unterminated too: it stops at the limit, not at the end.
  auto open_only = ParseJsonBody(std::string(1000000, '['));
  ASSERT_FALSE(open_only.ok());
  EXPECT_NE(open_only.error().message.find("(at byte 64)"), std::string::npos) << open_only.error().message;
}

TEST(JsonBody, LimitsAreConfigurable) {
  JsonBodyLimits limits;
  limits.max_depth = 2;
  EXPECT_TRUE(ParseJsonBody(R"({"a":[1]})", limits).ok());
  EXPECT_FALSE(ParseJsonBody(R"({"a":[[1]]})", limits).ok());
  limits.max_string_bytes = 3;
  auto r = ParseJsonBody(R"({"a":"abcd"})", limits);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("longer than 3 bytes"), std::string::npos) << r.error().message;
}

TEST(JsonBody, ParsesWhatItShould) {
  auto r = ParseJsonBody(R"({"subject":"x","n":[1,-2,3.5,true,null,{"k":"v"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["subject"], "x");
  EXPECT_EQ((*r)["n"][2], 3.5);
  EXPECT_EQ((*r)["n"][5]["k"], "v");
  // Duplicate keys: the last one wins, as nlohmann::json::parse does.
  EXPECT_EQ((*ParseJsonBody(R"({"a":1,"a":2})"))["a"], 2);
  // The huge-but-finite integer becomes a double rather than an error.
  EXPECT_TRUE((*ParseJsonBody(R"({"a":18446744073709551616})"))["a"].is_number_float());
}

TEST(JsonBody, ErrorOffsetsPointAtTheFault) {
  auto r = ParseJsonBody(R"({"a":1,})");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("at byte 7"), std::string::npos) << r.error().message;
}

}  // namespace
}  // namespace sladesk
