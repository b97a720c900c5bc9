#include "desk/outbox_repository.h"

#include <algorithm>
#include <array>
#include <utility>

namespace sladesk {
namespace {

constexpr std::array<std::pair<OutboxChannel, std::string_view>, 3> kChannels{{
    {OutboxChannel::kWebhook, "webhook"}, {OutboxChannel::kInApp, "in_app"}, {OutboxChannel::kEmail, "email"}}};
constexpr std::array<std::pair<OutboxState, std::string_view>, 6> kStates{{{OutboxState::kPending, "pending"},
                                                                           {OutboxState::kSending, "sending"},
                                                                           {OutboxState::kSent, "sent"},
                                                                           {OutboxState::kFailed, "failed"},
                                                                           {OutboxState::kFannedOut, "fanned_out"},
                                                                           {OutboxState::kHeld, "held"}}};

template <typename E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [k, n] : table)
    if (k == e) return n;
  return "";
}
template <typename E, std::size_t N>
std::optional<E> FromName(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
  for (const auto& [k, n] : table)
    if (n == s) return k;
  return std::nullopt;
}

}  // namespace

std::string_view OutboxChannelName(OutboxChannel c) { return NameOf(kChannels, c); }
std::optional<OutboxChannel> OutboxChannelFromName(std::string_view s) { return FromName(kChannels, s); }
std::string_view OutboxStateName(OutboxState s) { return NameOf(kStates, s); }
std::optional<OutboxState> OutboxStateFromName(std::string_view s) { return FromName(kStates, s); }

bool WebhookEndpoint::Subscribes(std::string_view event_type) const {
  return std::any_of(event_types.begin(), event_types.end(),
                     [&](const std::string& t) { return t == "*" || t == event_type; });
}

}  // namespace sladesk
