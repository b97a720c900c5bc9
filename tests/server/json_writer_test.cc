// JsonWriter writes what DumpJson (nlohmann, replacing invalid UTF-8)
// writes, on hand-picked corners and on random strings.
#include "server/json_writer.h"

#include <gtest/gtest.h>

#include <random>

#include "server/json_views.h"

namespace sladesk {
namespace {

std::string Both(const std::string& s, std::string* expected) {
  *expected = DumpJson(nlohmann::json{{"k", s}, {"n", -42}, {"b", true}, {"z", nullptr}});
  JsonWriter w;
  w.BeginObject().Key("b").Bool(true).Key("k").String(s).Key("n").Int(-42).Key("z").Null().EndObject();
  return w.Take();
}

TEST(JsonWriterTest, WritesWhatDumpJsonWritesForEveryKindOfCharacter) {
  const std::string corners[] = {"", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab\b\f",
                                 std::string("nul \0 and \x1f", 11), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
                                 "bad \xff byte", "truncated \xe2\x82", "overlong \xc0\xaf", "surrogate \xed\xa0\x80",
                                 "del \x7f ok"};
  for (const auto& s : corners) {
    std::string expected;
    EXPECT_EQ(Both(s, &expected), expected) << s;
  }
  std::mt19937 rng(20261202);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 24, '\0');
    for (auto& c : s) c = static_cast<char>(rng() % 256);
    std::string expected;
    ASSERT_EQ(Both(s, &expected), expected) << "case " << i;
  }
}

TEST(JsonWriterTest, NestsArraysAndObjectsWithCommas) {
  JsonWriter w;
  w.BeginObject().Key("a").BeginArray().Int(1).BeginObject().Key("x").String("y").EndObject().BeginArray().EndArray();
  w.EndArray().Key("t").Time(FromEpoch(1772442000)).Key("o").OptInt(std::nullopt).EndObject();
  EXPECT_EQ(w.Take(), R"({"a":[1,{"x":"y"},[]],"t":"2026-03-02T09:00:00Z","o":null})");
}

}  // namespace
}  // namespace sladesk
