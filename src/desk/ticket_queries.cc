#include "desk/ticket_queries.h"

#include <map>

#include "desk/plan_rules.h"
#include "desk/sla_projector.h"
#include "desk/ticket_rules.h"

namespace sladesk {

Result<TicketDetail> TicketQueries::Get(const User& actor, Instant now, std::int64_t number) {
  auto scope = access_.Load(actor, number, false, true);
  if (!scope.ok()) return scope.error();
  TicketDetail out;
  out.ticket = scope->ticket;
  // Live: the stored columns are as of the last change.
  if (Status st = SlaProjector::Project(*scope->policy, *scope->plan, scope->log, now, out.ticket); !st.ok())
    return st.error();
  const Ticket& t = out.ticket;
  if (t.assignee_id) {
    auto a = access_.repo().GetUser(*t.assignee_id);
    if (!a.ok()) return a.error();
    out.assignee = *a;
  }
  auto r = access_.repo().GetUser(t.requester_id);
  if (!r.ok()) return r.error();
  out.requester = *r;
  out.organisation_name = scope->organisation.name;
  const Lifecycle& lc = scope->policy->lifecycle;
  if (t.resolved_at && lc.reopen_allowed)
    out.reopen_deadline = TicketRules::ReopenDeadline(*t.resolved_at, lc.reopen_window,
                                                      *PlanRules::MonthZone(*scope->plan, scope->organisation));
  return out;
}

Result<std::vector<Ticket>> TicketQueries::List(const User& actor, TicketQuery q) {
  if (actor.role == Role::kContact) {
    if (q.organisation_id && q.organisation_id != actor.organisation_id)
      return ForbiddenError("contacts see their own organisation's tickets only");
    q.organisation_id = actor.organisation_id;
  }
  return access_.repo().ListTickets(q);
}

Result<std::vector<QueueEntry>> TicketQueries::Queue(const User& actor, Instant now, TicketQuery q) {
  if (actor.role == Role::kContact) {
    if (q.organisation_id && q.organisation_id != actor.organisation_id)
      return ForbiddenError("contacts see their own organisation's tickets only");
    q.organisation_id = actor.organisation_id;
  }
  q.now = now;
  auto rows = access_.repo().ListQueue(q);
  if (!rows.ok()) return rows.error();
  std::vector<QueueEntry> out;
  out.reserve(rows->size());
  for (auto& r : *rows) out.push_back(QueueView::Evaluate(std::move(r), access_.policies(), now));
  return out;
}

Result<std::vector<std::pair<Message, std::optional<User>>>> TicketQueries::Messages(const User& actor,
                                                                                      std::int64_t number) {
  auto scope = access_.Load(actor, number, false, false);
  if (!scope.ok()) return scope.error();
  auto msgs = access_.repo().ListMessages(scope->ticket.id, IsStaff(actor.role));
  if (!msgs.ok()) return msgs.error();
  std::map<Id, std::optional<User>> authors;
  std::vector<std::pair<Message, std::optional<User>>> out;
  for (auto& m : *msgs) {
    auto it = authors.find(m.author_id);
    if (it == authors.end()) {
      auto u = access_.repo().GetUser(m.author_id);
      if (!u.ok()) return u.error();
      it = authors.emplace(m.author_id, *u).first;
    }
    out.emplace_back(std::move(m), it->second);
  }
  return out;
}

Result<std::vector<TicketEventRecord>> TicketQueries::Events(const User& actor, std::int64_t number) {
  auto scope = access_.Load(actor, number, false, true);
  if (!scope.ok()) return scope.error();
  if (IsStaff(actor.role)) return std::move(scope->log);
  std::vector<TicketEventRecord> out;
  for (auto& e : scope->log)
    if (e.kind != EventKind::kInternalNote && e.kind != EventKind::kTimeLogged) out.push_back(std::move(e));
  return out;
}

Result<TicketSlaReport> TicketQueries::Sla(const User& actor, Instant now, std::int64_t number, bool explain) {
  auto scope = access_.Load(actor, number, false, true);
  if (!scope.ok()) return scope.error();
  TicketSlaReport out;
  out.ticket = scope->ticket;
  SlaExplanation explanation;
  auto report = SlaProjector::Report(*scope->policy, *scope->plan, scope->log, scope->ticket, now,
                                     explain ? &explanation : nullptr);
  if (!report.ok()) return report.error();
  out.report = std::move(report).value();
  if (explain) out.explanation = std::move(explanation);
  return out;
}

Result<std::vector<Attachment>> TicketQueries::Attachments(const User& actor, std::int64_t number) {
  auto scope = access_.Load(actor, number, false, false);
  if (!scope.ok()) return scope.error();
  return access_.repo().ListAttachments(scope->ticket.id);
}

Result<Attachment> TicketQueries::GetAttachment(const User& actor, std::int64_t number, Id attachment_id) {
  auto scope = access_.Load(actor, number, false, false);
  if (!scope.ok()) return scope.error();
  auto a = access_.repo().GetAttachment(scope->ticket.id, attachment_id);
  if (!a.ok()) return a.error();
  if (!*a) return NotFoundError("attachment " + std::to_string(attachment_id) + " does not exist");
  return std::move(**a);
}

Result<std::vector<TimeEntry>> TicketQueries::TimeEntries(const User& actor, std::int64_t number) {
  if (!IsStaff(actor.role)) return ForbiddenError("contacts cannot read logged time");
  auto scope = access_.Load(actor, number, false, false);
  if (!scope.ok()) return scope.error();
  return access_.repo().ListTimeEntries(scope->ticket.id);
}

}  // namespace sladesk
