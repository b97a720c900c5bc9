#include "desk/ticket_workflow.h"

#include "desk/text_rules.h"
#include "desk/ticket_fields.h"
#include "desk/ticket_intake.h"
#include "desk/ticket_reopen.h"
#include "desk/ticket_rules.h"

namespace sladesk {
namespace {

using nlohmann::json;

std::string SeverityList(const Policy& p) {
  std::string ids;
  for (const auto& s : p.severities) ids += (ids.empty() ? "" : ", ") + s.id;
  return ids;
}

// One changed text field: checked, applied, and its old and new values kept.
Status ApplyText(const char* name, const std::optional<std::string>& value, bool multiline, bool required,
                 std::string& field, json& changes) {
  if (!value || *value == field) return Status::Ok();
  if (required && TextRules::IsBlank(*value)) return MakeError(name, "'" + std::string(name) + "' must not be empty");
  Status st = multiline ? TextRules::CheckMultiLine(name, *value) : TextRules::CheckSingleLine(name, *value);
  if (!st.ok()) return st;
  changes[name] = {{"from", field}, {"to", *value}};
  field = *value;
  return Status::Ok();
}

}  // namespace

Result<Ticket> TicketWorkflow::Update(const User& actor, Instant now, std::int64_t number,
                                      const UpdateTicketInput& in) {
  const bool staff = IsStaff(actor.role);
  if (in.change_assignee && !staff) return ForbiddenError("contacts cannot assign tickets");
  if (in.change_assignee && actor.role == Role::kAgent && in.assignee_id && *in.assignee_id != actor.id)
    return ForbiddenError("agents assign tickets to themselves; team leads assign others");
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketAccess::CheckVersion(t, in.expected); !st.ok()) return st.error();
  json changes = json::object();
  const struct {
    const char* name;
    const std::optional<std::string>* value;
    std::string* field;
    bool multiline, required;
  } texts[] = {{"subject", &in.subject, &t.subject, false, true},
               {"description", &in.description, &t.description, true, true},
               {"steps_to_reproduce", &in.steps_to_reproduce, &t.steps_to_reproduce, true, false},
               {"business_impact", &in.business_impact, &t.business_impact, true, false},
               {"product_area", &in.product_area, &t.product_area, false, false},
               {"error_details", &in.error_details, &t.error_details, true, false}};
  for (const auto& f : texts)
    if (Status st = ApplyText(f.name, *f.value, f.multiline, f.required, *f.field, changes); !st.ok())
      return st.error();
  std::map<std::string, std::string> given;
  for (const auto& [id, v] : in.fields)
    if (!v.empty()) given[id] = v;
  if (Status st = TicketFields::CheckValues(*scope->policy, given); !st.ok()) return st.error();
  for (const auto& [id, v] : in.fields) {
    if (!TicketFields::CustomType(*scope->policy, id))
      return MakeError("fields." + id, "the " + scope->policy->name + " policy has no ticket field '" + id + "'");
    auto it = t.fields.find(id);
    const std::string old = it == t.fields.end() ? "" : it->second;
    if (old == v) continue;
    changes["fields." + id] = {{"from", old}, {"to", v}};
    if (v.empty()) t.fields.erase(id);
    else t.fields[id] = v;
  }
  std::vector<TicketEventRecord> events;
  if (!changes.empty())
    if (Status st = TicketRules::CheckChange(t.status, TicketChange::kEditFields, staff); !st.ok()) return st.error();
  if (in.change_assignee && in.assignee_id != t.assignee_id) {
    if (Status st = TicketRules::CheckChange(t.status, TicketChange::kAssign, staff); !st.ok()) return st.error();
    if (in.assignee_id) {
      auto a = access_.repo().GetUser(*in.assignee_id);
      if (!a.ok()) return a.error();
      if (!*a || !IsStaff((*a)->role) || !(*a)->active)
        return MakeError("assignee_id", "'assignee_id' must be an active agent");
    }
    events.push_back(TicketAccess::Event(actor, now, EventKind::kAssigned,
                                         {{"assignee_id", in.assignee_id ? json(*in.assignee_id) : json(nullptr)},
                                          {"from", t.assignee_id ? json(*t.assignee_id) : json(nullptr)}}));
    t.assignee_id = in.assignee_id;
  }
  if (!changes.empty()) events.push_back(TicketAccess::Event(actor, now, EventKind::kFieldsUpdated, {{"changes", changes}}));
  return access_.Save(*scope, now, std::move(events));
}

