// Property tests: BusinessCalendar against a naive minute-stepping reference
// over random calendars (zones with DST and odd offsets, split windows,
// touching windows, holidays) and thousands of random queries.
//
// The reference decides "is minute m open?" directly from the civil windows:
// m is open when some local date D has a window w with
// to_sys(D + w.start) <= m < to_sys(D + w.end), the conversions done with
// date::time_zone (earliest occurrence; the transition instant for local
// times that do not exist). It shares only HolidaySet with the engine.
#include <gtest/gtest.h>

#include <date/tz.h>

#include <random>

#include "calendar/business_calendar.h"
#include "calendar/holiday_set.h"
#include "calendar_test_util.h"

namespace sladesk {
namespace {

class Reference {
 public:
  Reference(const CalendarSpec& spec) : spec_(spec), holidays_(HolidaySet::Build(spec).value()) {
    zone_ = spec.time_zone == "UTC" ? nullptr : date::locate_zone(spec.time_zone);
  }

  bool OpenAt(Seconds t) const {
    std::int64_t day = t / 86400 - (t % 86400 < 0);
    for (std::int64_t d = day - 2; d <= day + 2; ++d) {
      for (const LocalWindow& w : Windows(d)) {
        if (ToSys(d * 86400 + w.start_minute * 60) <= t && t < ToSys(d * 86400 + w.end_minute * 60))
          return true;
      }
    }
    return false;
  }

  // Minute stepping; a and b must be whole minutes.
  Seconds Between(Seconds a, Seconds b) const {
    Seconds sum = 0;
    for (Seconds m = a; m < b; m += 60) sum += OpenAt(m) ? 60 : 0;
    return sum;
  }

 private:
  const std::vector<LocalWindow>& Windows(std::int64_t day) const {
    static const std::vector<LocalWindow> kNone;
    if (auto* o = holidays_.Override(day)) return *o;
    if (holidays_.IsClosed(day)) return kNone;
    return spec_.weekly[static_cast<size_t>(((day + 3) % 7 + 7) % 7)];
  }

  Seconds ToSys(Seconds local) const {
    if (zone_ == nullptr) return local;
    date::local_seconds l{std::chrono::seconds{local}};
    auto info = zone_->get_info(l);
    if (info.result == date::local_info::nonexistent)
      return date::floor<std::chrono::seconds>(info.first.end).time_since_epoch().count();
    return local - info.first.offset.count();
  }

