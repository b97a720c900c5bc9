// ConnectionLimiter: caps open connections in total and per remote address.
//
// Purpose: one client holding thousands of idle sockets must not stop
// everyone else from connecting (defect 6 of the desk-layer issue). The
// server asks for a slot per accepted socket and refuses the connection
// (503, then close) when none is free; the slot goes back when the session
// ends.
// Thread-safety: TryAcquire and slot release are safe from any thread (one
// mutex). Ownership: slots borrow the limiter, which must outlive them.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace sladesk {

class ConnectionLimiter {
 public:
  enum class Refusal { kNone, kTotal, kPerAddress };

  // Returned while held; releases on destruction.
  class Slot {
   public:
    Slot(ConnectionLimiter* owner, std::string address) : owner_(owner), address_(std::move(address)) {}
    ~Slot() { owner_->Release(address_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;
    const std::string& address() const { return address_; }

   private:
    ConnectionLimiter* owner_;
    std::string address_;
  };

  ConnectionLimiter(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // A slot for a connection from `address`, or null with the reason in `why`.
  std::unique_ptr<Slot> TryAcquire(const std::string& address, Refusal* why);

  std::size_t open() const;
  std::size_t open_from(const std::string& address) const;
  std::size_t max_total() const { return max_total_; }
  std::size_t max_per_address() const { return max_per_address_; }

 private:
  void Release(const std::string& address);

  const std::size_t max_total_;
  const std::size_t max_per_address_;
  mutable std::mutex mu_;
  std::size_t open_ = 0;
  std::unordered_map<std::string, std::size_t> per_address_;
};

}  // namespace sladesk
