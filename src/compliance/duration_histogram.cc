#include "compliance/duration_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace sladesk {
namespace {

constexpr int kExactBits = 10;  // values < 1024 have a bucket each
constexpr int kSubBits = 7;     // 128 buckets per power of two above
constexpr Seconds kMaxValue = (Seconds{1} << 40) - 1;

}  // namespace

std::uint32_t DurationHistogram::BucketOf(Seconds v) {
  if (v < 0) v = 0;
  if (v > kMaxValue) v = kMaxValue;
  const auto u = static_cast<std::uint64_t>(v);
  if (u < (1u << kExactBits)) return static_cast<std::uint32_t>(u);
  const int top = 63 - std::countl_zero(u);  // >= kExactBits
  const std::uint64_t sub = (u >> (top - kSubBits)) & ((1u << kSubBits) - 1);
  return static_cast<std::uint32_t>((1u << kExactBits) + (top - kExactBits) * (1u << kSubBits) + sub);
}

Seconds DurationHistogram::BucketFloor(std::uint32_t b) {
  if (b < (1u << kExactBits)) return b;
  const std::uint32_t rest = b - (1u << kExactBits);
  const int top = static_cast<int>(rest >> kSubBits) + kExactBits;
  const std::uint64_t sub = rest & ((1u << kSubBits) - 1);
  return static_cast<Seconds>((std::uint64_t{1} << top) | (sub << (top - kSubBits)));
}

void DurationHistogram::Spill() {
  for (Seconds v : exact_) {
    const std::uint32_t b = BucketOf(v);
    if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
    ++buckets_[b];
  }
  exact_.clear();
  exact_.shrink_to_fit();
  spilled_ = true;
}

void DurationHistogram::Add(Seconds v) {
  if (v < 0) v = 0;
  if (!spilled_) {
    exact_.push_back(v);
    if (exact_.size() > kExactLimit) Spill();
  } else {
    const std::uint32_t b = BucketOf(v);
    if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
    ++buckets_[b];
  }
  min_ = count_ == 0 ? v : std::min(min_, v);
  max_ = count_ == 0 ? v : std::max(max_, v);
  ++count_;
  sum_ += v;
}

void DurationHistogram::Merge(const DurationHistogram& o) {
  if (o.count_ == 0) return;
  if (!spilled_ && !o.spilled_ && exact_.size() + o.exact_.size() <= kExactLimit) {
    exact_.insert(exact_.end(), o.exact_.begin(), o.exact_.end());
  } else {
    if (!spilled_) Spill();
    for (Seconds v : o.exact_) {
      const std::uint32_t b = BucketOf(v);
      if (b >= buckets_.size()) buckets_.resize(b + 1, 0);
      ++buckets_[b];
    }
  }
  if (o.buckets_.size() > buckets_.size()) buckets_.resize(o.buckets_.size(), 0);
  for (size_t i = 0; i < o.buckets_.size(); ++i) buckets_[i] += o.buckets_[i];
  min_ = count_ == 0 ? o.min_ : std::min(min_, o.min_);
  max_ = count_ == 0 ? o.max_ : std::max(max_, o.max_);
  count_ += o.count_;
  sum_ += o.sum_;
}

std::optional<Seconds> DurationHistogram::Quantile(double p) const {
  if (count_ == 0) return std::nullopt;
  p = std::clamp(p, 0.0, 1.0);
  std::int64_t rank = static_cast<std::int64_t>(std::ceil(p * static_cast<double>(count_) - 1e-9));
  rank = std::clamp<std::int64_t>(rank, 1, count_);
  if (rank == count_) return max_;
  if (rank == 1) return min_;
  if (!spilled_) {
    std::vector<Seconds> v = exact_;
    std::nth_element(v.begin(), v.begin() + (rank - 1), v.end());
    return v[static_cast<size_t>(rank - 1)];
  }
  std::int64_t seen = 0;
  for (size_t b = 0; b < buckets_.size(); ++b) {
    seen += buckets_[b];
    if (seen >= rank) return std::clamp(BucketFloor(static_cast<std::uint32_t>(b)), min_, max_);
  }
  return max_;
}

}  // namespace sladesk
