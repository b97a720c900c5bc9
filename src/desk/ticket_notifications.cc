#include "desk/ticket_notifications.h"

namespace sladesk {

Result<NotificationPeople> TicketNotifications::People(const TicketNotificationScope& scope,
                                                       std::span<const TicketEventRecord> events) {
  NotificationPeople people;
  if (!repo_.outbox() || !scope.ticket || !scope.organisation) return people;
  const auto needs = NotificationPlanner::NeedsFor(events);
  if (!needs.any()) return people;
  const Ticket& t = *scope.ticket;
  auto user = [&](Id id) -> Result<std::optional<User>> {
    if (scope.requester && scope.requester->id == id) return scope.requester;
    if (scope.assignee && scope.assignee->id == id) return scope.assignee;
    if (scope.actor && scope.actor->id == id) return scope.actor;
    if (auto it = people.actors.find(id); it != people.actors.end()) return std::optional<User>(it->second);
    // Read once per unit: the assignee is often the actor, a contact both
    // requester and actor.
    if (people.requester && people.requester->id == id) return people.requester;
    if (people.assignee && people.assignee->id == id) return people.assignee;
    if (people.csm && people.csm->id == id) return people.csm;
    return repo_.GetUser(id);
  };
  if (needs.requester) {
    auto u = user(t.requester_id);
    if (!u.ok()) return u.error();
    people.requester = std::move(*u);
  }
  if (needs.assignee && t.assignee_id) {
    auto u = user(*t.assignee_id);
    if (!u.ok()) return u.error();
    people.assignee = std::move(*u);
  }
  if (needs.csm && scope.organisation->csm_user_id) {
    auto u = user(*scope.organisation->csm_user_id);
    if (!u.ok()) return u.error();
    if (*u && (*u)->active) people.csm = std::move(*u);
  }
  if (needs.leads) {
    auto staff = repo_.ListUsers(std::nullopt);
    if (!staff.ok()) return staff.error();
    for (auto& s : *staff)
      if (s.role == Role::kLead && s.active) people.leads.push_back(std::move(s));
  }
  for (Id id : needs.actors) {
    auto u = user(id);
    if (!u.ok()) return u.error();
    if (*u) people.actors.emplace(id, std::move(**u));
  }
  return people;
}

Status TicketNotifications::Write(const TicketNotificationScope& scope, std::span<const TicketEventRecord> events,
                                  std::int64_t first_index, Instant now) {
  auto people = People(scope, events);
  if (!people.ok()) return people.error();
  return Write(scope, *people, events, first_index, now);
}

Status TicketNotifications::Write(const TicketNotificationScope& scope, const NotificationPeople& people,
                                  std::span<const TicketEventRecord> events, std::int64_t first_index, Instant now) {
  OutboxRepository* outbox = repo_.outbox();
  if (!outbox || !scope.ticket || !scope.organisation || !scope.policy || !scope.plan) return Status::Ok();
  const Ticket& t = *scope.ticket;
  NotificationInput in;
  in.ticket = &t;
  in.organisation = scope.organisation;
  in.policy = scope.policy;
  in.plan = scope.plan;
  in.events = events;
  in.first_index = first_index;
  in.people = &people;
  in.now = now;
  auto rows = NotificationPlanner::Rows(in);
  if (rows.empty()) return Status::Ok();
  return outbox->Enqueue(rows);
}

}  // namespace sladesk
