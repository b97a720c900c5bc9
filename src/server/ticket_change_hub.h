// TicketChangeHub: who is watching the desk live (GET /api/v1/stream), and
// the fan-out of "ticket N changed" to them.
//
// Purpose: the web app re-fetches what it shows when a ticket changes, so
// the queue reorders without polling. Every committed write that changed a
// ticket publishes (DeskApi after COMMIT; the scheduler when it fires),
// and a contact's stream hears only their organisation's tickets. Under
// `serve --test-clock` a jump of the clock is published too.
// Thread-safety: every method is safe from any thread.
// Ownership: holds the open streams until they close.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/instant.h"
#include "server/event_stream.h"

namespace sladesk {

class TicketChangeHub {
 public:
  // reason: "changed", "warning", "breach".
  void Publish(std::int64_t organisation_id, std::int64_t number, std::int64_t version, const std::string& reason);
  void PublishClock(Instant now);
  // `organisation`: only that organisation's tickets (contacts); nullopt: all.
  void Subscribe(const std::shared_ptr<EventStream>& stream, std::optional<std::int64_t> organisation);
  std::size_t subscribers() const;

 private:
  struct Subscriber {
    std::weak_ptr<EventStream> stream;
    std::optional<std::int64_t> organisation;
  };
  void Prune();  // drops closed streams; mu_ held

  mutable std::mutex mu_;
  std::vector<Subscriber> subscribers_;
};

}  // namespace sladesk
