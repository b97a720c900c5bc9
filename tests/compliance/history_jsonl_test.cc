// The history line parser (data/history/parse_cases.json): accepted shapes
// with what they turn into, and every kind of malformed line with the field
// or position named; plus the writer round trip.
#include "compliance/history_jsonl.h"

#include <gtest/gtest.h>

#include "compliance_test_util.h"

namespace sladesk {
namespace {

using testing::JsonCase;

class HistoryLineTest : public ::testing::TestWithParam<JsonCase> {};

TEST_P(HistoryLineTest, ParsesOrNamesTheFault) {
  const auto& c = GetParam().data;
  HistoryTicket t;
  t.id = "left over from the previous line";
  t.events.push_back({});
  Status s = ParseHistoryLine(c.at("line").get<std::string>(), t);
  if (c.contains("error")) {
    ASSERT_FALSE(s.ok()) << "accepted";
    const std::string expected = c.at("error");
    EXPECT_EQ(s.error().ToString().substr(0, expected.size()), expected) << s.error().ToString();
    return;
  }
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(t.id, c.at("id").get<std::string>());
  EXPECT_EQ(t.plan, "gold");
  EXPECT_EQ(t.events.size(), c.at("events").get<size_t>());
  if (c.contains("organisation")) {
    EXPECT_EQ(t.organisation, c.at("organisation").get<std::string>());
  }
  if (c.contains("severity_1")) {
    EXPECT_EQ(t.events[1].severity, c.at("severity_1").get<std::string>());
  }
  if (c.contains("at_0")) {
    EXPECT_EQ(FormatInstant(t.events[0].at), c.at("at_0").get<std::string>());
  }
  if (c.contains("at_1")) {
    EXPECT_EQ(FormatInstant(t.events[1].at), c.at("at_1").get<std::string>());
  }
  if (c.contains("support_seconds")) {
    EXPECT_EQ(t.support_seconds, c.at("support_seconds").get<Seconds>());
  }
  if (c.contains("escalations")) {
    EXPECT_EQ(t.escalations.size(), c.at("escalations").get<size_t>());
  }
  // What the writer makes of it reads back the same.
  HistoryTicket back;
  ASSERT_TRUE(ParseHistoryLine(HistoryLineJson(t), back).ok());
  EXPECT_EQ(HistoryLineJson(back), HistoryLineJson(t));
}

INSTANTIATE_TEST_SUITE_P(Lines, HistoryLineTest,
                         ::testing::ValuesIn(testing::LoadJsonCases("tests/compliance/data/history/parse_cases.json")),
                         testing::JsonCaseName);

TEST(HistoryLineTest, EveryPrefixOfAGoodLineIsAnErrorNotACrash) {
  const std::string line =
      R"({"id": "T-\u00e9", "organisation": "acme", "plan": "gold", "severity": "high", "events": [{"at": "2026-03-02T09:00:00Z", "type": "opened"}, {"at": "2026-03-02T09:30:00Z", "type": "severity_changed", "severity": "urgent"}], "escalations": [{"at": "2026-03-02T10:00:00Z", "level": "L1"}], "support_hours": 2})";
  HistoryTicket t;
  ASSERT_TRUE(ParseHistoryLine(line, t).ok());
  for (size_t n = 0; n < line.size(); ++n) EXPECT_FALSE(ParseHistoryLine(line.substr(0, n), t).ok()) << n;
}

}  // namespace
}  // namespace sladesk

namespace sladesk {
namespace {

TEST(HistoryLineTest, StringsMustBeUtf8) {
  HistoryTicket t;
  auto line = [](const std::string& id) { return "{\"id\": \"" + id + "\", \"plan\": \"gold\", \"events\": []}"; };
  EXPECT_TRUE(ParseHistoryLine(line("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), t).ok());
  EXPECT_EQ(t.id, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
  for (const char* bad : {"\xff", "\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "a\x80"}) {
    Status s = ParseHistoryLine(line(bad), t);
    ASSERT_FALSE(s.ok()) << bad;
    EXPECT_NE(s.error().message.find("not valid UTF-8"), std::string::npos) << s.error().ToString();
  }
  // Escapes decode to UTF-8 and survive the writer.
  ASSERT_TRUE(ParseHistoryLine(line("\\u00e9"), t).ok());
  HistoryTicket back;
  ASSERT_TRUE(ParseHistoryLine(HistoryLineJson(t), back).ok());
  EXPECT_EQ(back.id, "\xc3\xa9");
}

}  // namespace
}  // namespace sladesk