Result<Ticket> TicketWorkflow::ChangeSeverity(const User& actor, Instant now, std::int64_t number,
                                              const SeverityInput& in) {
  if (!IsStaff(actor.role)) return ForbiddenError("contacts cannot change severity; request an escalation instead");
  if (TextRules::IsBlank(in.reason)) return MakeError("reason", "'reason' must say why the severity changes");
  if (Status st = TextRules::CheckMultiLine("reason", in.reason); !st.ok()) return st.error();
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketAccess::CheckVersion(t, in.expected); !st.ok()) return st.error();
  if (Status st = TicketRules::CheckChange(t.status, TicketChange::kChangeSeverity, true); !st.ok()) return st.error();
  if (!scope->policy->FindSeverity(in.severity))
    return MakeError("severity", "unknown severity '" + in.severity + "'; this policy has: " + SeverityList(*scope->policy));
  if (in.severity == t.severity)
    return ConflictError("severity", "the ticket already has severity '" + in.severity + "'");
  const std::string from = t.severity;
  t.severity = in.severity;
  // The customer is told, in the conversation.
  auto mid = access_.repo().InsertMessage({0, t.id, actor.id, Visibility::kPublic,
                                           "Severity changed from " + from + " to " + in.severity + ": " + in.reason,
                                           now});
  if (!mid.ok()) return mid.error();
  return access_.Save(*scope, now,
                      {TicketAccess::Event(actor, now, EventKind::kSeverityChanged,
                                           {{"severity", in.severity}, {"from", from}, {"reason", in.reason},
                                            {"message_id", *mid}})});
}

Result<StatusResult> TicketWorkflow::ChangeStatus(const User& actor, Instant now, std::int64_t number,
                                                  const StatusInput& in) {
  if (Status st = TextRules::CheckMultiLine("reason", in.reason); !st.ok()) return st.error();
  if (in.external_issue)
    if (Status st = TextRules::CheckSingleLine("external_issue", *in.external_issue); !st.ok()) return st.error();
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketAccess::CheckVersion(t, in.expected); !st.ok()) return st.error();
  if (Status st = TicketRules::CheckTransition(t.status, in.status); !st.ok()) return st.error();
  const bool staff = IsStaff(actor.role);
  const bool reopen = TicketRules::IsReopen(t.status, in.status);
  if (!staff && !reopen && !(t.status == TicketStatus::kResolved && in.status == TicketStatus::kClosed))
    return ForbiddenError("contacts may only reopen a ticket or close a resolved one");
  if ((in.outcome || in.external_issue) && in.status != TicketStatus::kResolved)
    return MakeError(in.outcome ? "outcome" : "external_issue", "only resolving a ticket takes an outcome");

  StatusResult out;
  std::vector<TicketEventRecord> events;
  json data{{"from", StatusName(t.status)}, {"to", StatusName(in.status)}};
  if (!in.reason.empty()) data["reason"] = in.reason;
  if (reopen) {
    if (Status st = TicketRules::CheckChange(t.status, TicketChange::kReopen, staff); !st.ok()) return st.error();
    auto decision = TicketReopen::Decide(*scope, actor, now, /*by_reply=*/false);
    if (!decision.ok()) return decision.error();
    if (*decision == ReopenOutcome::kRequestReview) {
      TicketReopen::Request(*scope, actor, now, events, in.reason);
      out.reopen_requested = true;
    } else {
      TicketReopen::Apply(*scope, actor, now, events, in.reason);
    }
  } else {
    if (Status st = TicketRules::CheckChange(t.status, TicketChange::kChangeStatus, staff); !st.ok()) return st.error();
    EventKind kind = EventKind::kStatusChanged;
    if (in.status == TicketStatus::kResolved) {
      if (!in.outcome) return MakeError("outcome", "'outcome' is required to resolve a ticket");
      if (*in.outcome == TicketOutcome::kBugEscalated && !in.external_issue && t.external_issue.empty())
        return MakeError("external_issue",
                         "a bug escalated to engineering needs 'external_issue' (or link the issue first)");
      t.outcome = *in.outcome;
      if (in.external_issue && t.external_issue.empty()) t.external_issue = *in.external_issue;
      t.resolved_at = now;
      t.reopen_requested_at.reset();
      data["outcome"] = TicketOutcomeName(*in.outcome);
      kind = EventKind::kResolved;
    } else if (in.status == TicketStatus::kClosed) {
      t.closed_at = now;
      kind = EventKind::kClosed;
    } else if (in.status == TicketStatus::kWaitingOnCustomer) {
      kind = EventKind::kWaitingOnCustomer;
    }
    t.status = in.status;
    events.push_back(TicketAccess::Event(actor, now, kind, std::move(data)));
  }
  auto saved = access_.Save(*scope, now, std::move(events));
  if (!saved.ok()) return saved.error();
  out.ticket = std::move(saved).value();
  return out;
}

