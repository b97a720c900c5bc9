#include "calendar/time_zone.h"

#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace sladesk {
namespace {

constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";

// The POSIX TZ string in the footer of a TZif (v2+) file, or "".
std::string ReadTzifFooter(const std::string& name) {
  std::ifstream in(kZoneInfoDir + name, std::ios::binary);
  if (!in) return "";
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() < 6 || data.compare(0, 4, "TZif") != 0 || data[4] < '2') return "";
  if (data.back() != '\n') return "";
  size_t start = data.rfind('\n', data.size() - 2);
  if (start == std::string::npos) return "";
  return data.substr(start + 1, data.size() - start - 2);
}

}  // namespace

TimeZone::TimeZone(std::string name, const date::time_zone* zone, std::optional<PosixTzRule> footer,
                   Instant footer_from)
    : name_(std::move(name)), zone_(zone), footer_(std::move(footer)), footer_from_(footer_from) {}

Result<std::shared_ptr<const TimeZone>> TimeZone::Locate(std::string_view name) {
  static std::mutex mu;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mu);
  if (auto it = cache.find(name); it != cache.end()) return it->second;

  std::string key(name);
  if (key.empty() || key.find("..") != std::string::npos || key.front() == '/')
    return MakeError("time_zone", "'" + key + "' is not an IANA time zone name");
  std::shared_ptr<const TimeZone> tz;
  if (key == "UTC" || key == "Etc/UTC") {
    tz = std::make_shared<TimeZone>(key, nullptr, std::nullopt, Instant{});
  } else {
    const date::time_zone* zone = nullptr;
    try {
      zone = date::locate_zone(key);
    } catch (const std::exception&) {
      return MakeError("time_zone", "unknown time zone '" + key +
                                        "' (expected an IANA name such as Europe/Berlin)");
    }
    // Instants after the last explicit transition follow the footer rule.
    auto last = zone->get_info(FromEpoch(kMaxEpoch));
    std::optional<PosixTzRule> footer = PosixTzRule::Parse(ReadTzifFooter(key));
    tz = std::make_shared<TimeZone>(key, zone, std::move(footer),
                                    Instant{date::floor<std::chrono::seconds>(last.begin)});
  }
  cache.emplace(key, tz);
  return tz;
}

Seconds TimeZone::OffsetAt(Instant t) const {
  if (zone_ == nullptr) return 0;
  if (footer_ && t >= footer_from_) return footer_->OffsetAt(t);
  return zone_->get_info(t).offset.count();
}

Instant TimeZone::ToSys(date::local_seconds local) const {
  if (zone_ == nullptr) return Instant{local.time_since_epoch()};
  Seconds l = local.time_since_epoch().count();
  // Two days of margin: within them both readings agree on the offset.
  if (footer_ && l - 2 * 86400 >= ToEpoch(footer_from_)) return footer_->ToSys(l);
  auto info = zone_->get_info(local);
  switch (info.result) {
    case date::local_info::nonexistent:
      return Instant{date::floor<std::chrono::seconds>(info.first.end).time_since_epoch()};
    case date::local_info::ambiguous:  // first occurrence: the earlier offset
    case date::local_info::unique:
    default:
      return Instant{std::chrono::seconds{l - info.first.offset.count()}};
  }
}

}  // namespace sladesk
