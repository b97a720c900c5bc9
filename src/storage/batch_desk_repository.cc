#include "storage/batch_desk_repository.h"

namespace sladesk {

void BatchDeskRepository::BeginUnit() {
  unit_ticket_number_ = ticket_number_;
  unit_incidents_ = incidents_;
}

void BatchDeskRepository::UndoUnit() {
  locked_organisations_.clear();
  read_organisations_.clear();
  locked_ticket_versions_.clear();
  token_users_.clear();
  users_.clear();
  user_lists_.clear();
  // A counter first locked by this unit is not in the copy, so it is
  // forgotten (its lock may be gone); one locked before keeps its lock and
  // gets its earlier value back.
  ticket_number_ = unit_ticket_number_;
  incidents_ = unit_incidents_;
}

Status BatchDeskRepository::FinishBatch() {
  if (ticket_number_ && ticket_number_->value != ticket_number_->stored) {
    if (Status st = QueueTicketCounter(ticket_number_->value); !st.ok()) return st;
    ticket_number_->stored = ticket_number_->value;
  }
  for (auto& [key, c] : incidents_) {
    if (c.value == c.stored) continue;
    if (Status st = QueueIncidentCount(key.first, FromEpoch(key.second), c.value); !st.ok()) return st;
    c.stored = c.value;
  }
  return Status::Ok();
}

Result<std::optional<Organisation>> BatchDeskRepository::GetOrganisation(Id id, bool lock) {
  if (auto it = locked_organisations_.find(id); it != locked_organisations_.end())
    return std::optional<Organisation>(it->second);
  if (!lock)
    if (auto it = read_organisations_.find(id); it != read_organisations_.end())
      return std::optional<Organisation>(it->second);
  auto org = SqlDeskRepository::GetOrganisation(id, lock);
  if (org.ok() && *org) (lock ? locked_organisations_ : read_organisations_)[id] = **org;
  return org;
}

Result<bool> BatchDeskRepository::UpdateOrganisation(const Organisation& o, std::int64_t expected_version) {
  locked_organisations_.erase(o.id);
  read_organisations_.erase(o.id);
  return SqlDeskRepository::UpdateOrganisation(o, expected_version);
}

Status BatchDeskRepository::UpdateUser(const User& u) {
  token_users_.clear();  // a kept look-up may hold this user
  users_.clear();
  user_lists_.clear();
  return SqlDeskRepository::UpdateUser(u);
}

Result<Id> BatchDeskRepository::InsertUser(const User& u) {
  users_.clear();
  user_lists_.clear();
  return SqlDeskRepository::InsertUser(u);
}

Result<std::optional<User>> BatchDeskRepository::GetUser(Id id) {
  if (auto it = users_.find(id); it != users_.end()) return it->second;
  auto u = SqlDeskRepository::GetUser(id);
  if (u.ok()) users_[id] = *u;
  return u;
}

Result<std::vector<User>> BatchDeskRepository::ListUsers(std::optional<Id> organisation_id) {
  if (auto it = user_lists_.find(organisation_id); it != user_lists_.end()) return it->second;
  auto list = SqlDeskRepository::ListUsers(organisation_id);
  if (list.ok()) user_lists_[organisation_id] = *list;
  return list;
}

Result<std::optional<std::pair<ApiToken, User>>> BatchDeskRepository::FindTokenUser(const std::string& token_hash) {
  using Found = std::optional<std::pair<ApiToken, User>>;
  if (auto it = token_users_.find(token_hash); it != token_users_.end()) return Found(it->second);
  auto found = SqlDeskRepository::FindTokenUser(token_hash);
  if (found.ok() && *found) token_users_[token_hash] = **found;
  return found;
}

Result<std::int64_t> BatchDeskRepository::NextTicketNumber() {
  // The counter row stays locked until COMMIT: later numbers are known.
  if (ticket_number_) return ++ticket_number_->value;
  auto n = SqlDeskRepository::NextTicketNumber();
  if (n.ok()) ticket_number_ = Counter{*n, *n};
  return n;
}

Result<Id> BatchDeskRepository::ReserveId(const std::string& table) {
  if (dialect() == SqlDialect::kPostgres) {
    auto& spare = spare_ids_[table];
    if (spare.empty()) {
      auto ids = ReserveIds(table, units_);
      if (!ids.ok()) return ids.error();
      if (ids->empty()) return MakeError(ErrorCode::kInternal, "database", "the " + table + " id sequence returned nothing");
      spare.assign(ids->rbegin(), ids->rend());
    }
    Id id = spare.back();
    spare.pop_back();
    return id;
  }
  auto it = next_ids_.find(table);
  if (it == next_ids_.end()) {
    auto first = ReserveIds(table, 1);
    if (!first.ok()) return first.error();
    it = next_ids_.emplace(table, first->front()).first;
  }
  return it->second++;
}

Result<Id> BatchDeskRepository::InsertTicket(const Ticket& t) {
  // The id is known before the insert, so nothing waits for it.
  auto id = ReserveId("tickets");
  if (!id.ok()) return id.error();
  return InsertTicketWithId(t, *id);
}

Result<std::optional<Ticket>> BatchDeskRepository::GetTicketByNumber(std::int64_t number, bool lock) {
  auto t = SqlDeskRepository::GetTicketByNumber(number, lock);
  if (t.ok() && *t && lock) locked_ticket_versions_[(*t)->id] = (*t)->version;
  return t;
}

Result<bool> BatchDeskRepository::UpdateTicket(const Ticket& t, std::int64_t expected_version) {
  // Locked by this transaction at this version: nobody else can have moved
  // it, so the update matches and needs no answer.
  auto it = locked_ticket_versions_.find(t.id);
  if (it != locked_ticket_versions_.end() && it->second == expected_version) {
    auto queued = UpdateTicketAt(t, expected_version, true);
    if (queued.ok()) it->second = expected_version + 1;
    return queued;
  }
  return SqlDeskRepository::UpdateTicket(t, expected_version);
}

Result<std::int64_t> BatchDeskRepository::IncrementIncidents(Id organisation_id, Instant month_start) {
  // The upsert locks the counter row until COMMIT; while it is held, the
  // count is known and later increments are FinishBatch's to write.
  const IncidentKey key{organisation_id, ToEpoch(month_start)};
  if (auto it = incidents_.find(key); it != incidents_.end()) return ++it->second.value;
  auto n = SqlDeskRepository::IncrementIncidents(organisation_id, month_start);
  if (n.ok()) incidents_[key] = Counter{*n, *n};
  return n;
}

Result<std::int64_t> BatchDeskRepository::CountIncidents(Id organisation_id, Instant month_start) {
  if (auto it = incidents_.find({organisation_id, ToEpoch(month_start)}); it != incidents_.end())
    return it->second.value;
  return SqlDeskRepository::CountIncidents(organisation_id, month_start);
}

Result<Id> BatchDeskRepository::InsertMessage(const Message& m) {
  auto id = ReserveId("messages");
  if (!id.ok()) return id.error();
  return InsertMessageWithId(m, *id);
}

}  // namespace sladesk
