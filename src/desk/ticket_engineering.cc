#include "desk/ticket_engineering.h"

#include <cmath>

#include "desk/plan_rules.h"
#include "desk/text_rules.h"
#include "desk/ticket_rules.h"

namespace sladesk {

using nlohmann::json;

Result<Ticket> TicketEngineering::LinkIssue(const User& actor, Instant now, std::int64_t number,
                                            const LinkIssueInput& in) {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff link engineering issues");
  if (TextRules::IsBlank(in.id) || in.id.size() > 200) return MakeError("id", "'id' (the issue's id in the tracker) must be 1 to 200 bytes");
  for (auto [name, v] : {std::pair<const char*, const std::string*>{"id", &in.id}, {"url", &in.url}, {"priority", &in.priority}})
    if (Status st = TextRules::CheckSingleLine(name, *v); !st.ok()) return st.error();
  if (!in.url.empty() && in.url.rfind("https://", 0) != 0 && in.url.rfind("http://", 0) != 0)
    return MakeError("url", "'url' must be an http:// or https:// address");
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketAccess::CheckVersion(t, in.expected); !st.ok()) return st.error();
  if (Status st = TicketRules::CheckChange(t.status, TicketChange::kLinkIssue, true); !st.ok()) return st.error();
  const Lifecycle& lc = scope->policy->lifecycle;
  t.external_issue = in.id;
  t.external_issue_url = in.url;
  t.external_issue_priority = in.priority.empty() ? t.severity : in.priority;
  t.external_issue_status = "linked";
  t.bug_escalated_at = now;
  std::vector<TicketEventRecord> events{TicketAccess::Event(
      actor, now, EventKind::kEngineeringIssueLinked,
      {{"id", t.external_issue}, {"url", t.external_issue_url}, {"priority", t.external_issue_priority},
       {"suspends_targets", lc.bug_escalation_suspends_targets}})};
  if (lc.bug_escalation_closes_ticket && t.status != TicketStatus::kResolved) {
    events.push_back(TicketAccess::Event(actor, now, EventKind::kResolved,
                                         {{"from", StatusName(t.status)}, {"to", "resolved"}, {"outcome", "bug_escalated"},
                                          {"reason", "the bug entered development planning"}}));
    t.status = TicketStatus::kResolved;
    t.outcome = TicketOutcome::kBugEscalated;
    t.resolved_at = now;
  }
  return access_.Save(*scope, now, std::move(events));
}

Result<Ticket> TicketEngineering::PostUpdate(const User& actor, Instant now, std::int64_t number,
                                             const EngineeringUpdateInput& in) {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff and the engineering tracker post engineering updates");
  if (TextRules::IsBlank(in.status) || in.status.size() > 100) return MakeError("status", "'status' must be 1 to 100 bytes");
  if (Status st = TextRules::CheckSingleLine("status", in.status); !st.ok()) return st.error();
  if (Status st = TextRules::CheckMultiLine("note", in.note); !st.ok()) return st.error();
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (t.external_issue.empty()) return ConflictError("ticket", "ticket " + std::to_string(number) + " has no linked engineering issue");
  if (Status st = TicketRules::CheckChange(t.status, TicketChange::kLinkIssue, true); !st.ok()) return st.error();
  std::string body = "Engineering update on " + t.external_issue + ": " + in.status + ".";
  if (!in.note.empty()) body += "\n\n" + in.note;
  auto mid = access_.repo().InsertMessage({0, t.id, actor.id, Visibility::kPublic, body, now});
  if (!mid.ok()) return mid.error();
  t.external_issue_status = in.status;
  return access_.Save(*scope, now,
                      {TicketAccess::Event(actor, now, EventKind::kEngineeringUpdate,
                                           {{"id", t.external_issue}, {"status", in.status}, {"note", in.note},
                                            {"done", in.done}, {"message_id", *mid}})});
}

