// BackoffPolicy: the table in data/backoff_cases.tsv (defaults), option
// checks, and properties over random inputs.
#include <gtest/gtest.h>

#include <random>
#include <sstream>

#include "notify/backoff_policy.h"
#include "notify/notify_test_support.h"

namespace sladesk::testing {
namespace {

TEST(BackoffPolicy, TableOfDelays) {
  std::istringstream in(ReadText(DataPath("backoff_cases.tsv")));
  std::string line;
  int rows = 0;
  BackoffPolicy policy;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    std::istringstream f(line);
    std::string attempts, random, retry_after, expected;
    f >> attempts >> random >> retry_after >> expected;
    std::optional<std::chrono::seconds> ra;
    if (retry_after != "-") ra = std::chrono::seconds(std::stoll(retry_after));
    auto got = policy.NextDelay(std::stoi(attempts), std::stod(random), ra);
    if (expected == "-") {
      EXPECT_FALSE(got.has_value()) << line;
    } else {
      ASSERT_TRUE(got.has_value()) << line;
      EXPECT_EQ(got->count(), std::stoll(expected)) << line;
    }
    ++rows;
  }
  EXPECT_GE(rows, 20);
}

TEST(BackoffPolicy, OptionsAreChecked) {
  struct Bad {
    const char* field;
    BackoffOptions o;
  };
  std::vector<Bad> bad;
  BackoffOptions o;
  o.initial = std::chrono::seconds(0);
  bad.push_back({"initial", o});
  o = {};
  o.multiplier = 0.5;
  bad.push_back({"multiplier", o});
  o = {};
  o.max_delay = std::chrono::seconds(1);
  bad.push_back({"max_delay", o});
  o = {};
  o.jitter = 1.0;
  bad.push_back({"jitter", o});
  o = {};
  o.max_attempts = 0;
  bad.push_back({"max_attempts", o});
  for (const auto& b : bad) {
    auto r = BackoffPolicy::Create(b.o);
    ASSERT_FALSE(r.ok()) << b.field;
    EXPECT_EQ(r.error().field, b.field);
  }
  EXPECT_TRUE(BackoffPolicy::Create({}).ok());
}

TEST(BackoffPolicy, DelaysStayWithinTheirBoundsAndGrow) {
  BackoffOptions o;
  o.initial = std::chrono::seconds(2);
  o.multiplier = 3;
  o.max_delay = std::chrono::seconds(1000);
  o.jitter = 0.5;
  o.max_attempts = 30;
  auto p = *BackoffPolicy::Create(o);
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0, 1);
  for (int attempt = 1; attempt < 30; ++attempt) {
    double base = std::min(1000.0, 2 * std::pow(3.0, attempt - 1));
    for (int i = 0; i < 50; ++i) {
      auto d = p.NextDelay(attempt, u(rng));
      ASSERT_TRUE(d);
      EXPECT_GE(d->count(), std::max<std::int64_t>(1, static_cast<std::int64_t>(std::floor(base * 0.5))));
      EXPECT_LE(d->count(), 1000);
      EXPECT_LE(d->count(), static_cast<std::int64_t>(std::ceil(base * 1.5)));
    }
  }
  EXPECT_FALSE(p.NextDelay(30, 0.5));
  // Enormous attempt numbers do not overflow.
  BackoffOptions many = o;
  many.max_attempts = 1 << 30;
  EXPECT_EQ((*BackoffPolicy::Create(many)).NextDelay(100000, 0.99)->count(), 1000);
}

}  // namespace
}  // namespace sladesk::testing
