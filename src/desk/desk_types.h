// The help desk's domain records: organisations, people, tokens, tickets,
// the per-ticket event log, messages, attachments, escalations, audit rows.
//
// Purpose: the vocabulary shared by the repository, its backends and the
// service. Enums have stable lowercase names (used in JSON and in SQL);
// the *FromName functions return nullopt for unknown names.
// Thread-safety: plain value types. Ownership: each record owns its strings.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/instant.h"

namespace sladesk {

using Id = std::int64_t;

// kSystem acts for sladesk itself (the scheduler, the mail gateway); no
// user row has it.
enum class Role { kContact, kAgent, kLead, kAdmin, kSystem };
enum class TicketStatus { kNew, kOpen, kWaitingOnCustomer, kResolved, kClosed };
enum class TicketChannel { kPortal, kEmail, kChat, kPhone, kApi };
enum class TicketOutcome { kSolved, kWorkaround, kFeatureRequest, kBugEscalated, kPaidWork, kTraining, kNoResponse };
enum class Visibility { kPublic, kInternal };

// What happened to a ticket; the append-only log is the source of truth for
// its SLA clocks.
enum class EventKind {
  kOpened,
  kAgentReply,
  kCustomerReply,
  kInternalNote,
  kStatusChanged,   // to open (from new or waiting_on_customer)
  kWaitingOnCustomer,
  kSeverityChanged,
  kAssigned,
  kEscalationRequested,
  kResolved,
  kReopened,
  kClosed,
  kAttachmentAdded,
  kFieldsUpdated,       // data: {"changes": {field: {"from": old, "to": new}}}
  kEngineeringIssueLinked,
  kEngineeringUpdate,   // a status update from the engineering tracker
  kTimeLogged,
  kReopenRequested,     // the customer asks; an agent reviews (ReopenBy::kAgentReview)
  kReopenDeclined,
  kRemoteAssistanceRequested,
  kSupportBudgetWarning,  // the ticket is expected to exceed the remaining support hours
  kOnboardingCompleted,   // (organisation-level, logged on no ticket; reserved)
  kSlaWarning,
  kSlaBreached,
  kAutoClosed,
};

std::string_view RoleName(Role r);
std::optional<Role> RoleFromName(std::string_view s);
std::string_view StatusName(TicketStatus s);
std::optional<TicketStatus> StatusFromName(std::string_view s);
std::string_view TicketChannelName(TicketChannel c);
std::optional<TicketChannel> TicketChannelFromName(std::string_view s);
std::string_view TicketOutcomeName(TicketOutcome o);
std::optional<TicketOutcome> TicketOutcomeFromName(std::string_view s);
std::string_view VisibilityName(Visibility v);
std::optional<Visibility> VisibilityFromName(std::string_view s);
std::string_view EventKindName(EventKind k);
std::optional<EventKind> EventKindFromName(std::string_view s);

inline bool IsStaff(Role r) { return r != Role::kContact; }

// The key e-mail addresses are unique by: ASCII letters lower-cased
// (ADMIN@Example.com and admin@example.com are one address).
std::string EmailKey(std::string_view email);

struct Organisation {
  Id id = 0;
  std::string name;
  std::string policy_id;
  std::string plan_id;  // the contracted plan (see onboarding_pending)
  // IANA zone the organisation's months are counted in (incident quota);
  // nullopt: the zone of the plan's calendar.
  std::optional<std::string> time_zone;
  // Not yet through technical onboarding: the policy's onboarding plan
  // applies instead of plan_id (Policy::onboarding).
  bool onboarding_pending = false;
  // Contract data.
  std::optional<double> support_hours_budget;     // hours per contract year
  std::optional<std::int64_t> incidents_per_month; // overrides the plan's quota
  std::optional<std::string> renewal_date;         // YYYY-MM-DD
  std::optional<Id> csm_user_id;                   // designated CSM/TAM (staff user)
  std::optional<std::int64_t> named_contact_limit; // only named contacts may open tickets
  Instant created_at{};
  std::int64_t version = 1;
};

struct User {
  Id id = 0;
  std::optional<Id> organisation_id;  // set for contacts only
  std::string name;
  std::string email;    // as entered; unique ignoring ASCII case (EmailKey)
  std::string phone;
  Role role = Role::kContact;
  bool named_contact = false;
  bool active = true;
  Instant created_at{};
};

// sladesk acting for itself (the scheduler, the mail gateway, a CLI
// command): staff rights, no user row (id 0).
inline User SystemUser(std::string name = "sladesk") {
  User u;
  u.name = std::move(name);
  u.role = Role::kSystem;
  return u;
}

struct ApiToken {
  Id id = 0;
  Id user_id = 0;
  std::string name;
  std::string token_hash;  // hex SHA-256 of the secret; the secret is never stored
  Instant created_at{};
  std::optional<Instant> expires_at;
  bool revoked = false;
};

// A browser session: the cookie carries the secret, the store keeps its hash.
struct Session {
  std::string token_hash;
  Id user_id = 0;
  std::string csrf_token;
  Instant created_at{};
  Instant expires_at{};
  bool revoked = false;
};

struct Ticket {
  Id id = 0;
  std::int64_t number = 0;
  Id organisation_id = 0;
  Id requester_id = 0;
  std::string subject;
  std::string description;
  std::string steps_to_reproduce;
  std::string business_impact;
  std::string product_area;
  std::string error_details;
  // Values of the policy's own ticket fields (TicketField ids with a type).
  std::map<std::string, std::string> fields;
  std::string plan_id;  // the plan in force when it was opened
  TicketChannel channel = TicketChannel::kPortal;
  std::string severity;
  TicketStatus status = TicketStatus::kNew;
  std::optional<Id> assignee_id;
  std::optional<TicketOutcome> outcome;
  // The linked engineering issue of a bug escalation.
  std::string external_issue;        // its id in the tracker ("ENG-412"); empty: none
  std::string external_issue_url;
  std::string external_issue_priority;
  std::string external_issue_status;  // as the tracker last reported it
  std::optional<Instant> bug_escalated_at;  // linked; the policy may suspend targets from here
  // Support hours (seed 004): time logged, an agent's estimate, and
  // whether the estimate goes past the organisation's remaining budget.
  Seconds time_spent_seconds = 0;
  std::optional<Seconds> estimated_seconds;
  bool over_support_budget = false;
  std::optional<Instant> reopen_requested_at;  // awaiting an agent's review
  std::int64_t escalation_level = 0;
  bool over_quota = false;  // opened past the monthly incident quota (policy says: flag)
  Instant opened_at{};
  Instant updated_at{};
  std::optional<Instant> resolved_at;
  std::optional<Instant> closed_at;
  std::int64_t version = 1;
  // Derived from the event log by the SLA engine; stored so the queue can be
  // filtered and ordered by urgency.
  std::optional<Instant> first_response_due;
  std::optional<Instant> next_update_due;
  std::optional<Instant> resolution_due;
  std::optional<Instant> next_due;  // earliest due time of a running clock
  bool breached = false;            // some clock has breached (as of the last evaluation)
  std::string sla_json;             // the last evaluation, as served by the API
  // ClockLog::Encode of the event log (desk/clock_log.h), set by
  // SlaProjector::Project with the columns above, so the stored SLA report
  // reads it with the row (the tickets.clock_log column, migration 9).
  // Write-only: reads leave it empty, and empty is stored as NULL (the
  // report then reads the event log).
  std::string clock_log;
  // When the SLA scheduler next acts on it (FiringPlanner): kept in the
  // ticket_due table by every save, not a tickets column; nullopt: never.
  std::optional<Instant> next_fire;
};

// A ticket the scheduler has claimed (DeskRepository::ClaimDueTickets).
struct DueTicket {
  Id ticket_id = 0;
  std::int64_t number = 0;
  Instant due_at{};
};

// A firing recorded under its unique key (ticket, metric, cycle, kind,
// threshold): the last guard against firing twice.
struct FiringRecord {
  Id ticket_id = 0;
  std::string metric;  // "" for auto_closed
  int cycle = 0;
  std::string kind;    // the event kind's name
  int threshold = 0;   // a warning's percent, else 0
  Instant at{};
  Instant fired_at{};
};

struct TicketEventRecord {
  Id id = 0;
  Id ticket_id = 0;
  Instant at{};
  Id actor_id = 0;
  EventKind kind = EventKind::kOpened;
  std::string data_json = "{}";  // details: severity, reason, status, outcome, ...
};

struct Message {
  Id id = 0;
  Id ticket_id = 0;
  Id author_id = 0;
  Visibility visibility = Visibility::kPublic;
  std::string body;
  Instant created_at{};
};

struct Attachment {
  Id id = 0;
  Id ticket_id = 0;
  Id uploader_id = 0;
  std::string filename;
  std::string content_type;
  std::int64_t size = 0;
  std::string data;  // empty when only metadata was loaded
  Instant created_at{};
};

struct TimeEntry {
  Id id = 0;
  Id ticket_id = 0;
  Id organisation_id = 0;
  Id agent_id = 0;
  Seconds seconds = 0;
  std::string note;
  Instant at{};
};

struct Escalation {
  Id id = 0;
  Id ticket_id = 0;
  Id organisation_id = 0;
  std::int64_t level = 0;
  std::string business_impact;
  Id requested_by = 0;
  Instant at{};
};

struct ContactAuditEntry {
  Id id = 0;
  Id organisation_id = 0;
  Id actor_id = 0;
  Id contact_id = 0;
  std::string action;  // "added", "named", "unnamed", "deactivated", "activated"
  Instant at{};
};

struct IdempotencyRecord {
  Id user_id = 0;
  std::string key;
  std::string request_hash;
  int status_code = 0;
  std::string response_body;
  std::string location;
  Instant created_at{};
};

// One row of the agents' queue: only what the queue shows (ListQueue reads
// no description, fields or stored SLA report).
struct QueueRow {
  Ticket ticket;  // number, organisation, requester, subject, severity, status, assignee, plan,
                  // escalation level, updated_at, version and the SLA due columns
  std::string organisation_name;
  std::string policy_id;
  std::string requester_name;
  std::optional<std::string> assignee_name;
};

// Filters and keyset cursor for listing tickets.
struct TicketQuery {
  std::optional<Id> organisation_id;
  std::vector<TicketStatus> statuses;
  std::optional<std::string> severity;
  std::vector<std::string> severities;  // any of these (with `severity`, both apply)
  std::optional<std::string> plan_id;
  std::optional<std::string> policy_id;  // with plan_id: that policy's plan
  bool assigned = false;                 // assigned to anyone (the "team" while the desk has no teams)
  std::optional<Id> assignee_id;
  bool unassigned = false;
  std::optional<bool> breached;
  std::optional<Instant> due_before;
  Instant now{};  // for `breached`: a running clock past its due time has breached
  // Order: by urgency (next_due, then number) or by number descending.
  bool order_by_urgency = true;
  // Keyset cursor: the sort key and number of the last row of the previous page.
  std::optional<std::int64_t> after_key;
  std::optional<std::int64_t> after_number;
  int limit = 50;
};

}  // namespace sladesk