Result<EscalationResult> TicketWorkflow::RequestEscalation(const User& actor, Instant now, std::int64_t number,
                                                           const EscalationInput& in) {
  if (TextRules::IsBlank(in.business_impact))
    return MakeError("business_impact", "'business_impact' must say what the delay costs the business");
  if (Status st = TextRules::CheckMultiLine("business_impact", in.business_impact); !st.ok()) return st.error();
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (Status st = TicketAccess::CheckVersion(t, in.expected); !st.ok()) return st.error();
  if (Status st = TicketRules::CheckChange(t.status, TicketChange::kEscalate, IsStaff(actor.role)); !st.ok())
    return st.error();
  const auto& ladder = scope->policy->lifecycle.escalation;
  if (ladder.empty())
    return ConflictError("ticket", "the " + scope->policy->name + " policy defines no escalation levels");
  if (t.escalation_level >= static_cast<std::int64_t>(ladder.size()))
    return ConflictError("ticket", "the ticket is already at the top escalation level (" + ladder.back().name + ")");
  const EscalationLevel& level = ladder[t.escalation_level];
  t.escalation_level += 1;
  auto eid = access_.repo().InsertEscalation({0, t.id, t.organisation_id, t.escalation_level, in.business_impact,
                                              actor.id, now});
  if (!eid.ok()) return eid.error();
  EscalationResult out;
  out.level = t.escalation_level;
  out.level_name = level.name;
  out.notify = level.notify;
  if (!level.raises_severity_to.empty() && level.raises_severity_to != t.severity)
    out.suggested_severity = level.raises_severity_to;
  json data{{"level", t.escalation_level}, {"level_name", level.name}, {"business_impact", in.business_impact},
            {"notify", level.notify}};
  if (!out.suggested_severity.empty()) data["suggested_severity"] = out.suggested_severity;
  auto saved = access_.Save(*scope, now, {TicketAccess::Event(actor, now, EventKind::kEscalationRequested, data)});
  if (!saved.ok()) return saved.error();
  auto count = access_.repo().CountEscalations(t.organisation_id);
  if (!count.ok()) return count.error();
  out.organisation_escalations = *count;
  out.ticket = std::move(saved).value();
  return out;
}

Result<ReopenReviewResult> TicketWorkflow::ReviewReopen(const User& actor, Instant now, std::int64_t number,
                                                        const ReopenReviewInput& in) {
  if (!IsStaff(actor.role)) return ForbiddenError("only staff review reopen requests");
  if (Status st = TextRules::CheckMultiLine("reason", in.reason); !st.ok()) return st.error();
  if (in.approve && in.open_new_ticket)
    return MakeError("open_new_ticket", "a follow-up ticket is opened only when the reopen is declined");
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  Ticket& t = scope->ticket;
  if (!t.reopen_requested_at) return ConflictError("ticket", "ticket " + std::to_string(number) + " has no reopen request");
  std::vector<TicketEventRecord> events;
  ReopenReviewResult out;
  if (in.approve) {
    TicketReopen::Apply(*scope, actor, now, events, in.reason);
  } else {
    t.reopen_requested_at.reset();
    if (in.open_new_ticket) {
      auto requester = access_.repo().GetUser(t.requester_id);
      if (!requester.ok()) return requester.error();
      if (!*requester) return InternalError("ticket " + std::to_string(number) + " has no requester");
      OpenTicketInput follow;
      follow.subject = "Follow-up to #" + std::to_string(t.number) + ": " + t.subject;
      follow.description = in.reason.empty() ? "Reopen request on ticket #" + std::to_string(t.number) : in.reason;
      follow.steps_to_reproduce = t.steps_to_reproduce;
      follow.business_impact = t.business_impact;
      follow.product_area = t.product_area;
      follow.error_details = t.error_details;
      follow.fields = t.fields;
      follow.channel = t.channel;
      follow.severity = t.severity;
      follow.requester_id = t.requester_id;
      follow.assignee_id = t.assignee_id;
      auto opened = TicketIntake(access_.repo(), policies_).Open(actor, now, follow);
      if (!opened.ok()) return opened.error();
      out.follow_up = opened->ticket;
    }
    json data{{"reason", in.reason}};
    if (out.follow_up) data["follow_up_number"] = out.follow_up->number;
    events.push_back(TicketAccess::Event(actor, now, EventKind::kReopenDeclined, std::move(data)));
  }
  auto saved = access_.Save(*scope, now, std::move(events));
  if (!saved.ok()) return saved.error();
  out.ticket = std::move(saved).value();
  return out;
}

Result<Ticket> TicketWorkflow::RequestRemoteAssistance(const User& actor, Instant now, std::int64_t number,
                                                       const std::string& note) {
  if (Status st = TextRules::CheckMultiLine("note", note); !st.ok()) return st.error();
  auto scope = access_.Load(actor, number, true, true);
  if (!scope.ok()) return scope.error();
  bool offered = false;
  for (const auto& c : scope->plan->channels) offered = offered || c.kind == ChannelKind::kRemoteAssistance;
  if (!offered)
    return ConflictError("ticket", "the " + (scope->plan->name.empty() ? scope->plan->id : scope->plan->name) +
                                       " plan does not include remote assistance");
  if (Status st = TicketRules::CheckChange(scope->ticket.status, TicketChange::kEscalate, IsStaff(actor.role));
      !st.ok())
    return st.error();
  return access_.Save(*scope, now, {TicketAccess::Event(actor, now, EventKind::kRemoteAssistanceRequested, {{"note", note}})});
}

}  // namespace sladesk
