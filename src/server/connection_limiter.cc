#include "server/connection_limiter.h"

namespace sladesk {

std::unique_ptr<ConnectionLimiter::Slot> ConnectionLimiter::TryAcquire(const std::string& address, Refusal* why) {
  std::lock_guard<std::mutex> lock(mu_);
  if (open_ >= max_total_) {
    *why = Refusal::kTotal;
    return nullptr;
  }
  std::size_t& mine = per_address_[address];
  if (mine >= max_per_address_) {
    if (mine == 0) per_address_.erase(address);
    *why = Refusal::kPerAddress;
    return nullptr;
  }
  ++mine;
  ++open_;
  *why = Refusal::kNone;
  return std::make_unique<Slot>(this, address);
}

void ConnectionLimiter::Release(const std::string& address) {
  std::lock_guard<std::mutex> lock(mu_);
  --open_;
  auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

std::size_t ConnectionLimiter::open() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

std::size_t ConnectionLimiter::open_from(const std::string& address) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = per_address_.find(address);
  return it == per_address_.end() ? 0 : it->second;
}

}  // namespace sladesk
