// The route table of /api/v1: method, pattern, unit kind, handler.
#include "server/handlers.h"

namespace sladesk {
namespace {

std::vector<std::string> Split(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '/') {
      ++i;
      continue;
    }
    size_t j = path.find('/', i);
    out.push_back(path.substr(i, j == std::string::npos ? std::string::npos : j - i));
    if (j == std::string::npos) break;
    i = j;
  }
  return out;
}

struct CompiledRoute {
  const ApiRoute* route;
  std::vector<std::string> segments;
};

const std::vector<CompiledRoute>& Compiled() {
  static const std::vector<CompiledRoute> kCompiled = [] {
    std::vector<CompiledRoute> out;
    for (const auto& r : ApiRoutes()) out.push_back({&r, Split(r.pattern)});
    return out;
  }();
  return kCompiled;
}

}  // namespace

const std::vector<ApiRoute>& ApiRoutes() {
  static const std::vector<ApiRoute> kRoutes = {
      {"GET", "/api/v1/me", false, false, GetMe},
      {"POST", "/api/v1/auth/logout", true, false, SignOut},
      {"GET", "/api/v1/organisations", false, false, ListOrganisations},
      {"POST", "/api/v1/organisations", true, true, CreateOrganisation},
      {"GET", "/api/v1/organisations/{id}", false, false, GetOrganisation},
      {"PATCH", "/api/v1/organisations/{id}", true, false, UpdateOrganisation},
      {"POST", "/api/v1/organisations/{id}/onboarding-complete", true, false, CompleteOnboarding},
      {"GET", "/api/v1/organisations/{id}/contacts", false, false, ListContacts},
      {"POST", "/api/v1/organisations/{id}/contacts", true, true, AddContact},
      {"PATCH", "/api/v1/organisations/{id}/contacts/{user_id}", true, false, UpdateContact},
      {"GET", "/api/v1/organisations/{id}/contact-audit", false, false, ListContactAudit},
      {"GET", "/api/v1/users", false, false, ListUsers},
      {"POST", "/api/v1/users", true, true, CreateUser},
      {"GET", "/api/v1/queue", false, false, GetQueue},
      {"GET", "/api/v1/stream", false, false, OpenStream},
      {"GET", "/api/v1/policies", false, false, ListPolicies},
      {"GET", "/api/v1/policies/{id}", false, false, GetPolicy},
      {"GET", "/api/v1/test/clock", false, false, GetTestClock},
      {"POST", "/api/v1/test/clock", false, false, SetTestClock},
      {"GET", "/api/v1/tickets", false, false, ListTickets},
      {"POST", "/api/v1/tickets", true, true, CreateTicket},
      {"GET", "/api/v1/tickets/{number}", false, false, GetTicket},
      {"PATCH", "/api/v1/tickets/{number}", true, false, UpdateTicket},
      {"GET", "/api/v1/tickets/{number}/messages", false, false, ListMessages},
      {"POST", "/api/v1/tickets/{number}/messages", true, true, AddMessage},
      {"POST", "/api/v1/tickets/{number}/severity", true, false, ChangeSeverity},
      {"POST", "/api/v1/tickets/{number}/status", true, false, ChangeStatus},
      {"POST", "/api/v1/tickets/{number}/escalations", true, true, RequestEscalation},
      {"POST", "/api/v1/tickets/{number}/reopen-review", true, false, ReviewReopen},
      {"POST", "/api/v1/tickets/{number}/remote-assistance", true, true, RequestRemoteAssistance},
      {"POST", "/api/v1/tickets/{number}/engineering-issue", true, false, LinkEngineeringIssue},
      {"POST", "/api/v1/tickets/{number}/engineering-updates", true, true, PostEngineeringUpdate},
      {"GET", "/api/v1/tickets/{number}/time", false, false, ListTimeEntries},
      {"POST", "/api/v1/tickets/{number}/time", true, true, LogTime},
      {"GET", "/api/v1/tickets/{number}/events", false, false, ListEvents},
      {"GET", "/api/v1/tickets/{number}/sla", false, false, GetSla},
      {"GET", "/api/v1/tickets/{number}/attachments", false, false, ListAttachments},
      {"POST", "/api/v1/tickets/{number}/attachments", true, true, AddAttachment},
      {"GET", "/api/v1/tickets/{number}/attachments/{attachment_id}", false, false, GetAttachment},
      {"GET", "/api/v1/incidents", false, false, ListIncidents},
      {"POST", "/api/v1/incidents", true, true, CreateIncident},
      {"GET", "/api/v1/incidents/{id}", false, false, GetIncident},
      {"PATCH", "/api/v1/incidents/{id}", true, false, UpdateIncident},
      {"DELETE", "/api/v1/incidents/{id}", true, false, DeleteIncident},
      {"POST", "/api/v1/incidents/{id}/end", true, false, EndIncident},
      {"GET", "/api/v1/maintenance", false, false, ListMaintenance},
      {"POST", "/api/v1/maintenance", true, true, CreateMaintenance},
      {"GET", "/api/v1/maintenance/{id}", false, false, GetMaintenance},
      {"PATCH", "/api/v1/maintenance/{id}", true, false, UpdateMaintenance},
      {"DELETE", "/api/v1/maintenance/{id}", true, false, DeleteMaintenance},
      {"POST", "/api/v1/maintenance/{id}/end", true, false, EndMaintenance},
      {"GET", "/api/v1/rca-tasks", false, false, ListRcaTasks},
      {"POST", "/api/v1/rca-tasks/review", true, false, ReviewRcaMonth},
      {"GET", "/api/v1/organisations/{id}/availability", false, false, GetAvailability},
      {"GET", "/api/v1/organisations/{id}/downtime-notices", false, false, ListDowntimeNotices},
      {"POST", "/api/v1/organisations/{id}/downtime-notices", true, true, NotifyDowntime},
      {"GET", "/api/v1/organisations/{id}/remedy-periods", false, false, ListRemedyPeriods},
      {"GET", "/api/v1/organisations/{id}/statement", false, false, GetStatement},
      {"GET", "/api/v1/reports/sla", false, false, GetSlaReport},
      {"GET", "/api/v1/status", false, false, GetStatus, true},
      {"GET", "/api/v1/tickets/{number}/notifications", false, false, ListTicketNotifications},
      {"GET", "/api/v1/webhooks", false, false, ListWebhooks},
      {"POST", "/api/v1/webhooks", true, true, CreateWebhook},
      {"GET", "/api/v1/webhooks/{id}", false, false, GetWebhook},
      {"PATCH", "/api/v1/webhooks/{id}", true, false, UpdateWebhook},
      {"DELETE", "/api/v1/webhooks/{id}", true, false, DeleteWebhook},
      {"GET", "/api/v1/webhooks/{id}/deliveries", false, false, ListWebhookDeliveries},
      {"GET", "/api/v1/notifications", false, false, ListNotifications},
      {"POST", "/api/v1/notifications/read-all", true, false, MarkAllNotificationsRead},
      {"POST", "/api/v1/notifications/{id}/read", true, false, MarkNotificationRead},
      {"GET", "/api/v1/mail/held", false, false, ListHeldMail},
      {"GET", "/api/v1/mail/held/{id}", false, false, GetHeldMail},
      {"POST", "/api/v1/mail/held/{id}/release", true, false, ReleaseHeldMail},
      {"GET", "/api/v1/mail/sender-rules", false, false, ListSenderRules},
      {"PUT", "/api/v1/mail/sender-rules/{domain}", true, false, PutSenderRule},
      {"DELETE", "/api/v1/mail/sender-rules/{domain}", true, false, DeleteSenderRule},
  };
  return kRoutes;
}

const ApiRoute* MatchRoute(const std::string& method, const std::string& path, std::vector<std::string>* params,
                           std::string* allow) {
  const auto segs = Split(path);
  allow->clear();
  for (const auto& c : Compiled()) {
    if (c.segments.size() != segs.size()) continue;
    std::vector<std::string> p;
    bool match = true;
    for (size_t i = 0; i < segs.size() && match; ++i) {
      if (!c.segments[i].empty() && c.segments[i][0] == '{') p.push_back(segs[i]);
      else match = c.segments[i] == segs[i];
    }
    if (!match) continue;
    if (c.route->method == method) {
      *params = std::move(p);
      return c.route;
    }
    *allow += (allow->empty() ? "" : ", ") + std::string(c.route->method);
  }
  return nullptr;
}

}  // namespace sladesk
