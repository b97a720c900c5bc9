#include "desk/ticket_access.h"

#include "desk/firing_planner.h"
#include "desk/plan_rules.h"
#include "desk/sla_projector.h"
#include "desk/ticket_notifications.h"

namespace sladesk {

Result<PolicyPlan> TicketAccess::RulesFor(const Organisation& org) const {
  const Policy* policy = policies_.Find(org.policy_id);
  if (!policy)
    return InternalError("organisation " + std::to_string(org.id) + " uses policy '" + org.policy_id +
                         "', which this server has not loaded");
  const Plan* plan = PlanRules::EffectivePlan(*policy, org);
  if (!plan) return InternalError("policy '" + org.policy_id + "' has no plan '" + org.plan_id + "'");
  return PolicyPlan{policy, plan};
}

Result<PolicyPlan> TicketAccess::RulesFor(const Organisation& org, const Ticket& ticket) const {
  auto rules = RulesFor(org);
  if (!rules.ok()) return rules;
  if (!ticket.plan_id.empty())
    if (const Plan* p = rules->policy->FindPlan(ticket.plan_id)) rules->plan = p;
  return rules;
}

Result<TicketScope> TicketAccess::Load(const User& actor, std::int64_t number, bool lock, bool with_log) {
  auto t = repo_.GetTicketByNumber(number, lock);
  if (!t.ok()) return t.error();
  if (!t->has_value() || (actor.role == Role::kContact && actor.organisation_id != (*t)->organisation_id))
    return NotFoundError("ticket " + std::to_string(number) + " does not exist");
  TicketScope scope;
  scope.ticket = std::move(**t);
  // Not locked: only creates lock the organisation (for the quota), so
  // ticket changes and creates always lock in the same order.
  auto o = repo_.GetOrganisation(scope.ticket.organisation_id, false);
  if (!o.ok()) return o.error();
  if (!o->has_value()) return InternalError("ticket " + std::to_string(number) + " has no organisation");
  scope.organisation = std::move(**o);
  auto rules = RulesFor(scope.organisation, scope.ticket);
  if (!rules.ok()) return rules.error();
  scope.policy = rules->policy;
  scope.plan = rules->plan;
  if (with_log) {
    auto log = repo_.ListEvents(scope.ticket.id);
    if (!log.ok()) return log.error();
    scope.log = std::move(log).value();
  }
  return scope;
}

Status TicketAccess::CheckVersion(const Ticket& ticket, const ExpectedVersion& expected) {
  return expected.Check(ticket.version, "ticket");
}

TicketEventRecord TicketAccess::Event(const User& actor, Instant now, EventKind kind, nlohmann::json data) {
  TicketEventRecord e;
  e.at = now;
  e.actor_id = actor.id;
  e.kind = kind;
  e.data_json = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return e;
}

Result<Ticket> TicketAccess::Save(TicketScope& scope, Instant now, std::vector<TicketEventRecord> events) {
  Ticket& ticket = scope.ticket;
  const Instant settled = ticket.updated_at;  // what fell due before it was handled then
  const std::int64_t first_index = static_cast<std::int64_t>(scope.log.size());
  // Who the change tells, read before this unit's writes are queued.
  TicketNotificationScope told{&ticket, &scope.organisation, scope.policy, scope.plan, {}, {}, {}};
  auto people = TicketNotifications(repo_).People(told, events);
  if (!people.ok()) return people.error();
  for (auto& e : events) {
    e.ticket_id = ticket.id;
    if (Status st = repo_.AppendEvent(e); !st.ok()) return st.error();
    scope.log.push_back(std::move(e));
  }
  Status st = SlaProjector::Project(*scope.policy, *scope.plan, scope.log, now, ticket);
  if (!st.ok()) return st.error();
  auto fire = FiringPlanner::Compute(*scope.policy, *scope.plan, ticket, scope.log, settled, now);
  if (!fire.ok()) return fire.error();
  ticket.next_fire = fire->next_fire;
  ticket.updated_at = now;
  auto saved = repo_.UpdateTicket(ticket, ticket.version);
  if (!saved.ok()) return saved.error();
  if (!*saved) return ConflictError("version", "the ticket was changed by another request; retry", "version");
  if (Status due = repo_.SetTicketDue(ticket.id, ticket.number, ticket.next_fire); !due.ok()) return due.error();
  ticket.version += 1;
  // What the change tells people, in the same unit of work.
  const std::size_t n = scope.log.size() - static_cast<std::size_t>(first_index);
  std::span<const TicketEventRecord> saved_events(scope.log.data() + first_index, n);
  if (Status st = TicketNotifications(repo_).Write(told, *people, saved_events, first_index, now); !st.ok()) return st.error();
  return ticket;
}

}  // namespace sladesk
