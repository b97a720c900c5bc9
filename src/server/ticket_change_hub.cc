#include "server/ticket_change_hub.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace sladesk {

void TicketChangeHub::Prune() {
  subscribers_.erase(std::remove_if(subscribers_.begin(), subscribers_.end(),
                                    [](const Subscriber& s) {
                                      auto p = s.stream.lock();
                                      return !p || p->closed();
                                    }),
                     subscribers_.end());
}

void TicketChangeHub::Publish(std::int64_t organisation_id, std::int64_t number, std::int64_t version,
                              const std::string& reason) {
  const std::string data =
      nlohmann::json{{"number", number}, {"version", version}, {"reason", reason}}.dump();
  std::vector<std::shared_ptr<EventStream>> targets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Prune();
    for (const auto& s : subscribers_)
      if (!s.organisation || *s.organisation == organisation_id)
        if (auto p = s.stream.lock()) targets.push_back(std::move(p));
  }
  for (auto& t : targets) t->Send("ticket", data);
}

void TicketChangeHub::PublishClock(Instant now) {
  const std::string data = nlohmann::json{{"now", FormatInstant(now)}}.dump();
  std::vector<std::shared_ptr<EventStream>> targets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    Prune();
    for (const auto& s : subscribers_)
      if (auto p = s.stream.lock()) targets.push_back(std::move(p));
  }
  for (auto& t : targets) t->Send("clock", data);
}

void TicketChangeHub::Subscribe(const std::shared_ptr<EventStream>& stream, std::optional<std::int64_t> organisation) {
  std::lock_guard<std::mutex> lock(mu_);
  Prune();
  subscribers_.push_back({stream, organisation});
}

std::size_t TicketChangeHub::subscribers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return subscribers_.size();
}

}  // namespace sladesk
