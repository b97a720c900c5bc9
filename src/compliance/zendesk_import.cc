#include "compliance/zendesk_import.h"

#include <algorithm>
#include <set>

namespace sladesk {
namespace {

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return s;
}

std::string Trim(const std::string& s) {
  const size_t a = s.find_first_not_of(" \t");
  if (a == std::string::npos) return "";
  return s.substr(a, s.find_last_not_of(" \t") - a + 1);
}

bool NumericLess(const std::string& a, const std::string& b) {
  const bool na = !a.empty() && a.find_first_not_of("0123456789") == std::string::npos;
  const bool nb = !b.empty() && b.find_first_not_of("0123456789") == std::string::npos;
  if (na && nb) return a.size() != b.size() ? a.size() < b.size() : a < b;
  if (na != nb) return na;
  return a < b;
}

}  // namespace

bool NextCsvRecord(std::string_view t, size_t& pos, std::vector<std::string>& fields, std::string* error) {
  fields.clear();
  if (pos >= t.size()) return false;
  std::string field;
  bool quoted = false, was_quoted = false;
  for (;;) {
    if (pos >= t.size()) {
      if (quoted && error) *error = "unterminated quoted field";
      fields.push_back(std::move(field));
      return true;
    }
    const char c = t[pos++];
    if (quoted) {
      if (c == '"') {
        if (pos < t.size() && t[pos] == '"') {
          field += '"';
          ++pos;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      was_quoted = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && pos < t.size() && t[pos] == '\n') ++pos;
      fields.push_back(std::move(field));
      return true;
    } else {
      field += c;
    }
  }
}

Status ZendeskImport::AddCsv(std::string_view csv) {
  size_t pos = 0;
  std::vector<std::string> f;
  std::string error;
  if (csv.size() >= 3 && csv.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;  // a BOM
  if (!NextCsvRecord(csv, pos, f, &error)) return MakeError("--csv", "empty file: expected a header line");
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < f.size(); ++i) col[Lower(Trim(f[i]))] = i;
  for (const char* need : {"ticket_id", "metric", "instance_id", "type", "time"})
    if (!col.count(need))
      return MakeError("--csv", std::string("the header has no '") + need +
                                    "' column (expected Zendesk's ticket metric events: ticket_id, metric, instance_id, "
                                    "type, time)");
  auto get = [&](const char* name) -> std::string {
    auto it = col.find(name);
    if (it == col.end() || it->second >= f.size()) return "";
    return Trim(f[it->second]);
  };
  int line = 1;
  while (NextCsvRecord(csv, pos, f, &error)) {
    ++line;
    if (!error.empty()) return MakeError("line " + std::to_string(line), error);
    if (f.size() == 1 && Trim(f[0]).empty()) continue;  // a blank line
    const std::string id = get("ticket_id");
    if (id.empty()) return MakeError("line " + std::to_string(line) + ": ticket_id", "missing");
    auto at = ParseInstant(get("time"), "time");
    if (!at.ok()) return MakeError("line " + std::to_string(line) + ": time", at.error().message);
    ++rows_;
    Pending& p = tickets_[id];
    HistoryTicket& t = p.ticket;
    t.id = id;
    if (t.organisation.empty()) t.organisation = get("organisation");
    if (t.plan.empty()) t.plan = get("plan");
    if (t.severity.empty()) t.severity = Lower(get("priority").empty() ? get("severity") : get("priority"));
    if (t.assignee.empty()) t.assignee = get("assignee");
    Row row{*at, rows_, Lower(get("metric")), Lower(get("type")), get("instance_id")};
    if (row.type != "activate" && row.type != "pause" && row.type != "fulfill") ++ignored_;
    p.rows.push_back(std::move(row));
  }
  return Status::Ok();
}

Result<std::vector<HistoryTicket>> ZendeskImport::Finish() const {
  std::vector<const Pending*> order;
  for (const auto& [id, p] : tickets_) order.push_back(&p);
  std::sort(order.begin(), order.end(),
            [](const Pending* a, const Pending* b) { return NumericLess(a->ticket.id, b->ticket.id); });
  std::vector<HistoryTicket> out;
  out.reserve(order.size());
  for (const Pending* p : order) {
    HistoryTicket t = p->ticket;
    if (t.organisation.empty()) t.organisation = defaults_.organisation;
    if (t.plan.empty()) t.plan = defaults_.plan;
    if (t.severity.empty()) t.severity = defaults_.severity;
    if (t.plan.empty())
      return MakeError("--plan", "ticket " + t.id + " has no plan column and no --plan was given");
    std::vector<Row> rows = p->rows;
    std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
      return a.at < b.at || (a.at == b.at && a.order < b.order);
    });
    bool opened = false, resolved = false, waiting = false;
    std::set<std::pair<std::string, std::string>> instances;  // (metric, instance) seen
    std::set<std::pair<EventType, Seconds>> emitted;
    auto emit = [&](EventType type, Instant at) {
      if (emitted.insert({type, ToEpoch(at)}).second) t.events.push_back(TicketEvent{at, type, ""});
    };
    for (const Row& r : rows) {
      const bool fresh = instances.insert({r.metric, r.instance}).second;
      if (r.type == "activate") {
        if (!opened) {
          opened = true;
          emit(EventType::kOpened, r.at);
        } else if (resolved && fresh) {
          resolved = false;
          emit(EventType::kReopened, r.at);
        } else if (r.metric == "requester_wait_time" && waiting && !fresh) {
          waiting = false;
          emit(EventType::kCustomerReply, r.at);
        }
      } else if (r.type == "pause") {
        if (r.metric == "requester_wait_time" && opened && !resolved && !waiting) {
          waiting = true;
          emit(EventType::kWaitingOnCustomer, r.at);
        }
      } else if (r.type == "fulfill") {
        if (!opened || resolved) continue;
        if (r.metric == "reply_time" || r.metric == "periodic_update_time" || r.metric == "pausable_update_time") {
          emit(EventType::kAgentReply, r.at);
        } else if (r.metric == "requester_wait_time" || r.metric == "agent_work_time" ||
                   r.metric == "resolution_time") {
          resolved = true;
          waiting = false;
          emit(EventType::kResolved, r.at);
        }
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace sladesk
