#include "desk/ticket_intake.h"

#include "desk/firing_planner.h"
#include "desk/plan_rules.h"
#include "desk/sla_projector.h"
#include "desk/text_rules.h"
#include "desk/ticket_access.h"
#include "desk/ticket_fields.h"
#include "desk/ticket_notifications.h"
#include "desk/ticket_rules.h"

namespace sladesk {
namespace {

Status CheckTexts(const OpenTicketInput& in) {
  if (TextRules::IsBlank(in.subject)) return MakeError("subject", "'subject' must not be empty");
  if (TextRules::IsBlank(in.description)) return MakeError("description", "'description' must not be empty");
  if (Status st = TextRules::CheckSingleLine("subject", in.subject); !st.ok()) return st;
  if (Status st = TextRules::CheckSingleLine("product_area", in.product_area); !st.ok()) return st;
  const std::pair<const char*, const std::string*> multi[] = {{"description", &in.description},
                                                              {"steps_to_reproduce", &in.steps_to_reproduce},
                                                              {"business_impact", &in.business_impact},
                                                              {"error_details", &in.error_details}};
  for (const auto& [name, value] : multi)
    if (Status st = TextRules::CheckMultiLine(name, *value); !st.ok()) return st;
  return Status::Ok();
}

}  // namespace

Result<OpenedTicket> TicketIntake::Open(const User& actor, Instant now, const OpenTicketInput& in) {
  if (Status st = CheckTexts(in); !st.ok()) return st.error();
  Ticket t;
  t.subject = in.subject;
  t.description = in.description;
  t.steps_to_reproduce = in.steps_to_reproduce;
  t.business_impact = in.business_impact;
  t.product_area = in.product_area;
  t.error_details = in.error_details;
  t.fields = in.fields;

  // Who opens it, for which organisation.
  User requester;
  if (actor.role == Role::kContact) {
    if (in.organisation_id && *in.organisation_id != *actor.organisation_id)
      return ForbiddenError("contacts open tickets for their own organisation only");
    if (in.requester_id && *in.requester_id != actor.id)
      return MakeError("requester_id", "contacts open tickets as themselves");
    if (in.assignee_id) return ForbiddenError("contacts cannot assign tickets");
    requester = actor;
  } else {
    if (!in.requester_id)
      return MakeError("requester_id", "'requester_id' (the customer contact) is required when staff open a ticket");
    auto found = repo_.GetUser(*in.requester_id);
    if (!found.ok()) return found.error();
    if (!*found || (*found)->role != Role::kContact || !(*found)->organisation_id)
      return MakeError("requester_id", "'requester_id' must be a customer contact");
    requester = **found;
    if (in.organisation_id && *in.organisation_id != *requester.organisation_id)
      return MakeError("organisation_id",
                       "the requester belongs to organisation " + std::to_string(*requester.organisation_id));
  }
  t.organisation_id = *requester.organisation_id;
  t.requester_id = requester.id;

  // The organisation row lock serialises creates per organisation, so the
  // monthly quota holds across server processes.
  auto org = repo_.GetOrganisation(t.organisation_id, true);
  if (!org.ok()) return org.error();
  if (!*org) return NotFoundError("organisation " + std::to_string(t.organisation_id) + " does not exist");
  TicketAccess access(repo_, policies_);
  auto rules = access.RulesFor(**org);
  if (!rules.ok()) return rules.error();
  const Policy& policy = *rules->policy;
  const Plan& plan = *rules->plan;
  t.plan_id = plan.id;

  if ((*org)->named_contact_limit && (!requester.named_contact || !requester.active))
    return ForbiddenError("only the organisation's named support contacts may open tickets");
  t.severity = in.severity.value_or(policy.default_severity);
  if (!policy.FindSeverity(t.severity)) {
    std::string ids;
    for (const auto& s : policy.severities) ids += (ids.empty() ? "" : ", ") + s.id;
    return MakeError("severity", "unknown severity '" + t.severity + "'; this policy has: " + ids);
  }
  t.channel = in.channel.value_or(actor.role == Role::kContact ? TicketChannel::kPortal
                                                                 : PlanRules::DefaultChannel(plan));
  if (Status st = PlanRules::CheckChannel(plan, t.channel, t.severity); !st.ok()) return st.error();
  if (Status st = TicketFields::CheckValues(policy, t.fields); !st.ok()) return st.error();
  if (Status st = TicketFields::CheckRequired(policy, t, **org, requester); !st.ok()) return st.error();

  // Every read comes before the first write, so that in a batch the writes
  // can be queued and a refusal costs no savepoint.
  std::optional<User> assignee;
  if (in.assignee_id) {
    auto a = repo_.GetUser(*in.assignee_id);
    if (!a.ok()) return a.error();
    if (!*a || !IsStaff((*a)->role) || !(*a)->active)
      return MakeError("assignee_id", "'assignee_id' must be an active agent");
    assignee = **a;
  } else if ((*org)->csm_user_id) {
    auto a = repo_.GetUser(*(*org)->csm_user_id);
    if (!a.ok()) return a.error();
    if (*a && (*a)->active) assignee = **a;
  }
  if (assignee) t.assignee_id = assignee->id;

  std::optional<std::int64_t> limit = (*org)->incidents_per_month;
  if (!limit && plan.quota.incidents_per_month) limit = *plan.quota.incidents_per_month;
  // Counted for every ticket (the organisation view shows it); a refused
  // create rolls the increment back with everything else.
  const Instant month = TicketRules::MonthStart(now, *PlanRules::MonthZone(plan, **org));
  auto opened_now = repo_.IncrementIncidents((*org)->id, month);
  if (!opened_now.ok()) return opened_now.error();
  if (limit) {
    Status q = TicketRules::CheckIncidentQuota(*opened_now - 1, limit);
    if (!q.ok()) {
      if (plan.quota.incidents_exceeded == QuotaAction::kRefuse) return q.error();
      t.over_quota = true;  // the policy says: accept and flag
    }
  }
  auto number = repo_.NextTicketNumber();
  if (!number.ok()) return number.error();
  t.number = *number;
  t.status = TicketStatus::kNew;
  t.opened_at = now;
  t.updated_at = now;
  std::vector<TicketEventRecord> events{TicketAccess::Event(
      actor, now, EventKind::kOpened, {{"severity", t.severity}, {"channel", TicketChannelName(t.channel)}})};
  if (assignee) events.push_back(TicketAccess::Event(actor, now, EventKind::kAssigned, {{"assignee_id", assignee->id}}));
  // The clocks are derived from the (new) log before the single insert.
  if (Status st = SlaProjector::Project(policy, plan, events, now, t); !st.ok()) return st.error();
  auto id = repo_.InsertTicket(t);
  if (!id.ok()) return id.error();
  t.id = *id;
  for (auto& e : events) {
    e.ticket_id = t.id;
    if (Status st = repo_.AppendEvent(e); !st.ok()) return st.error();
  }
  auto fire = FiringPlanner::Compute(policy, plan, t, events, now, now);
  if (!fire.ok()) return fire.error();
  t.next_fire = fire->next_fire;
  if (Status st = repo_.SetTicketDue(t.id, t.number, t.next_fire); !st.ok()) return st.error();
  // The acknowledgement and the rest of what the new ticket tells people,
  // in this transaction.
  TicketNotificationScope told{&t, &**org, &policy, &plan, requester, assignee, actor};
  if (Status st = TicketNotifications(repo_).Write(told, events, 0, now); !st.ok()) return st.error();
  OpenedTicket out;
  out.acknowledgement = "Ticket #" + std::to_string(t.number) + " received (severity " + t.severity + ").";
  out.acknowledgement += assignee ? " Your support officer is " + assignee->name + "."
                                  : " A support officer will be assigned shortly.";
  if (t.over_quota) out.acknowledgement += " This ticket exceeds the plan's monthly incident quota.";
  out.ticket = std::move(t);
  out.officer = std::move(assignee);
  return out;
}

}  // namespace sladesk
