// The duration grammar of policy targets, as data.
#include "policy/duration_text.h"

#include <gtest/gtest.h>

namespace sladesk {
namespace {

struct Good {
  const char* text;
  bool no_target;
  double amount;
  std::optional<double> goal;
  DurationUnit unit;
};

class DurationTextGood : public ::testing::TestWithParam<Good> {};

TEST_P(DurationTextGood, Parses) {
  const Good& g = GetParam();
  auto d = ParseDurationText(g.text, "f");
  ASSERT_TRUE(d.ok()) << g.text << ": " << d.error().ToString();
  EXPECT_EQ(d->no_target, g.no_target) << g.text;
  if (g.no_target) return;
  EXPECT_DOUBLE_EQ(d->amount, g.amount) << g.text;
  EXPECT_EQ(d->goal, g.goal) << g.text;
  EXPECT_EQ(d->unit, g.unit) << g.text;
}

INSTANTIATE_TEST_SUITE_P(
    Words, DurationTextGood,
    ::testing::Values(
        Good{"8 business hours", false, 8, std::nullopt, DurationUnit::kHour},
        Good{"8 Business Hours", false, 8, std::nullopt, DurationUnit::kHour},
        Good{"1hrs", false, 1, std::nullopt, DurationUnit::kHour},
        Good{"48hr", false, 48, std::nullopt, DurationUnit::kHour},
        Good{"30 minutes", false, 30, std::nullopt, DurationUnit::kMinute},
        Good{"45 min", false, 45, std::nullopt, DurationUnit::kMinute},
        Good{"1.5 hours", false, 1.5, std::nullopt, DurationUnit::kHour},
        Good{"3 Business Days", false, 3, std::nullopt, DurationUnit::kBusinessDay},
        Good{"2 business day", false, 2, std::nullopt, DurationUnit::kBusinessDay},
        Good{"Under 1 business day", false, 1, std::nullopt, DurationUnit::kBusinessDay},
        Good{"Within 2 Support Hours", false, 2, std::nullopt, DurationUnit::kHour},
        Good{"up to 1 hour", false, 1, std::nullopt, DurationUnit::kHour},
        Good{"1 - 2 business days", false, 2, 1.0, DurationUnit::kBusinessDay},
        Good{"1 \xE2\x80\x93 2 business days", false, 2, 1.0, DurationUnit::kBusinessDay},  // en dash
        Good{"6-12 business hours", false, 12, 6.0, DurationUnit::kHour},
        Good{"2 to 4 working days", false, 4, 2.0, DurationUnit::kBusinessDay},
        Good{"4 - 4 hours", false, 4, 4.0, DurationUnit::kHour},
        Good{"Best Effort", true, 0, std::nullopt, DurationUnit::kHour},
        Good{"By Mutual Agreement", true, 0, std::nullopt, DurationUnit::kHour},
        Good{"mutual agreement", true, 0, std::nullopt, DurationUnit::kHour},
        Good{"none", true, 0, std::nullopt, DurationUnit::kHour},
        Good{"not stated", true, 0, std::nullopt, DurationUnit::kHour},
        Good{"\xE2\x80\x93", true, 0, std::nullopt, DurationUnit::kHour},  // "–"
        Good{"-", true, 0, std::nullopt, DurationUnit::kHour}));

struct Bad {
  const char* text;
  const char* fragment;
};

class DurationTextBad : public ::testing::TestWithParam<Bad> {};

TEST_P(DurationTextBad, NamesTheProblem) {
  auto d = ParseDurationText(GetParam().text, "plans[x].targets.high.resolution");
  ASSERT_FALSE(d.ok()) << GetParam().text;
  EXPECT_EQ(d.error().field, "plans[x].targets.high.resolution");
  EXPECT_NE(d.error().message.find(GetParam().fragment), std::string::npos) << d.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Words, DurationTextBad,
    ::testing::Values(Bad{"8 buisness hours", "unknown word 'buisness'"},
                      Bad{"8 business", "missing unit"},
                      Bad{"eight hours", "unknown word 'eight'"},
                      Bad{"", "empty duration"},
                      Bad{"8", "missing unit"},
                      Bad{"8 hours please", "unexpected 'please'"},
                      Bad{"8 fortnights", "unknown word 'fortnights'"},
                      Bad{"0 hours", "longer than zero"},
                      Bad{"0 - 2 days", "start above zero"},
                      Bad{"3 - 2 business days", "goal (lower bound) is above the limit"},
                      Bad{"1 -", "needs a number after '-'"},
                      Bad{"1..2 hours", "is not a number"},
                      Bad{"best efort", "unknown word 'best'"}));

TEST(DurationSeconds, DaysUseTheCalendarsBusinessDay) {
  auto s = DurationSeconds(3, DurationUnit::kBusinessDay, 8 * 3600, "berlin", "f");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(*s, 3 * 8 * 3600);
  EXPECT_EQ(*DurationSeconds(1.5, DurationUnit::kHour, std::nullopt, "c", "f"), 5400);
  EXPECT_EQ(*DurationSeconds(30, DurationUnit::kMinute, std::nullopt, "c", "f"), 1800);
  auto missing = DurationSeconds(1, DurationUnit::kBusinessDay, std::nullopt, "ny", "f");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("hours_per_business_day on calendar 'ny'"), std::string::npos);
  EXPECT_FALSE(DurationSeconds(1e12, DurationUnit::kHour, std::nullopt, "c", "f").ok());
  // A number too large for a double is a plain error, never an exception.
  auto huge = ParseDurationText(std::string(400, '9') + " hours", "f");
  ASSERT_TRUE(huge.ok());
  EXPECT_FALSE(DurationSeconds(huge->amount, huge->unit, std::nullopt, "c", "f").ok());
}

TEST(PeriodText, MonthsYearsWeeksDays) {
  struct Row {
    const char* text;
    int months;
    int days;
  };
  for (const Row& r : {Row{"12 months", 12, 0}, Row{"1 year", 12, 0}, Row{"2 weeks", 0, 14},
                       Row{"30 days", 0, 30}, Row{"1 Month", 1, 0}}) {
    auto p = ParsePeriodText(r.text, "f");
    ASSERT_TRUE(p.ok()) << r.text;
    EXPECT_EQ(p->months, r.months) << r.text;
    EXPECT_EQ(p->days, r.days) << r.text;
    EXPECT_EQ(p->text, r.text);
  }
  for (const char* bad : {"12", "twelve months", "1.5 years", "0 days", "3 aeons", "12 months ago"})
    EXPECT_FALSE(ParsePeriodText(bad, "f").ok()) << bad;
}

}  // namespace
}  // namespace sladesk
