// Civil-month arithmetic (data/civil_months.json): strict YYYY-MM parsing,
// local month starts in DST zones, and "the same wall time N months later"
// with day clamping and DST resolution (CONTRACT §2, §8).
#include "compliance/civil_month.h"

#include <gtest/gtest.h>

#include "compliance_test_util.h"

namespace sladesk {
namespace {

using testing::At;

std::shared_ptr<const TimeZone> Zone(const std::string& name) { return *TimeZone::Locate(name); }

TEST(CivilMonthTest, ParsesOnlyYYYYMM) {
  EXPECT_EQ(ParseYearMonth("2027-03"), (YearMonth{2027, 3}));
  EXPECT_EQ(ParseYearMonth("1900-01"), (YearMonth{1900, 1}));
  EXPECT_EQ(ParseYearMonth("2199-12"), (YearMonth{2199, 12}));
  for (const char* bad : {"2027-13", "2027-00", "2027-3", "27-03", "2027-03-01", "2027/03", "", "abcd-ef",
                          "1899-12", "2200-01", " 2027-03", "2027-03 ", "+027-03", "2027--3"})
    EXPECT_FALSE(ParseYearMonth(bad).has_value()) << bad;
  EXPECT_EQ(FormatYearMonth({2027, 3}), "2027-03");
  EXPECT_EQ(AddMonths({2027, 1}, -3), (YearMonth{2026, 10}));
  EXPECT_EQ(AddMonths({2027, 12}, 1), (YearMonth{2028, 1}));
  EXPECT_EQ(AddMonths({2027, 4}, -4), (YearMonth{2026, 12}));
  EXPECT_EQ(AddMonths({2027, 4}, -16), (YearMonth{2025, 12}));
}

TEST(CivilMonthTest, TheTable) {
  for (const auto& c : testing::ReadJsonFile("tests/compliance/data/civil_months.json")) {
    SCOPED_TRACE(c.dump());
    auto zone = Zone(c.at("zone"));
    if (c.contains("month")) {
      auto m = ParseYearMonth(c.at("month").get<std::string>());
      ASSERT_TRUE(m.has_value());
      EXPECT_EQ(FormatInstant(MonthStart(*m, *zone)), c.at("start").get<std::string>());
      if (c.contains("seconds"))
        EXPECT_EQ(ToEpoch(MonthStart(AddMonths(*m, 1), *zone)) - ToEpoch(MonthStart(*m, *zone)),
                  c.at("seconds").get<Seconds>());
    } else if (c.contains("month_of")) {
      EXPECT_EQ(FormatYearMonth(MonthOf(At(c.at("month_of")), *zone)), c.at("is").get<std::string>());
    } else {
      const Instant from = At(c.at("from"));
      EXPECT_EQ(FormatInstant(SameWallTimeMonthsLater(from, c.at("months").get<int>(), *zone)),
                c.at("to").get<std::string>());
    }
  }
}

}  // namespace
}  // namespace sladesk
