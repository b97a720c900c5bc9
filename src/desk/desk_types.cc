#include "desk/desk_types.h"

#include <array>
#include <utility>

namespace sladesk {
namespace {

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
  for (const auto& [v, n] : table)
    if (v == e) return n;
  return "unknown";
}

template <typename E, size_t N>
std::optional<E> FromName(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view s) {
  for (const auto& [v, n] : table)
    if (n == s) return v;
  return std::nullopt;
}

constexpr std::array<std::pair<Role, std::string_view>, 5> kRoles{{{Role::kContact, "contact"},
                                                                   {Role::kAgent, "agent"},
                                                                   {Role::kLead, "lead"},
                                                                   {Role::kAdmin, "admin"},
                                                                   {Role::kSystem, "system"}}};
constexpr std::array<std::pair<TicketStatus, std::string_view>, 5> kStatuses{{
    {TicketStatus::kNew, "new"},
    {TicketStatus::kOpen, "open"},
    {TicketStatus::kWaitingOnCustomer, "waiting_on_customer"},
    {TicketStatus::kResolved, "resolved"},
    {TicketStatus::kClosed, "closed"}}};
constexpr std::array<std::pair<TicketChannel, std::string_view>, 5> kChannels{{
    {TicketChannel::kPortal, "portal"}, {TicketChannel::kEmail, "email"}, {TicketChannel::kChat, "chat"},
    {TicketChannel::kPhone, "phone"}, {TicketChannel::kApi, "api"}}};
constexpr std::array<std::pair<TicketOutcome, std::string_view>, 7> kOutcomes{{
    {TicketOutcome::kSolved, "solved"},
    {TicketOutcome::kWorkaround, "workaround"},
    {TicketOutcome::kFeatureRequest, "feature_request"},
    {TicketOutcome::kBugEscalated, "bug_escalated"},
    {TicketOutcome::kPaidWork, "paid_work"},
    {TicketOutcome::kTraining, "training"},
    {TicketOutcome::kNoResponse, "no_response"}}};
constexpr std::array<std::pair<Visibility, std::string_view>, 2> kVisibilities{{
    {Visibility::kPublic, "public"}, {Visibility::kInternal, "internal"}}};
constexpr std::array<std::pair<EventKind, std::string_view>, 25> kEventKinds{{
    {EventKind::kOpened, "opened"},
    {EventKind::kAgentReply, "agent_reply"},
    {EventKind::kCustomerReply, "customer_reply"},
    {EventKind::kInternalNote, "internal_note"},
    {EventKind::kStatusChanged, "status_changed"},
    {EventKind::kWaitingOnCustomer, "waiting_on_customer"},
    {EventKind::kSeverityChanged, "severity_changed"},
    {EventKind::kAssigned, "assigned"},
    {EventKind::kEscalationRequested, "escalation_requested"},
    {EventKind::kResolved, "resolved"},
    {EventKind::kReopened, "reopened"},
    {EventKind::kClosed, "closed"},
    {EventKind::kAttachmentAdded, "attachment_added"},
    {EventKind::kFieldsUpdated, "fields_updated"},
    {EventKind::kEngineeringIssueLinked, "engineering_issue_linked"},
    {EventKind::kEngineeringUpdate, "engineering_update"},
    {EventKind::kTimeLogged, "time_logged"},
    {EventKind::kReopenRequested, "reopen_requested"},
    {EventKind::kReopenDeclined, "reopen_declined"},
    {EventKind::kRemoteAssistanceRequested, "remote_assistance_requested"},
    {EventKind::kSupportBudgetWarning, "support_budget_warning"},
    {EventKind::kOnboardingCompleted, "onboarding_completed"},
    {EventKind::kSlaWarning, "sla_warning"},
    {EventKind::kSlaBreached, "sla_breached"},
    {EventKind::kAutoClosed, "auto_closed"}}};

}  // namespace

std::string EmailKey(std::string_view email) {
  std::string out(email);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string_view RoleName(Role r) { return NameOf(kRoles, r); }
std::optional<Role> RoleFromName(std::string_view s) { return FromName(kRoles, s); }
std::string_view StatusName(TicketStatus s) { return NameOf(kStatuses, s); }
std::optional<TicketStatus> StatusFromName(std::string_view s) { return FromName(kStatuses, s); }
std::string_view TicketChannelName(TicketChannel c) { return NameOf(kChannels, c); }
std::optional<TicketChannel> TicketChannelFromName(std::string_view s) { return FromName(kChannels, s); }
std::string_view TicketOutcomeName(TicketOutcome o) { return NameOf(kOutcomes, o); }
std::optional<TicketOutcome> TicketOutcomeFromName(std::string_view s) { return FromName(kOutcomes, s); }
std::string_view VisibilityName(Visibility v) { return NameOf(kVisibilities, v); }
std::optional<Visibility> VisibilityFromName(std::string_view s) { return FromName(kVisibilities, s); }
std::string_view EventKindName(EventKind k) { return NameOf(kEventKinds, k); }
std::optional<EventKind> EventKindFromName(std::string_view s) { return FromName(kEventKinds, s); }

}  // namespace sladesk
