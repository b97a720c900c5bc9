#include "calendar/business_calendar.h"

#include <algorithm>
#include <string>

namespace sladesk {
namespace {

constexpr int kBlockShift = 25;  // 2^25 s, about 388 days of UTC time per block
constexpr Seconds kBlockSeconds = Seconds{1} << kBlockShift;
constexpr std::int64_t kBlockCount = (kMaxEpoch - kMinEpoch + kBlockSeconds - 1) / kBlockSeconds;

std::int64_t BlockIndexOf(Seconds t) { return (t - kMinEpoch) >> kBlockShift; }
Seconds BlockStart(std::int64_t index) { return kMinEpoch + index * kBlockSeconds; }
Seconds FloorDiv(Seconds a, Seconds b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

const char* const kDayKeys[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

Status ValidateWindows(std::vector<LocalWindow>& windows, const std::string& field) {
  for (size_t i = 0; i < windows.size(); ++i) {
    const LocalWindow& w = windows[i];
    std::string f = field + "[" + std::to_string(i) + "]";
    if (w.start_minute < 0 || w.start_minute >= 1440)
      return MakeError(f, "a window must start between 00:00 and 23:59");
    if (w.end_minute > 1440) return MakeError(f, "a window must end by 24:00");
    if (w.end_minute <= w.start_minute) return MakeError(f, "end must be after start");
  }
  std::sort(windows.begin(), windows.end(),
            [](const LocalWindow& a, const LocalWindow& b) { return a.start_minute < b.start_minute; });
  for (size_t i = 1; i < windows.size(); ++i)
    if (windows[i].start_minute < windows[i - 1].end_minute)
      return MakeError(field, "windows overlap");
  return Status::Ok();
}

}  // namespace

CalendarSpec AlwaysOpenSpec() {
  CalendarSpec spec;
  spec.id = "24x7";
  spec.time_zone = "UTC";
  spec.always_open = true;
  spec.business_day_seconds = 24 * 3600;
  for (auto& day : spec.weekly) day = {LocalWindow{0, 1440}};
  return spec;
}

// Open intervals of one UTC block, sorted and disjoint, as parallel arrays so
// the binary searches touch as little memory as possible.
struct BusinessCalendar::Block {
  std::vector<Seconds> starts;
  std::vector<Seconds> ends;
  std::vector<Seconds> cum_end;  // business seconds of the block up to ends[i]
  Seconds total = 0;

  // Business seconds in [block start, t) for t inside the block.
  Seconds CumAt(Seconds t) const {
    size_t i = static_cast<size_t>(std::upper_bound(ends.begin(), ends.end(), t) - ends.begin());
    if (i == ends.size()) return total;
    Seconds before = cum_end[i] - (ends[i] - starts[i]);
    return before + std::max<Seconds>(0, t - starts[i]);
  }
};

BusinessCalendar::BusinessCalendar(CalendarSpec spec, std::shared_ptr<const TimeZone> zone,
                                   HolidaySet holidays)
    : spec_(std::move(spec)),
      zone_(std::move(zone)),
      holidays_(std::move(holidays)),
      blocks_(static_cast<size_t>(kBlockCount)) {
  for (const auto& day : spec_.weekly)
    if (!day.empty()) ever_open_ = true;
  if (holidays_.AnyOverrideOpens()) ever_open_ = true;
}

BusinessCalendar::~BusinessCalendar() = default;

Result<std::shared_ptr<const BusinessCalendar>> BusinessCalendar::Create(CalendarSpec spec) {
  if (spec.always_open) {
    auto base = AlwaysOpen();
    if (spec.id.empty() || spec.id == base->id()) return base;
  }
  auto zone = TimeZone::Locate(spec.time_zone);
  if (!zone.ok()) return zone.error();
  if (spec.business_day_seconds && (*spec.business_day_seconds <= 0 || *spec.business_day_seconds > 86400))
    return MakeError("hours_per_business_day", "must be more than 0 and at most 24");
  for (int d = 0; d < 7; ++d) {
    Status s = ValidateWindows(spec.weekly[d], std::string("weekly.") + kDayKeys[d]);
    if (!s.ok()) return s.error();
  }
  for (size_t i = 0; i < spec.holidays.size(); ++i) {
    if (!spec.holidays[i].replaces_windows) continue;
    Status s = ValidateWindows(spec.holidays[i].open, "holidays[" + std::to_string(i) + "].open");
    if (!s.ok()) return s.error();
  }
  auto holidays = HolidaySet::Build(spec);
  if (!holidays.ok()) return holidays.error();
  return std::shared_ptr<const BusinessCalendar>(
      new BusinessCalendar(std::move(spec), std::move(zone).value(), std::move(holidays).value()));
}

std::shared_ptr<const BusinessCalendar> BusinessCalendar::AlwaysOpen() {
  static const std::shared_ptr<const BusinessCalendar> instance = [] {
    CalendarSpec spec = AlwaysOpenSpec();
    auto zone = TimeZone::Locate("UTC");
    return std::shared_ptr<const BusinessCalendar>(
        new BusinessCalendar(spec, std::move(zone).value(), HolidaySet::Build(spec).value()));
  }();
  return instance;
}

const std::vector<LocalWindow>& BusinessCalendar::WindowsOn(std::int64_t local_day) const {
  static const std::vector<LocalWindow> kClosed;
  if (const auto* replaced = holidays_.Override(local_day)) return *replaced;
  if (holidays_.IsClosed(local_day)) return kClosed;
  int weekday = static_cast<int>(((local_day + 3) % 7 + 7) % 7);  // Monday = 0
  return spec_.weekly[weekday];
}

std::unique_ptr<BusinessCalendar::Block> BusinessCalendar::BuildBlock(std::int64_t index) const {
  auto block = std::make_unique<Block>();
  // The last block is cut at the end of the supported range, so Add never
  // answers an instant past it (as Between never counts time past it).
  const Seconds lo = BlockStart(index), hi = std::min(lo + kBlockSeconds, kMaxEpoch);
  // Local dates whose windows can reach into the block: zone offsets stay
  // within ±26 h, so two days of margin on each side is enough.
  const std::int64_t first_day = FloorDiv(lo, 86400) - 2, last_day = FloorDiv(hi, 86400) + 2;
  for (std::int64_t day = first_day; day <= last_day; ++day) {
    for (const LocalWindow& w : WindowsOn(day)) {
      Seconds s = ToEpoch(zone_->ToSys(date::local_seconds{std::chrono::seconds{day * 86400 + w.start_minute * 60}}));
      Seconds e = ToEpoch(zone_->ToSys(date::local_seconds{std::chrono::seconds{day * 86400 + w.end_minute * 60}}));
      s = std::max(s, lo);
      e = std::min(e, hi);
      if (e <= s) continue;  // e.g. a window inside a DST gap
      if (!block->ends.empty() && s <= block->ends.back()) {
        // Touching (or, defensively, overlapping) windows form one span.
        block->ends.back() = std::max(block->ends.back(), e);
        continue;
      }
      block->starts.push_back(s);
      block->ends.push_back(e);
    }
  }
  block->cum_end.resize(block->starts.size());
  Seconds cum = 0;
  for (size_t i = 0; i < block->starts.size(); ++i) {
    cum += block->ends[i] - block->starts[i];
    block->cum_end[i] = cum;
  }
  block->total = cum;
  return block;
}

const BusinessCalendar::Block& BusinessCalendar::BlockAt(std::int64_t index) const {
  const Block* block = blocks_[static_cast<size_t>(index)].load(std::memory_order_acquire);
  if (block != nullptr) return *block;
  std::lock_guard<std::mutex> lock(build_mutex_);
  block = blocks_[static_cast<size_t>(index)].load(std::memory_order_relaxed);
  if (block == nullptr) {
    owned_blocks_.push_back(BuildBlock(index));
    block = owned_blocks_.back().get();
    blocks_[static_cast<size_t>(index)].store(block, std::memory_order_release);
  }
  return *block;
}

Seconds BusinessCalendar::Between(Instant a_t, Instant b_t) const {
  Seconds a = std::max(ToEpoch(a_t), kMinEpoch), b = std::min(ToEpoch(b_t), kMaxEpoch);
  if (b <= a) return 0;
  if (spec_.always_open) return b - a;
  std::int64_t ia = BlockIndexOf(a), ib = BlockIndexOf(b - 1);
  const Block& first = BlockAt(ia);
  if (ia == ib) return first.CumAt(b) - first.CumAt(a);
  Seconds sum = first.total - first.CumAt(a);
  for (std::int64_t i = ia + 1; i < ib; ++i) sum += BlockAt(i).total;
  return sum + BlockAt(ib).CumAt(b);
}

Result<Instant> BusinessCalendar::Add(Instant s_t, Seconds d) const {
  if (d < 0) return MakeError("duration", "must not be negative");
  Seconds s = ToEpoch(s_t);
  if (s < kMinEpoch || s >= kMaxEpoch)
    return MakeError("start", "outside the supported range 1900-01-01 to 2199-12-31");
  if (d == 0) return s_t;
  auto beyond = [&]() -> Result<Instant> {
    return MakeError("duration", ever_open_ ? "the calendar has fewer business seconds than that "
                                              "before 2200-01-01"
                                            : spec_.id.empty() ? std::string("the calendar is never open")
                                                              : "the calendar '" + spec_.id + "' is never open");
  };
  if (spec_.always_open) {
    if (d > kMaxEpoch - s) return beyond();
    return FromEpoch(s + d);
  }
  if (!ever_open_) return beyond();
  Seconds remaining = d;
  Seconds from = s;
  for (std::int64_t i = BlockIndexOf(s); i < kBlockCount; ++i) {
    const Block& block = BlockAt(i);
    Seconds target = block.CumAt(from) + remaining;
    if (target <= block.total) {
      size_t j = static_cast<size_t>(
          std::lower_bound(block.cum_end.begin(), block.cum_end.end(), target) - block.cum_end.begin());
      Seconds before = block.cum_end[j] - (block.ends[j] - block.starts[j]);
      return FromEpoch(block.starts[j] + (target - before));
    }
    remaining = target - block.total;
    from = BlockStart(i + 1);
  }
  return beyond();
}

bool BusinessCalendar::IsOpen(Instant t_i) const {
  Seconds t = ToEpoch(t_i);
  if (t < kMinEpoch || t >= kMaxEpoch) return false;
  if (spec_.always_open) return true;
  const Block& block = BlockAt(BlockIndexOf(t));
  auto it = std::upper_bound(block.ends.begin(), block.ends.end(), t);
  return it != block.ends.end() && block.starts[static_cast<size_t>(it - block.ends.begin())] <= t;
}

std::optional<Instant> BusinessCalendar::NextOpen(Instant t_i) const {
  Seconds t = std::max(ToEpoch(t_i), kMinEpoch);
  if (t >= kMaxEpoch) return std::nullopt;
  if (spec_.always_open) return FromEpoch(t);
  if (!ever_open_) return std::nullopt;
  for (std::int64_t i = BlockIndexOf(t); i < kBlockCount; ++i) {
    const Block& block = BlockAt(i);
    auto it = std::upper_bound(block.ends.begin(), block.ends.end(), t);
    if (it != block.ends.end())
      return FromEpoch(std::max(t, block.starts[static_cast<size_t>(it - block.ends.begin())]));
    t = BlockStart(i + 1);
  }
  return std::nullopt;
}

std::vector<OpenInterval> BusinessCalendar::OpenIntervals(Instant a_t, Instant b_t) const {
  std::vector<OpenInterval> out;
  Seconds a = std::max(ToEpoch(a_t), kMinEpoch), b = std::min(ToEpoch(b_t), kMaxEpoch);
  if (b <= a) return out;
  auto push = [&out](Seconds s, Seconds e) {
    if (!out.empty() && ToEpoch(out.back().end) == s) {
      out.back().end = FromEpoch(e);
    } else {
      out.push_back({FromEpoch(s), FromEpoch(e)});
    }
  };
  if (spec_.always_open) {
    push(a, b);
    return out;
  }
  for (std::int64_t i = BlockIndexOf(a); i <= BlockIndexOf(b - 1); ++i) {
    const Block& block = BlockAt(i);
    auto j = static_cast<size_t>(std::upper_bound(block.ends.begin(), block.ends.end(), a) - block.ends.begin());
    for (; j < block.starts.size() && block.starts[j] < b; ++j)
      push(std::max(a, block.starts[j]), std::min(b, block.ends[j]));
  }
  return out;
}

}  // namespace sladesk