  CalendarSpec spec_;
  HolidaySet holidays_;
  const date::time_zone* zone_;
};

CalendarSpec RandomSpec(std::mt19937_64& rng) {
  static const char* const kZones[] = {"UTC",           "Europe/Berlin",       "Europe/London",
                                       "America/New_York", "Asia/Kolkata",     "Australia/Lord_Howe",
                                       "Pacific/Chatham",  "America/St_Johns", "Asia/Kathmandu"};
  CalendarSpec spec;
  spec.time_zone = kZones[rng() % std::size(kZones)];
  // Windows on 15-minute boundaries, so DST gaps and repeats cut through them.
  for (auto& day : spec.weekly) {
    int kind = static_cast<int>(rng() % 5);
    if (kind == 0) continue;  // closed
    if (kind == 1) {
      day = {{0, 1440}};
      continue;
    }
    int t = static_cast<int>(rng() % 24) * 60;
    int pieces = 1 + static_cast<int>(rng() % 3);
    for (int p = 0; p < pieces && t < 1440; ++p) {
      int len = 15 * (1 + static_cast<int>(rng() % 40));
      int end = std::min(1440, t + len);
      day.push_back({t, end});
      t = end + 15 * static_cast<int>(rng() % 8);  // 0 gap = touching windows
      if (!day.empty() && t == day.back().end_minute) t += 15;
    }
  }
  for (int i = 0; i < 4; ++i) {
    CivilDate d{2026, static_cast<unsigned>(1 + rng() % 12), static_cast<unsigned>(1 + rng() % 28)};
    DateEntry e{d, false, {}};
    if (rng() % 2) e = DateEntry{d, true, {{600, 660 + 15 * static_cast<int>(rng() % 10)}}};
    bool dup = false;
    for (const auto& h : spec.holidays) dup = dup || h.date == d;
    if (!dup) spec.holidays.push_back(e);
  }
  spec.holiday_rules.push_back({"Easter Monday", 0, 0, std::nullopt, 0, 1, false});
  spec.holiday_rules.push_back({"Christmas", 12, 25, std::nullopt, 0, std::nullopt, true});
  return spec;
}

// Random minute-aligned instants across 2026 (both DST changes in every zone).
Seconds RandomMinute(std::mt19937_64& rng) {
  const Seconds from = 1767225600;  // 2026-01-01T00:00:00Z
  return from + static_cast<Seconds>(rng() % (366 * 24 * 60)) * 60;
}

TEST(BusinessCalendarProperty, BetweenMatchesMinuteSteppingReference) {
  std::mt19937_64 rng(20261122);
  for (int c = 0; c < 40; ++c) {
    CalendarSpec spec = RandomSpec(rng);
    auto cal = BusinessCalendar::Create(spec);
    ASSERT_TRUE(cal.ok()) << cal.error().ToString();
    Reference ref(spec);
    for (int q = 0; q < 40; ++q) {
      Seconds a = RandomMinute(rng);
      Seconds b = a + static_cast<Seconds>(rng() % (4 * 24 * 60)) * 60;
      ASSERT_EQ((*cal)->Between(FromEpoch(a), FromEpoch(b)), ref.Between(a, b))
          << spec.time_zone << " calendar " << c << " [" << FormatInstant(FromEpoch(a)) << ", "
          << FormatInstant(FromEpoch(b)) << ")";
      ASSERT_EQ((*cal)->IsOpen(FromEpoch(a)), ref.OpenAt(a)) << spec.time_zone << " " << FormatInstant(FromEpoch(a));
    }
  }
}

TEST(BusinessCalendarProperty, AddInvertsBetweenAndIsMinimalMonotoneAdditive) {
  std::mt19937_64 rng(42);
  for (int c = 0; c < 60; ++c) {
    CalendarSpec spec = RandomSpec(rng);
    auto cal = BusinessCalendar::Create(spec);
    ASSERT_TRUE(cal.ok());
    const BusinessCalendar& k = **cal;
    if (!k.ever_open()) continue;
    for (int q = 0; q < 200; ++q) {
      Instant s = FromEpoch(RandomMinute(rng) + static_cast<Seconds>(rng() % 60));
      Seconds d1 = static_cast<Seconds>(rng() % (20 * 3600));
      Seconds d2 = static_cast<Seconds>(rng() % (20 * 3600));
      auto t1 = k.Add(s, d1);
      ASSERT_TRUE(t1.ok());
      // Between(s, Add(s, d)) == d, and no earlier instant reaches d.
      ASSERT_EQ(k.Between(s, *t1), d1);
      if (d1 > 0) {
        ASSERT_LT(k.Between(s, *t1 - std::chrono::seconds{1}), d1);
      }
      // Monotone in d.
      auto t2 = k.Add(s, d1 + d2);
      ASSERT_TRUE(t2.ok());
      ASSERT_LE(*t1, *t2);
      // Additive: Add(Add(s, d1), d2) == Add(s, d1 + d2) and Between splits.
      auto t12 = k.Add(*t1, d2);
      ASSERT_TRUE(t12.ok());
      ASSERT_EQ(*t12, *t2);
      Instant mid = s + std::chrono::seconds{static_cast<Seconds>(rng() % (3 * 86400))};
      Instant end = mid + std::chrono::seconds{static_cast<Seconds>(rng() % (3 * 86400))};
      ASSERT_EQ(k.Between(s, end), k.Between(s, mid) + k.Between(mid, end));
    }
  }
}

TEST(BusinessCalendarProperty, SharedAcrossThreads) {
  auto cal = testing::CalendarFromJson(testing::ReadDataFile("calendar/data/berlin_office.json"));
  // Many threads racing to build the same lazily expanded blocks agree.
  std::vector<std::thread> threads;
  std::vector<Seconds> sums(4, 0);
  for (int i = 0; i < 4; ++i)
    threads.emplace_back([&, i] {
      for (int y = 1990; y < 2100; y += 3)
        sums[static_cast<size_t>(i)] += cal->Between(FromEpoch((y - 1970) * 31556952LL),
                                                     FromEpoch((y - 1969) * 31556952LL));
    });
  for (auto& t : threads) t.join();
  EXPECT_GT(sums[0], 0);
  for (int i = 1; i < 4; ++i) EXPECT_EQ(sums[static_cast<size_t>(i)], sums[0]);
}

}  // namespace
}  // namespace sladesk
