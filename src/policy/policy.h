// Policy: a support policy (plans, severities, calendars, SLA targets,
// lifecycle and contract rules) loaded from a TOML file.
//
// Purpose: the domain model the SLA clock, the service and the reports read.
// LoadPolicyFile / ParsePolicy (policy_loader.h) build one from TOML and
// validate everything (errors carry file:line:col); the SLA engine only needs
// FindPlan(), Plan::FindTarget(), default_severity and
// Plan::resolution_starts_at_first_response. The rest (channels, quotas,
// lifecycle, contract levels) is for the desk, reports and `policy explain`.
// Thread-safety: immutable after construction; share as shared_ptr<const Policy>.
// Ownership: owns its calendars (shared with the targets that use them).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "calendar/business_calendar.h"
#include "common/result.h"
#include "policy/exact_decimal.h"

namespace sladesk {

enum class Metric { kFirstResponse = 0, kNextUpdate = 1, kResolution = 2 };
inline constexpr Metric kAllMetrics[] = {Metric::kFirstResponse, Metric::kNextUpdate,
                                         Metric::kResolution};
std::string_view MetricName(Metric m);  // "first_response", "next_update", "resolution"
std::optional<Metric> MetricFromName(std::string_view name);

// One SLA target for a (plan, severity, metric).
struct Target {
  Seconds seconds = 0;                  // the target (a range's upper bound)
  std::optional<Seconds> goal_seconds;  // a range's lower bound ("1–2 business days")
  std::shared_ptr<const BusinessCalendar> calendar;
  std::vector<int> warn_at_percent;     // e.g. {75, 90}: warnings before a breach
  std::string text;                     // as written, e.g. "1-2 business days"
};

// How a ticket reaches support.
enum class ChannelKind { kPortal, kEmail, kChat, kPhone, kRemoteAssistance, kSelfService };
inline constexpr ChannelKind kAllChannelKinds[] = {
    ChannelKind::kPortal, ChannelKind::kEmail, ChannelKind::kChat,
    ChannelKind::kPhone, ChannelKind::kRemoteAssistance, ChannelKind::kSelfService};
// "portal", "email", "chat", "phone", "remote_assistance", "self_service".
std::string_view ChannelKindName(ChannelKind kind);
std::optional<ChannelKind> ChannelKindFromName(std::string_view name);

struct Channel {
  ChannelKind kind = ChannelKind::kPortal;
  std::string note;  // "live agents", "US: +1 720-996-1933"
  // When the channel is staffed; nullptr = the plan's support hours.
  std::shared_ptr<const BusinessCalendar> calendar;
  // Severities it serves; empty = all.
  std::vector<std::string> severities;
};

// Whether a plan includes a designated person (CSM, TAM).
enum class Provision { kNo, kOptional, kYes };
std::string_view ProvisionName(Provision p);  // "no", "optional", "yes"

// What happens when a customer goes over a quota.
enum class QuotaAction { kFlag, kRefuse };
std::string_view QuotaActionName(QuotaAction a);  // "flag", "refuse"

struct Quota {
  std::optional<int> incidents_per_month;   // nullopt = unlimited / not stated
  QuotaAction incidents_exceeded = QuotaAction::kFlag;
  std::optional<double> support_hours;      // budget of support hours, if a number is fixed
  std::string support_hours_note;           // "as specified in the Order Form"
  QuotaAction support_hours_exceeded = QuotaAction::kFlag;
};

// A length of civil time (reopen window, record retention): months + days.
struct Period {
  int months = 0;
  int days = 0;
  std::string text;  // as written, "12 months"
};

// A business-time duration on a calendar (auto-close after waiting).
struct BusinessDuration {
  Seconds seconds = 0;
  std::shared_ptr<const BusinessCalendar> calendar;
  std::string text;
};

// What kind of value a ticket field holds (how the portal asks for it and
// how the desk checks it).
enum class FieldType { kText, kMultiline, kPhone, kEmail, kDateTime, kNumber, kUrl };
// "text", "multiline", "phone", "email", "datetime", "number", "url".
std::string_view FieldTypeName(FieldType type);
std::optional<FieldType> FieldTypeFromName(std::string_view name);

// A piece of information the policy asks for when a ticket is opened. The
// desk knows some ids (description, steps_to_reproduce, company_name,
// phone, ...); any other id must declare its `type` so the ticket can hold
// it (desk/ticket_fields.h says which ids are known).
struct TicketField {
  std::string id;    // "steps_to_reproduce"
  std::string name;  // "Steps to reproduce the issue"
  std::optional<FieldType> type;  // nullopt: a field the desk knows by its id
  std::string help;  // shown to customers beside the field
};

struct EscalationLevel {
  std::string name;                   // "Regional Support leader call"
  std::string trigger;                // when / how the customer asks for it
  std::vector<std::string> notify;    // who is told
  std::string raises_severity_to;     // severity id, or empty
  std::string note;
};

// Who reopens a resolved or closed ticket.
enum class ReopenBy {
  kCustomer,     // the customer's request reopens it
  kAgentReview,  // the customer asks; an agent reopens it or opens a new ticket instead
};

// When one organisation's escalation requests count as excessive (seed 001:
// "Excessive usage of escalation requests may lead to further requests
// gaining a lower priority"; seed 003: charges may be levied for repeated
// unwarranted escalations). The organisation is flagged from `requests`
// requests within the last `within_days` days (0: ever).
struct EscalationLimit {
  std::int64_t requests = 0;
  int within_days = 0;
  std::string consequence;  // "lower_priority" or "charges"
  std::string note;
};

struct Lifecycle {
  std::vector<std::string> closure;   // when a case counts as resolved, in words
  // Close after this much business time waiting on the customer.
  std::optional<BusinessDuration> auto_close_after;
  // Without a `reopen` rule in the policy, reopening is allowed with no
  // time limit (reopen_stated is false).
  bool reopen_stated = false;
  bool reopen_allowed = true;
  std::optional<Period> reopen_window;  // nullopt with reopen_allowed = no limit
  ReopenBy reopen_by = ReopenBy::kCustomer;
  std::string reopen_note;
  std::optional<Period> retention;      // keep records at least this long
  // A bug escalation suspends the handling-time targets of the ticket.
  bool bug_escalation_suspends_targets = false;
  bool bug_escalation_closes_ticket = false;
  std::string bug_escalation_note;
  bool feature_request_closes_ticket = false;
  std::string feature_request_note;
  std::vector<EscalationLevel> escalation;  // first level first
  std::optional<EscalationLimit> excessive_escalations;
};

struct Availability {
  double monthly_target_percent = 0;  // 98.0
  ExactDecimal monthly_target;        // the same, exactly as written (`met` compares with it)
  // The zone a month is measured in (CONTRACT §7); empty = the zone of the
  // policy's business calendars (see docs/COMPLIANCE.md).
  std::string time_zone;
  std::vector<std::string> exclusions;
  std::string note;
};

// "Downtime" (seed 001): share_percent of the tickets of `severities` were
// over their target by more than over_target_by_percent, looking back
// lookback_months, provided at least minimum_tickets were submitted.
struct DowntimeRule {
  double share_percent = 0;
  double over_target_by_percent = 0;
  ExactDecimal share;           // share_percent exactly as written
  ExactDecimal over_target_by;  // over_target_by_percent exactly as written
  std::vector<std::string> severities;
  int lookback_months = 0;
  int minimum_tickets = 0;
  int remedy_max_tickets = 0;            // handled to target after a Downtime
  int remedy_within_calendar_months = 0;
  std::string note;
};

struct ContractLevels {
  std::optional<Availability> availability;
  std::optional<DowntimeRule> downtime;
  std::vector<std::string> notes;  // "no service credits", liability caps
};

// Customers new to the product get a lesser plan until an agent marks
// their technical onboarding complete (seed 003: "Standard Support to
// customers who do not complete the OpenBack Technical On-boarding").
struct Onboarding {
  std::string plan_until_complete;  // plan id
  std::string note;
};

struct Severity {
  std::string id;           // "critical"
  std::string name;         // "Critical"
  std::string definition;   // the seed's definition text
  std::vector<std::string> examples;
};

struct Plan {
  std::string id;    // "gold"
  std::string name;  // "Gold Support"
  bool resolution_starts_at_first_response = false;
  // targets[severity id][metric] ; an absent entry means no target.
  std::map<std::string, std::map<Metric, Target>, std::less<>> targets;
  // What the plan includes besides targets (filled by the policy loader).
  std::string description;                 // coverage in the seed's words
  std::string price;                       // price text as written ("€ 1499.00 / mo")
  std::vector<Channel> channels;
  std::vector<std::string> coverage;       // coverage notes ("weekend: critical only")
  std::vector<std::string> features;       // "Priority case routing", ...
  std::optional<int> named_contacts;       // named support contacts allowed
  Provision csm = Provision::kNo;          // designated Customer Success Manager
  Provision tam = Provision::kNo;          // designated Technical Account Manager
  Quota quota;
  // The plan's support hours, and the default calendar of its targets.
  std::shared_ptr<const BusinessCalendar> calendar;
  // Severity id -> calendar its targets run on unless a target names one.
  std::map<std::string, std::shared_ptr<const BusinessCalendar>, std::less<>> severity_calendars;
  // Metrics every severity of this plan must state (a target or "no target").
  std::vector<Metric> promised_metrics;
  // no_targets[severity id][metric] = the words of a stated "no target"
  // ("Best Effort", "By Mutual Agreement"); FindTarget() is nullptr there.
  std::map<std::string, std::map<Metric, std::string>, std::less<>> no_targets;

