#include "desk/sla_projector.h"

#include "desk/clock_log.h"
#include "sla/sla_clock.h"

namespace sladesk {
namespace {

nlohmann::json OptInstantJson(const std::optional<Instant>& t) {
  return t ? nlohmann::json(FormatInstant(*t)) : nlohmann::json(nullptr);
}

nlohmann::json ReportJson(const SlaReport& report) {
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& m : report.metrics) {
    nlohmann::json j;
    j["metric"] = std::string(MetricName(m.metric));
    j["state"] = std::string(MetricStateName(m.state));
    j["target_seconds"] = m.target_seconds ? nlohmann::json(*m.target_seconds) : nlohmann::json(nullptr);
    j["elapsed_seconds"] = m.elapsed_seconds ? nlohmann::json(*m.elapsed_seconds) : nlohmann::json(nullptr);
    j["due_at"] = OptInstantJson(m.due_at);
    j["goal_due_at"] = OptInstantJson(m.goal_due_at);
    j["stopped_at"] = OptInstantJson(m.stopped_at);
    j["breaches"] = m.breaches;
    metrics.push_back(std::move(j));
  }
  return metrics;
}

}  // namespace

std::vector<TicketEvent> SlaProjector::ToSlaEvents(const Policy& policy, std::span<const TicketEventRecord> log) {
  std::vector<TicketEvent> out;
  out.reserve(log.size());
  const bool suspends = policy.lifecycle.bug_escalation_suspends_targets;
  bool suspended = false;
  for (const auto& e : log) {
    std::optional<EventType> type;
    std::string severity;
    switch (e.kind) {
      case EventKind::kEngineeringIssueLinked:
        if (suspends && !suspended) {
          suspended = true;
          type = EventType::kWaitingOnCustomer;
        }
        break;
      case EventKind::kEngineeringUpdate: {
        auto data = nlohmann::json::parse(e.data_json, nullptr, false);
        const bool done = data.is_object() && data.value("done", false);
        if (suspended && done) {
          suspended = false;
          type = EventType::kReopened;
        } else {
          type = EventType::kAgentReply;  // a status update counts as an update
        }
        break;
      }
      case EventKind::kOpened: type = EventType::kOpened; break;
      case EventKind::kAgentReply: type = EventType::kAgentReply; break;
      case EventKind::kCustomerReply:
        if (!suspended) type = EventType::kCustomerReply;
        break;
      case EventKind::kWaitingOnCustomer: type = EventType::kWaitingOnCustomer; break;
      case EventKind::kResolved: type = EventType::kResolved; break;
      case EventKind::kReopened:
        suspended = false;
        type = EventType::kReopened;
        break;
      case EventKind::kClosed: type = EventType::kClosed; break;
      case EventKind::kSeverityChanged: {
        auto data = nlohmann::json::parse(e.data_json, nullptr, false);
        if (data.is_object() && data.contains("severity") && data["severity"].is_string()) {
          type = EventType::kSeverityChanged;
          severity = data["severity"].get<std::string>();
        }
        break;
      }
      case EventKind::kStatusChanged: {
        auto data = nlohmann::json::parse(e.data_json, nullptr, false);
        if (!suspended && data.is_object() && data.value("from", "") == "waiting_on_customer" &&
            data.value("to", "") == "open")
          type = EventType::kReopened;
        break;
      }
      default: break;
    }
    if (type) out.push_back(TicketEvent{e.at, *type, std::move(severity)});
  }
  return out;
}

std::string SlaProjector::InitialSeverity(std::span<const TicketEventRecord> log, const Ticket& ticket) {
  for (const auto& e : log) {
    if (e.kind != EventKind::kOpened) continue;
    auto data = nlohmann::json::parse(e.data_json, nullptr, false);
    if (data.is_object() && data.contains("severity") && data["severity"].is_string())
      return data["severity"].get<std::string>();
    break;
  }
  return ticket.severity;
}

Status SlaProjector::Project(const Policy& policy, const Plan& plan, std::span<const TicketEventRecord> log,
                             Instant now, Ticket& ticket) {
  auto events = ToSlaEvents(policy, log);
  auto report = EvaluateSla(policy, plan, InitialSeverity(log, ticket), events, now);
  if (!report.ok()) return report.error();
  ticket.first_response_due.reset();
  ticket.next_update_due.reset();
  ticket.resolution_due.reset();
  ticket.next_due.reset();
  ticket.breached = false;
  for (const auto& m : report->metrics) {
    std::optional<Instant> due;
    if (m.state == MetricState::kRunning || m.state == MetricState::kPaused || m.state == MetricState::kBreached)
      due = m.due_at;
    switch (m.metric) {
      case Metric::kFirstResponse: ticket.first_response_due = due; break;
      case Metric::kNextUpdate: ticket.next_update_due = due; break;
      case Metric::kResolution: ticket.resolution_due = due; break;
    }
    if (m.state == MetricState::kBreached || m.breaches > 0) ticket.breached = true;
    // Only running clocks order the queue: a paused one has no live deadline.
    if (m.state == MetricState::kRunning && m.due_at && (!ticket.next_due || *m.due_at < *ticket.next_due))
      ticket.next_due = m.due_at;
  }
  ticket.sla_json = ReportJson(*report).dump();
  ticket.clock_log = ClockLog::Encode(log);
  return Status::Ok();
}

Result<SlaReport> SlaProjector::Report(const Policy& policy, const Plan& plan, std::span<const TicketEventRecord> log,
                                       const Ticket& ticket, Instant now, SlaExplanation* explanation) {
  auto events = ToSlaEvents(policy, log);
  EvaluateOptions options;
  options.explanation = explanation;
  return EvaluateSla(policy, plan, InitialSeverity(log, ticket), events, now, options);
}

nlohmann::json SlaProjector::MetricsJson(const SlaReport& report) { return ReportJson(report); }

Result<nlohmann::json> SlaProjector::Evaluate(const Policy& policy, const Plan& plan,
                                              std::span<const TicketEventRecord> log, const Ticket& ticket,
                                              Instant now) {
  auto events = ToSlaEvents(policy, log);
  auto report = EvaluateSla(policy, plan, InitialSeverity(log, ticket), events, now);
  if (!report.ok()) return report.error();
  return ReportJson(*report);
}

}  // namespace sladesk
