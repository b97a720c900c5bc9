// ExactDecimal: numbers kept exactly as written (tests/policy/data/
// exact_decimals.json), recovered from the doubles TOML gives the loader,
// and compared exactly with integer ratios (the availability target and
// downtime thresholds of CONTRACT §7, §8).
#include "policy/exact_decimal.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "policy/policy_loader.h"

namespace sladesk {
namespace {

nlohmann::json Cases() {
  std::ifstream in(std::string(SLADESK_SOURCE_DIR) + "/tests/policy/data/exact_decimals.json");
  std::stringstream s;
  s << in.rdbuf();
  return nlohmann::json::parse(s.str());
}

TEST(ExactDecimalTest, ParsesTheTable) {
  for (const auto& c : Cases()) {
    const std::string text = c.at("text");
    auto d = ExactDecimal::Parse(text);
    if (c.value("invalid", false)) {
      EXPECT_FALSE(d.has_value()) << "'" << text << "' was accepted as " << d->ToString();
      continue;
    }
    ASSERT_TRUE(d.has_value()) << text;
    EXPECT_EQ(d->units, c.at("units").get<std::int64_t>()) << text;
    EXPECT_EQ(d->scale, c.at("scale").get<int>()) << text;
    EXPECT_EQ(d->ToString(), c.at("string").get<std::string>()) << text;
    // The double of the text gives the same number back.
    auto back = ExactDecimal::FromDouble(std::stod(text));
    ASSERT_TRUE(back.has_value()) << text;
    EXPECT_EQ(*back, *d) << text;
  }
}

TEST(ExactDecimalTest, CompareRatioIsExactWhereDoublesAreNot) {
  const ExactDecimal t = *ExactDecimal::Parse("99.95");
  // 1999 / 2000 * 100 = 99.95 exactly: equal, although 99.95 as a double is above it.
  EXPECT_EQ(t.CompareRatio(1999 * 100, 2000), 0);
  EXPECT_EQ(t.CompareRatio(1999 * 100 - 1, 2000), -1);
  EXPECT_EQ(t.CompareRatio(1999 * 100 + 1, 2000), 1);
  const ExactDecimal n = *ExactDecimal::Parse("97.5");
  EXPECT_EQ(n.CompareRatio(195, 2), 0);
  EXPECT_EQ(n.CompareRatio(97, 1), -1);
  EXPECT_EQ(ExactDecimal::FromInteger(98).CompareRatio(98, 1), 0);
  // Large seconds: a month of seconds times 100 times 10^9 still fits.
  const ExactDecimal fine = *ExactDecimal::Parse("99.999999999");
  EXPECT_EQ(fine.CompareRatio(std::int64_t{2678400} * 100, 2678400), 1);
}

TEST(ExactDecimalTest, ToDoubleIsTheNearestDouble) {
  EXPECT_EQ(ExactDecimal::Parse("99.95")->ToDouble(), 99.95);
  EXPECT_EQ(ExactDecimal::Parse("98")->ToDouble(), 98.0);
  EXPECT_TRUE(ExactDecimal::Parse("98")->is_integer());
  EXPECT_FALSE(ExactDecimal::Parse("97.5")->is_integer());
}

TEST(ExactDecimalTest, TheLoaderKeepsTargetsExactly) {
  const std::string text = R"([policy]
id = "p"
name = "P"
[tickets]
default_severity = "high"
[[severities]]
id = "high"
name = "High"
[[plans]]
id = "basic"
name = "Basic"
calendar = "24x7"
[plans.targets]
high = { first_response = "1 hour" }
[contract.availability]
monthly_target_percent = 99.95
time_zone = "America/New_York"
[contract.downtime]
share_percent = 50
over_target_by_percent = 12.5
severities = ["high"]
lookback_months = 3
minimum_tickets = 10
)";
  auto p = ParsePolicy(text, "exact.toml");
  ASSERT_TRUE(p.ok()) << p.error().ToString();
  const Policy& policy = **p;
  ASSERT_TRUE(policy.contract.availability.has_value());
  EXPECT_EQ(policy.contract.availability->monthly_target, *ExactDecimal::Parse("99.95"));
  EXPECT_EQ(policy.contract.availability->monthly_target_percent, 99.95);
  EXPECT_EQ(policy.contract.availability->time_zone, "America/New_York");
  ASSERT_TRUE(policy.contract.downtime.has_value());
  EXPECT_EQ(policy.contract.downtime->share, ExactDecimal::FromInteger(50));
  EXPECT_EQ(policy.contract.downtime->over_target_by, *ExactDecimal::Parse("12.5"));
  EXPECT_EQ(policy.contract.downtime->over_target_by_percent, 12.5);
}

}  // namespace
}  // namespace sladesk