Result<SupportHoursUsage> TicketEngineering::Usage(DeskRepository& repo, const Plan& plan, const Organisation& org,
                                                   Instant now) {
  SupportHoursUsage u;
  auto zone = PlanRules::MonthZone(plan, org);
  auto [from, to] = PlanRules::ContractYear(org, *zone, now);
  u.period_from = from;
  u.period_to = to;
  if (org.support_hours_budget) u.budget_seconds = static_cast<Seconds>(std::llround(*org.support_hours_budget * 3600));
  auto used = repo.SumTimeSeconds(org.id, from, to);
  if (!used.ok()) return used.error();
  u.used_seconds = *used;
  return u;
}

Status TicketEngineering::CheckBudget(TicketScope& scope, const User& actor, Instant now, Seconds extra_used,
                                      std::vector<TicketEventRecord>& events) {
  Ticket& t = scope.ticket;
  auto usage = Usage(access_.repo(), *scope.plan, scope.organisation, now);
  if (!usage.ok()) return usage.error();
  usage->used_seconds += extra_used;  // time logged in this unit, not yet visible to the sum
  const auto remaining = usage->remaining_seconds();
  const Seconds needed = t.estimated_seconds ? std::max<Seconds>(0, *t.estimated_seconds - t.time_spent_seconds) : 0;
  const bool over = remaining && (needed > *remaining || *remaining < 0);
  if (over && !t.over_support_budget)
    events.push_back(TicketAccess::Event(actor, now, EventKind::kSupportBudgetWarning,
                                         {{"remaining_seconds", *remaining}, {"needed_seconds", needed},
                                          {"budget_seconds", *usage->budget_seconds}}));
  t.over_support_budget = over;
  return Status::Ok();
}

Result<Ticket> TicketEngineering::LogTime(const User& actor, Instant now, std::int64_t number, const TimeLogInput& in) {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff log support time");
  if (in.seconds <= 0 || in.seconds > 24 * 3600) return MakeError("minutes", "logged time must be 1 minute to 24 hours");
  if (Status st = TextRules::CheckMultiLine("note", in.note); !st.ok()) return st.error();
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketRules::CheckChange(t.status, TicketChange::kLogTime, true); !st.ok()) return st.error();
  auto id = access_.repo().InsertTimeEntry({0, t.id, t.organisation_id, actor.id, in.seconds, in.note, now});
  if (!id.ok()) return id.error();
  t.time_spent_seconds += in.seconds;
  std::vector<TicketEventRecord> events{TicketAccess::Event(
      actor, now, EventKind::kTimeLogged, {{"seconds", in.seconds}, {"note", in.note}, {"time_entry_id", *id}})};
  if (Status st = CheckBudget(*scope, actor, now, 0, events); !st.ok()) return st.error();
  return access_.Save(*scope, now, std::move(events));
}

Result<Ticket> TicketEngineering::SetEstimate(const User& actor, Instant now, std::int64_t number,
                                              std::optional<Seconds> estimate, const ExpectedVersion& expected) {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff estimate support time");
  if (estimate && (*estimate < 0 || *estimate > 10000 * 3600LL))
    return MakeError("estimated_hours", "'estimated_hours' must be 0 to 10000");
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketAccess::CheckVersion(t, expected); !st.ok()) return st.error();
  if (Status st = TicketRules::CheckChange(t.status, TicketChange::kEditFields, true); !st.ok()) return st.error();
  std::vector<TicketEventRecord> events;
  if (estimate != t.estimated_seconds)
    events.push_back(TicketAccess::Event(
        actor, now, EventKind::kFieldsUpdated,
        {{"changes", {{"estimated_seconds", {{"from", t.estimated_seconds ? json(*t.estimated_seconds) : json(nullptr)},
                                             {"to", estimate ? json(*estimate) : json(nullptr)}}}}}}));
  t.estimated_seconds = estimate;
  if (Status st = CheckBudget(*scope, actor, now, 0, events); !st.ok()) return st.error();
  return access_.Save(*scope, now, std::move(events));
}

}  // namespace sladesk