  // The stated no-target text, or nullptr when the policy says nothing.
  const std::string* FindNoTarget(std::string_view severity, Metric metric) const {
    auto s = no_targets.find(severity);
    if (s == no_targets.end()) return nullptr;
    auto m = s->second.find(metric);
    return m == s->second.end() ? nullptr : &m->second;
  }

  // nullptr when the plan sets no target for (severity, metric).
  const Target* FindTarget(std::string_view severity, Metric metric) const {
    auto s = targets.find(severity);
    if (s == targets.end()) return nullptr;
    auto m = s->second.find(metric);
    return m == s->second.end() ? nullptr : &m->second;
  }
};

// The in-memory policy. Built by the TOML loader (policy_loader.h) or, in
// tests, field by field.
struct Policy {
  std::string id;
  std::string name;
  std::vector<Severity> severities;  // most severe first
  std::string default_severity;      // severity id for tickets opened without one
  std::vector<Plan> plans;
  std::map<std::string, std::shared_ptr<const BusinessCalendar>, std::less<>> calendars;
  // Everything else the policy states (filled by the loader).
  std::string source;                       // where it comes from ("seed 002, ...")
  std::string effective_date;               // as written
  std::vector<std::string> languages;       // support languages
  std::vector<std::string> notes;           // terms that have no field of their own
  std::vector<int> warn_at_percent;         // default warning thresholds of targets
  std::vector<TicketField> required_fields;   // a ticket cannot be complete without these
  std::vector<TicketField> requested_fields;  // asked for "if applicable"
  std::vector<std::string> scope_covered;
  std::vector<std::string> scope_excluded;
  Lifecycle lifecycle;
  ContractLevels contract;
  std::optional<Onboarding> onboarding;

  const Plan* FindPlan(std::string_view plan_id) const {
    for (const auto& p : plans)
      if (p.id == plan_id) return &p;
    return nullptr;
  }
  const Severity* FindSeverity(std::string_view severity_id) const {
    for (const auto& s : severities)
      if (s.id == severity_id) return &s;
    return nullptr;
  }
};

}  // namespace sladesk
