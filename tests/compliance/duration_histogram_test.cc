// DurationHistogram: exact quantiles for small counts, bounded relative
// error (never above the true value) once values are bucketed, and merges
// that do not depend on how the values were split.
#include "compliance/duration_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

namespace sladesk {
namespace {

Seconds NearestRank(std::vector<Seconds> v, double p) {
  std::sort(v.begin(), v.end());
  size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size()) - 1e-9));
  rank = std::clamp<size_t>(rank, 1, v.size());
  return v[rank - 1];
}

TEST(DurationHistogramTest, SmallCountsAreExact) {
  DurationHistogram h;
  EXPECT_FALSE(h.Quantile(0.5).has_value());
  for (Seconds v : {3600, 32400, 1, 999999}) h.Add(v);
  EXPECT_EQ(h.Quantile(0.5), 3600);   // nearest rank: 2 of 4
  EXPECT_EQ(h.Quantile(0.9), 999999);
  EXPECT_EQ(h.Quantile(0.25), 1);
  EXPECT_EQ(h.count(), 4);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 999999);
  h.Add(-5);
  EXPECT_EQ(h.min(), 0);
}

TEST(DurationHistogramTest, BucketsAreMonotoneAndTight) {
  Seconds prev_floor = -1;
  for (std::uint32_t b = 0; b < 4000; ++b) {
    const Seconds f = DurationHistogram::BucketFloor(b);
    EXPECT_GT(f, prev_floor) << b;
    EXPECT_EQ(DurationHistogram::BucketOf(f), b) << b;
    EXPECT_EQ(DurationHistogram::BucketOf(DurationHistogram::BucketFloor(b + 1) - 1), b) << b;
    prev_floor = f;
  }
}

TEST(DurationHistogramTest, LargeCountsStayWithinOneBucketBelow) {
  std::mt19937_64 rng(7);
  std::lognormal_distribution<double> dist(9.0, 2.0);
  std::vector<Seconds> values;
  DurationHistogram h;
  for (int i = 0; i < 100000; ++i) {
    const Seconds v = static_cast<Seconds>(dist(rng));
    values.push_back(v);
    h.Add(v);
  }
  for (double p : {0.1, 0.5, 0.9, 0.99}) {
    const Seconds exact = NearestRank(values, p);
    const Seconds got = *h.Quantile(p);
    EXPECT_LE(got, exact) << p;
    EXPECT_GE(static_cast<double>(got), static_cast<double>(exact) * (1 - 1.0 / 128) - 1) << p;
  }
  EXPECT_EQ(*h.Quantile(1.0), *std::max_element(values.begin(), values.end()));
}

TEST(DurationHistogramTest, MergeEqualsAddingEverything) {
  for (int n : {10, 200, 300, 5000}) {
    std::mt19937_64 rng(n);
    std::uniform_int_distribution<Seconds> dist(0, 400000);
    DurationHistogram all, a, b, c;
    for (int i = 0; i < n; ++i) {
      const Seconds v = dist(rng);
      all.Add(v);
      (i % 3 == 0 ? a : i % 3 == 1 ? b : c).Add(v);
    }
    a.Merge(b);
    a.Merge(c);
    for (double p : {0.5, 0.9}) EXPECT_EQ(a.Quantile(p), all.Quantile(p)) << n << " " << p;
    EXPECT_EQ(a.count(), all.count());
    EXPECT_EQ(a.sum(), all.sum());
  }
}

}  // namespace
}  // namespace sladesk
