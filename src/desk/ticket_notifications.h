// TicketNotifications: writes the notifications of one unit of work's
// ticket events into the outbox of the same transaction.
//
// Purpose: the hook every ticket change passes through (TicketAccess::Save
// and TicketIntake::Open): it looks up the people NotificationPlanner
// needs (requester, assignee, the organisation's CSM, the leads, the
// events' actors), plans the rows and enqueues them, so a change and what
// it tells people commit or roll back together. Does nothing when the
// repository keeps no outbox or no event is notified.
// Thread-safety: one unit of work, one thread. Ownership: borrows the repository.
#pragma once

#include <optional>
#include <span>

#include "common/result.h"
#include "desk/desk_repository.h"
#include "desk/notification_planner.h"

namespace sladesk {

struct TicketNotificationScope {
  const Ticket* ticket = nullptr;
  const Organisation* organisation = nullptr;
  const Policy* policy = nullptr;
  const Plan* plan = nullptr;
  // People the caller already holds (skips their look-up).
  std::optional<User> requester;
  std::optional<User> assignee;
  std::optional<User> actor;
};

class TicketNotifications {
 public:
  explicit TicketNotifications(DeskRepository& repo) : repo_(repo) {}
  // The people the events' notifications name. Reads only: call it before
  // the unit's first write, so that in a batch the writes stay queued.
  Result<NotificationPeople> People(const TicketNotificationScope& scope, std::span<const TicketEventRecord> events);
  // `events` are this unit's, appended at log positions first_index,
  // first_index + 1, ...; `people` from People() for the same events.
  Status Write(const TicketNotificationScope& scope, const NotificationPeople& people,
               std::span<const TicketEventRecord> events, std::int64_t first_index, Instant now);
  // Both at once (the events' people read now).
  Status Write(const TicketNotificationScope& scope, std::span<const TicketEventRecord> events,
               std::int64_t first_index, Instant now);

 private:
  DeskRepository& repo_;
};

}  // namespace sladesk
