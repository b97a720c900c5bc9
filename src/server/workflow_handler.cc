// /api/v1/tickets/{number}/severity, /status, /escalations, /reopen-review
// and /remote-assistance: the changes people make to a ticket's state.
#include "desk/ticket_workflow.h"
#include "server/handlers.h"
#include "server/json_fields.h"
#include "server/json_views.h"

namespace sladesk {
namespace {

using nlohmann::json;

}  // namespace

ApiResponse ChangeSeverity(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"severity", "reason"});
  SeverityInput in;
  in.severity = f.RequiredString("severity", 50);
  in.reason = f.RequiredString("reason", 2000);
  if (!f.ok()) return ProblemResponse(f.error());
  in.expected = TicketExpectation(call, number, false);
  auto t = TicketWorkflow(call.repo, call.policies).ChangeSeverity(call.actor, call.now, number, in);
  if (!t.ok()) return ProblemFor(t.error());
  return TicketResponse(200, *t);
}

ApiResponse ChangeStatus(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"status", "outcome", "external_issue", "reason"});
  StatusInput in;
  std::string status = f.RequiredString("status", 30);
  auto outcome = f.OptString("outcome", 30);
  in.external_issue = f.OptString("external_issue", 500, false);
  in.reason = f.OptString("reason", 2000).value_or("");
  if (!f.ok()) return ProblemResponse(f.error());
  auto to = StatusFromName(status);
  if (!to) return ProblemFor(MakeError("status", "unknown status '" + status + "'"));
  in.status = *to;
  if (outcome) {
    in.outcome = TicketOutcomeFromName(*outcome);
    if (!in.outcome)
      return ProblemFor(MakeError("outcome", "'outcome' must be one of solved, workaround, feature_request, "
                                             "bug_escalated, paid_work, training, no_response"));
  }
  in.expected = TicketExpectation(call, number, false);
  auto r = TicketWorkflow(call.repo, call.policies).ChangeStatus(call.actor, call.now, number, in);
  if (!r.ok()) return ProblemFor(r.error());
  // 202: the customer's reopen request waits for an agent's review.
  return TicketResponse(r->reopen_requested ? 202 : 200, r->ticket);
}

ApiResponse RequestEscalation(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"business_impact"});
  EscalationInput in;
  in.business_impact = f.RequiredString("business_impact", 5000);
  if (!f.ok()) return ProblemResponse(f.error());
  in.expected = TicketExpectation(call, number, false);
  auto e = TicketWorkflow(call.repo, call.policies).RequestEscalation(call.actor, call.now, number, in);
  if (!e.ok()) return ProblemFor(e.error());
  const Ticket changed = e->ticket;
  ApiResponse r = DeferredJsonResponse(201, [e = std::move(e).value()] {
    return json{{"ticket_number", e.ticket.number},
                {"level", e.level},
                {"level_name", e.level_name},
                {"notify", e.notify},
                {"suggested_severity", e.suggested_severity.empty() ? json(nullptr) : json(e.suggested_severity)},
                {"organisation_escalations", e.organisation_escalations},
                {"ticket", TicketJson(e.ticket, StoredSla(e.ticket))}};
  });
  return ChangedTicket(std::move(r), changed);
}

ApiResponse ReviewReopen(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"decision", "reason", "open_new_ticket"});
  std::string decision = f.RequiredString("decision", 20);
  ReopenReviewInput in;
  in.reason = f.OptString("reason", 5000).value_or("");
  in.open_new_ticket = f.OptBool("open_new_ticket").value_or(false);
  if (!f.ok()) return ProblemResponse(f.error());
  if (decision != "approve" && decision != "decline")
    return ProblemFor(MakeError("decision", "'decision' must be approve or decline"));
  in.approve = decision == "approve";
  auto r = TicketWorkflow(call.repo, call.policies).ReviewReopen(call.actor, call.now, number, in);
  if (!r.ok()) return ProblemFor(r.error());
  const Ticket changed = r->ticket;
  ApiResponse out = DeferredJsonResponse(200, [r = std::move(r).value()] {
    json body = TicketJson(r.ticket, StoredSla(r.ticket));
    body["follow_up_number"] = r.follow_up ? json(r.follow_up->number) : json(nullptr);
    return body;
  });
  return ChangedTicket(std::move(out), changed);
}

ApiResponse RequestRemoteAssistance(ApiCall& call) {
  ApiResponse problem;
  std::int64_t number = 0;
  if (!IdParam(call, 0, "number", &number, &problem)) return problem;
  JsonFields f(call.body, {"note"});
  std::string note = f.OptString("note", 5000).value_or("");
  if (!f.ok()) return ProblemResponse(f.error());
  auto t = TicketWorkflow(call.repo, call.policies).RequestRemoteAssistance(call.actor, call.now, number, note);
  if (!t.ok()) return ProblemFor(t.error());
  return TicketResponse(201, *t);
}

}  // namespace sladesk
