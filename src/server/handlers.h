// The API's handlers, one file per resource (organisation_handler.cc,
// user_handler.cc, ticket_handler.cc, conversation_handler.cc,
// workflow_handler.cc, engineering_handler.cc, history_handler.cc), and
// the route table that names them (api_routes.cc).
//
// Purpose: each handler reads its request, calls one desk service and
// renders the answer; none holds a business rule.
// Thread-safety: handlers are stateless; see ApiCall.
#pragma once

#include <string>
#include <vector>

#include "server/api_call.h"

namespace sladesk {

// organisation_handler.cc
ApiResponse CreateOrganisation(ApiCall& call);
ApiResponse ListOrganisations(ApiCall& call);
ApiResponse GetOrganisation(ApiCall& call);
ApiResponse UpdateOrganisation(ApiCall& call);
ApiResponse CompleteOnboarding(ApiCall& call);
ApiResponse ListContacts(ApiCall& call);
ApiResponse AddContact(ApiCall& call);
ApiResponse UpdateContact(ApiCall& call);
ApiResponse ListContactAudit(ApiCall& call);
// user_handler.cc
ApiResponse GetMe(ApiCall& call);
ApiResponse SignOut(ApiCall& call);
ApiResponse ListUsers(ApiCall& call);
ApiResponse CreateUser(ApiCall& call);
// ticket_handler.cc
ApiResponse CreateTicket(ApiCall& call);
ApiResponse ListTickets(ApiCall& call);
ApiResponse GetTicket(ApiCall& call);
ApiResponse UpdateTicket(ApiCall& call);
// conversation_handler.cc
ApiResponse ListMessages(ApiCall& call);
ApiResponse AddMessage(ApiCall& call);
ApiResponse ListAttachments(ApiCall& call);
ApiResponse AddAttachment(ApiCall& call);
ApiResponse GetAttachment(ApiCall& call);
// workflow_handler.cc
ApiResponse ChangeSeverity(ApiCall& call);
ApiResponse ChangeStatus(ApiCall& call);
ApiResponse RequestEscalation(ApiCall& call);
ApiResponse ReviewReopen(ApiCall& call);
ApiResponse RequestRemoteAssistance(ApiCall& call);
// engineering_handler.cc
ApiResponse LinkEngineeringIssue(ApiCall& call);
ApiResponse PostEngineeringUpdate(ApiCall& call);
ApiResponse ListTimeEntries(ApiCall& call);
ApiResponse LogTime(ApiCall& call);
// queue_handler.cc
ApiResponse GetQueue(ApiCall& call);
ApiResponse OpenStream(ApiCall& call);
// policy_handler.cc
ApiResponse ListPolicies(ApiCall& call);
ApiResponse GetPolicy(ApiCall& call);
// test_clock_handler.cc
ApiResponse GetTestClock(ApiCall& call);
ApiResponse SetTestClock(ApiCall& call);
// history_handler.cc
ApiResponse ListEvents(ApiCall& call);
ApiResponse GetSla(ApiCall& call);
// webhook_handler.cc
ApiResponse ListWebhooks(ApiCall& call);
ApiResponse CreateWebhook(ApiCall& call);
ApiResponse GetWebhook(ApiCall& call);
ApiResponse UpdateWebhook(ApiCall& call);
ApiResponse DeleteWebhook(ApiCall& call);
ApiResponse ListWebhookDeliveries(ApiCall& call);
// notification_handler.cc
ApiResponse ListNotifications(ApiCall& call);
ApiResponse MarkNotificationRead(ApiCall& call);
ApiResponse MarkAllNotificationsRead(ApiCall& call);
ApiResponse ListTicketNotifications(ApiCall& call);

// incident_handler.cc
ApiResponse ListIncidents(ApiCall& call);
ApiResponse CreateIncident(ApiCall& call);
ApiResponse GetIncident(ApiCall& call);
ApiResponse UpdateIncident(ApiCall& call);
ApiResponse EndIncident(ApiCall& call);
ApiResponse DeleteIncident(ApiCall& call);
ApiResponse ListMaintenance(ApiCall& call);
ApiResponse CreateMaintenance(ApiCall& call);
ApiResponse GetMaintenance(ApiCall& call);
ApiResponse UpdateMaintenance(ApiCall& call);
ApiResponse EndMaintenance(ApiCall& call);
ApiResponse DeleteMaintenance(ApiCall& call);
ApiResponse ListRcaTasks(ApiCall& call);
ApiResponse ReviewRcaMonth(ApiCall& call);
// report_handler.cc
ApiResponse GetAvailability(ApiCall& call);
ApiResponse NotifyDowntime(ApiCall& call);
ApiResponse ListDowntimeNotices(ApiCall& call);
ApiResponse ListRemedyPeriods(ApiCall& call);
ApiResponse GetStatement(ApiCall& call);
ApiResponse GetSlaReport(ApiCall& call);
// status_handler.cc
ApiResponse GetStatus(ApiCall& call);
// mail_handler.cc
ApiResponse ListHeldMail(ApiCall& call);
ApiResponse GetHeldMail(ApiCall& call);
ApiResponse ReleaseHeldMail(ApiCall& call);
ApiResponse ListSenderRules(ApiCall& call);
ApiResponse PutSenderRule(ApiCall& call);
ApiResponse DeleteSenderRule(ApiCall& call);

struct ApiRoute {
  const char* method;
  const char* pattern;      // "/api/v1/tickets/{number}"
  bool write;               // runs as a write unit
  bool idempotent_create;   // honours Idempotency-Key
  ApiHandler handler;
  bool anonymous = false;   // answered without authentication (the public status)
};

// Every route of the API, in match order.
const std::vector<ApiRoute>& ApiRoutes();
// The route for (method, path); its {placeholders} in `params`. When the
// path matches with other methods only, nullptr and `allow` lists them.
const ApiRoute* MatchRoute(const std::string& method, const std::string& path, std::vector<std::string>* params,
                           std::string* allow);

}  // namespace sladesk
