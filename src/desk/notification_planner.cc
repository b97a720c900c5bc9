#include "desk/notification_planner.h"

#include <algorithm>
#include <set>

namespace sladesk {
namespace {

using json = nlohmann::json;

json Data(const TicketEventRecord& e) {
  json d = json::parse(e.data_json, nullptr, false);
  return d.is_object() ? d : json::object();
}

std::string Str(const json& d, const char* key) {
  auto it = d.find(key);
  if (it == d.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string MetricLabel(std::string_view metric) {
  if (metric == "first_response") return "First response";
  if (metric == "next_update") return "Next update";
  if (metric == "resolution") return "Resolution";
  return std::string(metric);
}

bool IsStatusUpdate(EventKind k) {
  return k == EventKind::kStatusChanged || k == EventKind::kWaitingOnCustomer || k == EventKind::kResolved ||
         k == EventKind::kClosed || k == EventKind::kReopened || k == EventKind::kEngineeringUpdate;
}

bool IsScheduled(EventKind k) { return k == EventKind::kSlaWarning || k == EventKind::kSlaBreached; }

class Planner {
 public:
  explicit Planner(const NotificationInput& in) : in_(in), people_(*in.people) {}

  std::vector<OutboxEntry> Run() {
    bool replied = false;
    for (const auto& e : in_.events) {
      replied = replied || e.kind == EventKind::kAgentReply;
      auto_closed_ = auto_closed_ || e.kind == EventKind::kAutoClosed;
    }
    for (std::size_t i = 0; i < in_.events.size(); ++i) {
      const auto& e = in_.events[i];
      const std::int64_t index = in_.first_index + static_cast<std::int64_t>(i);
      const json d = Data(e);
      // The first public reply opens a new ticket; the reply is the news.
      if (e.kind == EventKind::kStatusChanged && replied && Str(d, "from") == "new") continue;
      Event(e, index, d);
    }
    return std::move(out_);
  }

 private:
  json TicketValues() const {
    const Ticket& t = *in_.ticket;
    return {{"number", t.number},
            {"subject", t.subject},
            {"severity", t.severity},
            {"status", StatusName(t.status)},
            {"organisation", in_.organisation->name}};
  }

  json Base() const {
    json v{{"ticket", TicketValues()}};
    if (people_.assignee) v["assignee"] = {{"name", people_.assignee->name}};
    return v;
  }

  std::string ActorName(const TicketEventRecord& e) const {
    auto it = people_.actors.find(e.actor_id);
    return it == people_.actors.end() ? std::string("sladesk") : it->second.name;
  }

  std::string Key(const TicketEventRecord& e, std::int64_t index, const json& d) const {
    std::string k = "t" + std::to_string(in_.ticket->id) + "/";
    if (IsScheduled(e.kind)) {
      // A warning fires once per threshold (75 %, 90 %) of a metric's cycle.
      k += std::string(EventKindName(e.kind)) + "/" + Str(d, "metric") + "/" + Str(d, "cycle");
      return e.kind == EventKind::kSlaWarning && d.contains("percent") ? k + "/" + Str(d, "percent") : k;
    }
    return k + "e" + std::to_string(index);
  }

  void Add(OutboxChannel channel, const std::string& recipient, std::optional<Id> user_id, const std::string& tmpl,
           const std::string& event_type, const std::string& key, std::int64_t index, json payload) {
    OutboxEntry o;
    o.dedupe_key = key + "/" + std::string(OutboxChannelName(channel)) + "/" + recipient + "/" + tmpl;
    o.channel = channel;
    o.recipient = recipient;
    o.user_id = user_id;
    o.template_name = tmpl;
    o.event_type = event_type;
    o.ticket_id = in_.ticket->id;
    o.ticket_number = in_.ticket->number;
    o.policy_id = in_.policy->id;
    o.event_index = index;
    o.payload_json = payload.dump(-1, ' ', false, json::error_handler_t::replace);
    o.state = OutboxState::kPending;
    o.next_attempt_at = in_.now;
    o.created_at = in_.now;
    out_.push_back(std::move(o));
  }

  // One person, in-app and (with `email`) by email; never the actor.
  void Tell(const User& who, const TicketEventRecord& e, const std::string& tmpl, const std::string& type,
            const std::string& key, std::int64_t index, json values, const std::string& summary, bool email,
            std::set<Id>& told) {
    // The actor is not told of their own change, except that a customer's
    // new ticket is acknowledged to them.
    const bool own = who.id == e.actor_id && e.actor_id != 0 && tmpl != "ticket_acknowledgement";
    if (!who.active || own || !told.insert(who.id).second) return;
    values["recipient"] = {{"name", who.name}};
    values["summary"] = summary;
    const std::string r = "user:" + std::to_string(who.id);
    Add(OutboxChannel::kInApp, r, who.id, tmpl, type, key, index, values);
    if (email && !who.email.empty()) {
      values["recipient"]["email"] = who.email;
      Add(OutboxChannel::kEmail, r, who.id, tmpl, type, key, index, values);
    }
  }

  void Event(const TicketEventRecord& e, std::int64_t index, const json& d) {
    const std::string type = NotificationPlanner::WebhookType(e.kind);
    if (type.empty()) return;
    const std::string key = Key(e, index, d);
    const std::string n = "#" + std::to_string(in_.ticket->number);
    json v = Base();
    std::set<Id> told;
    json hook{{"type", type}, {"ticket", TicketValues()}, {"event", {{"kind", EventKindName(e.kind)},
                                                                     {"at", FormatInstant(e.at)},
                                                                     {"index", index},
                                                                     {"data", d}}}};
    if (people_.assignee) hook["ticket"]["assignee"] = {{"id", people_.assignee->id}, {"name", people_.assignee->name}};
    Add(OutboxChannel::kWebhook, "*", std::nullopt, std::string(EventKindName(e.kind)), type, key, index, hook);

    const User* requester = people_.requester ? &*people_.requester : nullptr;
    const User* assignee = people_.assignee ? &*people_.assignee : nullptr;
    switch (e.kind) {
      case EventKind::kOpened: {
        v["targets"] = NotificationPlanner::TargetsJson(*in_.plan, *in_.ticket);
        if (requester)
          Tell(*requester, e, "ticket_acknowledgement", type, key, index, v,
               "Ticket " + n + " received" + (assignee ? "; your support officer is " + assignee->name : ""), true,
               told);
        break;
      }
      case EventKind::kAssigned: {
        if (assignee && Str(d, "assignee_id") == std::to_string(assignee->id))
          Tell(*assignee, e, "ticket_assigned", type, key, index, v, "Ticket " + n + " is assigned to you", false,
               told);
        break;
      }
      case EventKind::kAgentReply: {
        v["reply"] = {{"author", ActorName(e)}, {"sent_at", FormatInstant(e.at)}, {"message_id", d.value("message_id", 0)}};
        if (requester)
          Tell(*requester, e, "agent_reply", type, key, index, v, ActorName(e) + " replied on ticket " + n, true, told);
        break;
      }
      case EventKind::kCustomerReply: {
        v["reply"] = {{"author", ActorName(e)}, {"sent_at", FormatInstant(e.at)}, {"message_id", d.value("message_id", 0)}};
        if (assignee)
          Tell(*assignee, e, "customer_reply", type, key, index, v, ActorName(e) + " replied on ticket " + n, false,
               told);
        break;
      }
      case EventKind::kSeverityChanged: {
        v["change"] = {{"old", Str(d, "from")}, {"new", Str(d, "severity")}, {"reason", Str(d, "reason")},
                       {"by", ActorName(e)}};
        v["targets"] = NotificationPlanner::TargetsJson(*in_.plan, *in_.ticket);
        const std::string s = "Severity of ticket " + n + " changed from " + Str(d, "from") + " to " +
                              Str(d, "severity") + ": " + Str(d, "reason");
        if (requester) Tell(*requester, e, "severity_changed", type, key, index, v, s, true, told);
        if (assignee) Tell(*assignee, e, "severity_changed", type, key, index, v, s, false, told);
        break;
      }
      case EventKind::kEscalationRequested: Escalation(e, index, d, key, type, v, told); break;
      case EventKind::kSlaWarning:
      case EventKind::kSlaBreached: {
        const bool breach = e.kind == EventKind::kSlaBreached;
        const std::string metric = Str(d, "metric");
        v["sla"] = {{"metric", MetricLabel(metric)}, {"metric_id", metric}, {"cycle", d.value("cycle", json())},
                    {"due", Str(d, "due")}};
        if (breach) v["sla"]["breached_at"] = Str(d, "at").empty() ? FormatInstant(e.at) : Str(d, "at");
        for (const char* k : {"remaining", "percent_elapsed", "overdue"})
          if (d.contains(k)) v["sla"][k] = Str(d, k);
        if (d.contains("percent") && !d.contains("percent_elapsed")) v["sla"]["percent_elapsed"] = Str(d, "percent");
        const std::string s = (breach ? "Breached: " : "Warning: ") + MetricLabel(metric) + " of ticket " + n +
                              (breach ? " was due " : " is due ") + Str(d, "due");
        const std::string tmpl = breach ? "sla_breach" : "sla_warning";
        if (assignee) Tell(*assignee, e, tmpl, type, key, index, v, s, true, told);
        for (const auto& lead : people_.leads) Tell(lead, e, tmpl, type, key, index, v, s, true, told);
        break;
      }
      case EventKind::kAutoClosed: {
        std::string waited = Str(d, "waited");
        if (waited.empty() && in_.policy->lifecycle.auto_close_after) waited = in_.policy->lifecycle.auto_close_after->text;
        v["auto_close"] = {{"waited", waited}, {"reopen_until", Str(d, "reopen_until")}};
        if (v["auto_close"]["reopen_until"] == "") v["auto_close"].erase("reopen_until");
        if (requester)
          Tell(*requester, e, "auto_close_notice", type, key, index, v,
               "Ticket " + n + " was resolved: no response from you", true, told);
        break;
      }
      default: {
        if (!IsStatusUpdate(e.kind)) break;
        // Auto-close resolves the ticket: the notice is the news.
        if (auto_closed_ && e.kind == EventKind::kResolved) break;
        json u{{"old_status", Str(d, "from")}, {"new_status", StatusName(in_.ticket->status)}};
        if (e.kind == EventKind::kEngineeringUpdate) {
          u["old_status"] = "";
          u["new_status"] = StatusName(in_.ticket->status);
          u["note"] = "Engineering issue " + Str(d, "id") + ": " + Str(d, "status") +
                      (Str(d, "note").empty() ? "" : " - " + Str(d, "note"));
        } else {
          if (d.contains("to")) u["new_status"] = Str(d, "to");
          if (!Str(d, "reason").empty()) u["note"] = Str(d, "reason");
        }
        // Said in words ("waiting on customer"), not as the API's names.
        for (const char* k : {"old_status", "new_status"})
          if (u.contains(k)) {
            std::string w = u[k].get<std::string>();
            std::replace(w.begin(), w.end(), '_', ' ');
            u[k] = w;
          }
        if (u["old_status"] == "") u.erase("old_status");
        if (in_.ticket->next_update_due) u["next_update_due"] = FormatInstant(*in_.ticket->next_update_due);
        v["update"] = u;
        if (requester)
          Tell(*requester, e, "status_update", type, key, index, v,
               "Ticket " + n + " is now " + u["new_status"].get<std::string>(), true, told);
        break;
      }
    }
  }

  void Escalation(const TicketEventRecord& e, std::int64_t index, const json& d, const std::string& key,
                  const std::string& type, json v, std::set<Id>& told) {
    const auto& ladder = in_.policy->lifecycle.escalation;
    const std::int64_t step = d.value("level", std::int64_t{0});
    const EscalationLevel* level =
        step >= 1 && step <= static_cast<std::int64_t>(ladder.size()) ? &ladder[static_cast<std::size_t>(step - 1)]
                                                                     : nullptr;
    std::vector<std::string> names = level ? level->notify : std::vector<std::string>{};
    json notified = json::array();
    bool roles = false;  // names someone other than the CSM
    for (const auto& name : names) {
      notified.push_back({{"name", name}});
      std::string lower = name;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      if (lower.find("customer success") == std::string::npos && lower.find("csm") == std::string::npos) roles = true;
    }
    if (!people_.csm) roles = true;  // nobody to inform by name: the leads are told
    v["escalation"] = {{"level", level ? level->name : Str(d, "level_name")},
                       {"step", step},
                       {"reason", Str(d, "business_impact")},
                       {"requested_by", ActorName(e)},
                       {"notified", notified}};
    const std::string s = "Ticket " + std::to_string(in_.ticket->number) + " escalated to " +
                          v["escalation"]["level"].get<std::string>() + " (step " + std::to_string(step) + ")";
    if (people_.csm) Tell(*people_.csm, e, "escalation_step", type, key, index, v, s, true, told);
    if (roles)
      for (const auto& lead : people_.leads) Tell(lead, e, "escalation_step", type, key, index, v, s, true, told);
    if (people_.assignee) Tell(*people_.assignee, e, "escalation_step", type, key, index, v, s, false, told);
  }

  const NotificationInput& in_;
  const NotificationPeople& people_;
  std::vector<OutboxEntry> out_;
  bool auto_closed_ = false;
};

}  // namespace

std::string NotificationPlanner::WebhookType(EventKind kind) {
  switch (kind) {
    case EventKind::kOpened: return "ticket.created";
    case EventKind::kAssigned: return "ticket.assigned";
    case EventKind::kAgentReply: return "ticket.agent_reply";
    case EventKind::kCustomerReply: return "ticket.customer_reply";
    case EventKind::kSeverityChanged: return "ticket.severity_changed";
    case EventKind::kStatusChanged:
    case EventKind::kWaitingOnCustomer:
    case EventKind::kResolved:
    case EventKind::kClosed:
    case EventKind::kReopened: return "ticket.status_changed";
    case EventKind::kEngineeringUpdate: return "ticket.engineering_update";
    case EventKind::kEscalationRequested: return "ticket.escalated";
    case EventKind::kSlaWarning: return "ticket.sla_warning";
    case EventKind::kSlaBreached: return "ticket.sla_breached";
    case EventKind::kAutoClosed: return "ticket.auto_closed";
    default: return "";
  }
}

json NotificationPlanner::TargetsJson(const Plan& plan, const Ticket& ticket) {
  json out = json::array();
  for (Metric m : {Metric::kFirstResponse, Metric::kNextUpdate, Metric::kResolution}) {
    const Target* t = plan.FindTarget(ticket.severity, m);
    if (!t) {
      // A stated "no target" ("Best Effort", "not stated") is said as written.
      auto sev = plan.no_targets.find(ticket.severity);
      if (sev == plan.no_targets.end()) continue;
      auto words = sev->second.find(m);
      if (words != sev->second.end()) out.push_back({{"metric", MetricLabel(MetricName(m))}, {"target", words->second}});
      continue;
    }
    json row{{"metric", MetricLabel(MetricName(m))}, {"target", t->text}};
    std::optional<Instant> due = m == Metric::kFirstResponse ? ticket.first_response_due
                                 : m == Metric::kNextUpdate  ? ticket.next_update_due
                                                             : ticket.resolution_due;
    if (due) row["due"] = FormatInstant(*due);
    out.push_back(std::move(row));
  }
  return out;
}

NotificationPlanner::Needs NotificationPlanner::NeedsFor(std::span<const TicketEventRecord> events) {
  Needs n;
  for (const auto& e : events) {
    if (WebhookType(e.kind).empty()) continue;
    n.requester = true;
    n.assignee = true;
    if (e.kind == EventKind::kEscalationRequested) n.csm = n.leads = true;
    if (IsScheduled(e.kind)) n.leads = true;
    if (e.actor_id != 0 && std::find(n.actors.begin(), n.actors.end(), e.actor_id) == n.actors.end())
      n.actors.push_back(e.actor_id);
  }
  return n;
}

std::vector<OutboxEntry> NotificationPlanner::Rows(const NotificationInput& in) {
  if (!in.ticket || !in.organisation || !in.policy || !in.plan || !in.people) return {};
  return Planner(in).Run();
}

}  // namespace sladesk
