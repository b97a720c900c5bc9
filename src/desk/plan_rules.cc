#include "desk/plan_rules.h"

#include <cstdio>

#include <date/date.h>

#include "desk/ticket_rules.h"

namespace sladesk {
namespace {

std::optional<ChannelKind> KindFor(TicketChannel c) {
  switch (c) {
    case TicketChannel::kPortal: case TicketChannel::kApi: return ChannelKind::kPortal;
    case TicketChannel::kEmail: return ChannelKind::kEmail;
    case TicketChannel::kChat: return ChannelKind::kChat;
    case TicketChannel::kPhone: return ChannelKind::kPhone;
  }
  return std::nullopt;
}

std::optional<TicketChannel> TicketChannelFor(ChannelKind k) {
  switch (k) {
    case ChannelKind::kPortal: return TicketChannel::kPortal;
    case ChannelKind::kEmail: return TicketChannel::kEmail;
    case ChannelKind::kChat: return TicketChannel::kChat;
    case ChannelKind::kPhone: return TicketChannel::kPhone;
    default: return std::nullopt;  // remote assistance and self-service open no tickets
  }
}

}  // namespace

const Plan* PlanRules::EffectivePlan(const Policy& policy, const Organisation& organisation) {
  if (organisation.onboarding_pending && policy.onboarding)
    if (const Plan* p = policy.FindPlan(policy.onboarding->plan_until_complete)) return p;
  return policy.FindPlan(organisation.plan_id);
}

std::shared_ptr<const TimeZone> PlanRules::MonthZone(const Plan& plan, const Organisation& organisation) {
  if (organisation.time_zone)
    if (auto z = TimeZone::Locate(*organisation.time_zone); z.ok()) return *z;
  if (plan.calendar)
    if (auto z = TimeZone::Locate(plan.calendar->zone().name()); z.ok()) return *z;
  return *TimeZone::Locate("UTC");
}

Status PlanRules::CheckChannel(const Plan& plan, TicketChannel channel, const std::string& severity) {
  if (plan.channels.empty()) return Status::Ok();
  const auto kind = KindFor(channel);
  bool listed = false;
  for (const auto& c : plan.channels) {
    if (c.kind != kind) continue;
    listed = true;
    if (c.severities.empty()) return Status::Ok();
    for (const auto& s : c.severities)
      if (s == severity) return Status::Ok();
  }
  std::string offered;
  for (const auto& c : plan.channels)
    if (TicketChannelFor(c.kind) && offered.find(ChannelKindName(c.kind)) == std::string::npos)
      offered += (offered.empty() ? "" : ", ") + std::string(ChannelKindName(c.kind));
  const std::string plan_name = plan.name.empty() ? plan.id : plan.name;
  if (listed)
    return MakeError("channel", "the " + plan_name + " plan takes '" + std::string(TicketChannelName(channel)) +
                                    "' tickets only for some severities, not '" + severity + "'");
  return MakeError("channel", "the " + plan_name + " plan does not include '" +
                                  std::string(TicketChannelName(channel)) + "' support" +
                                  (offered.empty() ? std::string() : "; it takes tickets by " + offered));
}

TicketChannel PlanRules::DefaultChannel(const Plan& plan) {
  for (const auto& c : plan.channels)
    if (auto t = TicketChannelFor(c.kind)) return *t;
  return TicketChannel::kPortal;
}

std::pair<Instant, Instant> PlanRules::ContractYear(const Organisation& organisation, const TimeZone& zone,
                                                    Instant now) {
  const date::year_month_day today{date::floor<date::days>(zone.ToLocal(now))};
  if (organisation.renewal_date) {
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::sscanf(organisation.renewal_date->c_str(), "%d-%u-%u", &y, &m, &d) == 3) {
      const date::local_seconds renewal{date::local_days{date::year{y} / date::month{m} / date::day{d}}};
      // Move the renewal date by whole years until it is the first one after now.
      int shift = static_cast<int>(today.year()) - y;
      date::local_seconds end = TicketRules::AddCalendarMonths(renewal, 12 * shift);
      if (zone.ToSys(end) <= now) end = TicketRules::AddCalendarMonths(renewal, 12 * (shift + 1));
      else if (zone.ToSys(TicketRules::AddCalendarMonths(end, -12)) > now)
        end = TicketRules::AddCalendarMonths(end, -12);
      return {zone.ToSys(TicketRules::AddCalendarMonths(end, -12)), zone.ToSys(end)};
    }
  }
  const date::local_seconds from{date::local_days{today.year() / 1 / 1}};
  return {zone.ToSys(from), zone.ToSys(TicketRules::AddCalendarMonths(from, 12))};
}

}  // namespace sladesk
